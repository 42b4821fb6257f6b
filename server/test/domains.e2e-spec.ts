import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openStream } from './support/sse-client.js';
import { REPO_ROOT } from './support/server-process.js';
import { startTestApp, TEST_ADMIN_NAME, useAppWithDatabase } from './support/test-app.js';

const PROBLEM = /^application\/problem\+json/;

interface Registration {
  name: string;
  title: string;
  description: string;
  schema: Record<string, unknown>;
}

/** The registration documents a user of seed 002 and of seed 004 would send (examples/domains/). */
const example = (name: string): Registration => JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/domains', `${name}.json`), 'utf8'));

describe('configuration domains as data', () => {
  const context = useAppWithDatabase();
  const api = () => context.server.api();
  const sql = async (text: string, values: unknown[] = []) => (await context.db.sql.query(text, values)).rows;
  const domainCount = async () => (await sql('SELECT count(*)::int AS n FROM config_domains'))[0].n;
  const logAnalysis = example('log_analysis_settings');

  it('lists the built-in domains, their schemas read from the DTOs that validate them', async () => {
    const response = await api().get('/api/config/domains').expect(200);
    const ai = response.body.find((domain: { name: string }) => domain.name === 'ai_infra');
    expect(ai).toMatchObject({ built_in: true, kind: 'object', version: null, profiles_with_values: null });
    expect(ai.schema.properties.llm_temperature).toMatchObject({ title: 'Temperature', type: 'number', minimum: 0, maximum: 1, default: 0.7 });
    expect(ai.schema.properties.llm_max_tokens).toMatchObject({ type: 'integer', minimum: 1, maximum: 1_000_000 });
    expect(response.body.map((domain: { name: string }) => domain.name)).toEqual(['ai_infra', 'genie_spaces', 'mlflow', 'prompts']);
    expect((await api().get('/api/config/domains/genie_spaces').expect(200)).body.kind).toBe('list');
  });

  it('registers a domain (admin only), with its version as ETag and a Location', async () => {
    const viewer = (await api().post('/api/auth/tokens').send({ name: 'domain-editor', role: 'editor' }).expect(201)).body.token;
    await context.server.api(viewer).post('/api/config/domains').send(logAnalysis).expect(403);
    const created = await api().post('/api/config/domains').send(logAnalysis).expect(201);
    expect(created.headers.etag).toBe('"v1"');
    expect(created.headers.location).toBe('/api/config/domains/log_analysis_settings');
    expect(created.body).toMatchObject({ name: 'log_analysis_settings', built_in: false, version: 1, profiles_with_values: 0, updated_by: 'environment-admin' });
    expect(await sql('SELECT name, created_by FROM config_domains')).toEqual([{ name: 'log_analysis_settings', created_by: 'environment-admin' }]);

    const again = await api().post('/api/config/domains').send(logAnalysis).expect(409);
    expect(again.body.errors).toEqual([{ field: 'name', message: 'a domain with this name already exists' }]);
    await api().post('/api/config/domains').send({ ...logAnalysis, name: 'ai_infra' }).expect(409);
  });

  it('refuses schemas it cannot use with 422 naming the problem, and stores nothing', async () => {
    const before = await domainCount();
    let nested: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20; i++) nested = { type: 'object', properties: { deeper: nested } };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'objekt' }, /must be a JSON Schema whose top level is "type": "object"/],
      [{ type: 'object', properties: { a: { type: 'strin' } } }, /must be equal to one of the allowed values/],
      [{ type: 'object', properties: { a: { $ref: 'https://example.com/schema.json' } } }, /remote references are not fetched/],
      [{ type: 'object', properties: { a: { type: 'string', colour: 'red' } } }, /cannot be compiled: strict mode: unknown keyword/],
      [{ type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } }, /can take exponential time/],
      [{ type: 'object', patternProperties: { '^(b*)*c$': { type: 'string' } } }, /can take exponential time/],
      [nested, /nests deeper than 32 levels/],
      [{ type: 'object', description: 'x'.repeat(300 * 1024) }, /at most 256 KB/],
      [{ type: 'object', properties: { inherited: { type: 'boolean' } } }, /is reserved: the history lists a profile's inherited keys/],
    ];
    for (const [schema, message] of cases) {
      const response = await api().post('/api/config/domains').send({ name: 'broken', title: 'Broken', schema }).expect(422);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.body.errors.map((error: { message: string }) => error.message).join(' | ')).toMatch(message);
      expect(response.body.errors[0].field).toMatch(/^\/?schema/);
    }
    await api().post('/api/config/domains').send({ name: 'Bad-Name', title: 'x', schema: { type: 'object' } }).expect(422);
    const draft7 = await api().post('/api/config/domains').send({ name: 'older', title: 'x', schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' } }).expect(422);
    expect(draft7.body.errors).toEqual([{ field: '/schema/$schema', message: 'must be https://json-schema.org/draft/2020-12/schema (draft 2020-12), or left out' }]);
    expect(await domainCount()).toBe(before);
  });

  it('accepts valid JSON Schema that only ajv\'s stricter modes dislike, and resolves it', async () => {
    const schema = {
      type: 'object',
      default: {},
      properties: {
        either: { type: ['string', 'number'] },
        mode: { oneOf: [{ type: 'object', properties: { ttl: { type: 'integer', default: 5 } } }, { type: 'null' }] },
      },
      required: ['either'],
    };
    await api().post('/api/config/domains').send({ name: 'lenient', title: 'Lenient', schema }).expect(201);
    await api().put(`/api/config/domains/lenient/profiles/${context.defaultProfileId}`).send({ values: { either: 3 } }).expect(200);
    const resolved = await api().get(`/api/config/resolved?profile_id=${context.defaultProfileId}`).expect(200);
    expect(resolved.body.lenient).toEqual({ either: 3 });
    await api().delete('/api/config/domains/lenient?delete_values=true').expect(204);
  });

  it("keeps each profile's values, checked against the schema, with defaults filled in on reading", async () => {
    const id = context.defaultProfileId;
    const empty = await api().get(`/api/config/domains/log_analysis_settings/profiles/${id}`).expect(200);
    expect(empty.headers.etag).toBe('"v0"');
    expect(empty.body).toMatchObject({ values: {}, version: 0, effective: { llm: { temperature: 0, max_tokens: 4096 }, verification: { enabled: true } } });

    const historyBefore = (await sql('SELECT count(*)::int AS n FROM config_history'))[0].n;
    const bad = await api()
      .put(`/api/config/domains/log_analysis_settings/profiles/${id}`)
      .send({ values: { llm: { temperature: 1.5, temprature: 0.2 }, verification: { enabled: 'yes' } } })
      .expect(422);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: '/llm/temperature', message: 'must be <= 1' },
        { field: '/llm/temprature', message: 'is not a field of this domain' },
        { field: '/verification/enabled', message: 'must be boolean' },
      ]),
    );
    expect(await sql('SELECT * FROM config_domain_values')).toEqual([]);
    expect((await sql('SELECT count(*)::int AS n FROM config_history'))[0].n).toBe(historyBefore);

    const saved = await api()
      .put(`/api/config/domains/log_analysis_settings/profiles/${id}`)
      .set('If-Match', '"v0"')
      .send({ values: { llm: { temperature: 0.2 } } })
      .expect(200);
    expect(saved.headers.etag).toBe('"v1"');
    expect(saved.body).toMatchObject({ values: { llm: { temperature: 0.2 } }, effective: { llm: { temperature: 0.2, max_tokens: 4096 } }, version: 1 });
    await api().put(`/api/config/domains/log_analysis_settings/profiles/${id}`).set('If-Match', '"v0"').send({ values: {} }).expect(412);

    const [entry] = await sql(`SELECT domain, action, changes, snapshot -> 'domains' AS domains FROM config_history ORDER BY id DESC LIMIT 1`);
    expect(entry).toMatchObject({
      domain: 'log_analysis_settings',
      action: 'create',
      changes: { llm: { old: null, new: { temperature: 0.2 } } },
      domains: { log_analysis_settings: { values: { llm: { temperature: 0.2 } }, version: 1 } },
    });
  });

  it('shows registered domains in resolved, with where each value came from, and announces their changes', async () => {
    const id = context.defaultProfileId;
    const resolved = await api().get(`/api/config/resolved?profile_id=${id}`).expect(200);
    expect(resolved.body.log_analysis_settings).toMatchObject({ llm: { temperature: 0.2, max_tokens: 4096 }, cache: { prompt_ttl_seconds: 300 } });
    expect(resolved.body.sources.log_analysis_settings).toMatchObject({ llm: 'database', cache: 'default' });

    const stream = await openStream(`${context.server.baseUrl}/api/config/stream?profile_id=${id}`);
    try {
      await api().put(`/api/config/domains/log_analysis_settings/profiles/${id}`).send({ values: { llm: { temperature: 0.3 } } }).expect(200);
      const [event] = await stream.waitFor(1, 'config.changed');
      expect(event.data).toMatchObject({ profile_id: id, domain: 'log_analysis_settings', action: 'update', version: 2 });
    } finally {
      stream.close();
    }
    const after = await api().get(`/api/config/resolved?profile_id=${id}`).expect(200);
    expect(after.body.log_analysis_settings.llm.temperature).toBe(0.3);
  });

  it('refuses a schema change that stored values would break, naming the profile and field, and accepts one they fit', async () => {
    const id = context.defaultProfileId;
    const stricter = structuredClone(logAnalysis.schema) as { properties: { llm: { properties: { temperature: { maximum: number } } } } };
    stricter.properties.llm.properties.temperature.maximum = 0.1;
    const refused = await api().put('/api/config/domains/log_analysis_settings').set('If-Match', '"v1"').send({ schema: stricter }).expect(422);
    expect(refused.body.errors).toEqual([{ field: `profiles/${id}/llm/temperature`, message: 'must be <= 0.1 (profile "default")' }]);
    expect((await sql('SELECT version FROM config_domains'))[0].version).toBe(1);

    const changed = await api().put('/api/config/domains/log_analysis_settings').set('If-Match', '"v1"').send({ title: 'Log analysis' }).expect(200);
    expect(changed.body).toMatchObject({ title: 'Log analysis', version: 2, profiles_with_values: 1 });
    await api().put('/api/config/domains/log_analysis_settings').set('If-Match', '"v1"').send({ title: 'stale' }).expect(412);
  });

  it('copies values with a duplicated profile', async () => {
    const copy = await api().post(`/api/config/profiles/${context.defaultProfileId}/duplicate`).send({ name: 'Copy with domains' }).expect(201);
    expect(copy.body.domains.log_analysis_settings.values).toEqual({ llm: { temperature: 0.3 } });
  });

  it('keeps values of built-in domains on their own routes, and answers 404 for unknown domains', async () => {
    const builtIn = await api().get(`/api/config/domains/ai_infra/profiles/${context.defaultProfileId}`).expect(404);
    expect(builtIn.body.detail).toMatch(/built-in domain/);
    await api().get('/api/config/domains/nothing_here').expect(404);
    await api().put(`/api/config/domains/nothing_here/profiles/${context.defaultProfileId}`).send({ values: {} }).expect(404);
    await api().delete('/api/config/domains/ai_infra').expect(409);
  });

  it('deletes a domain only together with its values, keeping their history', async () => {
    const refused = await api().delete('/api/config/domains/log_analysis_settings').expect(409);
    expect(refused.body.detail).toMatch(/delete_values=true/);
    await api().delete('/api/config/domains/log_analysis_settings?delete_values=true').expect(204);
    expect(await sql('SELECT * FROM config_domain_values')).toEqual([]);
    // Each profile's values leave an audited `delete`; the earlier entries stay.
    const entries = await sql(`SELECT profile_id, action, changes FROM config_history WHERE domain = 'log_analysis_settings' AND subject = 'profile' ORDER BY id`);
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(['create', 'update', 'delete', 'delete']); // default, then its duplicate
    const registry = await sql(`SELECT action FROM config_history WHERE domain = 'log_analysis_settings' AND subject = 'domain' ORDER BY id`);
    expect(registry.map((entry: { action: string }) => entry.action)).toEqual(['create', 'update', 'delete']);
    expect(entries.at(-1)).toMatchObject({ action: 'delete', changes: { llm: { old: { temperature: 0.3 }, new: null } } });
    const resolved = await api().get(`/api/config/resolved?profile_id=${context.defaultProfileId}`).expect(200);
    expect(resolved.body.log_analysis_settings).toBeUndefined();
  });

  it('audits the registry itself: each registration, change and deletion, with what changed; never restored as a profile', async () => {
    const schema = { type: 'object', properties: { a: { type: 'integer' } } };
    await api().post('/api/config/domains').send({ name: 'audited', title: 'Audited', schema }).expect(201);
    await api().put('/api/config/domains/audited').send({ title: 'Audited twice' }).expect(200);
    await api().put('/api/config/domains/audited').send({ title: 'Audited twice' }).expect(200); // changes nothing: no entry
    await api().put('/api/config/domains/audited').send({ schema: { type: 'strin' } }).expect(422); // refused: no entry
    const wider = { ...schema, properties: { ...schema.properties, b: { type: 'string' } } };
    await api().put('/api/config/domains/audited').send({ schema: wider }).expect(200);
    await api().delete('/api/config/domains/audited').expect(204);

    const entries = await sql(`SELECT id, profile_id, profile_name, action, subject, changed_by, changes, snapshot FROM config_history WHERE domain = 'audited' ORDER BY id`);
    expect(entries.map((entry: { action: string; changes: object }) => [entry.action, Object.keys(entry.changes).sort()])).toEqual([
      ['create', ['schema', 'title']],
      ['update', ['title']],
      ['update', ['schema']],
      ['delete', ['schema', 'title']],
    ]);
    expect(entries.every((entry: { subject: string; profile_id: null; changed_by: string }) => entry.subject === 'domain' && entry.profile_id === null && entry.changed_by === TEST_ADMIN_NAME)).toBe(true);
    expect(entries[1].changes.title).toEqual({ old: 'Audited', new: 'Audited twice' });
    expect(entries[2].changes.schema).toEqual({ old: schema, new: wider });
    expect(entries[3].snapshot).toEqual({ name: 'audited', title: 'Audited twice', description: null, schema: wider, version: 3 });

    const listed = await api().get('/api/config/history?domain=audited').expect(200);
    expect(listed.body.map((entry: { subject: string; action: string }) => `${entry.subject}:${entry.action}`)).toEqual(['domain:delete', 'domain:update', 'domain:update', 'domain:create']);
    const restore = await api().post(`/api/config/history/entries/${entries[2].id}/restore`).send({}).expect(422);
    expect(restore.body.detail).toMatch(/records a change to the registration of domain "audited"/);
    await api().get(`/api/config/compare?left_profile_id=${context.defaultProfileId}&right_entry_id=${entries[2].id}`).expect(422);
    expect(await sql(`SELECT count(*)::int AS n FROM config_profiles WHERE name LIKE 'audited%'`)).toEqual([{ n: 0 }]);
  });

  it('serves the router example of seed 004 as well', async () => {
    await api().post('/api/config/domains').send(example('gateway_router')).expect(201);
    const saved = await api()
      .put(`/api/config/domains/gateway_router/profiles/${context.defaultProfileId}`)
      .send({ values: { strategy: 'least_latency', fallbacks: [{ model: 'gpt-4o', fallback_models: ['claude-sonnet-4-5'] }] } })
      .expect(200);
    expect(saved.body.effective).toMatchObject({ strategy: 'least_latency', max_retries: 3 });
    const wrong = await api().put(`/api/config/domains/gateway_router/profiles/${context.defaultProfileId}`).send({ values: { fallbacks: [{ model: 'x', fallback_models: [] }] } }).expect(422);
    expect(wrong.body.errors).toEqual([{ field: '/fallbacks/0/fallback_models', message: 'must NOT have fewer than 1 items' }]);
  });

  describe('in documents and history', () => {
    const routerValues = { strategy: 'least_latency', fallbacks: [{ model: 'gpt-4o', fallback_models: ['claude-sonnet-4-5'] }] };

    it('exports them (format_version 4: with the prompt registry and the parent) and imports them back, checked against the schemas', async () => {
      const exported = (await api().get(`/api/config/profiles/${context.defaultProfileId}/export`).expect(200)).body;
      expect(exported).toMatchObject({ format_version: 4, profile: { domains: { gateway_router: routerValues } } });

      const imported = await api().post('/api/config/profiles/import?name=Imported%20router').send(exported).expect(201);
      expect(imported.body.domains.gateway_router.values).toEqual(routerValues);

      const unknown = structuredClone(exported);
      unknown.profile.domains = { nobody_registered_this: {} };
      const refused = await api().post('/api/config/profiles/import?name=Never').send(unknown).expect(422);
      expect(refused.body.errors).toEqual([{ field: 'profile.domains.nobody_registered_this', message: 'is not a registered domain' }]);
      const invalid = structuredClone(exported);
      invalid.profile.domains.gateway_router = { max_retries: 'three' };
      const broken = await api().post('/api/config/profiles/import?name=Never').send(invalid).expect(422);
      expect(broken.body.errors).toEqual([{ field: 'profile.domains.gateway_router/max_retries', message: 'must be integer' }]);
      expect(await sql(`SELECT id FROM config_profiles WHERE name = 'Never'`)).toEqual([]);
    });

    it('still imports a format_version 1 document, which has no registered domains', async () => {
      const exported = (await api().get(`/api/config/profiles/${context.defaultProfileId}/export`).expect(200)).body;
      delete exported.profile.domains;
      const imported = await api().post('/api/config/profiles/import?name=Version%20one').send({ ...exported, format_version: 1 }).expect(201);
      expect(imported.body.domains).toEqual({});
    });

    it("restores them with the whole profile, clearing ones set since, or one domain alone", async () => {
      const id = context.defaultProfileId;
      const [entry] = await sql(`SELECT id FROM config_history WHERE profile_id = $1 AND domain = 'gateway_router' ORDER BY id DESC LIMIT 1`, [id]);
      await api().put(`/api/config/domains/gateway_router/profiles/${id}`).send({ values: { strategy: 'random' } }).expect(200);
      await api().post('/api/config/domains').send({ ...logAnalysis, name: 'later_settings' }).expect(201);
      await api().put(`/api/config/domains/later_settings/profiles/${id}`).send({ values: { llm: { max_retries: 5 } } }).expect(200);

      const restored = await api().post(`/api/config/history/entries/${entry.id}/restore`).expect(200);
      expect(restored.body.domains.gateway_router.values).toEqual(routerValues);
      expect(restored.body.domains.later_settings).toBeUndefined();
      const audited = await sql(`SELECT domain, action FROM config_history WHERE id > $1 AND action = 'restore' ORDER BY id`, [entry.id]);
      expect(audited).toEqual([{ domain: 'gateway_router', action: 'restore' }, { domain: 'later_settings', action: 'restore' }]);

      await api().put(`/api/config/domains/gateway_router/profiles/${id}`).send({ values: { strategy: 'random' } }).expect(200);
      const one = await api().post(`/api/config/history/entries/${entry.id}/restore`).send({ domain: 'gateway_router' }).expect(200);
      expect(one.body.domains.gateway_router.values).toEqual(routerValues);
      const history = await api().get(`/api/config/history/${id}?domain=gateway_router&action=restore`).expect(200);
      expect(history.body).toHaveLength(2);
    });
    it('compares them field by field, as each side set them', async () => {
      const [other] = await sql(`SELECT id FROM config_profiles WHERE name = 'Version one'`);
      const compared = await api().get(`/api/config/compare?left_profile_id=${context.defaultProfileId}&right_profile_id=${other.id}`).expect(200);
      expect(compared.body.identical).toBe(false);
      expect(compared.body.differences.domains).toEqual({
        gateway_router: {
          strategy: { left: 'least_latency', right: null },
          fallbacks: { left: [{ model: 'gpt-4o', fallback_models: ['claude-sonnet-4-5'] }], right: null },
        },
      });
    });
    it('takes environment overrides of top-level fields, coerced and checked by the schema at start-up', async () => {
      const overridden = await startTestApp(context.db.url, { env: { SWITCHBOARD__GATEWAY_ROUTER__MAX_RETRIES: '7', SWITCHBOARD__GATEWAY_ROUTER__FALLBACKS_ENABLED: 'false' } });
      try {
        const resolved = await overridden.api().get(`/api/config/resolved?profile_id=${context.defaultProfileId}`).expect(200);
        expect(resolved.body.gateway_router).toMatchObject({ max_retries: 7, fallbacks_enabled: false, strategy: 'least_latency' });
        expect(resolved.body.sources.gateway_router).toMatchObject({ max_retries: 'env', fallbacks_enabled: 'env', strategy: 'database', retry_base_delay_ms: 'default' });
      } finally {
        await overridden.close();
      }
      for (const [variable, value, message] of [
        ['SWITCHBOARD__GATEWAY_ROUTER__MAX_RETRIES', '-1', /SWITCHBOARD__GATEWAY_ROUTER__MAX_RETRIES: must be >= 0/],
        ['SWITCHBOARD__GATEWAY_ROUTER__MAX_RETRIES', 'many', /SWITCHBOARD__GATEWAY_ROUTER__MAX_RETRIES: must be integer/],
        ['SWITCHBOARD__GATEWAY_ROUTER__FALLBACKS', '[]', /"fallbacks" is not a top-level text, number or true\/false field/],
        ['SWITCHBOARD__GATEWAY_ROUTR__MAX_RETRIES', '1', /no built-in or registered domain is called "gateway_routr"/],
      ] as const) {
        await expect(startTestApp(context.db.url, { env: { [variable]: value } })).rejects.toThrow(message);
      }
    });
  });
});
