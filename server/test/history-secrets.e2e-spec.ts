import { startFakeDatabricks } from './support/fake-databricks.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const TOKEN = 'dapi-secret-0123456789abcdef-must-never-be-stored';
const SPACE = 'c'.repeat(32);
const TABLES = ['config_history', 'config_profiles', 'config_ai_infra', 'config_genie_spaces', 'config_mlflow', 'config_prompts'];

/** The Databricks token is configuration of the server, never of a profile: no audit entry, row or export holds it. */
describe('secrets stay out of history and exports', () => {
  let db: TestDatabase;
  let server: TestApp;
  let fake: Awaited<ReturnType<typeof startFakeDatabricks>>;

  beforeAll(async () => {
    fake = await startFakeDatabricks({
      'GET /api/2.0/serving-endpoints': () => ({ status: 200, body: { endpoints: [{ name: 'databricks-claude-sonnet-4-5' }] } }),
      [`GET /api/2.0/genie/spaces/${SPACE}`]: () => ({ status: 200, body: { space_id: SPACE, title: 'Sales' } }),
    });
    db = await createTestDatabase();
    server = await startTestApp(db.url, { env: { DATABRICKS_HOST: fake.url, DATABRICKS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
    await fake.close();
  });

  const api = () => server.api();

  it('writes no token into any history row, configuration row or export, through every kind of write', async () => {
    await api().get('/api/config/ai-infra/endpoints').expect(200);
    await api().post('/api/config/genie/validate').send({ space_id: SPACE }).expect(200);
    expect(fake.requests.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);

    const profile = (await api().post('/api/config/profiles').send({ name: 'Secretive' }).expect(201)).body;
    await api().put(`/api/config/ai-infra/${profile.id}`).send({ llm_temperature: 0.4 }).expect(200);
    const space = (await api().post(`/api/config/genie/${profile.id}`).send({ space_id: SPACE, space_name: 'Sales' }).expect(201)).body;
    await api().post(`/api/config/genie/${space.id}/set-default`).expect(200);
    await api().put(`/api/config/mlflow/${profile.id}`).send({ experiment_name: '/Shared/secretive' }).expect(200);
    await api().put(`/api/config/prompts/${profile.id}`).send({ system_prompt: 'Keep secrets.' }).expect(200);
    await api().post(`/api/config/profiles/${profile.id}/load`).expect(200);
    const copy = (await api().post(`/api/config/profiles/${profile.id}/duplicate`).send({ name: 'Secretive Copy' }).expect(201)).body;
    const exported = (await api().get(`/api/config/profiles/${profile.id}/export`).expect(200)).body;
    await api().post('/api/config/profiles/import?name=Imported').send(exported).expect(201);
    const [firstEntry] = (await api().get(`/api/config/history/${profile.id}?action=create`).expect(200)).body;
    await api().post(`/api/config/history/entries/${firstEntry.id}/restore`).expect(200);
    await api().delete(`/api/config/profiles/${copy.id}`).expect(204);

    const actions = (await db.sql.query('SELECT DISTINCT action FROM config_history ORDER BY 1')).rows.map((row) => row.action);
    expect(actions).toEqual(['create', 'delete', 'duplicate', 'import', 'load', 'restore', 'set_default', 'update']);
    for (const table of TABLES) {
      const { rows } = await db.sql.query(`SELECT count(*)::int AS n FROM ${table} t WHERE strpos(t::text, $1) > 0`, [TOKEN]);
      expect({ table, rows: rows[0].n }).toEqual({ table, rows: 0 });
    }
    const ids = (await db.sql.query('SELECT id FROM config_profiles')).rows.map((row) => row.id);
    for (const id of ids) {
      const response = await api().get(`/api/config/profiles/${id}/export`).expect(200);
      expect(response.text).not.toContain(TOKEN);
    }
  });
});
