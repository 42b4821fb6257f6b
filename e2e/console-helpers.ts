import AxeBuilder from '@axe-core/playwright';
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

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now (Monaco's own editor surface aside). */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).exclude('.monaco-editor').exclude('.monaco-diff-editor').analyze();
  expect(violations.map((violation) => `${state}: ${violation.id} (${violation.nodes.length}) ${violation.help}`)).toEqual([]);
}
