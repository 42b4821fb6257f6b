import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, snack, watchConsole } from './console-helpers.js';

/**
 * API tokens in a real browser: an admin creates one (its secret shown once), the secret works
 * against the API, the admin revokes it, and the same request is then refused.
 */
test('API tokens: create one, use its secret, revoke it', async ({ page, request }) => {
  const errors = watchConsole(page);
  await signIn(page, '/profiles');
  await page.getByRole('link', { name: 'Tokens' }).click();
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  await expectAccessible(page, 'token list');

  await page.getByTestId('new-token').click();
  await expect(page.getByTestId('token-name')).toBeFocused();
  await page.getByTestId('token-name').fill('e2e-pipeline');
  await page.getByTestId('token-role').click();
  await page.getByRole('option', { name: /^viewer/ }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('it is never shown again')).toBeVisible();
  await expectAccessible(page, 'secret shown once');
  const secret = await page.getByTestId('token-secret').inputValue();
  expect(secret).toMatch(/^sb_/);
  const asPipeline = { Authorization: `Bearer ${secret}` };
  expect((await request.get('/api/config/profiles', { headers: asPipeline })).status()).toBe(200);
  // Escape does not lose the secret: only Done closes.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('token-secret')).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();
  await snack(page, 'Token “e2e-pipeline” (viewer) created.');

  const row = page.locator('[data-token="e2e-pipeline"]');
  await expect(row).toContainText('viewer');
  await expect(row).toContainText(`${secret.slice(0, 7)}`);
  await expect(row).not.toContainText(secret);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('heading', { name: 'Revoke “e2e-pipeline”?' })).toBeVisible();
  await page.getByRole('button', { name: 'Revoke', exact: true }).last().click();
  await snack(page, 'Token “e2e-pipeline” revoked.');
  await expect(row).toContainText('Revoked');
  await page.screenshot({ path: 'docs/screenshots/console-tokens.png' });
  await expect(row.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  expect((await request.get('/api/config/profiles', { headers: asPipeline })).status()).toBe(401);
  expect(errors).toEqual([]);
});
