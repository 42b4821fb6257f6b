import { startFakeDatabricks } from './support/fake-databricks.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const TOKEN = 'dapi-test-token-never-shown';
const KNOWN_SPACE = 'cccccccccccccccccccccccccccccccc';
const PROBLEM = /^application\/problem\+json/;

/** Routes that ask Databricks, run with the real adapter against a local fake workspace. */
describe('routes backed by Databricks', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function withApp(env: Record<string, string>, run: (app: TestApp) => Promise<void>): Promise<void> {
    const app = await startTestApp(db.url, { env });
    try {
      await run(app);
    } finally {
      await app.close();
    }
  }

  describe('without DATABRICKS_HOST', () => {
    it('lists the fallback endpoints and says so in a header', () =>
      withApp({ SWITCHBOARD_FALLBACK_ENDPOINTS: 'my-llama,databricks-b,databricks-a' }, async (app) => {
        const response = await app.api().get('/api/config/ai-infra/endpoints').expect(200);
        expect(response.headers['x-endpoints-source']).toBe('fallback');
        expect(response.body).toEqual(['databricks-a', 'databricks-b', 'my-llama']);
      }));

    it('answers Genie validation with 503 naming the variables to set', () =>
      withApp({}, async (app) => {
        const response = await app.api().post('/api/config/genie/validate').send({ space_id: KNOWN_SPACE }).expect(503);
        expect(response.headers['content-type']).toMatch(PROBLEM);
        expect(response.body.detail).toMatch(/DATABRICKS_HOST/);
      }));
  });

  describe('with a workspace', () => {
    let fake: Awaited<ReturnType<typeof startFakeDatabricks>>;
    let env: Record<string, string>;

    beforeAll(async () => {
      fake = await startFakeDatabricks({
        'GET /api/2.0/serving-endpoints': () => ({
          status: 200,
          body: { endpoints: [{ name: 'team-gpt', state: { ready: 'READY' } }, { name: 'databricks-claude-sonnet-4-5', state: { ready: 'READY' } }] },
        }),
        [`GET /api/2.0/genie/spaces/${KNOWN_SPACE}`]: () => ({ status: 200, body: { space_id: KNOWN_SPACE, title: 'Sales', description: 'Orders' } }),
        'GET /api/2.0/genie/spaces/dddddddddddddddddddddddddddddddd': () => ({ status: 401, body: { error_code: 'UNAUTHENTICATED' } }),
        'GET /api/2.0/genie/spaces/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee': () => 'hang',
      });
      env = { DATABRICKS_HOST: fake.url, DATABRICKS_TOKEN: TOKEN, DATABRICKS_TIMEOUT_MS: '300' };
    });
    afterAll(() => fake.close());

    it('lists the workspace endpoints, databricks- names first, sent with the token', () =>
      withApp(env, async (app) => {
        const response = await app.api().get('/api/config/ai-infra/endpoints').expect(200);
        expect(response.headers['x-endpoints-source']).toBe('workspace');
        expect(response.body).toEqual(['databricks-claude-sonnet-4-5', 'team-gpt']);
        expect(fake.requests.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
      }));

    it('validates AI infrastructure values and says whether the endpoint is known', () =>
      withApp(env, async (app) => {
        const known = await app.api().post('/api/config/ai-infra/validate').send({ llm_endpoint: 'team-gpt', llm_temperature: 0.3 }).expect(200);
        expect(known.body).toEqual({ valid: true, endpoint_known: true, endpoints_source: 'workspace', warnings: [] });
        const unknown = await app.api().post('/api/config/ai-infra/validate').send({ llm_endpoint: 'nope' }).expect(200);
        expect(unknown.body).toMatchObject({ endpoint_known: false, warnings: [expect.stringMatching(/"nope" is not among/)] });
        await app.api().post('/api/config/ai-infra/validate').send({ llm_temperature: 3 }).expect(422);
      }));

    it('validates Genie spaces: reachable, unknown, rejected token (502), no answer (504)', () =>
      withApp(env, async (app) => {
        const ok = await app.api().post('/api/config/genie/validate').send({ space_id: KNOWN_SPACE }).expect(200);
        expect(ok.body).toMatchObject({ space_id: KNOWN_SPACE, reachable: true, title: 'Sales' });
        const missing = await app.api().post('/api/config/genie/validate').send({ space_id: 'f'.repeat(32) }).expect(200);
        expect(missing.body).toMatchObject({ reachable: false });

        const rejected = await app.api().post('/api/config/genie/validate').send({ space_id: 'd'.repeat(32) }).expect(502);
        expect(rejected.headers['content-type']).toMatch(PROBLEM);
        expect(rejected.body.detail).toMatch(/rejected the configured token/);
        expect(JSON.stringify(rejected.body)).not.toContain(TOKEN);

        const slow = await app.api().post('/api/config/genie/validate').send({ space_id: 'e'.repeat(32) }).expect(504);
        expect(slow.body.type).toBe('urn:switchboard:problem:databricks-timeout');

        await app.api().post('/api/config/genie/validate').send({ space_id: 'short' }).expect(422);
      }));
  });
});
