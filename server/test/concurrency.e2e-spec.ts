import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const CONNECTIONS = 20;

/**
 * Many connections moving the default at the same moment. The schema serialises them on an
 * advisory lock, so each statement waits its turn and none fails: afterwards exactly one
 * default exists.
 */
describe('concurrent default changes', () => {
  let db: TestDatabase;
  let clients: pg.Client[];

  beforeEach(async () => {
    db = await createTestDatabase();
    clients = await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        return client;
      }),
    );
  });
  afterEach(async () => {
    await Promise.all(clients.map((client) => client.end()));
    await db.drop();
  });

  /** Runs one statement per connection, released together once every connection is ready. */
  async function atOnce(statement: (i: number) => [string, unknown[]]): Promise<PromiseSettledResult<unknown>[]> {
    await Promise.all(clients.map((client) => client.query('SELECT 1')));
    return Promise.allSettled(clients.map((client, i) => client.query(...statement(i))));
  }

  function failures(results: PromiseSettledResult<unknown>[]): string[] {
    return results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => `${(r.reason as pg.DatabaseError).code}: ${(r.reason as Error).message}`);
  }

  it(`leaves exactly one default profile after ${CONNECTIONS} simultaneous set-default updates`, async () => {
    const { rows } = await db.sql.query(
      `INSERT INTO config_profiles (name) SELECT 'p' || g FROM generate_series(1, $1) g RETURNING id`,
      [CONNECTIONS],
    );
    const ids: number[] = rows.map((r) => r.id);

    const results = await atOnce((i) => ['UPDATE config_profiles SET is_default = true WHERE id = $1', [ids[i]]]);

    expect(failures(results)).toEqual([]);
    const defaults = await db.sql.query('SELECT id FROM config_profiles WHERE is_default');
    expect(defaults.rowCount).toBe(1);
    expect(ids).toContain(defaults.rows[0].id);
  });

  it(`leaves exactly one default after ${CONNECTIONS} simultaneous inserts of a new default profile`, async () => {
    const results = await atOnce((i) => ['INSERT INTO config_profiles (name, is_default) VALUES ($1, true)', [`n${i}`]]);

    expect(failures(results)).toEqual([]);
    const { rows } = await db.sql.query(
      'SELECT count(*)::int AS profiles, count(*) FILTER (WHERE is_default)::int AS defaults FROM config_profiles',
    );
    expect(rows[0]).toEqual({ profiles: CONNECTIONS, defaults: 1 });
  });

  it('keeps one default Genie space per profile under simultaneous set-default updates in two profiles', async () => {
    const profiles = await db.sql.query(`INSERT INTO config_profiles (name) VALUES ('a'), ('b') RETURNING id`);
    const [a, b] = profiles.rows.map((r) => r.id as number);
    const { rows } = await db.sql.query(
      `INSERT INTO config_genie_spaces (profile_id, space_id, space_name)
       SELECT CASE WHEN g % 2 = 0 THEN $1::int ELSE $2::int END, 's' || g, 'space ' || g FROM generate_series(1, $3) g
       RETURNING id`,
      [a, b, CONNECTIONS],
    );
    const spaceIds: number[] = rows.map((r) => r.id);

    const results = await atOnce((i) => ['UPDATE config_genie_spaces SET is_default = true WHERE id = $1', [spaceIds[i]]]);

    expect(failures(results)).toEqual([]);
    const perProfile = await db.sql.query(
      `SELECT profile_id, count(*) FILTER (WHERE is_default)::int AS defaults FROM config_genie_spaces GROUP BY 1 ORDER BY 1`,
    );
    expect(perProfile.rows).toEqual([
      { profile_id: a, defaults: 1 },
      { profile_id: b, defaults: 1 },
    ]);
  });
});
