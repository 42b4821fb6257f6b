import { expect, test } from '@playwright/test';
import { E2E_ADMIN_TOKEN } from './e2e-env.js';
import { expectAccessible, signIn, snack, watchConsole } from './console-helpers.js';

/**
 * The prompt library in a real browser: find a prompt, write its next version in Monaco (the
 * server's checks as markers), compare versions in Monaco's diff editor, move `production` to the
 * new version and back (a rollback, each after seeing its diff), preview with sample values, and
 * find each step in the prompt's history.
 */
const AUTH = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
const SHOTS = 'docs/screenshots';
const NAME = 'analyze.summary';

test('prompt library: new version with markers, diff, move production and roll it back, preview', async ({ page, request }) => {
  const errors = watchConsole(page);
  const profile = await request.post('/api/config/profiles', { headers: AUTH, data: { name: 'E2E prompt library' } });
  expect(profile.status()).toBe(201);
  const id = (await profile.json()).id as number;
  for (const name of [NAME, 'verify.answer']) {
    const created = await request.post(`/api/config/profiles/${id}/prompts`, {
      headers: AUTH,
      data: {
        name,
        description: name === NAME ? 'Summarises one log line' : 'Checks an answer',
        variables: [
          { name: 'line', required: true, sample: 'ERROR disk full on node-7' },
          { name: 'project', required: false, sample: 'MMBL' },
        ],
        template: 'Summarize this log line:\n{line}\nProject: {project}',
        message: 'First version',
      },
    });
    expect(created.status()).toBe(201);
  }

  // The library: search narrows the list; a search matching nothing says so.
  await signIn(page, `/profiles/${id}/prompt-library`);
  await expect(page.locator('li[data-prompt]')).toHaveCount(2);
  await page.getByTestId('prompt-search').fill('summarises');
  await expect(page.locator('li[data-prompt]')).toHaveCount(1);
  await page.getByTestId('prompt-search').fill('nothing like this');
  await expect(page.getByText('No prompt matches')).toBeVisible();
  await expectAccessible(page, 'library, no match');
  await page.getByRole('button', { name: 'Clear the search' }).click();
  await expectAccessible(page, 'library');
  await page.getByRole('link', { name: NAME }).click();
  await expect(page.getByTestId('prompt-title')).toHaveText(NAME);
  await expect(page.locator('tr[data-version]')).toHaveCount(1);
  await expectAccessible(page, 'prompt, versions');

  // A new version in Monaco: an undeclared placeholder is marked where it is, and cannot be saved.
  await page.getByRole('tab', { name: 'New version' }).click();
  const editor = page.locator('.sb-prompt-page__editor .monaco-editor');
  await expect(editor).toBeVisible();
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nCustomer: {customer}');
  await expect(page.getByTestId('draft-issues')).toContainText('Line 4, column 11');
  await expect(editor.locator('.squiggly-error').first()).toBeAttached();
  await page.getByTestId('draft-message').fill('Ask for severity');
  await page.getByTestId('draft-save').click();
  await expect(page.getByRole('alert').filter({ hasText: 'customer' })).toBeVisible();
  // Replace the undeclared placeholder with plain words, then save version 2.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  for (let i = 0; i < '{customer}'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('say the severity first');
  await expect(page.getByTestId('draft-issues')).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/console-prompt-version.png`, fullPage: true });
  await expectAccessible(page, 'new version');
  await page.keyboard.press('Control+s');
  await snack(page, `Version 2 of “${NAME}” saved.`);
  await expect(page.locator('tr[data-version]')).toHaveCount(2);

  // Compare: Monaco's diff editor between v1 and v2.
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-summary')).toHaveText('1 line added, 0 removed');
  await expect(page.locator('.monaco-diff-editor')).toBeVisible();

  // Move production to v2 (from nowhere), then back to v1: the dialog shows what agents will get.
  await page.getByRole('tab', { name: 'Versions' }).click();
  await page.locator('tr[data-version="2"]').getByTestId('move-label').click();
  await expect(page.getByTestId('label-summary')).toContainText('moves from nowhere');
  await page.getByTestId('label-confirm').click();
  await snack(page, /Labels of .* updated/);
  await expect(page.locator('tr[data-version="2"] [data-label="production"]')).toBeVisible();

  await page.locator('tr[data-version="1"]').getByTestId('move-label').click();
  await expect(page.getByTestId('label-summary')).toContainText('moves from version 2 to version 1');
  await expect(page.getByTestId('label-diff')).toContainText('− Customer: say the severity first');
  const dialog = page.locator('mat-dialog-container');
  await dialog.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((animation) => animation.finished)));
  await page.screenshot({ path: `${SHOTS}/console-prompt-label.png` });
  await expectAccessible(page, 'label dialog');
  await page.getByTestId('label-confirm').click();
  await snack(page, /Labels of .* updated/);
  await expect(page.locator('tr[data-version="1"] [data-label="production"]')).toBeVisible();
  const served = await request.get(`/api/prompts/${NAME}?profile_id=${id}`, { headers: AUTH });
  expect(await served.json()).toMatchObject({ version: 1, label: 'production' });

  // A version's "Changes" opens Compare on what it changed.
  await page.getByRole('button', { name: 'Changes made in v2' }).click();
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('compare-summary')).toHaveText('1 line added, 0 removed');

  // Preview: production's version with the samples, then another value.
  await page.getByRole('tab', { name: 'Preview' }).click();
  await expect(page.getByTestId('preview-text')).toHaveText('Summarize this log line:\nERROR disk full on node-7\nProject: MMBL');
  await page.locator('[data-variable="line"]').fill('WARN slow query');
  await expect(page.getByTestId('preview-text')).toContainText('WARN slow query');
  await expect(page.getByTestId('preview-length')).toContainText('Version 1 · 54 characters');
  await expectAccessible(page, 'preview');
  await page.locator('[data-variable="line"]').fill('');
  await expect(page.getByRole('alert').filter({ hasText: 'line: is required' })).toBeVisible();

  // The prompt's history: create, version, two label moves, newest first.
  await page.getByTestId('prompt-history').click();
  await expect(page.getByTestId('history-prompt')).toHaveValue(NAME);
  await expect(page.locator('tr[data-domain="prompt_registry"]')).toHaveCount(4);
  await expect(page.locator('tr[data-domain="prompt_registry"]').first()).toContainText(`Prompt library · ${NAME}`);
  expect(errors).toEqual([]);
});
