import { startTestApp, TEST_ADMIN_NAME, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;
const DOMAIN_TABLES = ['config_ai_infra', 'config_genie_spaces', 'config_mlflow', 'config_prompts'];

describe('Profiles API', () => {
  let db: TestDatabase;
  let server: TestApp;
  let defaultId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp(db.url);
    defaultId = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  const api = () => server.api();
  const count = async (sql: string, values: unknown[] = []) => (await db.sql.query(`SELECT count(*)::int AS n FROM ${sql}`, values)).rows[0].n;
  const domainRows = async (profileId: number) =>
    Promise.all(DOMAIN_TABLES.map((table) => count(`${table} WHERE profile_id = $1`, [profileId])));
  const create = async (name: string, extra: object = {}) => (await api().post('/api/config/profiles').send({ name, ...extra }).expect(201)).body;

  describe('create', () => {
    it('creates a profile from the defaults with all its domain rows, and says where it is', async () => {
      const response = await api().post('/api/config/profiles').send({ name: 'Fast Mode', description: 'Low latency' }).expect(201);
      expect(response.headers.location).toBe(`/api/config/profiles/${response.body.id}`);
      expect(response.headers.etag).toBe('"v1"');
      expect(response.body).toMatchObject({
        name: 'Fast Mode',
        description: 'Low latency',
        is_default: false,
        created_by: TEST_ADMIN_NAME,
        ai_infra: { llm_endpoint: 'databricks-claude-sonnet-4-5', llm_temperature: 0.7, llm_max_tokens: 60000 },
        genie_spaces: [expect.objectContaining({ space_id: '01effebcc2781b6bbb749077a55d31e3', is_default: true })],
        mlflow: { experiment_name: '/Workspace/Users/{username}/ai-slide-generator' },
        prompts: { user_prompt_template: expect.stringContaining('{question}') },
      });
      expect(await domainRows(response.body.id)).toEqual([1, 1, 1, 1]);
    });

    it('copies every domain and Genie space from copy_from_profile_id', async () => {
      const source = await create('Source');
      await api().put(`/api/config/ai-infra/${source.id}`).send({ llm_temperature: 0.15, llm_top_p: 0.5 }).expect(200);
      await api().put(`/api/config/mlflow/${source.id}`).send({ experiment_name: '/Shared/source' }).expect(200);
      await api().put(`/api/config/prompts/${source.id}`).send({ system_prompt: 'Be brief.' }).expect(200);
      await api().post(`/api/config/genie/${source.id}`).send({ space_id: 'a'.repeat(32), space_name: 'Extra', is_default: true }).expect(201);

      const copy = (await api().post('/api/config/profiles').send({ name: 'Copy', copy_from_profile_id: source.id }).expect(201)).body;
      expect(copy.ai_infra).toMatchObject({ llm_temperature: 0.15, llm_top_p: 0.5, version: 1 });
      expect(copy.mlflow.experiment_name).toBe('/Shared/source');
      expect(copy.prompts.system_prompt).toBe('Be brief.');
      expect(copy.genie_spaces.map((s: { space_id: string; is_default: boolean }) => [s.space_id, s.is_default])).toEqual([
        ['a'.repeat(32), true],
        ['01effebcc2781b6bbb749077a55d31e3', false],
      ]);
      expect(await domainRows(copy.id)).toEqual([1, 2, 1, 1]);
    });

    it.each([
      ['a name taken in another case', 409, { name: 'fast mode' }],
      ['a blank name', 422, { name: '   ' }],
      ['a name of 101 characters', 422, { name: 'x'.repeat(101) }],
      ['no name', 400, { description: 'x' }],
      ['an unknown property', 400, { name: 'ok', colour: 'blue' }],
      ['a source that does not exist', 422, { name: 'orphan', copy_from_profile_id: 987654 }],
    ])('refuses %s with %i and writes nothing', async (_case, status, body) => {
      const before = await count('config_profiles');
      const response = await api().post('/api/config/profiles').send(body).expect(status);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.body.errors?.length).toBeGreaterThan(0);
      expect(await count('config_profiles')).toBe(before);
    });

    it('writes the profile and its domains in one transaction', async () => {
      await db.sql.query(`
        CREATE FUNCTION fail_mlflow_for_atomic() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT name FROM config_profiles WHERE id = NEW.profile_id) = 'atomic' THEN
            RAISE EXCEPTION 'provoked' USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER fail_mlflow_for_atomic BEFORE INSERT ON config_mlflow FOR EACH ROW EXECUTE FUNCTION fail_mlflow_for_atomic();`);
      try {
        const profiles = await count('config_profiles');
        const aiRows = await count('config_ai_infra');
        await api().post('/api/config/profiles').send({ name: 'atomic' }).expect(422);
        expect(await count('config_profiles')).toBe(profiles);
        expect(await count('config_ai_infra')).toBe(aiRows);
      } finally {
        await db.sql.query('DROP TRIGGER fail_mlflow_for_atomic ON config_mlflow; DROP FUNCTION fail_mlflow_for_atomic();');
      }
    });
  });

  describe('read', () => {
    it('lists profiles as an array, with search, total and page links', async () => {
      await create('Prod EU');
      await create('Prod US');
      const all = await api().get('/api/config/profiles').expect(200);
      expect(Array.isArray(all.body)).toBe(true);
      expect(Number(all.headers['x-total-count'])).toBe(await count('config_profiles'));
      expect(all.headers.link).toBeUndefined();

      const page = await api().get('/api/config/profiles?search=PROD&limit=1').expect(200);
      expect(page.body.map((p: { name: string }) => p.name)).toEqual(['Prod EU']);
      expect(page.headers['x-total-count']).toBe('2');
      expect(page.headers.link).toContain('</api/config/profiles?search=PROD&limit=1&offset=1>; rel="next"');
      const next = await api().get('/api/config/profiles?search=PROD&limit=1&offset=1').expect(200);
      expect(next.body.map((p: { name: string }) => p.name)).toEqual(['Prod US']);

      await api().get('/api/config/profiles?search=%25').expect(200, []);
      await api().get('/api/config/profiles?limit=0').expect(422);
      await api().get('/api/config/profiles?limit=ten').expect(400);
    });

    it('sorts by name, last change (of any domain) and its author, and searches descriptions', async () => {
      const busy = await create('Sort Busy', { description: 'kept for sorting' });
      await create('Sort Quiet', { description: 'kept for sorting' });
      // Busy was created first; a domain write, not the profile row, makes it the last changed.
      const zed = (await api().post('/api/auth/tokens').send({ name: 'zed', role: 'editor' }).expect(201)).body.token;
      await server.api(zed).put(`/api/config/mlflow/${busy.id}`).send({ experiment_name: '/Shared/busy' }).expect(200);
      const names = async (sort: string) =>
        (await api().get(`/api/config/profiles?search=kept%20for%20SORTING&sort=${sort}`).expect(200)).body.map((p: { name: string }) => p.name);

      expect(await names('name')).toEqual(['Sort Busy', 'Sort Quiet']);
      expect(await names('-name')).toEqual(['Sort Quiet', 'Sort Busy']);
      expect(await names('-last_changed_at')).toEqual(['Sort Busy', 'Sort Quiet']);
      expect(await names('last_changed_at')).toEqual(['Sort Quiet', 'Sort Busy']);
      expect(await names('last_changed_by')).toEqual(['Sort Quiet', 'Sort Busy']); // admin before zed
      expect(await names('-last_changed_by')).toEqual(['Sort Busy', 'Sort Quiet']);
      const [row] = (await api().get('/api/config/profiles?search=Sort%20Busy').expect(200)).body;
      const [newest] = (await db.sql.query(`SELECT "timestamp", changed_by FROM config_history WHERE profile_id = $1 ORDER BY id DESC LIMIT 1`, [busy.id])).rows;
      expect(row).toMatchObject({ last_changed_by: 'zed', last_changed_at: newest.timestamp.toISOString(), updated_at: busy.updated_at });

      const [first] = (await api().get('/api/config/profiles?sort=default&limit=1').expect(200)).body;
      expect(first.id).toBe(defaultId);
      const wrong = await api().get('/api/config/profiles?sort=colour').expect(422);
      expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'sort', message: expect.stringContaining('sort must be one of name, -name') })]);
      const past = await api().get('/api/config/profiles?search=kept%20for&offset=5').expect(200, []);
      expect(past.headers['x-total-count']).toBe('2');
    });

    it('answers the detail with an ETag, and the default profile', async () => {
      const detail = await api().get(`/api/config/profiles/${defaultId}`).expect(200);
      expect(detail.headers.etag).toBe(`"v${detail.body.version}"`);
      expect(Object.keys(detail.body)).toEqual(expect.arrayContaining(['ai_infra', 'genie_spaces', 'mlflow', 'prompts', 'created_by']));
      const byDefault = await api().get('/api/config/profiles/default').expect(200);
      expect(byDefault.body.id).toBe(defaultId);
      await api().get('/api/config/profiles/31337').expect(404);
      await api().get('/api/config/profiles/one').expect(400);
    });
  });

  describe('change', () => {
    it('renames with If-Match, refuses a stale one (412) and a taken name (409)', async () => {
      const profile = await create('Rename Me');
      const renamed = await api().put(`/api/config/profiles/${profile.id}`).set('If-Match', '"v1"').send({ name: 'Renamed' }).expect(200);
      expect(renamed.body).toMatchObject({ name: 'Renamed', version: 2, updated_by: TEST_ADMIN_NAME });
      await api().put(`/api/config/profiles/${profile.id}`).set('If-Match', '"v1"').send({ name: 'Stale' }).expect(412);
      const taken = await api().put(`/api/config/profiles/${profile.id}`).send({ name: 'FAST MODE' }).expect(409);
      expect(taken.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(/already exists/) }]);
      const { rows } = await db.sql.query('SELECT name, version FROM config_profiles WHERE id = $1', [profile.id]);
      expect(rows).toEqual([{ name: 'Renamed', version: 2 }]);
    });

    it('sets the default, demoting the previous one', async () => {
      const next = await create('Next Default');
      const response = await api().post(`/api/config/profiles/${next.id}/set-default`).expect(200);
      expect(response.body).toMatchObject({ id: next.id, is_default: true });
      const { rows } = await db.sql.query('SELECT id FROM config_profiles WHERE is_default');
      expect(rows).toEqual([{ id: next.id }]);
      await api().post(`/api/config/profiles/${defaultId}/set-default`).expect(200);
    });

    it('ends with exactly one default when many set-default requests race', async () => {
      const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => create(`Racer ${i}`).then((p) => p.id as number)));
      const responses = await Promise.all(ids.map((id) => api().post(`/api/config/profiles/${id}/set-default`)));
      expect(responses.map((r) => r.status)).toEqual(ids.map(() => 200));
      expect(await count('config_profiles WHERE is_default')).toBe(1);
      await api().post(`/api/config/profiles/${defaultId}/set-default`).expect(200);
    });

    it('duplicates a profile under a new name', async () => {
      const copy = await api().post(`/api/config/profiles/${defaultId}/duplicate`).send({ name: 'Default Copy' }).expect(201);
      expect(copy.body).toMatchObject({ name: 'Default Copy', is_default: false });
      expect(await domainRows(copy.body.id)).toEqual([1, 1, 1, 1]);
      await api().post(`/api/config/profiles/${defaultId}/duplicate`).send({ name: 'default copy' }).expect(409);
      await api().post('/api/config/profiles/424242/duplicate').send({ name: 'nothing' }).expect(404);
    });

    it('answers 404, not a complaint about copy_from_profile_id, when a delete wins the race against a duplicate', async () => {
      const doomed = await create('Doomed');
      // Hold the row so that the duplicate waits, then delete it under the waiting request.
      await db.sql.query('BEGIN');
      await db.sql.query('SELECT 1 FROM config_profiles WHERE id = $1 FOR UPDATE', [doomed.id]);
      const duplicate = api().post(`/api/config/profiles/${doomed.id}/duplicate`).send({ name: 'Too late' }).then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await db.sql.query('DELETE FROM config_profiles WHERE id = $1', [doomed.id]);
      await db.sql.query('COMMIT');
      const response = await duplicate;
      expect(response.status).toBe(404);
      expect(response.body.errors).toBeUndefined();
      expect(await count(`config_profiles WHERE name = 'Too late'`)).toBe(0);
    });
  });

  describe('load and delete', () => {
    it('starts a session when none is given and re-binds an existing one', async () => {
      const profile = await create('Session Profile');
      const started = await api().post(`/api/config/profiles/${profile.id}/load`).expect(200);
      const sessionId = started.body.session_id;
      expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(started.headers['x-session-id']).toBe(sessionId);
      expect(started.body).toMatchObject({ id: profile.id, ai_infra: expect.any(Object) });

      const other = await create('Other Session Profile');
      await api().post(`/api/config/profiles/${other.id}/load`).send({ session_id: sessionId }).expect(200);
      const { rows } = await db.sql.query('SELECT profile_id FROM agent_sessions WHERE id = $1', [sessionId]);
      expect(rows).toEqual([{ profile_id: other.id }]);

      await api().post(`/api/config/profiles/${other.id}/load`).send({ session_id: '00000000-0000-4000-8000-000000000000' }).expect(404);
      await api().post(`/api/config/profiles/${other.id}/load`).send({ session_id: 'not-a-uuid' }).expect(400);
    });

    it('deletes a profile with its domains, refusing the default and one a live session uses', async () => {
      const doomed = await create('Doomed');
      await api().delete(`/api/config/profiles/${defaultId}`).expect(409);

      const { body } = await api().post(`/api/config/profiles/${doomed.id}/load`).expect(200);
      const inUse = await api().delete(`/api/config/profiles/${doomed.id}`).expect(409);
      expect(inUse.body.detail).toMatch(/1 live agent session/);
      expect(await count('config_profiles WHERE id = $1', [doomed.id])).toBe(1);
      const listed = async () => (await api().get('/api/config/profiles?search=Doomed').expect(200)).body[0].live_sessions;
      expect(await listed()).toBe(1);

      await db.sql.query(`UPDATE agent_sessions SET last_seen_at = now() - interval '1 day' WHERE id = $1`, [body.session_id]);
      expect(await listed()).toBe(0);
      await api().delete(`/api/config/profiles/${doomed.id}`).expect(204);
      expect(await count('config_profiles WHERE id = $1', [doomed.id])).toBe(0);
      expect(await domainRows(doomed.id)).toEqual([0, 0, 0, 0]);
      expect(await count('agent_sessions WHERE id = $1', [body.session_id])).toBe(0);
      await api().delete(`/api/config/profiles/${doomed.id}`).expect(404);
    });
  });
});
