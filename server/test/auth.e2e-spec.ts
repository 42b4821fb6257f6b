import { createHash } from 'node:crypto';
import request, { type Response } from 'supertest';
import { eventually } from './support/eventually.js';
import { startTestApp, TEST_ADMIN_NAME, TEST_ADMIN_TOKEN, type TestApp } from './support/test-app.js';
import { createTestDatabase, expectPgError, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;
const METHODS = ['get', 'post', 'put', 'delete'] as const;

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  operationId: string;
}

/** Every configuration table, as one text: equal before and after means nothing changed. */
const FINGERPRINT_SQL = ['config_profiles', 'config_ai_infra', 'config_genie_spaces', 'config_mlflow', 'config_prompts', 'config_history', 'agent_sessions']
  .map((table) => `(SELECT coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM ${table} t)`)
  .join(` || '#' || `);

describe('authentication and roles', () => {
  let db: TestDatabase;
  let server: TestApp;
  let operations: Operation[];
  const tokens: Record<'viewer' | 'editor' | 'admin', string> = { viewer: '', editor: '', admin: '' };
  let revoked = '';

  const fingerprint = async (): Promise<string> => (await db.sql.query(`SELECT ${FINGERPRINT_SQL} AS f`)).rows[0].f;
  const tokenRows = async () => (await db.sql.query('SELECT id, name, role, revoked_at FROM api_tokens ORDER BY id')).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp(db.url);
    for (const role of ['viewer', 'editor', 'admin'] as const) {
      tokens[role] = (await server.api().post('/api/auth/tokens').send({ name: `${role}-bot`, role }).expect(201)).body.token;
    }
    const gone = (await server.api().post('/api/auth/tokens').send({ name: 'gone', role: 'admin' }).expect(201)).body;
    await server.api().delete(`/api/auth/tokens/${gone.id}`).expect(200);
    revoked = gone.token;

    const spec = (await server.api().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>> };
    operations = Object.entries(spec.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method] && !path.startsWith('/health')).map((method) => ({ method, path, operationId: item[method].operationId })),
    );
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  /** The path with real ids, so that only authentication stands between the request and success. */
  async function concrete(path: string): Promise<string> {
    const profile = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
    const space = (await db.sql.query('SELECT id FROM config_genie_spaces WHERE profile_id = $1', [profile])).rows[0].id;
    const token = (await db.sql.query(`SELECT id FROM api_tokens WHERE name = 'viewer-bot'`)).rows[0].id;
    return path
      .replace('{profile_id}', String(profile))
      .replace(/^\/api\/config\/genie\/\{id\}/, `/api/config/genie/${space}`)
      .replace(/^\/api\/auth\/tokens\/\{id\}/, `/api/auth/tokens/${token}`)
      .replace('{id}', String(profile));
  }

  async function send(operation: Operation, token?: string): Promise<Response> {
    const agent = token === undefined ? request.agent(server.baseUrl) : server.api(token);
    const call = agent[operation.method](await concrete(operation.path));
    return operation.method === 'get' ? call : call.send({});
  }

  async function expectRefused(operation: Operation, token: string | undefined, status: 401 | 403): Promise<void> {
    const before = await fingerprint();
    const tokensBefore = await tokenRows();
    const response = await send(operation, token);
    expect({ operation: operation.operationId, status: response.status }).toEqual({ operation: operation.operationId, status });
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ status, type: `urn:switchboard:problem:${status === 401 ? 'unauthorized' : 'forbidden'}` });
    if (status === 401) expect(response.headers['www-authenticate']).toBe('Bearer realm="switchboard"');
    expect(await fingerprint()).toBe(before);
    expect(await tokenRows()).toEqual(tokensBefore);
  }

  it('covers every route of the API in the matrix below', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.map((o) => o.operationId)).toEqual(expect.arrayContaining(['createApiToken', 'updatePromptsConfig', 'listHistory', 'reloadConfiguration', 'deleteProfile']));
  });

  it('answers 401 to every route without a token, with a malformed header, or with a revoked or unknown token', async () => {
    for (const operation of operations) {
      await expectRefused(operation, undefined, 401);
      await expectRefused(operation, revoked, 401);
    }
    const profiles = operations.find((o) => o.operationId === 'listProfiles')!;
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${'x'.repeat(600)}`, 'Bearer sb_not-a-real-token']) {
      const response = await request(server.baseUrl).get(profiles.path).set('Authorization', header);
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(PROBLEM);
    }
  });

  it('answers 403 to a viewer on every write, and to an editor on token management', async () => {
    const writes = operations.filter((o) => o.method !== 'get' && !/\/(validate|render)$/.test(o.path));
    expect(writes.length).toBeGreaterThan(15);
    for (const operation of writes) await expectRefused(operation, tokens.viewer, 403);
    const tokenRoutes = operations.filter((o) => o.path.startsWith('/api/auth/tokens'));
    expect(tokenRoutes).toHaveLength(3);
    for (const operation of tokenRoutes) await expectRefused(operation, tokens.editor, 403);
  });

  it('lets a viewer read and validate, and an editor change configuration', async () => {
    await server.api(tokens.viewer).get('/api/config/profiles').expect(200);
    await server.api(tokens.viewer).post('/api/config/prompts/validate').send({ user_prompt_template: '{question} {max_slides}' }).expect(200);
    const response = await server.api(tokens.editor).put('/api/config/mlflow/1').send({ experiment_name: '/Shared/editor' }).expect(200);
    expect(response.body.experiment_name).toBe('/Shared/editor');
    const { rows } = await db.sql.query(`SELECT changed_by FROM config_history WHERE domain = 'mlflow' ORDER BY id DESC LIMIT 1`);
    expect(rows).toEqual([{ changed_by: 'editor-bot' }]);
  });

  it('records the principal of a write as created_by, updated_by and changed_by', async () => {
    const created = await server.api(tokens.editor).post('/api/config/profiles').send({ name: 'By the editor' }).expect(201);
    expect(created.body).toMatchObject({ created_by: 'editor-bot', updated_by: 'editor-bot' });
    const renamed = await server.api(tokens.admin).put(`/api/config/profiles/${created.body.id}`).send({ description: 'touched' }).expect(200);
    expect(renamed.body).toMatchObject({ created_by: 'editor-bot', updated_by: 'admin-bot' });
    const { rows } = await db.sql.query('SELECT action, changed_by FROM config_history WHERE profile_id = $1 ORDER BY id', [created.body.id]);
    expect(rows).toEqual([
      { action: 'create', changed_by: 'editor-bot' },
      { action: 'update', changed_by: 'admin-bot' },
    ]);
  });

  describe('token management', () => {
    it('shows a secret once, stores only its hash, and names the caller', async () => {
      const created = await server.api().post('/api/auth/tokens').send({ name: ' ci-deployer ', role: 'editor' }).expect(201);
      expect(created.headers['cache-control']).toBe('no-store');
      expect(created.body).toEqual({
        id: expect.any(Number),
        name: 'ci-deployer',
        role: 'editor',
        token: expect.stringMatching(/^sb_[\w-]{43}$/),
        token_prefix: created.body.token.slice(0, 9),
        created_at: expect.any(String),
        created_by: TEST_ADMIN_NAME,
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      });
      const { rows } = await db.sql.query('SELECT * FROM api_tokens WHERE id = $1', [created.body.id]);
      expect(rows[0].token_hash).toBe(createHash('sha256').update(created.body.token).digest('hex'));
      expect(JSON.stringify(rows[0])).not.toContain(created.body.token);

      const me = await server.api(created.body.token).get('/api/auth/me').expect(200);
      expect(me.body).toEqual({ name: 'ci-deployer', role: 'editor', via: 'token', grants: [] });
      const listed = (await server.api().get('/api/auth/tokens').expect(200)).body.find((t: { id: number }) => t.id === created.body.id);
      expect(listed).not.toHaveProperty('token');
      expect(listed.last_used_at).not.toBeNull();
      expect(JSON.stringify((await server.api().get('/api/auth/tokens')).body)).not.toContain(created.body.token);
    });

    it('refuses a second active token of the same name (409), a blank name or an unknown role (422)', async () => {
      const before = await tokenRows();
      const duplicate = await server.api().post('/api/auth/tokens').send({ name: 'VIEWER-BOT', role: 'viewer' }).expect(409);
      expect(duplicate.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
      const invalid = await server.api().post('/api/auth/tokens').send({ name: '  ', role: 'root' }).expect(422);
      expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'role']);
      await server.api().post('/api/auth/tokens').send({ name: 'x', role: 'admin', token: 'chosen' }).expect(400);
      expect(await tokenRows()).toEqual(before);
    });

    it('revokes from the next request on; revoking again changes nothing; unknown ids are 404', async () => {
      const { token, id } = (await server.api().post('/api/auth/tokens').send({ name: 'short-lived', role: 'viewer' }).expect(201)).body;
      await server.api(token).get('/api/config/profiles').expect(200);
      const first = await server.api().delete(`/api/auth/tokens/${id}`).expect(200);
      expect(first.body).toMatchObject({ id, revoked_at: expect.any(String), revoked_by: TEST_ADMIN_NAME });
      await server.api(token).get('/api/config/profiles').expect(401);
      const again = await server.api().delete(`/api/auth/tokens/${id}`).expect(200);
      expect(again.body.revoked_at).toBe(first.body.revoked_at);
      await server.api().delete('/api/auth/tokens/999999').expect(404);
      // The name is free again once its token is revoked.
      await server.api().post('/api/auth/tokens').send({ name: 'short-lived', role: 'viewer' }).expect(201);
    });

    it('revokes on every instance: a second app on the same database refuses the token as soon as it hears of it', async () => {
      const other = await startTestApp(db.url);
      try {
        const { token, id } = (await server.api().post('/api/auth/tokens').send({ name: 'roaming', role: 'viewer' }).expect(201)).body;
        await other.api(token).get('/api/config/profiles').expect(200);
        await server.api().delete(`/api/auth/tokens/${id}`).expect(200);
        // Through the revocation's notification: milliseconds (token-cache.e2e-spec measures them), not zero.
        await eventually(async () => {
          await other.api(token).get('/api/config/profiles').expect(401);
        });
      } finally {
        await other.close();
      }
    });

    it('keeps revocation final and hashes fixed even for hand-written SQL', async () => {
      const { rows } = await db.sql.query(`SELECT id FROM api_tokens WHERE name = 'gone'`);
      const unrevoke = await expectPgError(db.sql, `UPDATE api_tokens SET revoked_at = NULL WHERE id = $1`, [rows[0].id]);
      expect(unrevoke.code).toBe('23001');
      const rehash = await expectPgError(db.sql, `UPDATE api_tokens SET token_hash = repeat('0', 64) WHERE name = 'viewer-bot'`);
      expect(rehash.code).toBe('23001');
      const badRole = await expectPgError(db.sql, `INSERT INTO api_tokens (name, role, token_hash, token_prefix) VALUES ('x', 'root', repeat('a', 64), 'sb_')`);
      expect(badRole.code).toBe('23514');
      await server.api(revoked).get('/api/config/profiles').expect(401);
    });
  });

  it('documents the bearer scheme on every operation but the health probes', async () => {
    const spec = (await server.api().get('/docs-json').expect(200)).body;
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.security).toEqual([{ bearer: [] }]);
    for (const [path, item] of Object.entries<Record<string, { security?: unknown; responses: Record<string, unknown> }>>(spec.paths)) {
      for (const operation of Object.values(item)) {
        if (path.startsWith('/health')) {
          expect(operation.security).toEqual([{}]);
        } else {
          expect(operation.security).toBeUndefined();
          expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
        }
      }
    }
  });

  it('keeps the health probes and the docs public, with security headers', async () => {
    const anonymous = request(server.baseUrl);
    await anonymous.get('/health/live').expect(200);
    await anonymous.get('/health/ready').expect(200);
    const docs = await anonymous.get('/docs').expect(200);
    const api = await server.api().get('/api/config/profiles').expect(200);
    for (const response of [docs, api]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'content-security-policy': expect.stringContaining("default-src 'self'"),
      });
    }
  });
});

describe('trusted proxy mode', () => {
  let db: TestDatabase;
  let proxied: TestApp;
  let direct: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxied = await startTestApp(db.url, {
      auth: { trustProxyAuth: true, proxyRoles: [{ pattern: 'alice@corp.example', role: 'admin' }, { pattern: '*@corp.example', role: 'editor' }] },
    });
    direct = await startTestApp(db.url);
  });
  afterAll(async () => {
    await proxied.close();
    await direct.close();
    await db.drop();
  });

  const asUser = (app: TestApp, email: string) => request.agent(app.baseUrl).set('X-Forwarded-Email', email);

  it('takes the user from X-Forwarded-Email and the role from the mapping', async () => {
    expect((await asUser(proxied, 'Alice@Corp.example').get('/api/auth/me').expect(200)).body).toEqual({ name: 'alice@corp.example', role: 'admin', via: 'proxy', grants: [] });
    expect((await asUser(proxied, 'bob@corp.example').get('/api/auth/me').expect(200)).body).toMatchObject({ role: 'editor' });
    await asUser(proxied, 'bob@corp.example').put('/api/config/mlflow/1').send({ experiment_name: '/Shared/bob' }).expect(200);
    const { rows } = await db.sql.query(`SELECT changed_by FROM config_history WHERE domain = 'mlflow'`);
    expect(rows).toEqual([{ changed_by: 'bob@corp.example' }]);
    await asUser(proxied, 'bob@corp.example').get('/api/auth/tokens').expect(403);
  });

  it('gives users no rule matches no access, and bearer tokens still work', async () => {
    const refused = await asUser(proxied, 'eve@elsewhere.example').get('/api/config/profiles').expect(403);
    expect(refused.body.detail).toMatch(/SWITCHBOARD_PROXY_ROLES/);
    await proxied.api().get('/api/config/profiles').expect(200);
  });

  it('refuses an address longer than 254 characters, which no *_by column could record', async () => {
    const long = `${'a'.repeat(60)}@${'b'.repeat(240)}.corp.example`;
    const response = await asUser(proxied, long).put('/api/config/mlflow/1').send({ experiment_name: '/Shared/long' }).expect(401);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect((await db.sql.query(`SELECT count(*)::int AS n FROM config_history WHERE changes::text LIKE '%/Shared/long%'`)).rows[0].n).toBe(0);
  });

  it('ignores the header when the mode is off', async () => {
    await asUser(direct, 'alice@corp.example').get('/api/config/profiles').expect(401);
  });
});

describe('write rate limit', () => {
  let db: TestDatabase;
  let server: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp(db.url, { auth: { writeLimit: 3, writeWindowSeconds: 60 } });
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it('answers 429 with Retry-After past the limit, changes nothing, and leaves reads and other principals alone', async () => {
    const other = 'sb_rate-limit-spec-other-principal';
    await db.sql.query(`INSERT INTO api_tokens (name, role, token_hash, token_prefix) VALUES ('other', 'editor', $1, 'sb_rate')`, [
      createHash('sha256').update(other).digest('hex'),
    ]);
    for (let i = 1; i <= 3; i++) await server.api().put('/api/config/ai-infra/1').send({ llm_max_tokens: 1000 + i }).expect(200);
    const limited = await server.api().put('/api/config/ai-infra/1').send({ llm_max_tokens: 9999 }).expect(429);
    expect(limited.headers['content-type']).toMatch(PROBLEM);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, type: 'urn:switchboard:problem:rate-limited' });
    const { rows } = await db.sql.query('SELECT llm_max_tokens FROM config_ai_infra WHERE profile_id = 1');
    expect(rows).toEqual([{ llm_max_tokens: 1003 }]);
    expect((await db.sql.query(`SELECT count(*)::int AS n FROM config_history WHERE domain = 'ai_infra'`)).rows[0].n).toBe(3);

    await server.api().get('/api/config/ai-infra/1').expect(200);
    for (const spelling of [`bearer ${TEST_ADMIN_TOKEN}`, `BEARER  ${TEST_ADMIN_TOKEN}`]) {
      await request(server.baseUrl).put('/api/config/ai-infra/1').set('Authorization', spelling).send({ llm_max_tokens: 1 }).expect(429);
    }
    await server.api(other).put('/api/config/ai-infra/1').send({ llm_max_tokens: 4242 }).expect(200);
    await server.api().post('/api/auth/tokens').send({ name: 'too-many', role: 'viewer' }).expect(429);
  });
});

describe('CORS', () => {
  let db: TestDatabase;
  let closed: TestApp;
  let open: TestApp;
  const CONSOLE = 'https://console.example.com';

  beforeAll(async () => {
    db = await createTestDatabase();
    closed = await startTestApp(db.url);
    open = await startTestApp(db.url, { corsOrigins: [CONSOLE] });
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
    await db.drop();
  });

  it('allows no other origin by default', async () => {
    const response = await closed.api().get('/api/config/profiles').set('Origin', CONSOLE).expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows the configured origins, with the headers a console needs, and no other', async () => {
    const preflight = await request(open.baseUrl)
      .options('/api/config/ai-infra/1')
      .set('Origin', CONSOLE)
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'authorization, if-match, content-type')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(CONSOLE);
    const response = await open.api().get('/api/config/ai-infra/1').set('Origin', CONSOLE).expect(200);
    // Agents in a browser read the configuration's validators and which side of a rollout served them.
    for (const header of ['etag', 'x-config-stale', 'x-rollout', 'x-total-count']) expect(response.headers['access-control-expose-headers']).toContain(header);
    const stranger = await open.api().get('/api/config/profiles').set('Origin', 'https://evil.example').expect(200);
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });
});
