import pg from 'pg';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, expectPgError, type TestDatabase } from './support/test-database.js';

/**
 * Profile inheritance, the tree (issue 19, first step): the database keeps parent links a tree of
 * chains of at most five profiles, whatever writes them (hand-written SQL here, concurrent
 * transactions too), and refuses to delete a parent, naming its children, through the API as well.
 */
describe('profile tree (database rules)', () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const profile = async (name: string, parent: number | null = null): Promise<number> =>
    (await db.sql.query('INSERT INTO config_profiles (name, parent_profile_id) VALUES ($1, $2) RETURNING id', [name, parent])).rows[0].id;
  const setParent = (id: number, parent: number | null) => db.sql.query('UPDATE config_profiles SET parent_profile_id = $2 WHERE id = $1', [id, parent]);
  const parentOf = async (id: number) => (await db.sql.query('SELECT parent_profile_id AS parent FROM config_profiles WHERE id = $1', [id])).rows[0].parent;

  it('refuses a profile inheriting from itself, from its own descendants, or from a profile that does not exist', async () => {
    const root = await profile('tree root');
    const child = await profile('tree child', root);
    const grandchild = await profile('tree grandchild', child);
    expect(await expectPgError(db.sql, 'UPDATE config_profiles SET parent_profile_id = id WHERE id = $1', [root])).toMatchObject({ code: '23514', constraint: 'chk_config_profiles_no_cycle' });
    // The check holds too where the triggers are off (a restore turns them off).
    await db.sql.query('ALTER TABLE config_profiles DISABLE TRIGGER trg_config_profiles_tree');
    try {
      expect(await expectPgError(db.sql, 'UPDATE config_profiles SET parent_profile_id = id WHERE id = $1', [root])).toMatchObject({ code: '23514', constraint: 'chk_config_profiles_parent_not_self' });
    } finally {
      await db.sql.query('ALTER TABLE config_profiles ENABLE TRIGGER trg_config_profiles_tree');
    }
    for (const descendant of [child, grandchild]) {
      const error = await expectPgError(db.sql, 'UPDATE config_profiles SET parent_profile_id = $2 WHERE id = $1', [root, descendant]);
      expect(error).toMatchObject({ code: '23514', constraint: 'chk_config_profiles_no_cycle' });
      expect(error.message).toBe(`profile ${root} cannot inherit from profile ${descendant}, which inherits from it`);
    }
    expect(await expectPgError(db.sql, 'UPDATE config_profiles SET parent_profile_id = 999999 WHERE id = $1', [root])).toMatchObject({ code: '23503' });
    expect(await parentOf(root)).toBeNull();
    // Moving a branch elsewhere in the tree is fine.
    const other = await profile('tree other');
    await setParent(child, other);
    expect(await parentOf(child)).toBe(other);
  });

  it('holds a chain to five profiles, counting those under a profile that moves', async () => {
    const chain = [await profile('chain 1')];
    for (let level = 2; level <= 5; level++) chain.push(await profile(`chain ${level}`, chain.at(-1)));
    const sixth = await expectPgError(db.sql, 'INSERT INTO config_profiles (name, parent_profile_id) VALUES ($1, $2)', ['chain 6', chain[4]]);
    expect(sixth).toMatchObject({ code: '23514', constraint: 'chk_config_profiles_chain_length' });
    // A two-level branch under the fourth profile would make a chain of six.
    const branch = await profile('branch top');
    await profile('branch bottom', branch);
    expect(await expectPgError(db.sql, 'UPDATE config_profiles SET parent_profile_id = $2 WHERE id = $1', [branch, chain[3]])).toMatchObject({ constraint: 'chk_config_profiles_chain_length' });
    await setParent(branch, chain[2]);
    expect(await parentOf(branch)).toBe(chain[2]);
  });

  it('builds no cycle from two re-parentings at the same moment: the second sees the first', async () => {
    const [left, right] = [await profile('race left'), await profile('race right')];
    const clients = [new pg.Client({ connectionString: db.url }), new pg.Client({ connectionString: db.url })];
    await Promise.all(clients.map((client) => client.connect()));
    try {
      await Promise.all(clients.map((client) => client.query('BEGIN')));
      await clients[0]!.query('UPDATE config_profiles SET parent_profile_id = $2 WHERE id = $1', [left, right]);
      const second = clients[1]!.query('UPDATE config_profiles SET parent_profile_id = $2 WHERE id = $1', [right, left]).then(
        () => 'updated',
        (error: pg.DatabaseError) => error.constraint,
      );
      await new Promise((resolve) => setTimeout(resolve, 200)); // the second waits on the first's lock
      await clients[0]!.query('COMMIT');
      expect(await second).toBe('chk_config_profiles_no_cycle');
      await clients[1]!.query('ROLLBACK');
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    expect([await parentOf(left), await parentOf(right)]).toEqual([right, null]);
  });

  it('refuses to delete a parent, naming the profiles that inherit from it, in SQL and through the API (409)', async () => {
    const parent = (await app.api().post('/api/config/profiles').send({ name: 'Global settings' }).expect(201)).body.id;
    const children = [await profile('Project MMBL', parent), await profile('Project ABBL', parent)];
    const error = await expectPgError(db.sql, 'DELETE FROM config_profiles WHERE id = $1', [parent]);
    expect(error).toMatchObject({ code: '23001' });
    expect(error.message).toBe('Profile "Global settings" is the parent of "Project ABBL", "Project MMBL": give them another parent or detach them first.');
    const refused = await app.api().delete(`/api/config/profiles/${parent}`).expect(409);
    expect(refused.body).toMatchObject({ status: 409, detail: error.message });
    expect((await db.sql.query('SELECT count(*)::int AS n FROM config_profiles WHERE id = $1', [parent])).rows[0].n).toBe(1);
    for (const child of children) await setParent(child, null);
    await app.api().delete(`/api/config/profiles/${parent}`).expect(204);
  });
});
