import { readFile } from 'node:fs/promises';
import { eventually } from './support/eventually.js';
import { asStored, countRows, historyAfter, lastHistoryId, storedDocument } from './support/stored-rows.js';
import { openStream } from './support/sse-client.js';
import { startTestApp, TEST_ADMIN_NAME, type TestApp, useAppWithDatabase } from './support/test-app.js';

/**
 * The prompt registry over HTTP on a real database: prompts, versions numbered by the database,
 * labels (rollback), the agent route with ETag/304, preview, diff, and the audit of every step.
 */
describe('prompt registry', () => {
  const ctx = useAppWithDatabase();
  const api = () => ctx.server.api();
  const base = () => `/api/config/profiles/${ctx.defaultProfileId}/prompts`;
  const VARIABLES = [
    { name: 'line', description: 'One log line', required: true, sample: 'ERROR disk full' },
    { name: 'project', required: false, sample: 'MMBL' },
  ];
  let serial = 0;
  const create = async (extra: object = {}) => {
    const name = `analyze.p${++serial}`;
    const body = { name, description: 'Extracts parameters', variables: VARIABLES, template: 'Parse: {line}\nProject: {project}', message: 'first', ...extra };
    return (await api().post(base()).send(body).expect(201)).body as { name: string; latest_version: number };
  };
  const newVersion = (name: string, template: string, headers: Record<string, string> = {}) =>
    api().post(`${base()}/${name}/versions`).set(headers).send({ template, message: 'edit' });

  it('creates a prompt with its first version, audited, and names it in Location and ETag', async () => {
    const before = await lastHistoryId(ctx.db.sql);
    const response = await api()
      .post(base())
      .send({ name: 'verify.answer', description: 'Checks an answer', variables: VARIABLES, template: 'Check {line}', model_parameters: { temperature: 0.1 }, message: 'v1' })
      .expect(201);
    expect(response.headers.etag).toBe('"v1"');
    expect(response.headers.location).toBe(`${base()}/verify.answer`);
    expect(response.body).toMatchObject({
      name: 'verify.answer',
      latest_version: 1,
      labels: {},
      variables: [{ name: 'line', required: true, sample: 'ERROR disk full' }, { name: 'project', required: false, description: null }],
      latest: { version: 1, template: 'Check {line}', model_parameters: { temperature: 0.1 }, message: 'v1', created_by: TEST_ADMIN_NAME },
      warnings: [],
    });
    const stored = await ctx.db.sql.query(
      `SELECT v.version, v.template FROM config_registry_prompt_versions v JOIN config_registry_prompts r ON r.id = v.prompt_id WHERE r.name = 'verify.answer'`,
    );
    expect(stored.rows).toEqual([{ version: 1, template: 'Check {line}' }]);
    const [entry] = await historyAfter(ctx.db.sql, before);
    expect(entry).toMatchObject({ domain: 'prompt_registry', action: 'create', changed_by: TEST_ADMIN_NAME, profile_id: ctx.defaultProfileId });
    expect(entry!.changes['verify.answer']!.new).toMatchObject({ version: 1, template: 'Check {line}' });
    const listed = await api().get(`/api/config/history/${ctx.defaultProfileId}?domain=prompt_registry`).expect(200);
    expect(listed.body.map((item: { id: number }) => Number(item.id))).toContain(entry!.id);
  });

  it('refuses a placeholder that is not a declared variable with its position, and writes nothing', async () => {
    const before = await lastHistoryId(ctx.db.sql);
    const prompts = await countRows(ctx.db.sql, 'config_registry_prompts');
    const response = await api()
      .post(base())
      .send({ name: 'broken', variables: VARIABLES, template: 'Parse {line}\nfor {customer}' })
      .expect(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'template', code: 'unknown_placeholder', line: 2, column: 5, offset: 17, length: 10 }),
    ]);
    expect(await countRows(ctx.db.sql, 'config_registry_prompts')).toBe(prompts);
    expect(await lastHistoryId(ctx.db.sql)).toBe(before);
  });

  it('checks a would-be version without writing it: errors with positions, warnings, valid', async () => {
    const { name } = await create();
    const versions = await countRows(ctx.db.sql, 'config_registry_prompt_versions');
    const validate = (body: object) => api().post(`${base()}/${name}/validate`).send(body).expect(200);
    const bad = await validate({ template: 'Parse {line}\nfor {customer}' });
    expect(bad.body).toMatchObject({ valid: false, errors: [{ code: 'unknown_placeholder', line: 2, column: 5, offset: 17, length: 10, severity: 'error' }], warnings: [] });
    expect((await validate({ template: 'Nothing used' })).body).toMatchObject({ valid: true, errors: [], warnings: [{ code: 'missing_placeholder' }] });
    expect((await validate({ template: 'For {customer}', variables: [{ name: 'customer' }] })).body).toMatchObject({ valid: true, errors: [], warnings: [] });
    await api().post(`${base()}/${name}/validate`).send({}).expect(400);
    await api().post(`${base()}/missing/validate`).send({ template: 'x' }).expect(404);
    expect(await countRows(ctx.db.sql, 'config_registry_prompt_versions')).toBe(versions);
  });

  it('warns about a required variable the template never uses', async () => {
    const { body } = await api().post(base()).send({ name: 'unused.variable', variables: VARIABLES, template: 'No placeholders' }).expect(201);
    expect(body.warnings).toEqual([expect.objectContaining({ code: 'missing_placeholder', severity: 'warning' })]);
  });

  it.each([
    ['a name clash', () => ({ name: 'verify.answer', template: 'x' }), 409],
    ['a name with capitals', () => ({ name: 'Verify', template: 'x' }), 422],
    ['a variable declared twice', () => ({ name: 'twice', template: 'x', variables: [{ name: 'a' }, { name: 'a' }] }), 422],
    ['a template over 200,000 characters', () => ({ name: 'huge', template: 'x'.repeat(200_001) }), 422],
  ])('refuses %s and writes nothing', async (_why, body, status) => {
    const prompts = await countRows(ctx.db.sql, 'config_registry_prompts');
    const response = await api().post(base()).send(body()).expect(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(await countRows(ctx.db.sql, 'config_registry_prompts')).toBe(prompts);
  });

  it('numbers 20 concurrent new versions 2…21 without gaps or duplicates', async () => {
    const { name } = await create();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => newVersion(name, `Parse {line} #${i}`)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    expect(answers.map((answer) => answer.body.version).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const listed = await api().get(`${base()}/${name}/versions?limit=5`).expect(200);
    expect(listed.headers['x-total-count']).toBe('21');
    expect(listed.body.map((version: { version: number }) => version.version)).toEqual([21, 20, 19, 18, 17]);
    expect(listed.headers.link).toContain('rel="next"');
  });

  it('refuses a new version against a stale If-Match with 412, writing nothing', async () => {
    const { name } = await create();
    await newVersion(name, 'Second {line}', { 'if-match': '"v1"' }).expect(201);
    const before = await lastHistoryId(ctx.db.sql);
    const [edited] = await historyAfter(ctx.db.sql, before - 1);
    expect(edited!.changes).toEqual({
      [`${name}.version`]: { old: 1, new: 2 },
      [`${name}.template`]: { old: 'Parse: {line}\nProject: {project}', new: 'Second {line}' },
    });
    const stale = await newVersion(name, 'Lost {line}', { 'if-match': '"v1"' }).expect(412);
    expect(stale.body.detail).toContain('version 1');
    expect((await api().get(`${base()}/${name}`).expect(200)).body.latest_version).toBe(2);
    expect(await lastHistoryId(ctx.db.sql)).toBe(before);
  });

  it('serves agents the production version, rolls back by moving the label, answers 304 while nothing moved, and audits each move', async () => {
    const { name } = await create();
    await newVersion(name, 'Second {line}').expect(201);
    const agent = (headers: Record<string, string> = {}) => api().get(`/api/prompts/${name}?profile_id=${ctx.defaultProfileId}`).set(headers);

    const latest = await agent().expect(200);
    expect(latest.body).toMatchObject({ version: 2, label: 'latest', template: 'Second {line}' });

    await api().put(`${base()}/${name}/labels/production`).send({ version: 2 }).expect(200);
    const production = await agent().expect(200);
    expect(production.body).toMatchObject({ version: 2, label: 'production' });
    await agent({ 'if-none-match': production.headers.etag }).expect(304);

    const before = await lastHistoryId(ctx.db.sql);
    const rolledBack = await api().put(`${base()}/${name}/labels/production`).send({ version: 1 }).expect(200);
    expect(rolledBack.body.labels).toEqual({ production: 1 });
    const after = await agent({ 'if-none-match': production.headers.etag }).expect(200);
    expect(after.body).toMatchObject({ version: 1, label: 'production', template: 'Parse: {line}\nProject: {project}' });
    expect(after.headers.etag).not.toBe(production.headers.etag);
    expect(await historyAfter(ctx.db.sql, before)).toEqual([
      expect.objectContaining({ domain: 'prompt_registry', action: 'update', changes: { [`${name}.labels.production`]: { old: 2, new: 1 } } }),
    ]);

    await api().get(`/api/prompts/${name}?profile_id=${ctx.defaultProfileId}&label=staging`).expect(404);
    expect((await api().get(`/api/prompts/${name}?profile_id=${ctx.defaultProfileId}&label=latest`).expect(200)).body.version).toBe(2);
  });

  it('refuses labels it cannot set: latest, a bad name, a version that does not exist', async () => {
    const { name } = await create();
    await api().put(`${base()}/${name}/labels/latest`).send({ version: 1 }).expect(422);
    await api().put(`${base()}/${name}/labels/Prod`).send({ version: 1 }).expect(422);
    await api().put(`${base()}/${name}/labels/production`).send({ version: 9 }).expect(404);
    expect(await countRows(ctx.db.sql, 'config_registry_prompt_labels l JOIN config_registry_prompts r ON r.id = l.prompt_id WHERE r.name = $1', [name])).toBe(0);
    await api().delete(`${base()}/${name}/labels/production`).expect(404);
  });

  it('removes a label', async () => {
    const { name } = await create();
    await api().put(`${base()}/${name}/labels/staging`).send({ version: 1 }).expect(200);
    await api().delete(`${base()}/${name}/labels/staging`).expect(204);
    expect((await api().get(`${base()}/${name}`).expect(200)).body.labels).toEqual({});
  });

  it('renders a preview with the values given, optional ones empty, and refuses missing or undeclared values', async () => {
    const { name } = await create();
    const rendered = await api().post(`${base()}/${name}/render`).send({ variables: { line: 'ERROR disk full' } }).expect(200);
    expect(rendered.body).toEqual({ prompt: name, version: 1, text: 'Parse: ERROR disk full\nProject: ', length: 32 });
    const missing = await api().post(`${base()}/${name}/render`).send({ variables: { project: 'UCB' } }).expect(422);
    expect(missing.body.errors).toEqual([{ field: 'variables.line', message: 'is required' }]);
    const undeclared = await api().post(`${base()}/${name}/render`).send({ variables: { line: 'x', customer: 'y' } }).expect(422);
    expect(undeclared.body.errors).toEqual([{ field: 'variables.customer', message: 'is not a declared variable of this prompt' }]);
    await api().post(`${base()}/${name}/render`).send({ variables: { line: 'x' }, version: 7 }).expect(404);
  });

  it('diffs two versions line by line', async () => {
    const { name } = await create();
    await newVersion(name, 'Parse: {line}\nAnswer in JSON.').expect(201);
    const { body } = await api().get(`${base()}/${name}/diff?from=1&to=2`).expect(200);
    expect(body).toEqual({
      from: 1,
      to: 2,
      added: 1,
      removed: 1,
      lines: [
        { op: 'equal', text: 'Parse: {line}' },
        { op: 'removed', text: 'Project: {project}' },
        { op: 'added', text: 'Answer in JSON.' },
      ],
    });
    // Appending a line to a text without a final newline adds one line; it does not change the last.
    await newVersion(name, 'Parse: {line}\nAnswer in JSON.\nBe brief.').expect(201);
    const appended = await api().get(`${base()}/${name}/diff?from=2&to=3`).expect(200);
    expect(appended.body).toMatchObject({ added: 1, removed: 0 });
    await api().get(`${base()}/${name}/diff?from=1`).expect(400);
  });

  it('deletes a prompt; the history keeps every version', async () => {
    const { name } = await create();
    await newVersion(name, 'Second {line}').expect(201);
    const before = await lastHistoryId(ctx.db.sql);
    await api().delete(`${base()}/${name}`).expect(204);
    await api().get(`${base()}/${name}`).expect(404);
    expect(await countRows(ctx.db.sql, 'config_registry_prompts WHERE name = $1', [name])).toBe(0);
    const [entry] = await historyAfter(ctx.db.sql, before);
    expect(entry).toMatchObject({ domain: 'prompt_registry', action: 'delete' });
    const old = entry!.changes[name]!.old as { versions: { version: number; template: string }[] };
    expect(old.versions.map((version) => [version.version, version.template])).toEqual([
      [1, 'Parse: {line}\nProject: {project}'],
      [2, 'Second {line}'],
    ]);
  });

  it('lets a viewer read and preview but not write', async () => {
    const { name } = await create();
    const viewer = (await api().post('/api/auth/tokens').send({ name: 'registry-viewer', role: 'viewer' }).expect(201)).body.token;
    await ctx.server.api(viewer).get(base()).expect(200);
    await ctx.server.api(viewer).post(`${base()}/${name}/render`).send({ variables: { line: 'x' } }).expect(200);
    await ctx.server.api(viewer).post(`${base()}/${name}/versions`).send({ template: 'x' }).expect(403);
    await ctx.server.api(viewer).put(`${base()}/${name}/labels/production`).send({ version: 1 }).expect(403);
  });

  it('answers 404 for a profile or prompt that does not exist', async () => {
    await api().get('/api/config/profiles/999999/prompts').expect(404);
    await api().get(`${base()}/no.such.prompt`).expect(404);
    await api().get(`/api/prompts/no.such.prompt`).expect(404);
    await api().get(`/api/prompts/no.such.prompt?profile_id=999999`).expect(404);
  });

  it('carries each prompt’s production version (else its latest) in resolved, moved by the API or by hand in SQL', async () => {
    const { name } = await create();
    await newVersion(name, 'Second {line}').expect(201);
    const resolved = async () => (await api().get(`/api/config/resolved?profile_id=${ctx.defaultProfileId}`).expect(200)).body.prompt_registry[name];
    expect(await resolved()).toEqual({
      version: 2,
      label: 'latest',
      template: 'Second {line}',
      model_parameters: null,
      variables: [
        { name: 'line', description: 'One log line', required: true, sample: 'ERROR disk full' },
        { name: 'project', description: null, required: false, sample: 'MMBL' },
      ],
    });
    await api().put(`${base()}/${name}/labels/production`).send({ version: 1 }).expect(200);
    expect(await resolved()).toMatchObject({ version: 1, label: 'production' });
    await ctx.db.sql.query(
      `UPDATE config_registry_prompt_labels SET version = 2 WHERE label = 'production' AND prompt_id = (SELECT id FROM config_registry_prompts WHERE name = $1)`,
      [name],
    );
    const { ms } = await eventually(async () => {
      const current = await resolved();
      if (current.version !== 2) throw new Error(`still version ${current.version}`);
    });
    process.stdout.write(`[prompt-registry] a label moved by hand in SQL reached resolved after ${ms.toFixed(1)} ms\n`);
  });

  it('exports every prompt with every version and label, and imports them back into a new profile the same', async () => {
    const { name } = await create();
    await newVersion(name, 'Second {line}').expect(201);
    await api().put(`${base()}/${name}/labels/production`).send({ version: 1 }).expect(200);
    const exported = (await api().get(`/api/config/profiles/${ctx.defaultProfileId}/export`).expect(200)).body;
    const mine = exported.profile.prompt_registry.find((prompt: { name: string }) => prompt.name === name);
    expect(mine).toEqual({
      name,
      description: 'Extracts parameters',
      variables: [
        { name: 'line', description: 'One log line', required: true, sample: 'ERROR disk full' },
        { name: 'project', required: false, sample: 'MMBL' },
      ],
      labels: { production: 1 },
      versions: [
        { template: 'Parse: {line}\nProject: {project}', model_parameters: null, message: 'first' },
        { template: 'Second {line}', model_parameters: null, message: 'edit' },
      ],
    });
    const before = await lastHistoryId(ctx.db.sql);
    const imported = (await api().post('/api/config/profiles/import?name=Registry%20copy').send(exported).expect(201)).body;
    expect(asStored(exported.profile).prompt_registry).toEqual((await storedDocument(ctx.db.sql, imported.id)).prompt_registry);
    const entries = await historyAfter(ctx.db.sql, before);
    expect(entries.filter((entry) => entry.domain === 'prompt_registry').map((entry) => entry.action)).toEqual(
      exported.profile.prompt_registry.map(() => 'import'),
    );
    expect((await api().get(`/api/prompts/${name}?profile_id=${imported.id}`).expect(200)).body).toMatchObject({ version: 1, label: 'production' });
  });

  it.each([
    ['a label naming a version the document lacks', (prompt: Record<string, unknown>) => ({ ...prompt, labels: { production: 3 } }), 'profile.prompt_registry[0].labels.production'],
    ['an undeclared placeholder in the newest version', (prompt: Record<string, unknown>) => ({ ...prompt, versions: [{ template: 'Use {customer}' }] }), 'profile.prompt_registry[0].versions[0].template'],
  ])('refuses an import with %s and writes nothing', async (_why, change, field) => {
    const { name } = await create();
    const exported = (await api().get(`/api/config/profiles/${ctx.defaultProfileId}/export`).expect(200)).body;
    const prompt = exported.profile.prompt_registry.find((candidate: { name: string }) => candidate.name === name);
    const document = { ...exported, profile: { ...exported.profile, prompt_registry: [change(prompt)] } };
    const profiles = await countRows(ctx.db.sql, 'config_profiles');
    const before = await lastHistoryId(ctx.db.sql);
    const response = await api().post('/api/config/profiles/import?name=Never%20imported').send(document).expect(422);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await countRows(ctx.db.sql, 'config_profiles')).toBe(profiles);
    expect(await lastHistoryId(ctx.db.sql)).toBe(before);
  });

  it('loads the seed-002 example (examples/prompts/): nine prompts of the parameter, analyze and verify agents', async () => {
    const example = JSON.parse(await readFile(new URL('../../examples/prompts/log-analysis.profile.json', import.meta.url), 'utf8'));
    const imported = (await api().post('/api/config/profiles/import').send(example).expect(201)).body;
    const prompts = (await api().get(`/api/config/profiles/${imported.id}/prompts`).expect(200)).body;
    expect(prompts.map((prompt: { name: string }) => prompt.name)).toEqual([
      'analyze.root_cause',
      'analyze.summary',
      'analyze.system',
      'parameter.extract',
      'parameter.retry',
      'parameter.system',
      'verify.check',
      'verify.report',
      'verify.system',
    ]);
    const extract = (await api().get(`/api/prompts/parameter.extract?profile_id=${imported.id}`).expect(200)).body;
    expect(extract).toMatchObject({ version: 2, label: 'production', model_parameters: { temperature: 0 } });
    const preview = await api().post(`/api/config/profiles/${imported.id}/prompts/parameter.extract/render`).send({ variables: { log_line: 'ERROR disk full', project: 'UCB' } }).expect(200);
    expect(preview.body.text).toContain('Return {"component", "severity", "node", "message"} as JSON');
  });

  it('shows a moved label on another instance at once, and its stream names the prompt', async () => {
    const other: TestApp = await startTestApp(ctx.db.url);
    const stream = await openStream(`${other.baseUrl}/api/config/stream?profile_id=${ctx.defaultProfileId}`);
    try {
      const { name } = await create();
      await newVersion(name, 'Second {line}').expect(201);
      await api().put(`${base()}/${name}/labels/production`).send({ version: 2 }).expect(200);
      const events = await stream.waitFor(3);
      expect(events.map((event) => event.data as { domain: string; item: string; action: string }).map((data) => [data.domain, data.item, data.action])).toEqual([
        ['prompt_registry', name, 'create'],
        ['prompt_registry', name, 'update'],
        ['prompt_registry', name, 'update'],
      ]);
      expect((await other.api().get(`/api/prompts/${name}`).expect(200)).body.version).toBe(2);
      await api().put(`${base()}/${name}/labels/production`).send({ version: 1 }).expect(200);
      expect((await other.api().get(`/api/prompts/${name}`).expect(200)).body.version).toBe(1);
    } finally {
      stream.close();
      await other.close();
    }
  });
});
