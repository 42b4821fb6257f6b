import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type request from 'supertest';
import { openStream } from './support/sse-client.js';
import { REPO_ROOT } from './support/server-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const example = (name: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/domains', `${name}.json`), 'utf8'));
const SECRET_KEY = randomBytes(32).toString('base64');
const OPENAI_KEY = 'sk-live-PLAINTEXT-openai-0001';
const ANTHROPIC_KEY = 'sk-ant-PLAINTEXT-0002';
const REDIS_PASSWORD = 'PLAINTEXT-redis-password';
const SET = { set: true };

/**
 * Secret (`writeOnly`) fields of registered domains, seed 004's provider keys: stored encrypted,
 * shown as {"set": true} by every read, history entry, export and stream event, given in the clear
 * only in resolved configurations for the agent and admin roles. Every answer of the run is kept
 * and searched for the plain secrets, and so is every table that could hold them.
 */
describe('secrets in domain values', () => {
  let db: TestDatabase;
  let server: TestApp;
  let profileId: number;
  let tokens: Record<'viewer' | 'editor' | 'agent', string>;
  const answers: string[] = [];
  /** Requests whose answers are searched for secrets afterwards: all but the resolved ones agents and admins get. */
  const api = (token?: string) => server.api(token);
  const kept = async <T extends request.Response>(pending: Promise<T> | request.Test): Promise<T> => {
    const response = (await pending) as T;
    answers.push(JSON.stringify(response.headers) + response.text);
    return response;
  };
  const sql = async (text: string, values: unknown[] = []) => (await db.sql.query(text, values)).rows;
  const providersPath = () => `/api/config/domains/model_providers/profiles/${profileId}`;
  const resolvedAs = async (token: string | undefined, id = profileId) => (await api(token).get(`/api/config/resolved?profile_id=${id}`).expect(200)).body;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp(db.url, { env: { SWITCHBOARD_SECRET_KEY: SECRET_KEY } });
    profileId = (await sql('SELECT id FROM config_profiles WHERE is_default'))[0].id;
    const mint = async (role: string) => (await api().post('/api/auth/tokens').send({ name: `${role}-token`, role }).expect(201)).body.token as string;
    tokens = { viewer: await mint('viewer'), editor: await mint('editor'), agent: await mint('agent') };
    for (const name of ['model_providers', 'gateway_cache', 'virtual_keys']) await kept(api().post('/api/config/domains').send(example(name)).expect(201));
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it('stores a secret encrypted and shows it as {"set": true} in the answer, the read and the profile', async () => {
    const stream = await openStream(`${server.baseUrl}/api/config/stream?profile_id=${profileId}`);
    try {
      const providers = [
        { name: 'openai-prod', kind: 'openai', api_key: OPENAI_KEY, models: ['gpt-4o'] },
        { name: 'anthropic', kind: 'anthropic', api_key: ANTHROPIC_KEY },
      ];
      const put = await kept(api(tokens.editor).put(providersPath()).send({ values: { providers } }).expect(200));
      expect(put.body.values.providers.map((provider: { api_key: unknown }) => provider.api_key)).toEqual([SET, SET]);
      expect(put.body.effective.providers[0]).toMatchObject({ name: 'openai-prod', api_key: SET, enabled: true, priority: 10 });
      const [event] = await stream.waitFor(1, 'config.changed');
      answers.push(JSON.stringify(stream.events));
      expect(event.data).toMatchObject({ domain: 'model_providers', action: 'create' });
    } finally {
      stream.close();
    }

    const [row] = await sql(`SELECT "values" FROM config_domain_values WHERE domain = 'model_providers'`);
    const stored = row.values.providers.map((provider: { api_key: string }) => provider.api_key);
    expect(stored.every((value: string) => /^sb:v1:[A-Za-z0-9_-]+$/.test(value))).toBe(true);
    expect(stored[0]).not.toBe(stored[1]);

    expect((await kept(api().get(providersPath()).expect(200))).body.values.providers[1].api_key).toEqual(SET);
    expect((await kept(api().get(`/api/config/profiles/${profileId}`).expect(200))).body.domains.model_providers.values.providers[0].api_key).toEqual(SET);
  });

  it('gives the secrets in resolved configurations to agent and admin tokens only; agents write nothing', async () => {
    for (const token of [tokens.viewer, tokens.editor]) {
      const body = await resolvedAs(token);
      answers.push(JSON.stringify(body));
      expect(body.model_providers.providers[0].api_key).toEqual(SET);
    }
    for (const token of [tokens.agent, undefined]) {
      const body = await resolvedAs(token);
      expect(body.model_providers.providers.map((provider: { api_key: string }) => provider.api_key)).toEqual([OPENAI_KEY, ANTHROPIC_KEY]);
      expect(body.sources.model_providers.providers).toBe('database');
    }
    const viewerEtag = (await api(tokens.viewer).get(`/api/config/resolved?profile_id=${profileId}`)).headers.etag;
    const agentEtag = (await api(tokens.agent).get(`/api/config/resolved?profile_id=${profileId}`)).headers.etag;
    expect(viewerEtag).not.toBe(agentEtag);

    await kept(api(tokens.agent).put(providersPath()).send({ values: {} }).expect(403));
    await kept(api(tokens.agent).put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.1 }).expect(403));
    expect((await kept(api(tokens.agent).get('/api/config/history').expect(200))).body.length).toBeGreaterThan(0);
  });

  it('keeps a stored secret when a write sends {"set": true}, replaces it when it sends a new one, clears it when it leaves it out', async () => {
    const current = (await api().get(providersPath()).expect(200)).body.values;
    current.providers[0].models = ['gpt-4o', 'gpt-4.1'];
    await kept(api().put(providersPath()).send({ values: current }).expect(200));
    expect((await resolvedAs(tokens.agent)).model_providers.providers[0]).toMatchObject({ api_key: OPENAI_KEY, models: ['gpt-4o', 'gpt-4.1'] });

    const before = await sql('SELECT count(*)::int AS n FROM config_history');
    current.providers[1].api_key = 'sk-ant-PLAINTEXT-rotated';
    await kept(api().put(providersPath()).send({ values: current }).expect(200));
    const [entry] = await sql(`SELECT changes FROM config_history WHERE domain = 'model_providers' ORDER BY id DESC LIMIT 1`);
    expect(entry.changes.providers.new[1].api_key).toEqual(SET);
    expect((await sql('SELECT count(*)::int AS n FROM config_history'))[0].n).toBe(before[0].n + 1);
    expect((await resolvedAs(tokens.agent)).model_providers.providers[1].api_key).toBe('sk-ant-PLAINTEXT-rotated');

    // Sending the same values again, secret kept, changes nothing and audits nothing.
    await kept(api().put(providersPath()).send({ values: current }).expect(200));
    expect((await sql('SELECT count(*)::int AS n FROM config_history'))[0].n).toBe(before[0].n + 1);

    delete current.providers[1].api_key;
    await kept(api().put(providersPath()).send({ values: current }).expect(200));
    expect((await resolvedAs(tokens.agent)).model_providers.providers[1].api_key).toBeUndefined();
  });

  it('refuses {"set": true} where no secret is stored, and secrets that break the schema, naming the field and not the value', async () => {
    const before = await sql(`SELECT "values", version FROM config_domain_values WHERE domain = 'model_providers'`);
    const keepNothing = await kept(
      api()
        .put(providersPath())
        .send({ values: { providers: [{ name: 'openai-prod', kind: 'openai', api_key: SET }, { name: 'anthropic', kind: 'anthropic', api_key: SET }] } })
        .expect(422),
    );
    expect(keepNothing.body.errors).toEqual([{ field: '/providers/1/api_key', message: 'has no stored secret to keep; send the secret itself' }]);

    const tooShort = await kept(api().put(`/api/config/domains/virtual_keys/profiles/${profileId}`).send({ values: { keys: [{ name: 'ci', key: 'short-secret' }] } }).expect(422));
    expect(tooShort.body.errors).toEqual([{ field: '/keys/0/key', message: 'must NOT have fewer than 16 characters' }]);
    expect(tooShort.text).not.toContain('short-secret');
    expect(await sql(`SELECT "values", version FROM config_domain_values WHERE domain = 'model_providers'`)).toEqual(before);
    expect(await sql(`SELECT id FROM config_domain_values WHERE domain = 'virtual_keys'`)).toEqual([]);
  });

  it('conceals secrets in history, exports and comparisons; copies them with a duplicate; keeps them through a restore', async () => {
    await kept(api().put(`/api/config/domains/gateway_cache/profiles/${profileId}`).send({ values: { backend: 'redis', redis_url: 'redis://cache:6379/0', redis_password: REDIS_PASSWORD } }).expect(200));
    const [entry] = await sql(`SELECT id FROM config_history WHERE domain = 'gateway_cache' ORDER BY id DESC LIMIT 1`);
    const history = await kept(api().get(`/api/config/history/${profileId}?domain=gateway_cache`).expect(200));
    expect(history.body[0].changes.redis_password).toEqual({ old: null, new: SET });
    expect((await kept(api().get('/api/config/history?domain=gateway_cache').expect(200))).body[0].id).toBe(Number(entry.id));
    const exported = await kept(api().get(`/api/config/profiles/${profileId}/export`).expect(200));
    expect(exported.body.profile.domains.gateway_cache.redis_password).toEqual(SET);

    const copy = await kept(api().post(`/api/config/profiles/${profileId}/duplicate`).send({ name: 'Copy with secrets' }).expect(201));
    expect((await resolvedAs(tokens.agent, copy.body.id)).gateway_cache.redis_password).toBe(REDIS_PASSWORD);
    await kept(api().get(`/api/config/compare?left_profile_id=${profileId}&right_profile_id=${copy.body.id}`).expect(200));

    const cachePath = `/api/config/domains/gateway_cache/profiles/${profileId}`;
    await kept(api().put(cachePath).send({ values: { backend: 'redis', redis_url: 'redis://other:6379/1', redis_password: SET } }).expect(200));
    await kept(api().post(`/api/config/history/entries/${entry.id}/restore`).send({ domain: 'gateway_cache' }).expect(200));
    expect((await resolvedAs(tokens.agent)).gateway_cache).toMatchObject({ redis_url: 'redis://cache:6379/0', redis_password: REDIS_PASSWORD });
    // A secret cleared since cannot come back from history, which never held it.
    await kept(api().put(cachePath).send({ values: { backend: 'memory' } }).expect(200));
    await kept(api().post(`/api/config/history/entries/${entry.id}/restore`).send({ domain: 'gateway_cache' }).expect(200));
    const restored = (await resolvedAs(tokens.agent)).gateway_cache;
    expect(restored.backend).toBe('redis');
    expect(restored).not.toHaveProperty('redis_password');

    // An export says only that a secret was set: imported elsewhere, it is not set (and the schema decides whether that is allowed).
    const imported = await kept(api().post('/api/config/profiles/import?name=Imported%20secrets').send(exported.body).expect(201));
    expect(imported.body.domains.gateway_cache.values).toEqual({ backend: 'redis', redis_url: 'redis://cache:6379/0' });
  });

  it('encrypts a field a schema change makes secret, and decrypts one it stops being', async () => {
    const schema = { type: 'object', properties: { token: { type: 'string' }, region: { type: 'string' } } };
    await kept(api().post('/api/config/domains').send({ name: 'late_secret', title: 'Late secret', schema }).expect(201));
    await kept(api().put(`/api/config/domains/late_secret/profiles/${profileId}`).send({ values: { token: 'late-token-value', region: 'eu' } }).expect(200));
    await kept(api().put('/api/config/domains/late_secret').send({ schema: { ...schema, properties: { ...schema.properties, token: { type: 'string', writeOnly: true } } } }).expect(200));
    const [sealed] = await sql(`SELECT "values" FROM config_domain_values WHERE domain = 'late_secret'`);
    expect(sealed.values).toEqual({ token: expect.stringMatching(/^sb:v1:/), region: 'eu' });
    expect((await kept(api().get(`/api/config/domains/late_secret/profiles/${profileId}`).expect(200))).body.values.token).toEqual(SET);
    expect((await resolvedAs(tokens.agent)).late_secret.token).toBe('late-token-value');

    await kept(api().put('/api/config/domains/late_secret').send({ schema }).expect(200));
    expect((await sql(`SELECT "values" FROM config_domain_values WHERE domain = 'late_secret'`))[0].values).toEqual({ token: 'late-token-value', region: 'eu' });
    await kept(api().delete('/api/config/domains/late_secret?delete_values=true').expect(204));
  });

  it('refuses to store secrets without SWITCHBOARD_SECRET_KEY, and answers 503 when its key cannot read them', async () => {
    const keyless = await startTestApp(db.url);
    const wrongKey = await startTestApp(db.url, { env: { SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('hex') } });
    try {
      const before = await sql(`SELECT "values", version FROM config_domain_values WHERE domain = 'virtual_keys'`);
      const refused = await kept(keyless.api().put(`/api/config/domains/virtual_keys/profiles/${profileId}`).send({ values: { keys: [{ name: 'ci', key: 'a-long-enough-virtual-key' }] } }).expect(422));
      expect(refused.body.detail).toMatch(/SWITCHBOARD_SECRET_KEY/);
      expect(refused.body.errors).toEqual([{ field: '/keys/0/key', message: 'is a secret; secrets cannot be stored until SWITCHBOARD_SECRET_KEY is set' }]);
      expect(await sql(`SELECT "values", version FROM config_domain_values WHERE domain = 'virtual_keys'`)).toEqual(before);

      const unreadable = await kept(wrongKey.api().get(`/api/config/resolved?profile_id=${profileId}`).expect(503));
      expect(unreadable.body.detail).toMatch(/cannot be decrypted with this server's SWITCHBOARD_SECRET_KEY/);
      expect((await kept(wrongKey.api(tokens.viewer).get(`/api/config/resolved?profile_id=${profileId}`).expect(200))).body.model_providers.providers[0].api_key).toEqual(SET);
    } finally {
      await keyless.close();
      await wrongKey.close();
    }
  });

  it('leaves no plain secret in any answer kept, nor in any table', async () => {
    const tables = await sql(`SELECT (SELECT json_agg(h)::text FROM config_history h) AS history, (SELECT json_agg(v)::text FROM config_domain_values v) AS domain_values`);
    for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, 'sk-ant-PLAINTEXT-rotated', REDIS_PASSWORD, 'a-long-enough-virtual-key']) {
      for (const answer of answers) expect(answer).not.toContain(secret);
      expect(tables[0].history).not.toContain(secret);
      expect(tables[0].domain_values).not.toContain(secret);
    }
    expect(answers.length).toBeGreaterThan(25);
  });
});
