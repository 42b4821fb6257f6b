import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { anyFreePort } from '../src/common/database/embedded-postgres.js';
import { startFakeDatabricks } from './support/fake-databricks.js';
import { REPO_ROOT, spawnServer } from './support/server-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const DATABRICKS_TOKEN = 'dapi-secret-databricks-token-0000';
const ADMIN_TOKEN = 'sb_secret-admin-token-of-the-log-spec';
const PROVIDER_KEY = 'sk-live-provider-key-of-the-log-spec';
const SPACE = 'c'.repeat(32);
const LISTENING = /Listening on http:\/\/127\.0\.0\.1:\d+/;

/**
 * The compiled service as a real process, with every line it writes captured, through a run that
 * uses its secrets in every way a request can (a provider key in a domain's secret field too):
 * none may show up in its output, its answers or the history.
 */
describe('secrets', () => {
  let db: TestDatabase;
  let fake: Awaited<ReturnType<typeof startFakeDatabricks>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeDatabricks({
      'GET /api/2.0/serving-endpoints': () => ({ status: 200, body: { endpoints: [{ name: 'databricks-claude-sonnet-4-5' }] } }),
      [`GET /api/2.0/genie/spaces/${SPACE}`]: () => ({ status: 200, body: { space_id: SPACE, title: 'Sales' } }),
      'GET /api/2.0/genie/spaces/dddddddddddddddddddddddddddddddd': () => ({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'token rejected' } }),
      'GET /api/2.0/genie/spaces/ffffffffffffffffffffffffffffffff': () => ({ status: 500, body: { error_code: 'INTERNAL_ERROR' } }),
    });
  });
  afterAll(async () => {
    await fake.close();
    await db.drop();
  });

  it('never appear in logs, responses or history entries', async () => {
    const port = await anyFreePort();
    const server = spawnServer({
      DATABASE_URL: db.url,
      PORT: String(port),
      DATABRICKS_HOST: fake.url,
      DATABRICKS_TOKEN,
      SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
      SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    await server.waitFor(LISTENING);
    const base = `http://127.0.0.1:${port}`;
    const bodies: string[] = [];
    const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.token !== undefined && { authorization: `Bearer ${init.token}` }) };
      const response = await fetch(base + path, { ...init, headers });
      bodies.push(JSON.stringify([...response.headers]) + (await response.text()));
      return response.status;
    };

    try {
      expect(await call('/api/config/ai-infra/endpoints', { token: ADMIN_TOKEN })).toBe(200);
      expect(await call('/api/config/genie/validate', { token: ADMIN_TOKEN, method: 'POST', body: JSON.stringify({ space_id: SPACE }) })).toBe(200);
      expect(await call('/api/config/genie/validate', { token: ADMIN_TOKEN, method: 'POST', body: JSON.stringify({ space_id: 'd'.repeat(32) }) })).toBe(502);
      expect(await call('/api/config/genie/validate', { token: ADMIN_TOKEN, method: 'POST', body: JSON.stringify({ space_id: 'f'.repeat(32) }) })).toBe(502);
      expect(await call('/api/config/ai-infra/1', { token: ADMIN_TOKEN, method: 'PUT', body: JSON.stringify({ llm_temperature: 0.3 }) })).toBe(200);
      expect(await call('/api/config/ai-infra/1', { token: ADMIN_TOKEN, method: 'PUT', body: `{"llm_temperature": "${ADMIN_TOKEN}"}` })).toBe(400);
      expect(await call('/api/config/profiles', { token: ADMIN_TOKEN, method: 'POST', body: '{not json' })).toBe(400);
      expect(await call('/api/config/profiles', { token: `${ADMIN_TOKEN}x` })).toBe(401);
      expect(await call('/api/config/profiles', { token: DATABRICKS_TOKEN })).toBe(401);
      const created = await fetch(`${base}/api/auth/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'ci', role: 'editor' }),
      });
      const minted = ((await created.json()) as { token: string }).token;
      expect(await call('/api/config/mlflow/1', { token: minted, method: 'PUT', body: JSON.stringify({ experiment_name: '/Shared/ci' }) })).toBe(200);
      expect(await call('/api/config/history', { token: minted })).toBe(200);
      expect(await call('/api/auth/tokens', { token: ADMIN_TOKEN })).toBe(200);
      expect(fake.requests.map((r) => r.authorization)).toContain(`Bearer ${DATABRICKS_TOKEN}`);

      const providers = readFileSync(path.join(REPO_ROOT, 'examples/domains/model_providers.json'), 'utf8');
      expect(await call('/api/config/domains', { token: ADMIN_TOKEN, method: 'POST', body: providers })).toBe(201);
      const values = (apiKey: unknown) => JSON.stringify({ values: { providers: [{ name: 'openai', kind: 'openai', api_key: apiKey }] } });
      expect(await call('/api/config/domains/model_providers/profiles/1', { token: ADMIN_TOKEN, method: 'PUT', body: values(PROVIDER_KEY) })).toBe(200);
      expect(await call('/api/config/domains/model_providers/profiles/1', { token: minted, method: 'PUT', body: values(`${PROVIDER_KEY}${'x'.repeat(5000)}`) })).toBe(422);
      expect(await call('/api/config/domains/model_providers/profiles/1', { token: minted, method: 'PUT', body: values({ set: true }) })).toBe(200);
      expect(await call('/api/config/resolved?profile_id=1', { token: minted })).toBe(200);
      const resolved = await fetch(`${base}/api/config/resolved?profile_id=1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(((await resolved.json()) as { model_providers: { providers: { api_key: string }[] } }).model_providers.providers[0].api_key).toBe(PROVIDER_KEY);

      server.child.kill('SIGTERM');
      expect(await server.exited()).toBe(0);
      const history = (await db.sql.query('SELECT json_agg(h)::text AS all FROM config_history h')).rows[0].all as string;
      expect(history).toContain('/Shared/ci');
      for (const secret of [DATABRICKS_TOKEN, ADMIN_TOKEN, minted, PROVIDER_KEY]) {
        expect(server.output()).not.toContain(secret);
        expect(history).not.toContain(secret);
      }
      for (const secret of [DATABRICKS_TOKEN, ADMIN_TOKEN, PROVIDER_KEY]) {
        for (const body of bodies) expect(body).not.toContain(secret);
      }
      expect(server.output()).toMatch(/Listening on/);
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
