import { countRows, historyAfter, lastHistoryId } from './support/stored-rows.js';
import { useAppWithDatabase } from './support/test-app.js';

/** POST /api/config/profiles/bulk-delete: each profile deleted with the single delete's rules, each reported. */
describe('bulk delete of profiles', () => {
  const ctx = useAppWithDatabase();
  const api = () => ctx.server.api();
  const create = async (name: string) => (await api().post('/api/config/profiles').send({ name }).expect(201)).body.id as number;

  it('deletes the deletable ones and reports the default, the one in use and the missing one, each with its reason', async () => {
    const [first, inUse, second] = [await create('Stale 1'), await create('In use'), await create('Stale 2')];
    await api().post(`/api/config/profiles/${inUse}/load`).send({}).expect(200);
    const before = await lastHistoryId(ctx.db.sql);

    const { body } = await api().post('/api/config/profiles/bulk-delete').send({ ids: [first, ctx.defaultProfileId, inUse, 999999, second] }).expect(200);
    expect(body).toEqual({
      deleted: 2,
      refused: 3,
      results: [
        { id: first, status: 204, detail: null },
        { id: ctx.defaultProfileId, status: 409, detail: expect.stringContaining('is the default profile') },
        { id: inUse, status: 409, detail: expect.stringContaining('live agent session') },
        { id: 999999, status: 404, detail: expect.stringContaining('does not exist') },
        { id: second, status: 204, detail: null },
      ],
    });
    expect(await countRows(ctx.db.sql, 'config_profiles WHERE id = ANY($1)', [[first, second]])).toBe(0);
    expect(await countRows(ctx.db.sql, 'config_profiles WHERE id = ANY($1)', [[ctx.defaultProfileId, inUse]])).toBe(2);
    expect((await historyAfter(ctx.db.sql, before)).map((entry) => [entry.action, entry.changes.name])).toEqual([
      ['delete', { old: 'Stale 1', new: null }],
      ['delete', { old: 'Stale 2', new: null }],
    ]);
  });

  it('reports an item the database failed on as 503 and goes on with the others, whose deletions stay', async () => {
    const [first, flaky, last] = [await create('Gone 1'), await create('Flaky'), await create('Gone 2')];
    // The code PostgreSQL sends when it shuts down under a query: for this one profile only.
    await ctx.db.sql.query(`
      CREATE FUNCTION test_flaky_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.name = 'Flaky' THEN RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = '57P01'; END IF;
        RETURN OLD;
      END $$;
      CREATE TRIGGER test_flaky_delete BEFORE DELETE ON config_profiles FOR EACH ROW EXECUTE FUNCTION test_flaky_delete()`);
    try {
      const { body } = await api().post('/api/config/profiles/bulk-delete').send({ ids: [first, flaky, last] }).expect(200);
      expect(body).toEqual({
        deleted: 2,
        refused: 1,
        results: [
          { id: first, status: 204, detail: null },
          { id: flaky, status: 503, detail: expect.stringMatching(/^Not deleted: the database was unreachable or busy .*send it again\.$/) },
          { id: last, status: 204, detail: null },
        ],
      });
      expect((await ctx.db.sql.query('SELECT name FROM config_profiles WHERE id = ANY($1)', [[first, flaky, last]])).rows).toEqual([{ name: 'Flaky' }]);
    } finally {
      await ctx.db.sql.query('DROP TRIGGER test_flaky_delete ON config_profiles; DROP FUNCTION test_flaky_delete()');
    }
  });

  it.each([
    ['no id', 422, { ids: [] }],
    ['an id twice', 422, { ids: [5, 5] }],
    ['an id that is not a number', 400, { ids: ['x'] }],
    ['more than 100 ids', 422, { ids: Array.from({ length: 101 }, (_, i) => i + 1) }],
    ['no list', 400, {}],
  ])('refuses %s (%s) and deletes nothing', async (_why, status, body) => {
    const profiles = await countRows(ctx.db.sql, 'config_profiles');
    const response = await api().post('/api/config/profiles/bulk-delete').send(body);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(await countRows(ctx.db.sql, 'config_profiles')).toBe(profiles);
  });

  it('is refused to a viewer', async () => {
    const token = (await api().post('/api/auth/tokens').send({ name: 'looker', role: 'viewer' }).expect(201)).body.token;
    const victim = await create('Not for viewers');
    await ctx.server.api(token).post('/api/config/profiles/bulk-delete').send({ ids: [victim] }).expect(403);
    expect(await countRows(ctx.db.sql, 'config_profiles WHERE id = $1', [victim])).toBe(1);
  });
});
