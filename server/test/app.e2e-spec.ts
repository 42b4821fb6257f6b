import { DEFAULT_AI_INFRA, DEFAULT_MLFLOW } from '../src/common/defaults/default-config.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;

describe('the running service', () => {
  let db: TestDatabase;
  let server: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp(db.url, { bodyLimitBytes: 4096 });
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  describe('default profile', () => {
    it('is seeded once, with every domain', async () => {
      const profiles = await db.sql.query('SELECT id, name, is_default, created_by FROM config_profiles');
      expect(profiles.rows).toEqual([{ id: expect.any(Number), name: 'default', is_default: true, created_by: 'system' }]);
      const id = profiles.rows[0].id;

      const ai = await db.sql.query('SELECT * FROM config_ai_infra WHERE profile_id = $1', [id]);
      expect(ai.rows[0]).toMatchObject({
        llm_endpoint: DEFAULT_AI_INFRA.llm_endpoint,
        llm_temperature: '0.70',
        llm_max_tokens: 60000,
        version: 1,
      });
      const genie = await db.sql.query('SELECT is_default FROM config_genie_spaces WHERE profile_id = $1', [id]);
      expect(genie.rows).toEqual([{ is_default: true }]);
      const mlflow = await db.sql.query('SELECT experiment_name FROM config_mlflow WHERE profile_id = $1', [id]);
      expect(mlflow.rows).toEqual([{ experiment_name: DEFAULT_MLFLOW.experiment_name }]);
      const prompts = await db.sql.query('SELECT * FROM config_prompts WHERE profile_id = $1', [id]);
      expect(prompts.rows[0].user_prompt_template).toContain('{question}');
      expect(prompts.rows[0].user_prompt_template).toContain('{max_slides}');
      expect(prompts.rows[0].system_prompt.length).toBeGreaterThan(500);
      expect(prompts.rows[0].slide_editing_instructions.length).toBeGreaterThan(200);
    });

    it('is not seeded again when the app starts on a database that has profiles', async () => {
      const second = await startTestApp(db.url);
      await second.close();
      const { rows } = await db.sql.query('SELECT count(*)::int AS n FROM config_profiles');
      expect(rows[0].n).toBe(1);
    });
  });

  it('GET /api/config/status reports the profiles and the default', async () => {
    const { rows } = await db.sql.query('SELECT id FROM config_profiles WHERE is_default');
    const response = await server.api().get('/api/config/status').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      instance_id: expect.any(String),
      started_at: expect.any(String),
      profiles: 1,
      default_profile: { id: rows[0].id, name: 'default' },
      sessions: 0,
      last_change: expect.any(String),
      last_reload: null,
      listener: { connected: true, connected_since: expect.any(String), reconnects: 0, notifications: expect.any(Number), last_notification_at: expect.anything() },
      cached_profiles: 0,
      instances: expect.arrayContaining([
        expect.objectContaining({ instance_id: response.body.instance_id, current: true, listener_connected: true, pid: process.pid, version: expect.any(String) }),
      ]),
    });
  });

  it('POST /api/config/reload re-reads one profile or all and is reported by status', async () => {
    const { rows } = await db.sql.query('SELECT id FROM config_profiles WHERE is_default');
    const all = await server.api().post('/api/config/reload').expect(200);
    expect(all.body).toEqual({ status: 'reloaded', profile_id: null, profiles: 1, reloaded_at: expect.any(String) });
    const one = await server.api().post(`/api/config/reload?profile_id=${rows[0].id}`).expect(200);
    expect(one.body).toMatchObject({ status: 'reloaded', profile_id: rows[0].id, profiles: 1 });
    await server.api().post('/api/config/reload?profile_id=99999').expect(404);
    await server.api().post('/api/config/reload?profile_id=abc').expect(400);
    const status = await server.api().get('/api/config/status').expect(200);
    expect(status.body.last_reload).toBe(one.body.reloaded_at);
  });

  it('GET /health/live and /health/ready answer 200', async () => {
    await server.api().get('/health/live').expect(200, { status: 'ok' });
    await server.api().get('/health/ready').expect(200, { status: 'ok', database: 'up', listener: 'connected' });
  });

  it('serves Swagger UI at /docs and the spec at /docs-json', async () => {
    const ui = await server.api().get('/docs').expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    const spec = await server.api().get('/docs-json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(spec.body.info.title).toBe('Switchboard');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/api/config/status', '/health/live', '/health/ready']),
    );
    expect(spec.body.paths['/api/config/status'].get.operationId).toBe('getConfigStatus');
  });

  describe('errors are RFC 9457 problem details', () => {
    it('for an unknown route (404), echoing the request id', async () => {
      const response = await server.api().get('/api/config/nowhere').set('X-Request-Id', 'req-42').expect(404);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.headers['x-request-id']).toBe('req-42');
      expect(response.body).toEqual({
        type: 'urn:switchboard:problem:route-not-found',
        title: 'Not Found',
        status: 404,
        detail: 'No route for GET /api/config/nowhere.',
        instance: '/api/config/nowhere',
        request_id: 'req-42',
      });
    });

    it('for a body that is not JSON (400)', async () => {
      const response = await server.api()
        .post('/api/config/status')
        .set('content-type', 'application/json')
        .send('{"name": ')
        .expect(400);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.body).toMatchObject({ type: 'urn:switchboard:problem:malformed-body', status: 400 });
    });

    it('for a body over the size limit (413)', async () => {
      const response = await server.api()
        .post('/api/config/status')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ text: 'x'.repeat(8192) }))
        .expect(413);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.body).toMatchObject({ type: 'urn:switchboard:problem:payload-too-large', status: 413 });
    });
  });

  it('answers 503, not 500, when the database connection is lost in the middle of a request', async () => {
    const client = db.sql;
    await client.query('BEGIN');
    await client.query('LOCK TABLE config_mlflow IN ACCESS EXCLUSIVE MODE');
    const write = server.api().put('/api/config/mlflow/1').send({ experiment_name: '/Shared/cut-off' });
    const pending = write.then((response) => response);
    let pid: number | undefined;
    while (pid === undefined) {
      const { rows } = await db.sql.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      pid = rows[0]?.pid;
    }
    await client.query('SELECT pg_terminate_backend($1)', [pid]);
    await client.query('ROLLBACK');
    const response = await pending;
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ type: 'urn:switchboard:problem:database-unavailable' });
  });

  it('reports not ready (503, problem+json) when its database is gone', async () => {
    const doomed = await createTestDatabase();
    const app = await startTestApp(doomed.url);
    try {
      await app.api().get('/health/ready').expect(200);
      await doomed.drop();
      const response = await app.api().get('/health/ready').expect(503);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.body).toMatchObject({ status: 503, detail: 'The database is unreachable.' });
    } finally {
      await app.close();
    }
  });
});
