import type { Response } from 'supertest';
import { startTestApp, TEST_ADMIN_NAME, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

interface Entry {
  id: number;
  profile_id: number | null;
  profile_name: string;
  domain: string;
  action: string;
  changed_by: string;
  changes: Record<string, { old: unknown; new: unknown }>;
  request_id: string | null;
}

describe('audit history', () => {
  let db: TestDatabase;
  let server: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp(db.url);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  const api = () => server.api();
  const entryCount = async () => (await db.sql.query('SELECT count(*)::int AS n FROM config_history')).rows[0].n;
  const newest = async (): Promise<Entry> => (await api().get('/api/config/history?limit=1').expect(200)).body[0];

  /** Runs a write and returns the entries it added (oldest first). */
  async function entriesOf(write: () => Promise<unknown>): Promise<Entry[]> {
    const before = (await db.sql.query('SELECT coalesce(max(id), 0) AS id FROM config_history')).rows[0].id;
    await write();
    const { rows } = await db.sql.query('SELECT id FROM config_history WHERE id > $1 ORDER BY id', [before]);
    const all: Entry[] = (await api().get('/api/config/history?limit=500').expect(200)).body;
    return rows.map((r) => all.find((e) => e.id === Number(r.id))!);
  }

  it('records the seeded default profile as created by system', async () => {
    const { rows } = await db.sql.query(`SELECT domain, action, changed_by, snapshot->>'name' AS name FROM config_history`);
    expect(rows).toEqual([{ domain: 'profile', action: 'create', changed_by: 'system', name: 'default' }]);
  });

  it('writes exactly one entry per write (set-default one per profile it moves), with the action, the changed fields only, and the request id', async () => {
    let profileId = 0;
    const [created] = await entriesOf(async () => {
      profileId = (await api().post('/api/config/profiles').set('X-Request-Id', 'create-1').send({ name: 'Audited' }).expect(201)).body.id;
    });
    expect(created).toMatchObject({ profile_id: profileId, profile_name: 'Audited', domain: 'profile', action: 'create', changed_by: TEST_ADMIN_NAME, request_id: 'create-1' });

    const cases: [() => Promise<unknown>, Partial<Entry> | Partial<Entry>[]][] = [
      [() => api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.2, llm_endpoint: 'databricks-claude-sonnet-4-5' }).expect(200),
        { domain: 'ai_infra', action: 'update', changes: { llm_temperature: { old: 0.7, new: 0.2 } } }],
      [() => api().put(`/api/config/mlflow/${profileId}`).send({ experiment_name: '/Shared/audited' }).expect(200),
        { domain: 'mlflow', action: 'update', changes: { experiment_name: { old: '/Workspace/Users/{username}/ai-slide-generator', new: '/Shared/audited' } } }],
      [() => api().put(`/api/config/prompts/${profileId}`).send({ system_prompt: 'Short.' }).expect(200),
        { domain: 'prompts', action: 'update', changes: { system_prompt: { old: expect.any(String), new: 'Short.' } } }],
      [() => api().post(`/api/config/genie/${profileId}`).send({ space_id: 'b'.repeat(32), space_name: 'B' }).expect(201),
        { domain: 'genie', action: 'create', changes: { space_id: { old: null, new: 'b'.repeat(32) } } }],
      [() => api().put(`/api/config/profiles/${profileId}`).send({ description: 'Now described' }).expect(200),
        { domain: 'profile', action: 'update', changes: { description: { old: null, new: 'Now described' } } }],
      [() => api().post(`/api/config/profiles/${profileId}/set-default`).expect(200), [
        { domain: 'profile', action: 'set_default', profile_name: 'Audited', changes: { is_default: { old: false, new: true } } },
        { domain: 'profile', action: 'set_default', profile_name: 'default', changes: { is_default: { old: true, new: false } } },
      ]],
      [() => api().post(`/api/config/profiles/${profileId}/duplicate`).send({ name: 'Audited Copy' }).expect(201),
        { domain: 'profile', action: 'duplicate', profile_name: 'Audited Copy' }],
      [() => api().post(`/api/config/profiles/${profileId}/load`).expect(200), { domain: 'profile', action: 'load' }],
    ];
    for (const [write, expected] of cases) {
      const entries = await entriesOf(write);
      expect(entries).toEqual((Array.isArray(expected) ? expected : [expected]).map((entry) => expect.objectContaining(entry)));
    }
  });

  it.each([
    ['a malformed body (400)', () => api().put('/api/config/ai-infra/1').send({ llm_temperature: 'hot' }).expect(400)],
    ['a duplicate name (409)', () => api().post('/api/config/profiles').send({ name: 'AUDITED' }).expect(409)],
    ['a stale If-Match (412)', () => api().put('/api/config/mlflow/1').set('If-Match', '"v999"').send({ experiment_name: 'x' }).expect(412)],
    ['a value out of range (422)', () => api().put('/api/config/ai-infra/1').send({ llm_temperature: 7 }).expect(422)],
    ['a template error (422)', () => api().put('/api/config/prompts/1').send({ user_prompt_template: 'no placeholders' }).expect(422)],
  ])('writes no entry for %s', async (_case, write) => {
    const before = await entryCount();
    await write();
    expect(await entryCount()).toBe(before);
  });

  it('rolls the change back when its audit entry cannot be written', async () => {
    const profileId = (await db.sql.query(`SELECT id FROM config_profiles WHERE name = 'default'`)).rows[0].id;
    const before = (await db.sql.query('SELECT experiment_name, version FROM config_mlflow WHERE profile_id = $1', [profileId])).rows[0];
    const entries = await entryCount();
    await db.sql.query(`ALTER TABLE config_history ADD CONSTRAINT provoke_audit_failure CHECK (domain <> 'mlflow') NOT VALID`);
    try {
      const response = await api().put(`/api/config/mlflow/${profileId}`).send({ experiment_name: '/Shared/never' });
      expect(response.status).toBeGreaterThanOrEqual(400);
    } finally {
      await db.sql.query('ALTER TABLE config_history DROP CONSTRAINT provoke_audit_failure');
    }
    expect((await db.sql.query('SELECT experiment_name, version FROM config_mlflow WHERE profile_id = $1', [profileId])).rows[0]).toEqual(before);
    expect(await entryCount()).toBe(entries);
  });

  it('keeps the entries of a deleted profile, with its name, and adds a delete entry', async () => {
    const doomed = (await api().post('/api/config/profiles').send({ name: 'Short Lived' }).expect(201)).body;
    await api().put(`/api/config/ai-infra/${doomed.id}`).send({ llm_max_tokens: 1000 }).expect(200);
    await api().delete(`/api/config/profiles/${doomed.id}`).expect(204);
    const entries: Entry[] = (await api().get('/api/config/history?limit=500').expect(200)).body.filter((e: Entry) => e.profile_name === 'Short Lived');
    expect(entries.map((e) => [e.action, e.domain, e.profile_id])).toEqual([
      ['delete', 'profile', null],
      ['update', 'ai_infra', null],
      ['create', 'profile', null],
    ]);
    await api().get(`/api/config/history/${doomed.id}`).expect(404);
    await api().get(`/api/config/history/${doomed.id}?since=2999-01-01T00:00:00Z`).expect(404);
    // A profile that exists answers an empty page when nothing matches, not 404.
    const kept = (await api().post('/api/config/profiles').send({ name: 'Still Here' }).expect(201)).body;
    expect((await api().get(`/api/config/history/${kept.id}?since=2999-01-01T00:00:00Z`).expect(200)).body).toEqual([]);
  });

  it('filters by profile, domain, action, principal and time', async () => {
    const profileId = (await db.sql.query(`SELECT id FROM config_profiles WHERE name = 'Audited'`)).rows[0].id;
    const own: Entry[] = (await api().get(`/api/config/history/${profileId}`).expect(200)).body;
    expect(own.length).toBeGreaterThan(5);
    expect(own.every((e) => e.profile_id === profileId)).toBe(true);
    const updates: Entry[] = (await api().get(`/api/config/history/${profileId}?domain=ai_infra&action=update`).expect(200)).body;
    expect(updates.map((e) => e.changes)).toEqual([{ llm_temperature: { old: 0.7, new: 0.2 } }]);
    expect((await api().get('/api/config/history?changed_by=system').expect(200)).body).toHaveLength(1);
    expect((await api().get('/api/config/history?since=2999-01-01T00:00:00Z').expect(200)).body).toEqual([]);
    expect((await api().get('/api/config/history?until=2000-01-01T00:00:00Z').expect(200)).body).toEqual([]);
    await api().get('/api/config/history?domain=Weather!').expect(422);
    await api().get('/api/config/history?since=yesterday').expect(422);
    await api().get('/api/config/history?cursor=bm9wZQ').expect(400);
  });

  it('pages newest first through a Link cursor, each entry exactly once while writes go on', async () => {
    const expected: number[] = (await api().get('/api/config/history?limit=500').expect(200)).body.map((e: Entry) => e.id);
    const seen: number[] = [];
    let url: string | undefined = '/api/config/history?limit=3';
    let writes = 0;
    while (url) {
      const page: Response = await api().get(url).expect(200);
      seen.push(...page.body.map((e: Entry) => e.id));
      if (writes++ < 4) await api().put('/api/config/ai-infra/1').send({ llm_max_tokens: 2000 + writes }).expect(200);
      url = /<([^>]+)>; rel="next"/.exec(page.headers.link ?? '')?.[1];
    }
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await newest()).changes).toEqual({ llm_max_tokens: { old: 2003, new: 2004 } });
  });
});
