import request from 'supertest';
import { startTestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** A healthy database under more writes than connections: queued, answered, never "unreachable". */
describe('writes beyond the connection pool', () => {
  let db: TestDatabase;
  let profileId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    await (await startTestApp(db.url)).close(); // seeds the default profile
    profileId = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
  });
  afterAll(() => db.drop());

  it('queues 300 concurrent writes to one profile: every one answered 200 and audited', async () => {
    const server = await startTestApp(db.url);
    try {
      const before = (await db.sql.query('SELECT version FROM config_profiles WHERE id = $1', [profileId])).rows[0].version;
      const responses = await Promise.all(
        Array.from({ length: 300 }, (_, i) => server.api().put(`/api/config/profiles/${profileId}`).send({ description: `write ${i}` })),
      );
      const statuses = tally(responses.map((response) => response.status));
      expect(statuses).toEqual({ 200: 300 });
      const after = (await db.sql.query('SELECT version FROM config_profiles WHERE id = $1', [profileId])).rows[0].version;
      expect(after - before).toBe(300);
      const audited = await db.sql.query(`SELECT count(*)::int AS n FROM config_history WHERE profile_id = $1 AND action = 'update' AND domain = 'profile'`, [profileId]);
      expect(audited.rows[0].n).toBe(300);
    } finally {
      await server.close();
    }
  });

  it('answers 503 "busy" with Retry-After when the wait runs out, while readiness stays 200', async () => {
    const server = await startTestApp(db.url, { env: { DATABASE_POOL_SIZE: '3', SWITCHBOARD_WRITE_QUEUE_TIMEOUT_SECONDS: '1' } });
    const blocker = db.sql;
    try {
      // One write can run (pool 3 − 2); hold its row lock so that the others have to queue.
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM config_profiles WHERE id = $1 FOR UPDATE', [profileId]);
      const pending = Array.from({ length: 5 }, (_, i) => server.api().put(`/api/config/profiles/${profileId}`).send({ description: `queued ${i}` }).then((r) => r));
      // Answered while the lock is still held: by the gate's timeout, not by the lock's release.
      const refused = await Promise.all(pending.slice(1));
      const ready = await request(server.baseUrl).get('/health/ready');
      await blocker.query('ROLLBACK');
      const first = await pending[0];

      expect(first.status).toBe(200);
      expect(refused).toHaveLength(4);
      for (const response of refused) {
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['retry-after']).toBe('1');
        expect(response.body).toMatchObject({ type: 'urn:switchboard:problem:database-busy', detail: expect.stringMatching(/busy/) });
        expect(response.body.detail).not.toMatch(/unreachable/);
      }
      expect(ready.status).toBe(200);
      const audited = await db.sql.query(`SELECT count(*)::int AS n FROM config_history WHERE changes->'description'->>'new' LIKE 'queued %'`);
      expect(audited.rows[0].n).toBe(1);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await server.close();
    }
  });
});

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
