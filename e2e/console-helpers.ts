import { expect, type Page } from '@playwright/test';
import { E2E_ADMIN_TOKEN } from './e2e-env.js';

/** Console errors (CSP refusals among them) collected per page. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // The browser logs every 4xx answer; the tests provoke some on purpose.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Signs in as the environment's admin from the sign-in page that `path` leads to. */
export async function signIn(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: 'Sign in to Switchboard' })).toBeVisible();
  await page.getByLabel('API token').fill(E2E_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('principal')).toHaveText('environment-admin · admin');
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** Waits for a snack bar saying `text`, then dismisses it. */
export async function snack(page: Page, text: string | RegExp): Promise<void> {
  const bar = page.locator('mat-snack-bar-container').filter({ hasText: text });
  await expect(bar).toBeVisible();
  await bar.getByRole('button').click();
  await expect(bar).toBeHidden();
}
