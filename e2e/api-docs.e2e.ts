import { expect, test } from '@playwright/test';
import { E2E_ADMIN_TOKEN } from './e2e-env.js';

test.describe('API documentation in a real browser', () => {
  test('Swagger UI takes a token and runs GET /api/config/status against the live service', async ({ page }) => {
    await page.goto('/docs');
    await expect(page.getByRole('heading', { name: /Switchboard/ })).toBeVisible();

    await page.getByRole('button', { name: 'Authorize' }).first().click();
    await page.getByRole('textbox', { name: 'auth-bearer-value' }).fill(E2E_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Apply credentials' }).click();
    await page.getByRole('button', { name: 'Close' }).click();

    const operation = page.locator('#operations-system-getConfigStatus');
    await expect(operation).toBeVisible();
    await operation.getByRole('button', { name: 'GET /api/config/status State' }).click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();

    const liveResponse = operation.locator('.live-responses-table .response').first();
    await expect(liveResponse.locator('.response-col_status')).toHaveText('200');
    await expect(liveResponse.locator('.response-col_description')).toContainText('"default_profile"');
    await expect(liveResponse.locator('.response-col_description')).toContainText('"name": "default"');

    await page.screenshot({ path: 'docs/screenshots/api-docs.png', fullPage: false });
  });

  test('an API route without a token answers 401 problem+json in the browser too', async ({ request }) => {
    const response = await request.get('/api/config/profiles');
    expect(response.status()).toBe(401);
    expect(response.headers()['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers()['www-authenticate']).toMatch(/^Bearer/);
  });

  test('an unknown API route answers problem+json in the browser too', async ({ request }) => {
    const response = await request.get('/api/config/does-not-exist');
    expect(response.status()).toBe(404);
    expect(response.headers()['content-type']).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, type: 'urn:switchboard:problem:route-not-found' });
  });
});
