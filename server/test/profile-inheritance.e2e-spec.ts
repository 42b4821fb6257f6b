import { randomBytes } from 'node:crypto';
import { openStream, type SseStream } from './support/sse-client.js';
import { startTestApp, TEST_ADMIN_NAME, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Profile inheritance through the API (issue 19): children keep only what differs, a change of a
 * grandparent reaches a grandchild's resolved configuration and stream on another instance, each
 * profile it reaches has it in its history, and overrides are made, reset, re-parented, detached.
 */
describe('profile inheritance (API)', () => {
  let db: TestDatabase;
  let writer: TestApp;
  let reader: TestApp;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // Both instances hold the same key: registered domains' secrets are inherited too.
    const env = { SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('base64') };
    writer = await startTestApp(db.url, { env });
    reader = await startTestApp(db.url, { env });
  });
  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await writer.close();
    await reader.close();
    await db.drop();
  });

  const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await db.sql.query(text, values)).rows as T[];
  const create = async (name: string, parent?: number): Promise<number> =>
    (await writer.api().post('/api/config/profiles').send({ name, ...(parent !== undefined && { parent_profile_id: parent }) }).expect(201)).body.id;
  const detail = async (id: number) => (await writer.api().get(`/api/config/profiles/${id}`).expect(200)).body;
  const history = (id: number) =>
    query<{ domain: string; action: string; changes: Record<string, { old: unknown; new: unknown }>; changed_by: string }>(
      'SELECT domain, action, changes, changed_by FROM config_history WHERE profile_id = $1 ORDER BY id',
      [id],
    );

  /** Three levels: top > middle > bottom, made through the API. */
  const family = async (prefix: string) => {
    const top = await create(`${prefix} top`);
    const middle = await create(`${prefix} middle`, top);
    const bottom = await create(`${prefix} bottom`, middle);
    return { top, middle, bottom };
  };

  it('creates a child that inherits every value from its parent and says where each comes from', async () => {
    const { top, middle, bottom } = await family('create');
    const child = await detail(bottom);
    expect(child).toMatchObject({ parent_profile_id: middle, ai_infra: { inherited: ['llm_endpoint', 'llm_temperature', 'llm_max_tokens', 'llm_top_p', 'llm_timeout_seconds', 'require_probe'] } });
    expect(child.mlflow.inherited).toEqual(['experiment_name']);
    expect(child.inherited_from.ai_infra.llm_temperature).toBe('create top');
    expect((await detail(top)).inherited_from).toEqual({});
    const [created] = await history(bottom);
    expect(created).toMatchObject({ domain: 'profile', action: 'create', changes: { parent_profile_id: { old: null, new: middle } } });
    const list = (await writer.api().get('/api/config/profiles?search=create').expect(200)).body;
    expect(list.map((item: { name: string; parent_profile_id: number | null }) => [item.name, item.parent_profile_id])).toEqual([
      ['create bottom', middle],
      ['create middle', top],
      ['create top', null],
    ]);
  });

  it("passes a grandparent's change to the grandchild's resolved configuration and stream on another instance, and into each child's history", async () => {
    const { top, middle, bottom } = await family('live');
    await writer.api().put(`/api/config/ai-infra/${middle}`).send({ llm_max_tokens: 777 }).expect(200);
    // The reader caches the grandchild first, so the change must reach it through a notification.
    const cached = (await reader.api().get(`/api/config/resolved?profile_id=${bottom}`).expect(200)).body;
    expect(cached.sources.ai_infra).toMatchObject({ llm_temperature: 'profile:live top', llm_max_tokens: 'profile:live middle' });
    const stream = await openStream(`${reader.baseUrl}/api/config/stream?profile_id=${bottom}`);
    streams.push(stream);

    await writer.api().put(`/api/config/ai-infra/${top}`).send({ llm_temperature: 0.15, llm_max_tokens: 4242 }).expect(200);
    const [event] = await stream.waitFor(1);
    expect(event.data).toMatchObject({ profile_id: bottom, domain: 'ai_infra', action: 'inherit', changed_by: TEST_ADMIN_NAME });
    const resolved = (await reader.api().get(`/api/config/resolved?profile_id=${bottom}`).expect(200)).body;
    expect(resolved.ai_infra).toMatchObject({ llm_temperature: 0.15, llm_max_tokens: 777 });
    expect(resolved.sources.ai_infra).toMatchObject({ llm_temperature: 'profile:live top', llm_max_tokens: 'profile:live middle', llm_endpoint: 'profile:live top' });

    expect((await history(middle)).at(-1)).toEqual({ domain: 'ai_infra', action: 'inherit', changes: { llm_temperature: { old: 0.7, new: 0.15 } }, changed_by: TEST_ADMIN_NAME });
    expect((await history(bottom)).at(-1)).toEqual({ domain: 'ai_infra', action: 'inherit', changes: { llm_temperature: { old: 0.7, new: 0.15 } }, changed_by: TEST_ADMIN_NAME });
    expect((await history(top)).at(-1)).toMatchObject({ domain: 'ai_infra', action: 'update', changes: { llm_temperature: { old: 0.7, new: 0.15 }, llm_max_tokens: { new: 4242 } } });
  });

  it('makes a written value an override and resets it to the inherited value, audited', async () => {
    const { top, bottom } = await family('reset');
    const put = await writer.api().put(`/api/config/ai-infra/${bottom}`).send({ llm_temperature: 0.33, llm_max_tokens: 60000 }).expect(200);
    // 60000 is the parent's value: it stays inherited; 0.33 is an override.
    expect(put.body.inherited).toContain('llm_max_tokens');
    expect(put.body.inherited).not.toContain('llm_temperature');
    expect((await reader.api().get(`/api/config/resolved?profile_id=${bottom}`).expect(200)).body.sources.ai_infra.llm_temperature).toBe('database');
    await writer.api().put(`/api/config/ai-infra/${top}`).send({ llm_temperature: 0.44 }).expect(200);
    expect((await detail(bottom)).ai_infra.llm_temperature).toBe(0.33);

    const reset = await writer.api().delete(`/api/config/profiles/${bottom}/overrides/ai_infra/llm_temperature`).expect(200);
    expect(reset.body.ai_infra).toMatchObject({ llm_temperature: 0.44 });
    expect(reset.body.ai_infra.inherited).toContain('llm_temperature');
    expect(reset.body.inherited_from.ai_infra.llm_temperature).toBe('reset top');
    expect((await history(bottom)).at(-1)).toMatchObject({ domain: 'ai_infra', action: 'update', changes: { llm_temperature: { old: 0.33, new: 0.44 } } });
    // Already inherited: nothing to do, nothing audited.
    const entries = (await history(bottom)).length;
    await writer.api().delete(`/api/config/profiles/${bottom}/overrides/ai_infra/llm_temperature`).expect(200);
    expect(await history(bottom)).toHaveLength(entries);
  });

  it('duplicates a child as a child of the same parent, overriding what the original overrides', async () => {
    const { middle, bottom } = await family('copy');
    await writer.api().put(`/api/config/ai-infra/${bottom}`).send({ llm_temperature: 0.12 }).expect(200);
    const copy = (await writer.api().post(`/api/config/profiles/${bottom}/duplicate`).send({ name: 'copy bottom 2' }).expect(201)).body;
    expect(copy).toMatchObject({ parent_profile_id: middle, ai_infra: { llm_temperature: 0.12 } });
    expect(copy.ai_infra.inherited).toEqual((await detail(bottom)).ai_infra.inherited);
  });

  it('gives every child of a parent its inherit entry, and none to a child whose override the change does not reach', async () => {
    const parent = await create('siblings parent');
    const first = await create('siblings first', parent);
    const second = await create('siblings second', parent);
    const overriding = await create('siblings overriding', parent);
    await writer.api().put(`/api/config/mlflow/${overriding}`).send({ experiment_name: '/Shared/own' }).expect(200);
    const version = (await detail(overriding)).mlflow.version;
    await writer.api().put(`/api/config/mlflow/${parent}`).send({ experiment_name: '/Shared/siblings' }).expect(200);
    for (const child of [first, second]) expect((await history(child)).at(-1)).toMatchObject({ domain: 'mlflow', action: 'inherit' });
    expect((await history(overriding)).at(-1)).toMatchObject({ domain: 'mlflow', action: 'update' });
    // Nothing reached it: no new version either (an editor's If-Match still holds).
    expect((await detail(overriding)).mlflow.version).toBe(version);
  });

  it('answers 404, not 500, for names an object has by default', async () => {
    const { bottom } = await family('prototype');
    for (const path of ['constructor/name', '__proto__/x', 'toString/x', 'ai_infra/constructor']) {
      await writer.api().delete(`/api/config/profiles/${bottom}/overrides/${path}`).expect(404);
    }
  });

  it('refuses a reset that names no inheritance, no domain or no field, and changes nothing', async () => {
    const root = await create('reset root');
    const { bottom } = await family('bad reset');
    const before = await query('SELECT count(*)::int AS n FROM config_history');
    const noParent = await writer.api().delete(`/api/config/profiles/${root}/overrides/ai_infra/llm_temperature`).expect(409);
    expect(noParent.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(noParent.body.detail).toContain('inherits from no profile');
    expect((await writer.api().delete(`/api/config/profiles/${bottom}/overrides/genie/space_id`).expect(404)).body.detail).toBe('There is no domain "genie".');
    expect((await writer.api().delete(`/api/config/profiles/${bottom}/overrides/ai_infra/nonsense`).expect(404)).body.detail).toContain('no field "nonsense"');
    await writer.api().delete(`/api/config/profiles/999999/overrides/ai_infra/llm_temperature`).expect(404);
    expect(await query('SELECT count(*)::int AS n FROM config_history')).toEqual(before);
  });

  it('re-parents and detaches, audited, with the values that moved in each history', async () => {
    const { top, middle, bottom } = await family('move');
    const other = await create('move other');
    const experiment = (await detail(top)).mlflow.experiment_name;
    await writer.api().put(`/api/config/mlflow/${other}`).send({ experiment_name: '/Shared/other' }).expect(200);

    const moved = await writer.api().put(`/api/config/profiles/${middle}`).send({ parent_profile_id: other }).expect(200);
    expect(moved.body).toMatchObject({ parent_profile_id: other, mlflow: { experiment_name: '/Shared/other' }, inherited_from: { mlflow: { experiment_name: 'move other' } } });
    expect((await history(middle)).slice(-2)).toEqual([
      { domain: 'profile', action: 'update', changes: { parent_profile_id: { old: top, new: other } }, changed_by: TEST_ADMIN_NAME },
      { domain: 'mlflow', action: 'inherit', changes: { experiment_name: { old: experiment, new: '/Shared/other' } }, changed_by: TEST_ADMIN_NAME },
    ]);
    expect((await detail(bottom)).mlflow.experiment_name).toBe('/Shared/other');
    expect((await history(bottom)).at(-1)).toMatchObject({ domain: 'mlflow', action: 'inherit' });

    const detached = await writer.api().put(`/api/config/profiles/${middle}`).send({ parent_profile_id: null }).expect(200);
    expect(detached.body).toMatchObject({ parent_profile_id: null, inherited_from: {}, mlflow: { experiment_name: '/Shared/other', inherited: [] } });
    expect((await history(middle)).at(-1)).toMatchObject({ domain: 'profile', changes: { parent_profile_id: { old: other, new: null } } });
    // Detached, it no longer follows its old parent; its own child still follows it.
    await writer.api().put(`/api/config/mlflow/${other}`).send({ experiment_name: '/Shared/other-2' }).expect(200);
    expect((await detail(middle)).mlflow.experiment_name).toBe('/Shared/other');
    await writer.api().put(`/api/config/mlflow/${middle}`).send({ experiment_name: '/Shared/middle' }).expect(200);
    expect((await detail(bottom)).mlflow.experiment_name).toBe('/Shared/middle');
  });

  it('refuses an unknown parent (404), a cycle and a chain over five (422), and writes nothing', async () => {
    const { top, bottom } = await family('bad parent');
    const count = () => query('SELECT (SELECT count(*) FROM config_profiles)::int AS profiles, (SELECT count(*) FROM config_history)::int AS entries');
    const before = await count();
    expect((await writer.api().post('/api/config/profiles').send({ name: 'orphan', parent_profile_id: 999999 }).expect(404)).body.detail).toContain('999999');
    expect((await writer.api().put(`/api/config/profiles/${top}`).send({ parent_profile_id: 999999 }).expect(404)).body.detail).toContain('999999');
    const cycle = await writer.api().put(`/api/config/profiles/${top}`).send({ parent_profile_id: bottom }).expect(422);
    expect(cycle.body.errors).toEqual([{ field: 'parent_profile_id', message: 'that profile inherits from this one' }]);
    expect(await count()).toEqual(before);

    let parent = bottom;
    for (const level of [4, 5]) parent = await create(`bad parent level ${level}`, parent);
    const sixth = await writer.api().post('/api/config/profiles').send({ name: 'bad parent level 6', parent_profile_id: parent }).expect(422);
    expect(sixth.body.errors).toEqual([{ field: 'parent_profile_id', message: 'a chain of inheritance holds at most 5 profiles' }]);
    expect(await query('SELECT id FROM config_profiles WHERE name = $1', ['bad parent level 6'])).toEqual([]);
    expect((await writer.api().post('/api/config/profiles').send({ name: 'both', parent_profile_id: top, preset: 'anything' }).expect(422)).body.errors[0].field).toBe('preset');
  });

  it('keeps every child equal to its parent under concurrent writes on both instances, with one inherit entry per change that reached it', async () => {
    const { top, middle, bottom } = await family('race');
    const writes = [];
    for (let i = 1; i <= 10; i++) {
      writes.push(writer.api().put(`/api/config/ai-infra/${top}`).send({ llm_max_tokens: 1000 + i }));
      writes.push(reader.api().put(`/api/config/ai-infra/${middle}`).send({ llm_top_p: i / 20 }));
      writes.push(reader.api().put(`/api/config/ai-infra/${bottom}`).send({ llm_temperature: i / 20 }));
    }
    expect((await Promise.all(writes)).map((response) => response.status)).toEqual(writes.map(() => 200));
    const rows = await query<{ profile_id: number; llm_max_tokens: number; llm_top_p: string }>(
      'SELECT profile_id, llm_max_tokens, llm_top_p FROM config_ai_infra WHERE profile_id = ANY ($1) ORDER BY profile_id',
      [[top, middle, bottom]],
    );
    expect(new Set(rows.map((row) => row.llm_max_tokens)).size).toBe(1);
    expect(rows[2].llm_top_p).toBe(rows[1].llm_top_p);
    const reached = await query<{ n: number }>(`SELECT count(*)::int AS n FROM config_history WHERE profile_id = $1 AND action = 'inherit' AND changes ? 'llm_max_tokens'`, [bottom]);
    expect(reached[0].n).toBe(10);
  });

  it("exports a child as its parent's name and its overrides, and imports it under that parent again", async () => {
    const { middle, bottom } = await family('export');
    await writer.api().put(`/api/config/ai-infra/${middle}`).send({ llm_max_tokens: 777 }).expect(200);
    await writer.api().put(`/api/config/ai-infra/${bottom}`).send({ llm_temperature: 0.25 }).expect(200);
    const exported = (await writer.api().get(`/api/config/profiles/${bottom}/export`).expect(200)).body;
    expect(exported.format_version).toBe(4);
    expect(exported.profile).toMatchObject({ name: 'export bottom', parent: 'export middle', ai_infra: { llm_temperature: 0.25 }, mlflow: {}, prompts: {}, domains: {} });
    expect(Object.keys(exported.profile.ai_infra)).toEqual(['llm_temperature']);

    const imported = (await writer.api().post('/api/config/profiles/import?name=export%20imported').send(exported).expect(201)).body;
    expect(imported).toMatchObject({ parent_profile_id: middle, parent_profile_name: 'export middle', ai_infra: { llm_temperature: 0.25, llm_max_tokens: 777 } });
    expect(imported.ai_infra.inherited).not.toContain('llm_temperature');
    expect(imported.inherited_from.ai_infra).toMatchObject({ llm_max_tokens: 'export middle', llm_endpoint: 'export top' });
    expect((await history(imported.id))[0]).toMatchObject({ action: 'import', changes: { parent_profile_id: { old: null, new: middle } } });
    // It follows its parent from then on.
    await writer.api().put(`/api/config/ai-infra/${middle}`).send({ llm_max_tokens: 888 }).expect(200);
    expect((await detail(imported.id)).ai_infra.llm_max_tokens).toBe(888);
  });

  it('refuses to import a child whose parent no profile is named after (422), or a document of overrides without a parent (400), and writes nothing', async () => {
    const { bottom } = await family('orphan export');
    const exported = (await writer.api().get(`/api/config/profiles/${bottom}/export`).expect(200)).body;
    const before = await query('SELECT (SELECT count(*) FROM config_profiles)::int AS profiles, (SELECT count(*) FROM config_history)::int AS entries');
    const orphan = await writer.api().post('/api/config/profiles/import?name=orphan').send({ ...exported, profile: { ...exported.profile, parent: 'nobody here' } }).expect(422);
    expect(orphan.body.errors).toEqual([{ field: 'profile.parent', message: 'names no profile' }]);
    const { parent: _parent, ...parentless } = exported.profile;
    const partial = await writer.api().post('/api/config/profiles/import?name=partial').send({ ...exported, profile: parentless }).expect(400);
    expect(partial.body.errors.map((error: { field: string }) => error.field)).toContain('profile.ai_infra.llm_endpoint');
    // An override given is checked as always: null is no value.
    const nulled = await writer.api().post('/api/config/profiles/import?name=nulled').send({ ...exported, profile: { ...exported.profile, prompts: { system_prompt: null } } });
    expect([nulled.status, nulled.body.errors?.[0]?.field]).toEqual([400, 'profile.prompts.system_prompt']);
    // A preset is whole: it names no parent.
    const preset = await writer.api().post('/api/config/presets').send({ name: 'child preset', document: exported.profile }).expect(422);
    expect(preset.body.errors).toEqual([{ field: 'document.parent', message: 'a preset cannot name a parent' }]);
    expect(await query('SELECT (SELECT count(*) FROM config_profiles)::int AS profiles, (SELECT count(*) FROM config_history)::int AS entries')).toEqual(before);
  });

  describe('registered domains, by top-level key', () => {
    const domainValues = (id: number) => `/api/config/domains/log_triage/profiles/${id}`;
    beforeAll(async () => {
      const schema = {
        type: 'object',
        properties: {
          model: { type: 'string' },
          max_lines: { type: 'integer', minimum: 1, default: 1000 },
          alert_channel: { type: 'string' },
        },
        additionalProperties: false,
      };
      await writer.api().post('/api/config/domains').send({ name: 'log_triage', title: 'Log triage', schema }).expect(201);
    });

    it('inherits the keys a child does not set, new keys of the parent too, and says where each comes from', async () => {
      const top = await create('triage top');
      await writer.api().put(domainValues(top)).send({ values: { model: 'llama', max_lines: 500 } }).expect(200);
      const child = await create('triage child', top);
      expect((await writer.api().get(domainValues(child)).expect(200)).body).toMatchObject({ values: { model: 'llama', max_lines: 500 }, inherited: ['max_lines', 'model'] });

      // The child writes its whole form back with one key changed: only that key becomes its own.
      const put = await writer.api().put(domainValues(child)).send({ values: { model: 'claude', max_lines: 500 } }).expect(200);
      expect(put.body).toMatchObject({ values: { model: 'claude', max_lines: 500 }, inherited: ['max_lines'] });
      expect((await history(child)).at(-1)).toMatchObject({ domain: 'log_triage', action: 'update', changes: { model: { old: 'llama', new: 'claude' } } });

      await writer.api().put(domainValues(top)).send({ values: { model: 'llama', max_lines: 800, alert_channel: '#ops' } }).expect(200);
      expect((await writer.api().get(domainValues(child)).expect(200)).body).toMatchObject({
        values: { model: 'claude', max_lines: 800, alert_channel: '#ops' },
        inherited: ['alert_channel', 'max_lines'],
      });
      expect((await history(child)).at(-1)).toEqual({
        domain: 'log_triage',
        action: 'inherit',
        changes: { max_lines: { old: 500, new: 800 }, alert_channel: { old: null, new: '#ops' } },
        changed_by: TEST_ADMIN_NAME,
      });
      const resolved = (await reader.api().get(`/api/config/resolved?profile_id=${child}`).expect(200)).body;
      expect(resolved.log_triage).toEqual({ model: 'claude', max_lines: 800, alert_channel: '#ops' });
      expect(resolved.sources.log_triage).toEqual({ model: 'database', max_lines: 'profile:triage top', alert_channel: 'profile:triage top' });

      // Reset: the parent's value again, inherited from then on.
      const reset = await writer.api().delete(`/api/config/profiles/${child}/overrides/log_triage/model`).expect(200);
      expect(reset.body.domains.log_triage).toMatchObject({ values: { model: 'llama' }, inherited: ['alert_channel', 'max_lines', 'model'] });
      expect(reset.body.inherited_from.log_triage).toEqual({ model: 'triage top', max_lines: 'triage top', alert_channel: 'triage top' });
      expect((await writer.api().delete(`/api/config/profiles/${child}/overrides/log_triage/nonsense`).expect(404)).body.detail).toContain('no field "nonsense"');
    });

    it('gives a profile that gets a parent the values it does not have, and a write leaving a key out inherits it', async () => {
      const top = await create('triage adopt top');
      await writer.api().put(domainValues(top)).send({ values: { model: 'llama', alert_channel: '#top' } }).expect(200);
      const adopted = await create('triage adopted');
      await writer.api().put(domainValues(adopted)).send({ values: { model: 'own' } }).expect(200);
      await writer.api().put(`/api/config/profiles/${adopted}`).send({ parent_profile_id: top }).expect(200);
      expect((await writer.api().get(domainValues(adopted)).expect(200)).body).toMatchObject({ values: { model: 'own', alert_channel: '#top' }, inherited: ['alert_channel'] });
      expect((await history(adopted)).at(-1)).toMatchObject({ domain: 'log_triage', action: 'inherit', changes: { alert_channel: { old: null, new: '#top' } } });

      const cleared = await writer.api().put(domainValues(adopted)).send({ values: {} }).expect(200);
      expect(cleared.body).toMatchObject({ values: { model: 'llama', alert_channel: '#top' }, inherited: ['alert_channel', 'model'] });
      // The same values again change nothing: no write, no entry.
      const entries = (await history(adopted)).length;
      await writer.api().put(domainValues(adopted)).send({ values: { model: 'llama' } }).expect(200);
      expect(await history(adopted)).toHaveLength(entries);
    });

    it('keeps an inherited secret inherited when the child saves its form, and passes a new one down', async () => {
      const schema = { type: 'object', properties: { url: { type: 'string' }, token: { type: 'string', writeOnly: true } } };
      await writer.api().post('/api/config/domains').send({ name: 'triage_provider', title: 'Provider', schema }).expect(201);
      const values = (id: number) => `/api/config/domains/triage_provider/profiles/${id}`;
      const stored = async (id: number) => (await query<{ values: { token: string }; inherited: string[] }>(`SELECT "values", inherited FROM config_domain_values WHERE profile_id = $1 AND domain = 'triage_provider'`, [id]))[0];
      const top = await create('secret top');
      await writer.api().put(values(top)).send({ values: { url: 'https://a', token: 'first-secret' } }).expect(200);
      const child = await create('secret child', top);
      // The console sends the whole form back, the secret as {"set": true}.
      await writer.api().put(values(child)).send({ values: { url: 'https://b', token: { set: true } } }).expect(200);
      expect((await stored(child)).inherited).toEqual(['token']);
      expect((await stored(child)).values.token).toBe((await stored(top)).values.token);
      await writer.api().put(values(top)).send({ values: { url: 'https://a', token: 'second-secret' } }).expect(200);
      expect((await stored(child)).values.token).toBe((await stored(top)).values.token);
      expect(JSON.stringify(await history(child))).not.toContain('second-secret');
      expect((await writer.api().get(`/api/config/resolved?profile_id=${child}`).expect(200)).body.triage_provider).toEqual({ url: 'https://b', token: 'second-secret' });
      // Deleting the domain takes the parent's and the child's values, the child's left empty included.
      await writer.api().delete('/api/config/domains/triage_provider?delete_values=true').expect(204);
      expect(await query(`SELECT profile_id FROM config_domain_values WHERE domain = 'triage_provider'`)).toEqual([]);
    });

    it('leaves a child inheriting when a restore clears its values: a snapshot from before its parent had any', async () => {
      const top = await create('restore top');
      const child = await create('restore child', top);
      const [{ id: entry }] = await query<{ id: number }>('SELECT id FROM config_history WHERE profile_id = $1 ORDER BY id DESC LIMIT 1', [child]);
      await writer.api().put(domainValues(top)).send({ values: { model: 'later' } }).expect(200);
      await writer.api().post(`/api/config/history/entries/${entry}/restore`).send({}).expect(200);
      expect((await writer.api().get(domainValues(child)).expect(200)).body).toMatchObject({ values: { model: 'later' }, inherited: ['model'] });
    });

    it("refuses a parent's change that would make a child's merged values break the schema, naming the child, and writes nothing", async () => {
      const schema = { type: 'object', properties: { channel: { type: 'string' }, level: { type: 'string' } }, dependentRequired: { channel: ['level'] } };
      await writer.api().post('/api/config/domains').send({ name: 'triage_alerts', title: 'Alerts', schema }).expect(201);
      const values = (id: number) => `/api/config/domains/triage_alerts/profiles/${id}`;
      const top = await create('alerts top');
      await writer.api().put(values(top)).send({ values: { level: 'high' } }).expect(200);
      const child = await create('alerts child', top);
      await writer.api().put(values(child)).send({ values: { channel: '#ops', level: 'high' } }).expect(200);
      const entries = (await history(top)).length;
      const refused = await writer.api().put(values(top)).send({ values: {} }).expect(422);
      expect(refused.body.errors[0]).toMatchObject({ field: `profiles/${child}/level`, message: expect.stringContaining('"alerts child"') });
      expect((await writer.api().get(values(top)).expect(200)).body.values).toEqual({ level: 'high' });
      expect((await writer.api().get(values(child)).expect(200)).body.values).toEqual({ channel: '#ops', level: 'high' });
      expect(await history(top)).toHaveLength(entries);
    });

    it('refuses a re-parenting that would make the merged values break the schema, and moves nothing', async () => {
      const values = (id: number) => `/api/config/domains/triage_alerts/profiles/${id}`;
      const first = await create('alerts first parent');
      await writer.api().put(values(first)).send({ values: { level: 'low' } }).expect(200);
      const second = await create('alerts second parent');
      const child = await create('alerts moving child', first);
      await writer.api().put(values(child)).send({ values: { channel: '#ops', level: 'low' } }).expect(200); // level stays inherited
      const refused = await writer.api().put(`/api/config/profiles/${child}`).send({ parent_profile_id: second }).expect(422);
      expect(refused.body.errors[0]).toMatchObject({ field: `profiles/${child}/level`, message: expect.stringContaining('"alerts moving child"') });
      expect((await detail(child)).parent_profile_id).toBe(first);
      expect((await writer.api().get(values(child)).expect(200)).body).toMatchObject({ values: { channel: '#ops', level: 'low' }, inherited: ['level'] });
      // Detached, it keeps every value as its own: still valid.
      await writer.api().put(`/api/config/profiles/${child}`).send({ parent_profile_id: null }).expect(200);
    });

    it('refuses a child copying another profile whose values, merged with the parent’s, break the schema, and creates nothing', async () => {
      const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, not: { required: ['a', 'b'] } };
      await writer.api().post('/api/config/domains').send({ name: 'triage_exclusive', title: 'Exclusive', schema }).expect(201);
      const values = (id: number) => `/api/config/domains/triage_exclusive/profiles/${id}`;
      const parent = await create('exclusive parent');
      await writer.api().put(values(parent)).send({ values: { b: 'x' } }).expect(200);
      const source = await create('exclusive source');
      await writer.api().put(values(source)).send({ values: { a: 'y' } }).expect(200);
      await writer.api().post('/api/config/profiles').send({ name: 'exclusive copy', parent_profile_id: parent, copy_from_profile_id: source }).expect(422);
      expect(await query(`SELECT id FROM config_profiles WHERE name = 'exclusive copy'`)).toEqual([]);
    });

    it('refuses values whose merge with the parent breaks the schema, and writes nothing', async () => {
      const top = await create('triage strict top');
      await writer.api().put(domainValues(top)).send({ values: { max_lines: 10 } }).expect(200);
      const child = await create('triage strict child', top);
      const before = await query('SELECT "values", inherited, version FROM config_domain_values WHERE profile_id = $1', [child]);
      const bad = await writer.api().put(domainValues(child)).send({ values: { max_lines: 0 } }).expect(422);
      expect(bad.body.errors[0].field).toBe('/max_lines');
      expect(await query('SELECT "values", inherited, version FROM config_domain_values WHERE profile_id = $1', [child])).toEqual(before);
    });
  });
});
