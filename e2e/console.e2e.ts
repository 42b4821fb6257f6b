import { expect, type APIRequestContext, type Page, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { E2E_ADMIN_TOKEN, E2E_ENV_EXPERIMENT } from './e2e-env.js';
import { expectAccessible, signIn, snack, watchConsole } from './console-helpers.js';

/**
 * The admin console in a real browser against the real server and database: every step an
 * operator takes for profiles and the four domains, with screenshots of the main screens for the
 * README. The tests build on each other (one database), so they run in order.
 */
test.describe.configure({ mode: 'serial' });

const AUTH = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
const COPY = 'E2E High Creativity';
const SHOTS = 'docs/screenshots';

async function profileId(request: APIRequestContext, name: string): Promise<number> {
  const response = await request.get(`/api/config/profiles?search=${encodeURIComponent(name)}`, { headers: AUTH });
  const profiles = (await response.json()) as { id: number; name: string }[];
  const profile = profiles.find((candidate) => candidate.name === name);
  if (!profile) throw new Error(`no profile named ${name}`);
  return profile.id;
}

test('sign-in: a wrong token is refused, the right one opens the default profile, sign-out forgets it', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('API token').fill('sb_not-a-token-the-server-knows');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/This token is not accepted/);
  await page.screenshot({ path: `${SHOTS}/console-sign-in.png` });

  await page.getByLabel('API token').fill(E2E_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/profiles\/\d+\/ai-infra$/);
  await expect(page.getByRole('heading', { name: /default/ })).toBeVisible();
  await expect(page.locator('#sb-main h1')).toBeFocused(); // the page's heading, not <body>: Tab goes on from there
  await expect(page.getByTestId('llm-temperature')).toHaveValue('0.7');
  await expect(page.getByTestId('profile-selector')).toHaveValue('default');

  // A reload keeps the session (sessionStorage) and the URL (the server's SPA fallback).
  await page.reload();
  await expect(page.getByTestId('llm-temperature')).toHaveValue('0.7');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toHaveText('You are signed out.');
  await page.goto('/profiles');
  await expect(page).toHaveURL(/\/sign-in/);
  expect(errors).toEqual([]);
});

test('a token the server stops accepting leads to the rejected-token screen', async ({ page }) => {
  await signIn(page);
  await page.evaluate(() => sessionStorage.setItem('switchboard.token', 'sb_revoked-meanwhile'));
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in\?reason=rejected/);
  await expect(page.getByRole('status')).toContainText('The server rejected your token');
});

test('create a profile as a copy, change its temperature and a prompt, and find both in the history', async ({ page, request }) => {
  const errors = watchConsole(page);
  await signIn(page, '/profiles');
  await expect(page.getByRole('heading', { name: 'Profiles' })).toBeVisible();
  await expect(page.locator('[data-profile="default"]').getByTestId('default-badge')).toBeVisible();

  await page.getByTestId('new-profile').click();
  // The dialog focuses its first field when it has opened: typing before that would land there.
  await expect(page.getByTestId('profile-name')).toBeFocused();
  await page.getByTestId('profile-name').fill(COPY);
  await page.getByTestId('profile-description').fill('Brainstorming decks');
  await page.getByTestId('profile-copy-from').click();
  await page.getByRole('option', { name: 'Copy of default' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await snack(page, `Profile “${COPY}” created.`);
  const id = await profileId(request, COPY);
  // A new profile opens at once, on its first tab.
  await expect(page).toHaveURL(new RegExp(`/profiles/${id}/ai-infra$`));
  await page.getByRole('link', { name: 'Profiles', exact: true }).click();
  await expect(page.locator(`[data-profile="${COPY}"]`)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/console-profiles.png` });

  // AI infrastructure: the copy starts from the default's values; the slider mirrors the field.
  await page.locator(`[data-profile="${COPY}"]`).getByRole('button', { name: 'Configure' }).click();
  await expect(page).toHaveURL(new RegExp(`/profiles/${id}/ai-infra$`));
  const temperature = page.getByTestId('llm-temperature');
  await expect(temperature).toHaveValue('0.7');
  await temperature.fill('1.5');
  await expect(page.getByText('Temperature must be at most 1.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await temperature.fill('0.3');
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await expect(page.getByRole('slider', { name: 'Temperature' })).toHaveValue('0.3');
  await page.screenshot({ path: `${SHOTS}/console-ai-infra.png`, fullPage: true });
  await page.keyboard.press('Meta+s'); // ⌘S, as on a Mac (Ctrl+S elsewhere)
  await snack(page, 'AI infrastructure saved.');
  await expect(page.getByText('All changes saved')).toBeVisible();
  // Where the save arrived (the instance registry): this test's one instance.
  await expect(page.getByText(/All changes saved · applied on 1\/1 instance in \d+ ms/)).toBeVisible();

  // Prompts: Monaco loads on this tab only; the server's validation shows as markers.
  await page.getByRole('tab', { name: 'Prompts' }).click();
  const system = page.locator('[data-prompt="system_prompt"]');
  await expect(system.locator('.monaco-editor')).toBeVisible();
  await system.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nAlways cite the {topic} table you used.');
  await expect(system.getByRole('list', { name: 'Validation issues' })).toContainText('{topic} is not a known placeholder');
  await expect(system.locator('.monaco-editor .squiggly-error').first()).toBeAttached();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/console-prompts.png`, fullPage: true });
  // Undo the unknown placeholder: remove "{topic} " by selecting back over it.
  for (let i = 0; i < ' table you used.'.length; i++) await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < '{topic}'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('source');
  await expect(system.getByRole('list', { name: 'Validation issues' })).toBeHidden();
  await expect(system.getByTestId('prompt-size')).toContainText('/ 200,000 characters');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await snack(page, 'Prompts saved.');

  // The history route has both changes, by the signed-in principal.
  const history = await request.get(`/api/config/history/${id}`, { headers: AUTH });
  expect(history.status()).toBe(200);
  const entries = (await history.json()) as { domain: string; action: string; changed_by: string; changes: Record<string, { old: unknown; new: unknown }> }[];
  const aiInfra = entries.find((entry) => entry.domain === 'ai_infra' && entry.action === 'update');
  expect(aiInfra?.changes['llm_temperature']).toEqual({ old: 0.7, new: 0.3 });
  expect(aiInfra?.changed_by).toBe('environment-admin');
  const prompts = entries.find((entry) => entry.domain === 'prompts' && entry.action === 'update');
  expect(String(prompts?.changes['system_prompt']?.new)).toContain('Always cite the source table you used.');

  // And the console's History tab shows them.
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.locator('tr[data-domain="ai_infra"]').first()).toContainText('Temperature');
  await expect(page.locator('tr[data-domain="prompts"]').first()).toContainText('System prompt');
  await page.screenshot({ path: `${SHOTS}/console-history.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('set default, duplicate and delete, with the default profile protected', async ({ page }) => {
  await signIn(page, '/profiles');
  const copy = page.locator(`[data-profile="${COPY}"]`);
  await copy.getByRole('button', { name: 'Set default' }).click();
  // It asks first, naming the default it replaces; Cancel changes nothing.
  await expect(page.getByRole('heading', { name: `Make “${COPY}” the default?` })).toBeVisible();
  await expect(page.getByText('(now “default”)')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(copy.getByTestId('default-badge')).toBeHidden();
  await copy.getByRole('button', { name: 'Set default' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Set default' }).click();
  await snack(page, `“${COPY}” is now the default profile`);
  await expect(copy.getByTestId('default-badge')).toBeVisible();
  await expect(copy.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await expect(copy.getByText(/The default profile cannot be deleted/)).toBeVisible();
  // The toolbar's profile field filters as you type.
  await page.getByTestId('profile-selector').click();
  await expect(page.getByRole('option', { name: `${COPY} (default)` })).toBeVisible();
  await page.getByTestId('profile-selector').fill('high crea');
  await expect(page.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Escape');

  const original = page.locator('[data-profile="default"]');
  await original.getByRole('button', { name: 'More actions for default' }).click();
  await page.getByRole('menuitem', { name: 'Duplicate' }).click();
  await expect(page.getByTestId('profile-name')).toHaveValue('default (copy)');
  await page.getByRole('button', { name: 'Duplicate' }).last().click();
  await snack(page, 'Profile duplicated as “default (copy)”.');

  const duplicate = page.locator('[data-profile="default (copy)"]');
  await duplicate.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('heading', { name: 'Delete “default (copy)”?' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete', exact: true }).last().click();
  await snack(page, 'Profile “default (copy)” deleted.');
  await expect(duplicate).toBeHidden();

  await original.getByRole('button', { name: 'Set default' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Set default' }).click();
  await snack(page, '“default” is now the default profile');
  await expect(original.getByTestId('default-badge')).toBeVisible();
});

test('a change saved through the API meanwhile answers 412, and the conflict screen resolves it', async ({ page, request }) => {
  const id = await profileId(request, COPY);
  await signIn(page, `/profiles/${id}/ai-infra`);
  const temperature = page.getByTestId('llm-temperature');
  await expect(temperature).toHaveValue('0.3');
  await temperature.fill('0.45');

  // Someone else saves the same profile between our load and our save.
  const current = await request.get(`/api/config/ai-infra/${id}`, { headers: AUTH });
  const theirs = await request.put(`/api/config/ai-infra/${id}`, {
    headers: { ...AUTH, 'If-Match': current.headers()['etag']! },
    data: { llm_temperature: 0.9, llm_max_tokens: 4096 },
  });
  expect(theirs.status()).toBe(200);

  // Leaving with unsaved work asks first, in the console's own dialog; staying keeps it.
  await page.getByRole('tab', { name: 'MLflow' }).click();
  await expect(page.getByRole('heading', { name: 'Leave without saving?' })).toBeVisible();
  await page.getByRole('button', { name: 'Stay' }).click();
  await expect(page).toHaveURL(/\/ai-infra$/);
  await expect(temperature).toHaveValue('0.45');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = page.getByRole('dialog');
  await expect(conflict.getByRole('heading', { name: 'Someone else changed AI infrastructure' })).toBeVisible();
  const row = conflict.locator('tr[data-field="llm_temperature"]');
  await expect(row).toContainText('0.9');
  await expect(row).toContainText('0.45');
  await expect(conflict.locator('tr[data-field="llm_max_tokens"]')).toContainText('4096');
  await expect(conflict.locator('tr[data-field="llm_max_tokens"]')).toContainText('they changed');
  await expect(conflict).toContainText('environment-admin saved it');
  await page.screenshot({ path: `${SHOTS}/console-conflict.png` });
  await conflict.getByRole('button', { name: 'Save my changes on theirs' }).click();
  await snack(page, 'AI infrastructure saved.');

  const after = (await (await request.get(`/api/config/ai-infra/${id}`, { headers: AUTH })).json()) as { llm_temperature: number; llm_max_tokens: number };
  expect(after.llm_temperature).toBe(0.45);
  // Only the fields this user changed went over theirs: their max tokens stay.
  expect(after.llm_max_tokens).toBe(4096);

  // Keeping theirs instead: the form shows the stored values again.
  await temperature.fill('0.2');
  const again = await request.get(`/api/config/ai-infra/${id}`, { headers: AUTH });
  await request.put(`/api/config/ai-infra/${id}`, { headers: { ...AUTH, 'If-Match': again.headers()['etag']! }, data: { llm_temperature: 0.8 } });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Keep theirs, discard mine' }).click();
  await expect(temperature).toHaveValue('0.8');
  await expect(page.getByText('All changes saved')).toBeVisible();
});

test('Genie spaces: add, validate, set default, remove; MLflow: the experiment set by the environment is locked', async ({ page, request }) => {
  const id = await profileId(request, COPY);
  await signIn(page, `/profiles/${id}/genie`);
  await expect(page.locator('.sb-list__item')).toHaveCount(1);
  await page.getByTestId('add-genie-space').click();
  await expect(page.getByTestId('space-id')).toBeFocused();
  // The dialog's fields stack, one per line (Material's dialog content used to lay them out in a row).
  const nameBox = (await page.getByTestId('space-name').boundingBox())!;
  const descriptionBox = (await page.getByRole('dialog').getByLabel('Description').boundingBox())!;
  expect(descriptionBox.y).toBeGreaterThan(nameBox.y + nameBox.height);
  await page.getByTestId('space-id').fill('not-hex');
  await page.getByTestId('space-name').fill('Sales');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByText('A space id is 32 hexadecimal characters')).toBeVisible();
  await page.getByTestId('space-id').fill('0123456789abcdef0123456789ABCDEF');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await snack(page, 'Genie space “Sales” added.');
  const sales = page.locator('[data-space="Sales"]');
  await sales.getByRole('button', { name: 'Set default' }).click();
  await snack(page, '“Sales” is now the default Genie space.');
  await expect(sales.locator('.sb-badge')).toHaveText('Default');
  await expect(sales.getByRole('button', { name: 'Remove' })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/console-genie.png`, fullPage: true });
  const other = page.locator('.sb-list__item').filter({ hasNot: page.locator('.sb-badge') });
  await other.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove', exact: true }).last().click();
  await snack(page, /removed\./);
  await expect(page.locator('.sb-list__item')).toHaveCount(1);

  // SWITCHBOARD__MLFLOW__EXPERIMENT_NAME is set for this server (playwright.config.ts): the field
  // shows the database's value, locked, with the variable and the value agents actually get.
  await page.getByRole('tab', { name: 'MLflow' }).click();
  const experiment = page.getByTestId('experiment-name');
  await expect(experiment).toBeDisabled();
  const lock = page.locator('[data-locked-field="experiment_name"]');
  await expect(lock).toContainText('SWITCHBOARD__MLFLOW__EXPERIMENT_NAME');
  await expect(lock.getByTestId('effective-value')).toHaveText(E2E_ENV_EXPERIMENT);
  await expect(page.getByTestId('locked-note')).toContainText('source: environment');
  const stored = (await (await request.get(`/api/config/mlflow/${id}`, { headers: AUTH })).json()) as { experiment_name: string };
  await expect(experiment).toHaveValue(stored.experiment_name);
  expect(stored.experiment_name).not.toBe(E2E_ENV_EXPERIMENT);
  const resolved = (await (await request.get(`/api/config/resolved?profile_id=${id}`, { headers: AUTH })).json()) as {
    mlflow: { experiment_name: string };
    sources: { mlflow: Record<string, string> };
  };
  expect(resolved.sources.mlflow['experiment_name']).toBe('env');
  expect(resolved.mlflow.experiment_name).toBe(E2E_ENV_EXPERIMENT);
  await page.screenshot({ path: `${SHOTS}/console-env-locked.png` });
});

test('history: change a value, read the diff, restore the earlier version', async ({ page, request }) => {
  const errors = watchConsole(page);
  const id = await profileId(request, COPY);
  await signIn(page, `/profiles/${id}/ai-infra`);
  const temperature = page.getByTestId('llm-temperature');
  await expect(temperature).toHaveValue('0.8');
  await temperature.fill('0.35');
  // Apply & reload: save, then ask running agents to reload the profile.
  await page.getByRole('button', { name: 'Apply & reload' }).click();
  await snack(page, 'AI infrastructure applied: agents reload the profile.');

  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByTestId('history-domain').click();
  await page.getByRole('option', { name: 'AI infrastructure' }).click();
  const rows = page.locator('tr.sb-history__entry');
  await expect(rows.first()).toHaveAttribute('data-domain', 'ai_infra');
  await expect(page.locator('tr.sb-history__entry:not([data-domain="ai_infra"])')).toHaveCount(0);

  // The newest entry: 0.8 → 0.35, as field / before / after.
  await rows.first().getByRole('button', { name: 'Show changes' }).click();
  const newest = page.locator('tr.sb-history__details').first();
  const change = newest.locator('tr[data-field="llm_temperature"]');
  await expect(change.getByTestId('before')).toHaveText('0.8');
  await expect(change.getByTestId('after')).toHaveText('0.35');

  // The prompt edited earlier reads as a line diff (all domains again).
  await page.getByTestId('history-domain').click();
  await page.getByRole('option', { name: 'All domains' }).click();
  await expect(page.locator('tr.sb-history__entry[data-domain="prompts"]')).not.toHaveCount(0);
  const prompt = page.locator('tr.sb-history__entry[data-domain="prompts"]').first();
  await prompt.getByRole('button', { name: 'Show changes' }).click();
  await expect(page.locator('tr[data-field="system_prompt"] .sb-diff__line--added')).toContainText('Always cite the source table you used.');
  await page.screenshot({ path: `${SHOTS}/console-history-diff.png`, fullPage: true });

  // Restore the version before: the entry whose change set 0.8 (someone's API save in the 412 test).
  await page.getByTestId('history-domain').click();
  await page.getByRole('option', { name: 'AI infrastructure' }).click();
  await expect(page.locator('tr.sb-history__entry:not([data-domain="ai_infra"])')).toHaveCount(0);
  const earlier = rows.nth(1);
  await earlier.getByRole('button', { name: 'Show changes' }).click();
  await expect(page.locator(`tr[data-details="${await earlier.getAttribute('data-entry')}"] tr[data-field="llm_temperature"]`).getByTestId('after')).toHaveText('0.8');
  await page.locator(`tr[data-details="${await earlier.getAttribute('data-entry')}"]`).getByRole('button', { name: 'Restore this version…' }).click();
  const dialog = page.getByRole('dialog');
  const onlyDomain = dialog.getByRole('radio', { name: 'Only AI infrastructure' });
  await expect(dialog.getByRole('radio', { name: /The whole profile/ })).toBeFocused();
  await onlyDomain.check();
  const preview = dialog.locator('tr[data-field="llm_temperature"]');
  await expect(preview.getByTestId('before')).toHaveText('0.35');
  await expect(preview.getByTestId('after')).toHaveText('0.8');
  await dialog.getByTestId('restore-confirm').click();
  await snack(page, /AI infrastructure restored to the version of/);
  await expect(rows.first().locator('td').nth(2)).toHaveText('Restored');

  await page.getByRole('tab', { name: 'AI infrastructure' }).click();
  await expect(temperature).toHaveValue('0.8');
  expect(errors).toEqual([]);
});

test('compare two profiles side by side', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, '/profiles');
  await page.locator(`[data-profile="${COPY}"]`).getByRole('button', { name: `More actions for ${COPY}` }).click();
  await page.getByRole('menuitem', { name: 'Compare…' }).click();
  await expect(page).toHaveURL(/\/compare\?left_profile_id=\d+/);
  await expect(page.getByText('Choose both sides, then Compare.')).toBeVisible();
  // By keyboard (an empty select's floating label takes the pointer's clicks).
  await page.getByTestId('compare-right-profile').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: 'default', exact: true }).click();
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-left-name')).toHaveText(COPY);
  await expect(page.getByTestId('compare-right-name')).toHaveText('default');
  const temperature = page.locator('[data-domain="ai_infra"] tr[data-field="llm_temperature"]');
  await expect(temperature.getByTestId('before')).toHaveText('0.8');
  await expect(temperature.getByTestId('after')).toHaveText('0.7');
  await expect(page.locator('[data-domain="profile"] tr[data-field="name"]')).toContainText(COPY);
  await page.screenshot({ path: `${SHOTS}/console-compare.png`, fullPage: true });

  // A profile compared with itself is identical.
  await page.getByTestId('compare-right-profile').click();
  await page.getByRole('option', { name: COPY, exact: true }).click();
  await page.getByTestId('compare-run').click();
  await expect(page.getByText('Identical: no field differs')).toBeVisible();
  expect(errors).toEqual([]);
});

test('export a profile, import the file back under a new name (its own is taken: 409)', async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await signIn(page, '/profiles');
  const downloading = page.waitForEvent('download');
  await page.locator(`[data-profile="${COPY}"]`).getByRole('button', { name: `More actions for ${COPY}` }).click();
  await page.getByRole('menuitem', { name: 'Export' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('e2e-high-creativity.switchboard.json');
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const document = JSON.parse(await readFile(file, 'utf8')) as { format: string; profile: { name: string } };
  expect(document.format).toBe('switchboard.profile');
  expect(document.profile.name).toBe(COPY);
  await snack(page, `Exported “${COPY}”.`);

  await page.getByTestId('import-file').setInputFiles(file);
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: 'Import under another name' })).toBeVisible();
  await expect(dialog.getByTestId('import-name')).toBeFocused();
  await dialog.getByTestId('import-name').fill('E2E Imported');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await snack(page, 'Profile “E2E Imported” imported.');
  await expect(page.locator('[data-profile="E2E Imported"]')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a profile that does not exist gets one clear "not found" screen', async ({ page }) => {
  await signIn(page, '/profiles/999999');
  await expect(page.getByTestId('profile-not-found')).toContainText('Profile 999999 not found');
  await expect(page.getByRole('tab')).toHaveCount(0);
  // The toolbar's field takes you to another profile: type, pick, and its page opens.
  await page.getByTestId('profile-selector').fill('defau');
  await page.getByRole('option', { name: 'default (default)' }).click();
  await expect(page).toHaveURL(/\/profiles\/\d+\/ai-infra$/);
  await expect(page.getByTestId('profile-selector')).toHaveValue('default');
  await page.goto('/profiles/999999');
  await page.getByRole('link', { name: 'Go to the profiles' }).click();
  await expect(page).toHaveURL(/\/profiles$/);
});

test('closing or reloading the tab with unsaved work asks first; without it, does not', async ({ page, request }) => {
  const id = await profileId(request, COPY);
  const closeAndCount = async (edit: boolean) => {
    const tab = await page.context().newPage();
    await signIn(tab, `/profiles/${id}/ai-infra`);
    const dialogs: string[] = [];
    tab.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    const maxTokens = tab.getByTestId('llm-max-tokens');
    await expect(maxTokens).toBeVisible();
    await maxTokens.click(); // the browser asks only on a page the user has interacted with
    if (edit) {
      await maxTokens.fill('4321');
      await expect(tab.getByText('Unsaved changes')).toBeVisible();
    }
    await tab.close({ runBeforeUnload: true });
    await expect.poll(() => tab.isClosed()).toBe(true);
    return dialogs;
  };
  expect(await closeAndCount(false)).toEqual([]);
  expect(await closeAndCount(true)).toEqual(['beforeunload']);
});

test('on a 390 px phone screen no page is cut off or scrolls sideways', async ({ page, request }) => {
  const id = await profileId(request, COPY);
  await page.setViewportSize({ width: 390, height: 844 });
  const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await signIn(page, '/profiles');
  await expect(page.locator(`[data-profile="${COPY}"]`)).toBeVisible();
  for (const locator of [page.locator('.sb-toolbar__title'), page.getByRole('button', { name: /^Import/ })]) {
    const box = (await locator.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  const pages: [string, string][] = [
    ['/profiles', 'Profiles'],
    [`/profiles/${id}/ai-infra`, COPY],
    [`/profiles/${id}/genie`, COPY],
    [`/profiles/${id}/mlflow`, COPY],
    [`/profiles/${id}/prompts`, COPY],
    [`/profiles/${id}/prompt-library`, COPY],
    [`/profiles/${id}/history`, COPY],
    ['/domains', 'Domains'],
    [`/compare?left_profile_id=${id}`, 'Compare'],
    ['/sessions', 'Agent sessions'],
    ['/tokens', 'API tokens'],
    ['/instance', 'Instance'],
  ];
  const overflowing: string[] = [];
  for (const [path, heading] of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading }).first()).toBeVisible();
    await expect(page.locator('sb-state mat-progress-bar')).toHaveCount(0);
    if ((await sideways()) > 0) overflowing.push(`${path}: ${await sideways()} px`);
  }
  expect(overflowing).toEqual([]);
});

test('live: changes made elsewhere appear by themselves, unsaved work is kept with who changed what, a deletion is said', async ({ page, request }) => {
  const errors = watchConsole(page);
  const id = await profileId(request, COPY);
  await signIn(page, `/profiles/${id}/ai-infra`);
  await expect(page.getByTestId('live-state')).toHaveText('● Live');
  const temperature = page.getByTestId('llm-temperature');
  await expect(temperature).not.toHaveValue('');
  const put = (data: object) => request.put(`/api/config/ai-infra/${id}`, { headers: AUTH, data });

  // Clean form: the new value is shown at once, with who changed it.
  expect((await put({ llm_temperature: 0.15 })).status()).toBe(200);
  await expect(temperature).toHaveValue('0.15');
  await expect(page.getByTestId('remote-change')).toContainText('environment-admin changed AI infrastructure');

  // Unsaved work stays until the user chooses.
  await page.getByTestId('llm-max-tokens').fill('4242');
  expect((await put({ llm_temperature: 0.25 })).status()).toBe(200);
  await expect(page.getByRole('alert').filter({ hasText: 'Your unsaved changes are still here' })).toBeVisible();
  await page.getByTestId('remote-change').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/console-live-change.png` });
  await expect(page.getByTestId('llm-max-tokens')).toHaveValue('4242');
  await expect(temperature).toHaveValue('0.15');
  await page.getByRole('button', { name: 'Show theirs' }).click();
  await expect(temperature).toHaveValue('0.25');
  await expect(page.getByText('All changes saved')).toBeVisible();

  // A profile made elsewhere appears in the list; deleted elsewhere while open, the page says so.
  await page.getByRole('link', { name: 'Profiles', exact: true }).click();
  const made = await request.post('/api/config/profiles', { headers: AUTH, data: { name: 'E2E made elsewhere' } });
  expect(made.status()).toBe(201);
  const madeId = (await made.json()).id as number;
  await expect(page.locator('[data-profile="E2E made elsewhere"]')).toBeVisible();
  await page.locator('[data-profile="E2E made elsewhere"]').getByRole('button', { name: 'Configure' }).click();
  await expect(page).toHaveURL(new RegExp(`/profiles/${madeId}/ai-infra$`));
  expect((await request.delete(`/api/config/profiles/${madeId}`, { headers: AUTH })).status()).toBe(204);
  await expect(page.getByTestId('profile-not-found')).toContainText('“E2E made elsewhere” was deleted');
  await expect(page.getByTestId('profile-not-found')).toContainText('environment-admin deleted this profile');
  expect(errors).toEqual([]);
});

test('sessions: a loaded profile is held by its session, which can be moved to another profile, then ended', async ({ page, request }) => {
  const errors = watchConsole(page);
  const made = await request.post('/api/config/profiles', { headers: AUTH, data: { name: 'E2E held' } });
  expect(made.status()).toBe(201);
  await signIn(page, '/profiles');
  const held = page.locator('[data-profile="E2E held"]');
  await held.getByRole('button', { name: 'More actions for E2E held' }).click();
  await page.getByRole('menuitem', { name: 'Load into a new session' }).click();
  await snack(page, /Loaded “E2E held” into new session/);
  await expect(held.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await held.getByRole('link', { name: 'See the 1 live session of E2E held' }).click();
  await expect(page.getByRole('heading', { name: 'Agent sessions' })).toBeVisible();
  await expect(page).toHaveURL(/\/sessions\?profile_id=\d+$/);
  const row = page.locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('E2E held');
  await expect(row).toContainText('Live');
  await expect(row).toContainText('Follows');
  await row.getByRole('button', { name: 'Pin', exact: true }).click();
  await snack(page, /is pinned to “E2E held” as it is now/);
  await expect(row).toContainText(/Pinned at #\d+/);
  await expectAccessible(page, 'sessions');
  await page.screenshot({ path: `${SHOTS}/console-sessions.png` });
  await row.getByRole('button', { name: 'Unpin' }).click();
  await snack(page, /follows “E2E held” again/);
  await expect(row).toContainText('Follows');

  await page.getByRole('link', { name: '● Live' }).click();
  await expect(page.getByTestId('instance-status')).toContainText('Hears changes');
  // The registry lists this test's one instance, marked as the one answering.
  await expect(page.getByTestId('instances').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('instances')).toContainText('this one');
  await expectAccessible(page, 'instance');
  await page.screenshot({ path: `${SHOTS}/console-instance.png`, fullPage: true });
  await page.goBack();
  await row.getByRole('button', { name: 'Move to…' }).click();
  await page.getByRole('menuitem', { name: COPY, exact: true }).click();
  await snack(page, new RegExp(`now uses “${COPY}”`));
  await expect(page.getByText('No session uses this profile.')).toBeVisible();

  await page.getByTestId('sessions-profile').click();
  await page.getByRole('option', { name: 'All profiles' }).click();
  const moved = page.locator('tbody tr').filter({ hasText: COPY });
  await expect(moved).toHaveCount(1);
  await moved.getByRole('button', { name: 'End' }).click();
  await page.getByRole('button', { name: 'End session' }).click();
  await snack(page, /ended\./);
  await expect(moved).toHaveCount(0);

  await page.getByRole('link', { name: 'Profiles', exact: true }).click();
  await expect(held.getByRole('button', { name: 'Delete' })).toBeEnabled();
  expect(errors).toEqual([]);
});

test('two people on the same profile: each sees the other live, and a merge keeps both their fields', async ({ page, browser, request }) => {
  const id = await profileId(request, COPY);
  const other = await browser.newContext();
  const bob = await other.newPage();
  try {
    await signIn(page, `/profiles/${id}/ai-infra`);
    await signIn(bob, `/profiles/${id}/ai-infra`);
    const aliceTemperature = page.getByTestId('llm-temperature');
    await expect(aliceTemperature).not.toHaveValue('');

    // Bob saves; Alice's clean form shows it.
    await bob.getByTestId('llm-temperature').fill('0.55');
    await bob.getByRole('button', { name: 'Save', exact: true }).click();
    await snack(bob, 'AI infrastructure saved.');
    await expect(aliceTemperature).toHaveValue('0.55');

    // Alice edits max tokens while Bob changes the temperature again: Alice is told, and her work stays.
    await page.getByTestId('llm-max-tokens').fill('7777');
    await bob.getByTestId('llm-temperature').fill('0.65');
    await bob.getByRole('button', { name: 'Save', exact: true }).click();
    await snack(bob, 'AI infrastructure saved.');
    await expect(page.getByTestId('remote-change')).toContainText('changed AI infrastructure');
    await expect(page.getByTestId('llm-max-tokens')).toHaveValue('7777');

    // Alice saves: the 412 screen merges, keeping Bob's temperature and her max tokens.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = page.getByRole('dialog');
    await expect(conflict.locator('tr[data-field="llm_temperature"]')).toContainText('they changed');
    await expect(conflict.locator('tr[data-field="llm_max_tokens"]')).toContainText('you changed');
    await conflict.getByRole('button', { name: 'Save my changes on theirs' }).click();
    await snack(page, 'AI infrastructure saved.');
    const stored = (await (await request.get(`/api/config/ai-infra/${id}`, { headers: AUTH })).json()) as { llm_temperature: number; llm_max_tokens: number };
    expect(stored).toMatchObject({ llm_temperature: 0.65, llm_max_tokens: 7777 });
    // And Bob, whose form is clean, sees Alice's max tokens without reloading.
    await expect(bob.getByTestId('llm-max-tokens')).toHaveValue('7777');
  } finally {
    await other.close();
  }
});

test('prompts merge line by line on a 412: apart changes both kept, the same line settled beside theirs in the diff editor', async ({ page, request }) => {
  const errors = watchConsole(page);
  const made = await request.post('/api/config/profiles', { headers: AUTH, data: { name: 'E2E line merge' } });
  const id = ((await made.json()) as { id: number }).id;
  const url = `/api/config/prompts/${id}`;
  const put = async (system_prompt: string) => {
    const current = await request.get(url, { headers: AUTH });
    const saved = await request.put(url, { headers: { ...AUTH, 'If-Match': current.headers()['etag']! }, data: { system_prompt } });
    expect(saved.status()).toBe(200);
  };
  const stored = async () => ((await (await request.get(url, { headers: AUTH })).json()) as { system_prompt: string }).system_prompt;
  await put(['You make slides.', 'Be brief.', 'Use charts.', 'Answer in English.'].join('\n'));

  await signIn(page, `/profiles/${id}/prompts`);
  const system = page.locator('[data-prompt="system_prompt"]');
  await system.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Keep it formal.');
  await put(['You make slides for executives.', 'Be brief.', 'Use charts.', 'Answer in English.'].join('\n'));

  // They changed the first line, you the last: both kept.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = page.getByRole('dialog');
  await expect(conflict.locator('tr[data-field="system_prompt"]').getByRole('radio', { name: 'Merge the lines' })).toBeChecked();
  await conflict.getByRole('button', { name: 'Save my changes on theirs' }).click();
  await snack(page, 'Prompts saved.');
  expect(await stored()).toBe(['You make slides for executives.', 'Be brief.', 'Use charts.', 'Answer in English. Keep it formal.'].join('\n'));

  // Both change the last line: the merge marks it, and nothing is saved until it is settled.
  await system.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Use short words.');
  await put(['You make slides for executives.', 'Be brief.', 'Use charts.', 'Answer in German.'].join('\n'));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('dialog').getByTestId('line-conflicts')).toContainText('1 place where you both changed the same lines');
  await page.getByRole('dialog').getByRole('button', { name: 'Merge, then settle the marked lines' }).click();
  const merge = system.getByTestId('line-merge');
  await expect(merge.locator('.monaco-diff-editor')).toBeVisible();
  await expect(merge).toContainText('Marked places remain.');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await expect(merge.getByTestId('merge-done')).toBeDisabled();
  await expect(page.getByTestId('remote-change')).toHaveCount(0); // their change is merged in: nothing to review
  await page.screenshot({ path: `${SHOTS}/console-line-merge.png`, fullPage: true });

  await merge.locator('.editor.modified .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(['You make slides for executives.', 'Be brief.', 'Use charts.', 'Answer in German. Keep it formal. Use short words.'].join('\n'));
  await expect(merge).toContainText('Every place is settled');
  await merge.getByTestId('merge-done').click();
  await expect(system.locator('.monaco-editor').first()).toBeVisible();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await snack(page, 'Prompts saved.');
  expect(await stored()).toBe(['You make slides for executives.', 'Be brief.', 'Use charts.', 'Answer in German. Keep it formal. Use short words.'].join('\n'));
  await request.delete(`/api/config/profiles/${id}`, { headers: AUTH });
  expect(errors).toEqual([]);
});

test('60 profiles: the manager searches, sorts and pages through the server, and the URL keeps the place', async ({ page, request }) => {
  const errors = watchConsole(page);
  const ids: number[] = [];
  for (let n = 1; n <= 60; n++) {
    const name = `E2E Fleet ${String(n).padStart(2, '0')}`;
    const made = await request.post('/api/config/profiles', { headers: AUTH, data: { name, description: n % 2 ? 'odd one' : 'even one' } });
    expect(made.status()).toBe(201);
    ids.push(((await made.json()) as { id: number }).id);
  }
  try {
    await signIn(page, '/profiles');
    await page.getByTestId('profile-search').fill('e2e fleet');
    await expect(page.getByTestId('profile-count')).toHaveText('60 profiles match “e2e fleet”');
    const rows = page.locator('tr[data-profile]');
    await expect(rows).toHaveCount(25);
    await expect(rows.first()).toHaveAttribute('data-profile', 'E2E Fleet 01');

    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(rows.first()).toHaveAttribute('data-profile', 'E2E Fleet 26');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(rows).toHaveCount(10);
    await expect(rows.last()).toHaveAttribute('data-profile', 'E2E Fleet 60');
    await expect(page).toHaveURL(/search=e2e%20fleet.*page=3/);

    // Sorting starts again on the first page; name descending puts 60 first.
    await page.getByRole('columnheader', { name: 'Profile' }).click();
    await page.getByRole('columnheader', { name: 'Profile' }).click();
    await expect(rows.first()).toHaveAttribute('data-profile', 'E2E Fleet 60');
    await expect(page).toHaveURL(/sort=name:desc/);
    await expect(page).not.toHaveURL(/page=/);

    // The newest change first: an edit to Fleet 07's MLflow settings puts it on top.
    await request.put(`/api/config/mlflow/${ids[6]}`, { headers: AUTH, data: { experiment_name: '/Shared/fleet-07' } });
    await page.getByRole('columnheader', { name: 'Last change' }).click();
    await expect(rows.first()).toHaveAttribute('data-profile', 'E2E Fleet 07');

    // A reload keeps search and order; descriptions are searched too.
    await page.reload();
    await expect(page.getByTestId('profile-search')).toHaveValue('e2e fleet');
    await expect(rows.first()).toHaveAttribute('data-profile', 'E2E Fleet 07');
    await page.getByTestId('profile-search').fill('even one');
    await expect(page.getByTestId('profile-count')).toHaveText('30 profiles match “even one”');
    await expectAccessible(page, 'profile manager, 60 profiles');
  } finally {
    const removed = await request.post('/api/config/profiles/bulk-delete', { headers: AUTH, data: { ids } });
    expect(removed.status()).toBe(200);
  }
  expect(errors).toEqual([]);
});

test('keyboard: Ctrl+K jumps to a profile, a tab or a page, ? lists the shortcuts, and focus lands on each new page\'s heading', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, '/profiles');
  await expect(page.getByRole('heading', { name: 'Profiles' })).toBeVisible();

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog');
  await expect(page.getByTestId('palette-input')).toBeFocused();
  await expectAccessible(page, 'command palette');
  await page.keyboard.type(COPY.toLowerCase().slice(0, 8));
  await page.screenshot({ path: `${SHOTS}/console-palette.png` });
  await page.keyboard.type(COPY.toLowerCase().slice(8));
  await expect(palette.getByRole('option').first()).toHaveText(COPY);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/profiles\/\d+\/ai-infra$/);
  await expect(page.locator('#sb-main h1')).toBeFocused();
  await expect(page.locator('#sb-main h1')).toContainText(COPY);

  // This profile's tabs come first; arrows choose among the matches.
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('palette-input')).toBeFocused();
  await page.keyboard.type('hist');
  await expect(page.getByRole('option', { name: /^History/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/profiles\/\d+\/history$/);

  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('palette-input')).toBeFocused();
  await page.keyboard.type('sessions');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/sessions$/);
  await expect(page.getByRole('heading', { name: 'Agent sessions', level: 1 })).toBeFocused();

  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('palette-input')).toBeFocused();
  await page.keyboard.type('no such thing at all');
  await expect(page.getByRole('dialog')).toContainText('Nothing matches “no such thing at all”.');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // "New profile…" opens the create dialog on the profile manager.
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('palette-input')).toBeFocused();
  await page.keyboard.type('new profile');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog').getByRole('heading', { name: 'New profile' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/\/profiles$/);

  // ? shows the shortcuts, but not while typing in a field.
  await page.getByTestId('profile-search').fill('what?');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.locator('#sb-main h1').focus();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Ctrl+K');
  await expectAccessible(page, 'keyboard shortcuts');
  await page.keyboard.press('Escape');
  expect(errors).toEqual([]);
});

test('rollout: start a candidate for a share of subjects, raise it, then promote it onto the profile', async ({ page, request }) => {
  const errors = watchConsole(page);
  const make = async (name: string) => {
    const response = await request.post('/api/config/profiles', { headers: AUTH, data: { name } });
    expect(response.status()).toBe(201);
    return ((await response.json()) as { id: number }).id;
  };
  const stable = await make('E2E rollout stable');
  const candidate = await make('E2E rollout candidate');
  expect((await request.put(`/api/config/ai-infra/${candidate}`, { headers: AUTH, data: { llm_temperature: 0.15 } })).status()).toBe(200);

  await signIn(page, `/profiles/${stable}/ai-infra`);
  const panel = page.getByTestId('rollout');
  await expect(panel).toContainText('No rollout: every agent gets this profile.');
  // By keyboard: the empty select's floating label covers its middle.
  await panel.getByTestId('rollout-candidate').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: 'E2E rollout candidate' }).click();
  await panel.getByTestId('rollout-percentage').fill('25');
  await panel.getByRole('button', { name: 'Start rollout' }).click();
  await snack(page, /Rollout started/);
  await expect(panel.getByTestId('rollout-split')).toContainText('25 % of subjects and new sessions go to “E2E rollout candidate”');
  const split = await request.get(`/api/config/profiles/${stable}/rollout`, { headers: AUTH });
  expect(await split.json()).toMatchObject({ candidate_profile_id: candidate, percentage: 25 });
  await expectAccessible(page, 'rollout');
  await page.screenshot({ path: `${SHOTS}/console-rollout.png` });

  await panel.getByTestId('rollout-percentage').fill('60');
  await panel.getByRole('button', { name: 'Set percentage' }).click();
  await snack(page, /Now 60 % go to the candidate/);
  await expect(panel.getByTestId('rollout-split')).toContainText('60 %');

  await panel.getByRole('button', { name: 'Promote…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Promote' }).click();
  await snack(page, /promoted/);
  await expect(panel).toContainText('No rollout');
  // The promoted value reaches the open tab by itself (the change stream).
  await expect(page.getByTestId('llm-temperature')).toHaveValue('0.15');
  expect((await request.get(`/api/config/profiles/${stable}/rollout`, { headers: AUTH })).status()).toBe(404);
  expect(errors).toEqual([]);
});

test('presets: a new profile starts from a shipped preset, with its values and description', async ({ page, request }) => {
  const errors = watchConsole(page);
  await signIn(page, '/profiles');
  await page.getByTestId('new-profile').click();
  await expect(page.getByTestId('profile-name')).toBeFocused();
  await page.getByTestId('profile-name').fill('E2E careful analyst');
  await page.getByTestId('profile-copy-from').click();
  await expect(page.getByRole('group', { name: 'Presets' })).toBeVisible();
  await page.getByRole('option', { name: 'Low-temperature analysis' }).click();
  await expectAccessible(page, 'new profile from a preset');
  await page.getByRole('button', { name: 'Create' }).click();
  await snack(page, 'Profile “E2E careful analyst” created.');
  const id = await profileId(request, 'E2E careful analyst');
  await expect(page).toHaveURL(new RegExp(`/profiles/${id}/ai-infra$`));
  await expect(page.getByTestId('llm-temperature')).toHaveValue('0.1');
  const created = (await (await request.get(`/api/config/profiles/${id}`, { headers: AUTH })).json()) as { description: string; ai_infra: { llm_max_tokens: number } };
  expect(created).toMatchObject({ description: expect.stringContaining('Predictable'), ai_infra: { llm_max_tokens: 4096 } });
  expect(errors).toEqual([]);
});

test('access: an admin grants a viewer token editor on one profile, which it can then change while the others stay read-only', async ({ page, request }) => {
  const errors = watchConsole(page);
  const make = async (name: string) => {
    const response = await request.post('/api/config/profiles', { headers: AUTH, data: { name } });
    expect(response.status()).toBe(201);
    return ((await response.json()) as { id: number }).id;
  };
  const team = await make('E2E team profile');
  const other = await make('E2E not the team’s');
  const token = (await (await request.post('/api/auth/tokens', { headers: AUTH, data: { name: 'e2e-team', role: 'viewer' } })).json()) as { id: number; token: string };

  await signIn(page, `/profiles/${team}/access`);
  const access = page.getByRole('region', { name: 'Access to this profile' });
  await expect(access).toContainText('No grant: everyone has their global role here.');
  // By keyboard: the empty select's floating label covers its middle.
  await page.getByTestId('grant-token').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: 'e2e-team (viewer)' }).click();
  await page.getByRole('button', { name: 'Grant' }).click();
  await snack(page, 'e2e-team is editor on this profile.');
  await expect(page.locator('[data-grant="e2e-team"]')).toContainText('editor');
  const grants = await request.get(`/api/config/profiles/${team}/grants`, { headers: AUTH });
  expect(await grants.json()).toEqual([expect.objectContaining({ token_id: token.id, role: 'editor', granted_by: 'environment-admin' })]);
  await expectAccessible(page, 'access');
  await page.screenshot({ path: `${SHOTS}/console-access.png` });

  // The viewer token: its granted profile is editable, the other one read-only.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`/profiles/${team}/ai-infra`);
  await page.getByLabel('API token').fill(token.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('principal')).toHaveText('e2e-team · viewer');
  await expect(page.getByRole('tab', { name: 'Access' })).toHaveCount(0);
  await expect(page.getByText(/Read-only: your role here/)).toHaveCount(0);
  await page.getByTestId('llm-temperature').fill('0.25');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await snack(page, 'AI infrastructure saved.');
  const saved = (await (await request.get(`/api/config/ai-infra/${team}`, { headers: AUTH })).json()) as { llm_temperature: number; updated_by: string };
  expect(saved).toMatchObject({ llm_temperature: 0.25 });
  await page.goto(`/profiles/${other}/ai-infra`);
  await expect(page.getByText('Read-only: your role here (viewer) can look but not change.')).toBeVisible();
  await expect(page.getByTestId('llm-temperature')).toBeDisabled();
  expect(errors).toEqual([]);
});

test('change requests: on a profile that requires approval an editor’s save waits in the inbox until another editor approves it', async ({ page, request }) => {
  const errors = watchConsole(page);
  const created = await request.post('/api/config/profiles', { headers: AUTH, data: { name: 'E2E needs approval' } });
  const id = ((await created.json()) as { id: number }).id;
  const sales = '5a1e5'.padEnd(32, '0');
  expect((await request.post(`/api/config/genie/${id}`, { headers: AUTH, data: { space_id: sales, space_name: 'E2E Sales' } })).status()).toBe(201);
  const token = async (name: string) => ((await (await request.post('/api/auth/tokens', { headers: AUTH, data: { name, role: 'editor' } })).json()) as { token: string }).token;
  const [alice, bob] = [await token('e2e-alice'), await token('e2e-bob')];
  const signInWith = async (secret: string, path: string) => {
    await page.goto(path);
    await page.getByLabel('API token').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).not.toHaveURL(/\/sign-in/);
  };

  // The admin requires approval on the Access tab.
  await signIn(page, `/profiles/${id}/access`);
  await page.getByTestId('approval-toggle').getByRole('switch').click();
  await snack(page, 'Changes by editors now need approval.');
  expect(((await (await request.get(`/api/config/profiles/${id}/approval`, { headers: AUTH })).json()) as { required: boolean }).required).toBe(true);
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Alice's save becomes a request; the profile keeps its value.
  await signInWith(alice, `/profiles/${id}/ai-infra`);
  await expect(page.getByTestId('approval-note')).toContainText('Changes here need approval');
  await page.getByTestId('llm-temperature').fill('0.35');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await snack(page, /Proposed as change request #\d+/);
  await expect(page.getByTestId('llm-temperature')).toHaveValue('0.7');
  const stored = async () => ((await (await request.get(`/api/config/ai-infra/${id}`, { headers: AUTH })).json()) as { llm_temperature: number }).llm_temperature;
  expect(await stored()).toBe(0.7);
  // So does making another Genie space the default.
  await page.goto(`/profiles/${id}/genie`);
  await page.locator('[data-space="E2E Sales"]').getByRole('button', { name: 'Set default' }).click();
  await snack(page, /Proposed as change request #\d+/);
  const defaultSpace = async () => ((await (await request.get(`/api/config/genie/${id}/default`, { headers: AUTH })).json()) as { space_id: string }).space_id;
  expect(await defaultSpace()).not.toBe(sales);
  await page.getByTestId('approval-note').getByRole('link', { name: 'Requests' }).click();
  await expect(page.getByText('Yours: another editor decides on it.')).toHaveCount(2);
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Bob sees the diff in the inbox and approves it.
  await signInWith(bob, '/change-requests');
  const card = page.locator('article', { hasText: 'Temperature' });
  await expect(card).toContainText('Proposed by e2e-alice');
  await expect(card.getByRole('row', { name: /Temperature/ })).toContainText('0.35');
  await expectAccessible(page, 'change requests');
  await page.screenshot({ path: `${SHOTS}/console-change-requests.png` });
  await card.getByRole('textbox').fill('Calmer is better for the deck');
  await card.getByRole('button', { name: 'Approve' }).click();
  await snack(page, /approved: “E2E needs approval” has its values/);
  expect(await stored()).toBe(0.35);
  const genieCard = page.locator('article', { hasText: 'Genie spaces' });
  await expect(genieCard.getByRole('row', { name: /Space 5a1e5000… · / })).toContainText('true');
  await genieCard.getByRole('button', { name: 'Approve' }).click();
  await snack(page, /approved/);
  await expect(page.getByText('No open change request: nothing waits for a decision.')).toBeVisible();
  expect(await defaultSpace()).toBe(sales);
  const requests = (await (await request.get(`/api/config/change-requests?profile_id=${id}`, { headers: AUTH })).json()) as { status: string; decided_by: string; created_by: string }[];
  expect(requests).toEqual([0, 1].map(() => expect.objectContaining({ status: 'approved', decided_by: 'e2e-bob', created_by: 'e2e-alice' })));
  expect(errors).toEqual([]);
});

test('schedules: a change scheduled a few seconds ahead runs by itself and the list says so; a later one is cancelled', async ({ page, request }) => {
  const errors = watchConsole(page);
  const made = await request.post('/api/config/profiles', { headers: AUTH, data: { name: 'E2E scheduled' } });
  expect(made.status()).toBe(201);
  const id = ((await made.json()) as { id: number }).id;
  await signIn(page, '/schedules');
  await expect(page.getByRole('heading', { name: 'Scheduled changes' })).toBeVisible();
  // datetime-local takes the reader's own time, to the second.
  const local = (inMs: number) => {
    const at = new Date(Date.now() + inMs);
    return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  };
  const choose = async (testId: string, option: string) => {
    await page.getByTestId(testId).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  await choose('schedule-profile', 'E2E scheduled');
  await choose('schedule-action', 'Apply values');
  await page.getByTestId('schedule-when').fill(local(3_600_000));
  await page.getByTestId('schedule-values').fill('{"mlflow": {"experiment_name": "/Shared/never"}}');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await snack(page, /Apply values for “E2E scheduled” scheduled/);
  const later = page.locator('tbody tr').filter({ hasText: 'E2E scheduled' });
  await expect(later).toHaveCount(1);
  await expectAccessible(page, 'schedules');
  await page.screenshot({ path: `${SHOTS}/console-schedules.png` });
  await later.getByRole('button', { name: 'Cancel' }).click();
  await snack(page, /cancelled/);
  await expect(later).toContainText('cancelled');

  await choose('schedule-profile', 'E2E scheduled');
  await choose('schedule-action', 'Apply values');
  await page.getByTestId('schedule-when').fill(local(6_000));
  await page.getByTestId('schedule-values').fill('{"ai_infra": {"llm_temperature": 0.33}}');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await snack(page, /scheduled/);
  // It runs by itself; the change it makes reaches the list through the change stream.
  await expect(page.locator('tbody tr').filter({ hasText: 'done' })).toHaveCount(1, { timeout: 15_000 });
  const ai = (await (await request.get(`/api/config/ai-infra/${id}`, { headers: AUTH })).json()) as { llm_temperature: number };
  expect(ai.llm_temperature).toBe(0.33);
  expect(errors).toEqual([]);
});

test('inheritance: a child made in the console shows its parent’s values dimmed, overrides one, and resets it to inherited', async ({ page, request }) => {
  const errors = watchConsole(page);
  const PARENT = 'E2E Inherit parent';
  const CHILD = 'E2E Inherit child';
  const made = await request.post('/api/config/profiles', { headers: AUTH, data: { name: PARENT } });
  expect(made.status()).toBe(201);
  const parentId = ((await made.json()) as { id: number }).id;
  expect((await request.put(`/api/config/ai-infra/${parentId}`, { headers: AUTH, data: { llm_temperature: 0.25 } })).status()).toBe(200);

  await signIn(page, '/profiles');
  await page.getByTestId('new-profile').click();
  await expect(page.getByTestId('profile-name')).toBeFocused();
  await page.getByTestId('profile-name').fill(CHILD);
  await page.getByTestId('profile-parent').click();
  await page.getByRole('option', { name: PARENT, exact: true }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await snack(page, `Profile “${CHILD}” created.`);
  const childId = await profileId(request, CHILD);
  await expect(page).toHaveURL(new RegExp(`/profiles/${childId}/ai-infra$`));
  await expect(page.getByTestId('parent-line')).toContainText(`Inherits from ${PARENT}`);

  // Inherited: the parent's value, locked (dimmed) and saying where it comes from.
  const temperature = page.getByTestId('llm-temperature');
  const note = page.locator('[data-inherit-field="llm_temperature"]');
  await expect(temperature).toHaveValue('0.25');
  await expect(temperature).toBeDisabled();
  await expect(note.getByTestId('inherited-from')).toHaveText(PARENT);
  await expectAccessible(page, 'child profile, inherited values');

  // Override: the field unlocks with the focus in it; a different value saved is the child's own.
  await note.getByRole('button', { name: `Override Temperature, inherited from ${PARENT}` }).click();
  await expect(temperature).toBeEnabled();
  await expect(temperature).toBeFocused();
  await temperature.fill('0.6');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await snack(page, 'AI infrastructure saved.');
  await expect(note).toHaveAttribute('data-inherit', 'overridden');
  await expect(note).toContainText(`Temperature: this profile’s own value (overrides ${PARENT}).`);
  await expect(page.getByTestId('llm-max-tokens')).toBeDisabled(); // untouched fields stay inherited
  const overridden = (await (await request.get(`/api/config/ai-infra/${childId}`, { headers: AUTH })).json()) as { llm_temperature: number; inherited: string[] };
  expect(overridden.llm_temperature).toBe(0.6);
  expect(overridden.inherited).not.toContain('llm_temperature');
  expect(overridden.inherited).toContain('llm_max_tokens');
  await expectAccessible(page, 'child profile, one value overridden');
  await page.screenshot({ path: `${SHOTS}/console-inheritance.png`, fullPage: true });

  // Reset to inherited: the parent's value again, locked.
  await note.getByRole('button', { name: 'Reset to inherited: Temperature' }).click();
  await snack(page, `Temperature inherits from “${PARENT}” again.`);
  await expect(temperature).toHaveValue('0.25');
  await expect(temperature).toBeDisabled();
  await expect(note.getByTestId('inherited-from')).toHaveText(PARENT);
  const reset = (await (await request.get(`/api/config/ai-infra/${childId}`, { headers: AUTH })).json()) as { llm_temperature: number; inherited: string[] };
  expect(reset.llm_temperature).toBe(0.25);
  expect(reset.inherited).toContain('llm_temperature');

  // An inherited prompt is read-only until Override, which puts the cursor in its editor.
  await page.getByRole('tab', { name: 'Prompts' }).click();
  const system = page.locator('[data-prompt="system_prompt"]');
  await expect(system.locator('.monaco-editor')).toBeVisible();
  await expect(system.locator('[data-inherit-field="system_prompt"]').getByTestId('inherited-from')).toHaveText(PARENT);
  await system.getByRole('button', { name: `Override System prompt, inherited from ${PARENT}` }).click();
  await expect(system.locator('.monaco-editor')).toHaveClass(/\bfocused\b/);
  await expect(system.locator('[data-inherit-field="system_prompt"]')).toContainText('Saving a different value makes it this profile’s own.');
  await page.keyboard.type('Hello. ');
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByText('All changes saved')).toBeVisible();

  // The environment's lock keeps precedence over inheritance (SWITCHBOARD__MLFLOW__EXPERIMENT_NAME).
  await page.getByRole('tab', { name: 'MLflow' }).click();
  await expect(page.locator('[data-locked-field="experiment_name"]')).toBeVisible();
  await expect(page.locator('[data-inherit-field="experiment_name"]')).toHaveCount(0);

  // The profile list shows the child under its parent.
  await page.getByRole('link', { name: 'Profiles', exact: true }).click();
  await page.getByTestId('profile-search').fill('e2e inherit');
  const rows = page.locator('tr[data-profile]');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-profile', PARENT);
  await expect(rows.nth(1)).toHaveAttribute('data-profile', CHILD);
  await expect(rows.nth(1)).toHaveAttribute('data-depth', '1');
  await expect(rows.nth(1).getByTestId('parent-of')).toHaveText(`Inherits from ${PARENT}`);
  await expectAccessible(page, 'profile list as a tree');

  for (const id of [childId, parentId]) expect((await request.delete(`/api/config/profiles/${id}`, { headers: AUTH })).status()).toBe(204);
  expect(errors).toEqual([]);
});

test('inherited items: a child shows its parent’s Genie space and prompt as inherited, makes the space its own by editing it, and resets it to inherited', async ({ page, request }) => {
  const errors = watchConsole(page);
  const PARENT = 'E2E Items parent';
  const CHILD = 'E2E Items child';
  const SPACE = 'abcdef0123456789abcdef0123456789';
  const PROMPT = 'items.check';
  const made = await request.post('/api/config/profiles', { headers: AUTH, data: { name: PARENT } });
  expect(made.status()).toBe(201);
  const parentId = ((await made.json()) as { id: number }).id;
  const space = { space_id: SPACE, space_name: 'Finance', description: 'The parent’s finance space' };
  expect((await request.post(`/api/config/genie/${parentId}`, { headers: AUTH, data: space })).status()).toBe(201);
  const prompt = { name: PROMPT, description: 'Checks one item', variables: [{ name: 'item', required: true, sample: 'invoice 7' }], template: 'Check {item}.', message: 'First version' };
  expect((await request.post(`/api/config/profiles/${parentId}/prompts`, { headers: AUTH, data: prompt })).status()).toBe(201);
  const child = await request.post('/api/config/profiles', { headers: AUTH, data: { name: CHILD, parent_profile_id: parentId } });
  expect(child.status()).toBe(201);
  const childId = ((await child.json()) as { id: number }).id;
  type Space = { space_id: string; description: string | null; inherited: boolean };
  const childSpace = async () => ((await (await request.get(`/api/config/genie/${childId}`, { headers: AUTH })).json()) as Space[]).find((candidate) => candidate.space_id === SPACE)!;
  expect((await childSpace()).inherited).toBe(true);

  // Inherited: the parent's space, named as such, which cannot be removed here; the default follows the parent's.
  await signIn(page, `/profiles/${childId}/genie`);
  const finance = page.locator('[data-space="Finance"]');
  await expect(finance.locator('.sb-badge--origin')).toHaveText(`Inherited from ${PARENT}`);
  await expect(finance.getByRole('button', { name: 'Remove' })).toBeDisabled();
  await expect(finance.getByRole('button', { name: 'Edit' })).toBeEnabled();
  await expect(page.locator('.sb-badge').filter({ hasText: `Default · follows ${PARENT}` })).toHaveCount(1);
  await expectAccessible(page, 'child profile, inherited Genie spaces');

  // Edited with another description, it is the child's own, over the parent's.
  await finance.getByRole('button', { name: 'Edit' }).click();
  await expect(page.getByTestId('inherited-space-note')).toContainText(`Inherited from ${PARENT}.`);
  await page.getByRole('dialog').getByLabel('Description').fill('The child’s own finance space');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await snack(page, 'Genie space “Finance” saved: it is this profile’s own now.');
  await expect(finance.locator('.sb-badge--origin')).toHaveText(`Overrides ${PARENT}`);
  await expect(finance.getByRole('button', { name: 'Remove' })).toHaveCount(0);
  const own = await childSpace();
  expect(own.inherited).toBe(false);
  expect(own.description).toBe('The child’s own finance space');
  await expectAccessible(page, 'child profile, a Genie space of its own over the parent’s');

  // Reset to inherited, confirmed: the parent's space is back, inherited.
  await finance.getByRole('button', { name: 'Reset to inherited' }).click();
  await expect(page.getByRole('dialog')).toContainText(`the space of “${PARENT}” with the same id takes its place`);
  await page.getByRole('dialog').getByRole('button', { name: 'Reset to inherited' }).click();
  await snack(page, `Genie space “Finance” inherits from “${PARENT}” again.`);
  await expect(finance.locator('.sb-badge--origin')).toHaveText(`Inherited from ${PARENT}`);
  await expect(finance).toContainText('The parent’s finance space');
  const reset = await childSpace();
  expect(reset.inherited).toBe(true);
  expect(reset.description).toBe('The parent’s finance space');

  // The prompt library: the parent's prompt, inherited; its page says so and keeps Delete for the parent.
  await page.getByRole('tab', { name: 'Prompt library' }).click();
  const listed = page.locator(`[data-prompt="${PROMPT}"]`);
  await expect(listed.locator('.sb-badge--origin')).toHaveText(`Inherited from ${PARENT}`);
  await expectAccessible(page, 'child profile, inherited prompt in the library');
  await listed.getByRole('link', { name: PROMPT }).click();
  await expect(page.getByTestId('prompt-title')).toHaveText(PROMPT);
  await expect(page.locator('.sb-prompt-origin')).toContainText(`Inherited from ${PARENT}: its versions and labels follow that profile.`);
  await expect(page.getByRole('button', { name: 'Delete prompt…' })).toBeDisabled();
  await expectAccessible(page, 'child profile, an inherited prompt');
  const stored = (await (await request.get(`/api/config/profiles/${childId}/prompts/${PROMPT}`, { headers: AUTH })).json()) as { inherited: boolean };
  expect(stored.inherited).toBe(true);

  for (const id of [childId, parentId]) expect((await request.delete(`/api/config/profiles/${id}`, { headers: AUTH })).status()).toBe(204);
  expect(errors).toEqual([]);
});
