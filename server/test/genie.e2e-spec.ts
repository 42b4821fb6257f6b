import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const SPACE_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SPACE_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe('Genie spaces API', () => {
  let db: TestDatabase;
  let server: TestApp;
  let profileId: number;
  let emptyProfileId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp(db.url);
    profileId = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
    const created = await server.api().post('/api/config/profiles').send({ name: 'no spaces' }).expect(201);
    emptyProfileId = created.body.id;
    await server.api().delete(`/api/config/genie/${created.body.genie_spaces[0].id}`).expect(204);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  const api = () => server.api();
  const spaces = async (id: number) =>
    (await db.sql.query('SELECT space_id, space_name, is_default FROM config_genie_spaces WHERE profile_id = $1 ORDER BY id', [id])).rows;

  it('lists the seeded default space', async () => {
    const response = await api().get(`/api/config/genie/${profileId}`).expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({ profile_id: profileId, space_id: '01effebcc2781b6bbb749077a55d31e3', is_default: true }),
    ]);
    const fallback = await api().get(`/api/config/genie/${profileId}/default`).expect(200);
    expect(fallback.body.space_id).toBe('01effebcc2781b6bbb749077a55d31e3');
  });

  it('makes the first space of a profile its default, and refuses the same space twice', async () => {
    await api().get(`/api/config/genie/${emptyProfileId}`).expect(200, []);
    await api().get(`/api/config/genie/${emptyProfileId}/default`).expect(404);
    const created = await api()
      .post(`/api/config/genie/${emptyProfileId}`)
      .send({ space_id: SPACE_A.toUpperCase(), space_name: 'Sales', description: 'Orders and revenue' })
      .expect(201);
    expect(created.body).toMatchObject({ space_id: SPACE_A, space_name: 'Sales', is_default: true, version: 1 });
    expect(created.headers.location).toBe(`/api/config/genie/${created.body.id}`);

    const duplicate = await api().post(`/api/config/genie/${emptyProfileId}`).send({ space_id: SPACE_A, space_name: 'Again' }).expect(409);
    expect(duplicate.body.errors).toEqual([{ field: 'space_id', message: expect.stringMatching(/already has a Genie space/) }]);
    expect(await spaces(emptyProfileId)).toEqual([{ space_id: SPACE_A, space_name: 'Sales', is_default: true }]);
  });

  it('sets a new default, demoting the old, and refuses to remove the default while others remain', async () => {
    const b = await api().post(`/api/config/genie/${emptyProfileId}`).send({ space_id: SPACE_B, space_name: 'Ops' }).expect(201);
    expect(b.body.is_default).toBe(false);
    const promoted = await api().post(`/api/config/genie/${b.body.id}/set-default`).expect(200);
    expect(promoted.body).toMatchObject({ is_default: true, version: 2 });
    expect(await spaces(emptyProfileId)).toEqual([
      { space_id: SPACE_A, space_name: 'Sales', is_default: false },
      { space_id: SPACE_B, space_name: 'Ops', is_default: true },
    ]);

    const refused = await api().delete(`/api/config/genie/${b.body.id}`).expect(409);
    expect(refused.body.detail).toMatch(/default of its profile/);
    expect((await spaces(emptyProfileId)).length).toBe(2);

    const a = (await db.sql.query('SELECT id FROM config_genie_spaces WHERE space_id = $1 AND profile_id = $2', [SPACE_A, emptyProfileId])).rows[0];
    await api().delete(`/api/config/genie/${a.id}`).expect(204);
    expect(await spaces(emptyProfileId)).toEqual([{ space_id: SPACE_B, space_name: 'Ops', is_default: true }]);
  });

  it('renames a space with If-Match and refuses a stale one', async () => {
    const [space] = (await api().get(`/api/config/genie/${emptyProfileId}`).expect(200)).body;
    const renamed = await api()
      .put(`/api/config/genie/${space.id}`)
      .set('If-Match', `"v${space.version}"`)
      .send({ space_name: 'Operations', description: null })
      .expect(200);
    expect(renamed.body).toMatchObject({ space_name: 'Operations', description: null, version: space.version + 1 });
    await api().put(`/api/config/genie/${space.id}`).set('If-Match', `"v${space.version}"`).send({ space_name: 'Stale' }).expect(412);
    expect((await spaces(emptyProfileId))[0].space_name).toBe('Operations');
  });

  it.each([
    ['a space id that is not 32 hex characters', { space_id: 'not-a-space', space_name: 'x' }, 422],
    ['a missing space name', { space_id: SPACE_A }, 400],
    ['an unknown property', { space_id: SPACE_A, space_name: 'x', colour: 'red' }, 400],
  ])('refuses %s', async (_case, body, status) => {
    const before = await spaces(profileId);
    await api().post(`/api/config/genie/${profileId}`).send(body).expect(status);
    expect(await spaces(profileId)).toEqual(before);
  });

  it('answers 404 for unknown profiles and spaces', async () => {
    await api().get('/api/config/genie/777777').expect(404);
    await api().post('/api/config/genie/777777').send({ space_id: SPACE_A, space_name: 'x' }).expect(404);
    await api().put('/api/config/genie/777777').send({ space_name: 'x' }).expect(404);
    await api().delete('/api/config/genie/777777').expect(404);
    await api().post('/api/config/genie/777777/set-default').expect(404);
  });
});
