/** The admin token the browser tests' server accepts (SWITCHBOARD_ADMIN_TOKEN). */
export const E2E_ADMIN_TOKEN = 'sb_e2e-admin-token-of-the-browser-tests';

/** The MLflow experiment the browser tests' server gets from SWITCHBOARD__MLFLOW__EXPERIMENT_NAME. */
export const E2E_ENV_EXPERIMENT = '/Shared/e2e-from-environment';

/** SWITCHBOARD_SECRET_KEY of the browser tests' server (a throw-away key: secret fields are tested for real). */
export const E2E_SECRET_KEY = '4f'.repeat(32);
