import { expect, type Page, test } from '@playwright/test';
import { E2E_ADMIN_TOKEN } from './e2e-env.js';
import { signIn, snack, watchConsole } from './console-helpers.js';

/**
 * Domains as data in a real browser: an admin registers a domain by writing its JSON Schema in
 * Monaco (the form preview follows), then edits a profile's values in the form generated from it:
 * a value the server refuses shows its error on the field, a valid one is saved, its secret is
 * never shown again, and the change is in the history.
 */
test.describe.configure({ mode: 'serial' });

const AUTH = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
const NAME = 'e2e_gateway';
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    strategy: { title: 'Strategy', type: 'string', enum: ['simple_shuffle', 'least_latency', 'usage_based'], default: 'simple_shuffle' },
    max_retries: { title: 'Max retries', type: 'integer', minimum: 0, maximum: 10, default: 2 },
    cache_enabled: { title: 'Cache enabled', type: 'boolean', default: true },
    upstream_url: { title: 'Upstream URL', type: 'string', format: 'uri' },
    api_key: { title: 'API key', type: 'string', writeOnly: true, minLength: 8 },
    limits: { title: 'Limits', type: 'object', properties: { rpm: { title: 'Requests per minute', type: 'integer', minimum: 1 } } },
    fallbacks: {
      title: 'Fallbacks',
      type: 'array',
      items: { title: 'Fallback', type: 'object', properties: { model: { title: 'Model', type: 'string' }, priority: { title: 'Priority', type: 'integer', minimum: 1, maximum: 5 } } },
    },
  },
};

/** Monaco holds the text; typing it key by key would fight its auto-closing brackets. */
async function setSchemaText(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor').first().waitFor();
  await page.evaluate((value) => {
    const monaco = (window as unknown as { monaco: { editor: { getModels(): { setValue(text: string): void }[] } } }).monaco;
    monaco.editor.getModels()[0].setValue(value);
  }, text);
}

test('register a domain: a schema the server refuses is explained, the preview shows the form, the valid one is saved', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, '/domains');
  await expect(page.locator('tr[data-domain="ai_infra"]')).toContainText('Built in');
  await page.getByTestId('new-domain').click();
  await expect(page.getByRole('heading', { name: 'Register a domain' })).toBeVisible();
  await page.getByTestId('domain-name').fill(NAME);
  await page.getByTestId('domain-title').fill('E2E gateway');
  await page.getByTestId('domain-description').fill('Router settings of the browser tests');

  await setSchemaText(page, JSON.stringify({ type: 'object', properties: { broken: { type: 'strin' } } }));
  // Monaco marks it as the author types, from the meta-schema…
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { monaco: { editor: { getModelMarkers(filter: object): { message: string }[] } } }).monaco.editor.getModelMarkers({}).map((marker) => marker.message).join(' | ')))
    .toMatch(/Value is not accepted|Incorrect type|not accepted/);
  // …and the server, which decides, says where.
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByTestId('domain-problems')).toContainText('/schema/properties/broken/type');

  await setSchemaText(page, '{ "type": "object", ');
  await expect(page.getByTestId('preview-error')).toBeVisible();

  await setSchemaText(page, JSON.stringify(SCHEMA, null, 2));
  const preview = page.getByTestId('schema-preview');
  await expect(preview.getByLabel('Max retries', { exact: true })).toBeVisible();
  await expect(preview.getByText('Fallbacks')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/console-domain-editor.png', fullPage: true });
  await page.keyboard.press('Control+s'); // as the Register button does
  await snack(page, 'Domain "E2E gateway" saved (version 1).');
  await expect(page).toHaveURL(new RegExp(`/domains/${NAME}$`));
  expect(errors).toEqual([]);
});

test("edit a profile's values in the generated form: a refused value, then a saved one, a hidden secret, and the history entry", async ({ page, request }) => {
  const errors = watchConsole(page);
  const profiles = (await (await request.get('/api/config/profiles', { headers: AUTH })).json()) as { id: number; is_default: boolean }[];
  const id = profiles.find((profile) => profile.is_default)!.id;
  await signIn(page, `/profiles/${id}/ai-infra`);
  await page.getByRole('tab', { name: 'E2E gateway' }).click();
  const form = page.getByTestId('schema-form');
  await expect(form.getByLabel('Max retries', { exact: true })).toHaveAttribute('placeholder', 'Default: 2');

  // The client cannot check "format": "uri"; the server's 422 lands on the field by its JSON Pointer.
  await form.getByLabel('Max retries', { exact: true }).fill('4');
  await form.getByLabel('Upstream URL').fill('not a url');
  await form.getByLabel('API key').fill('sk-e2e-secret-value');
  await form.getByLabel('Strategy').click();
  await page.getByRole('option', { name: 'least_latency' }).click();
  await form.getByRole('button', { name: 'Add fallback' }).click();
  await form.getByLabel('Model').fill('gpt-4o');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.locator('mat-error')).toContainText('must match format "uri"');
  const stored = await request.get(`/api/config/domains/${NAME}/profiles/${id}`, { headers: AUTH });
  expect((await stored.json()).version).toBe(0);

  await form.getByLabel('Upstream URL').fill('https://llm.internal/v1');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await snack(page, 'E2E gateway saved.');
  await expect(form.getByTestId('secret-stored')).toHaveText('Stored, hidden');
  await page.screenshot({ path: 'docs/screenshots/console-domain-form.png', fullPage: true });

  const saved = await (await request.get(`/api/config/domains/${NAME}/profiles/${id}`, { headers: AUTH })).json();
  expect(saved.values).toEqual({
    strategy: 'least_latency',
    max_retries: 4,
    upstream_url: 'https://llm.internal/v1',
    api_key: { set: true },
    fallbacks: [{ model: 'gpt-4o' }],
  });
  const resolved = await (await request.get(`/api/config/resolved?profile_id=${id}`, { headers: AUTH })).json();
  expect(resolved[NAME]).toMatchObject({ api_key: 'sk-e2e-secret-value', cache_enabled: true, max_retries: 4 });

  await page.getByRole('tab', { name: 'History' }).click();
  const entry = page.locator(`tr.sb-history__entry[data-domain="${NAME}"]`).first();
  await expect(entry).toContainText('E2E gateway'); // the domain's title, not its name
  await entry.getByRole('button', { name: 'Show changes' }).click();
  await expect(page.locator('tr[data-field="max_retries"]').getByTestId('after')).toHaveText('4');
  await expect(page.locator('tr[data-field="max_retries"]')).toContainText('Max retries'); // the schema's title
  await expect(page.locator('tr.sb-history__details').first()).not.toContainText('sk-e2e-secret-value');
  expect(errors).toEqual([]);
});

test('inheritance of a registered domain: a child shows its parent’s key locked, overrides it, and resets it to inherited', async ({ page, request }) => {
  const errors = watchConsole(page);
  const DOMAIN = 'e2e_triage';
  const schema = { type: 'object', additionalProperties: false, properties: { model: { title: 'Model', type: 'string' }, channel: { title: 'Channel', type: 'string' } } };
  expect((await request.post('/api/config/domains', { headers: AUTH, data: { name: DOMAIN, title: 'E2E triage', schema } })).status()).toBe(201);
  const create = async (name: string, parent?: number) =>
    ((await (await request.post('/api/config/profiles', { headers: AUTH, data: { name, ...(parent !== undefined && { parent_profile_id: parent }) } })).json()) as { id: number }).id;
  const parent = await create('E2E Triage parent');
  expect((await request.put(`/api/config/domains/${DOMAIN}/profiles/${parent}`, { headers: AUTH, data: { values: { model: 'llama', channel: '#ops' } } })).status()).toBe(200);
  const child = await create('E2E Triage child', parent);

  await signIn(page, `/profiles/${child}/domains/${DOMAIN}`);
  const form = page.getByTestId('schema-form');
  const model = form.getByLabel('Model', { exact: true });
  const note = form.locator('[data-inherit-field="model"]');
  await expect(model).toHaveValue('llama');
  await expect(model).toBeDisabled();
  await expect(note.getByTestId('inherited-from')).toHaveText('E2E Triage parent');

  // Override: unlocked with the focus in it; a different value saved is the child's own.
  await note.getByRole('button', { name: 'Override Model, inherited from E2E Triage parent' }).click();
  await expect(model).toBeEnabled();
  await expect(model).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('claude');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await snack(page, 'E2E triage saved.');
  await expect(note).toContainText('Model: this profile’s own value (overrides E2E Triage parent).');
  await expect(form.getByLabel('Channel', { exact: true })).toBeDisabled(); // untouched keys stay inherited
  const overridden = await (await request.get(`/api/config/domains/${DOMAIN}/profiles/${child}`, { headers: AUTH })).json();
  expect(overridden).toMatchObject({ values: { model: 'claude', channel: '#ops' }, inherited: ['channel'] });

  // Reset to inherited: the parent's value again, locked.
  await note.getByRole('button', { name: 'Reset to inherited: Model' }).click();
  await snack(page, 'Model inherits from “E2E Triage parent” again.');
  await expect(model).toHaveValue('llama');
  await expect(model).toBeDisabled();
  await expect(note.getByTestId('inherited-from')).toHaveText('E2E Triage parent');
  const reset = await (await request.get(`/api/config/domains/${DOMAIN}/profiles/${child}`, { headers: AUTH })).json();
  expect(reset.inherited).toEqual(['channel', 'model']);
  expect(errors).toEqual([]);
});
