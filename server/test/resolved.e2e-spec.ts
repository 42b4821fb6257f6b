import { eventually } from './support/eventually.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;

describe('GET /api/config/resolved', () => {
  let db: TestDatabase;
  let server: TestApp;
  let other: TestApp;
  let defaultId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp(db.url);
    other = await startTestApp(db.url);
    defaultId = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
  });
  afterAll(async () => {
    await server.close();
    await other.close();
    await db.drop();
  });

  it('resolves the default profile, every value from the database, with a strong ETag and 304', async () => {
    const response = await server.api().get('/api/config/resolved').set('accept-encoding', 'identity').expect(200);
    expect(response.headers.etag).toMatch(/^"[\w-]{32}"$/);
    expect(response.headers['x-config-stale']).toBe('false');
    expect(response.body).toMatchObject({
      profile: { id: defaultId, name: 'default', is_default: true },
      ai_infra: { llm_endpoint: 'databricks-claude-sonnet-4-5', llm_temperature: 0.7 },
      genie_space: { space_id: '01effebcc2781b6bbb749077a55d31e3' },
      mlflow: { experiment_name: expect.any(String) },
      prompts: { user_prompt_template: expect.stringContaining('{question}') },
      sources: { ai_infra: { llm_temperature: 'database' }, genie_space: { space_id: 'database' } },
      stale: false,
    });
    const again = await server.api().get('/api/config/resolved').set('accept-encoding', 'identity').set('If-None-Match', response.headers.etag).expect(304);
    expect(again.headers.etag).toBe(response.headers.etag);
    expect(again.text).toBe('');
    await server.api().get('/api/config/resolved').set('If-None-Match', `"other", W/${response.headers.etag}`).expect(304);
    await server.api().get('/api/config/resolved').set('If-None-Match', '"other"').expect(200);
  });

  it('sends the same body br- or gzip-compressed, as the client accepts, under the same ETag made weak', async () => {
    const plain = await server.api().get('/api/config/resolved').set('accept-encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    for (const encoding of ['br', 'gzip']) {
      const compressed = await server.api().get('/api/config/resolved').set('accept-encoding', encoding).expect(200);
      expect(compressed.headers['content-encoding']).toBe(encoding);
      expect(compressed.headers.vary).toMatch(/accept-encoding/i);
      expect(compressed.headers.etag).toBe(`W/${plain.headers.etag}`);
      expect(compressed.body).toEqual(plain.body); // supertest decodes both
      // Either form revalidates either representation (If-None-Match compares weakly).
      const revalidated = await server.api().get('/api/config/resolved').set('accept-encoding', encoding).set('If-None-Match', compressed.headers.etag).expect(304);
      expect(revalidated.headers.etag).toBe(compressed.headers.etag);
      await server.api().get('/api/config/resolved').set('accept-encoding', 'identity').set('If-None-Match', compressed.headers.etag).expect(304);
    }
  });

  it('reflects a change at once on the writing instance, and within milliseconds on another', async () => {
    const before = await other.api().get(`/api/config/resolved?profile_id=${defaultId}`).expect(200);
    await server.api().put(`/api/config/ai-infra/${defaultId}`).send({ llm_temperature: 0.25 }).expect(200);
    const own = await server.api().get(`/api/config/resolved?profile_id=${defaultId}`).expect(200);
    expect(own.body.ai_infra.llm_temperature).toBe(0.25);

    const { value, ms } = await eventually(async () => {
      const response = await other.api().get(`/api/config/resolved?profile_id=${defaultId}`).set('If-None-Match', before.headers.etag).expect(200);
      expect(response.body.ai_infra.llm_temperature).toBe(0.25);
      return response;
    });
    expect(value.headers.etag).not.toBe(before.headers.etag);
    console.log(`resolved on the other instance reflected the change after ${ms.toFixed(1)} ms`);
  });

  it('resolves through a session, and follows the session when it loads another profile', async () => {
    const fast = (await server.api().post('/api/config/profiles').send({ name: 'Fast' }).expect(201)).body;
    await server.api().put(`/api/config/ai-infra/${fast.id}`).send({ llm_max_tokens: 500 }).expect(200);
    const { session_id } = (await server.api().post(`/api/config/profiles/${defaultId}/load`).expect(200)).body;
    const bySession = await other.api().get(`/api/config/resolved?session_id=${session_id}`).expect(200);
    expect(bySession.body.profile.id).toBe(defaultId);

    await server.api().post(`/api/config/profiles/${fast.id}/load`).send({ session_id }).expect(200);
    await eventually(async () => {
      const moved = await other.api().get(`/api/config/resolved?session_id=${session_id}`).expect(200);
      expect(moved.body).toMatchObject({ profile: { id: fast.id, name: 'Fast' }, ai_infra: { llm_max_tokens: 500 } });
    });
  });

  it('follows the default profile when another becomes the default', async () => {
    const next = (await server.api().post('/api/config/profiles').send({ name: 'Next Default' }).expect(201)).body;
    await other.api().get('/api/config/resolved').expect(200);
    await server.api().post(`/api/config/profiles/${next.id}/set-default`).expect(200);
    await eventually(async () => {
      expect((await other.api().get('/api/config/resolved').expect(200)).body.profile.id).toBe(next.id);
    });
    await server.api().post(`/api/config/profiles/${defaultId}/set-default`).expect(200);
  });

  it('answers bad requests with problem details', async () => {
    const both = await server.api().get(`/api/config/resolved?profile_id=1&session_id=6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c`).expect(400);
    expect(both.headers['content-type']).toMatch(PROBLEM);
    await server.api().get('/api/config/resolved?profile_id=99999').expect(404);
    await server.api().get('/api/config/resolved?session_id=6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c').expect(404);
    await server.api().get('/api/config/resolved?session_id=nope').expect(400);
    await server.api().get('/api/config/resolved?profile_id=abc').expect(400);
  });

  it('picks up rows edited by hand after POST /api/config/reload, on every instance', async () => {
    await other.api().get(`/api/config/resolved?profile_id=${defaultId}`).expect(200);
    await db.sql.query(`UPDATE config_mlflow SET experiment_name = '/Shared/by-hand' WHERE profile_id = $1`, [defaultId]);
    await server.api().post('/api/config/reload').expect(200);
    expect((await server.api().get(`/api/config/resolved?profile_id=${defaultId}`).expect(200)).body.mlflow.experiment_name).toBe('/Shared/by-hand');
    await eventually(async () => {
      expect((await other.api().get(`/api/config/resolved?profile_id=${defaultId}`).expect(200)).body.mlflow.experiment_name).toBe('/Shared/by-hand');
    });
  });

  describe('with environment overrides', () => {
    let overridden: TestApp;

    beforeAll(async () => {
      overridden = await startTestApp(db.url, {
        env: { SWITCHBOARD__AI_INFRA__LLM_MAX_TOKENS: '1234', SWITCHBOARD__MLFLOW__EXPERIMENT_NAME: '/Shared/from-env' },
      });
    });
    afterAll(() => overridden.close());

    it('applies them over the database and says so, whatever the database holds', async () => {
      await server.api().put(`/api/config/ai-infra/${defaultId}`).send({ llm_max_tokens: 777 }).expect(200);
      await eventually(async () => {
        const response = await overridden.api().get(`/api/config/resolved?profile_id=${defaultId}`).expect(200);
        expect(response.body.ai_infra).toMatchObject({ llm_max_tokens: 1234, llm_temperature: 0.25 });
        expect(response.body.mlflow.experiment_name).toBe('/Shared/from-env');
        expect(response.body.sources.ai_infra).toMatchObject({ llm_max_tokens: 'env', llm_temperature: 'database' });
        expect(response.body.sources.mlflow).toEqual({ experiment_name: 'env' });
      });
    });

    it('refuses to start with an override the API would refuse', async () => {
      await expect(startTestApp(db.url, { env: { SWITCHBOARD__AI_INFRA__LLM_TOP_P: '7' } })).rejects.toThrow(
        /SWITCHBOARD__AI_INFRA__LLM_TOP_P: llm_top_p must be at most 1/,
      );
    });
  });
});
