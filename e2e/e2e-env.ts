/** The admin token the browser tests' server accepts (SWITCHBOARD_ADMIN_TOKEN). */
export const E2E_ADMIN_TOKEN = 'sb_e2e-admin-token-of-the-browser-tests';
