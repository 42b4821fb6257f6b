import { DataSource } from 'typeorm';
import { eventually } from './support/eventually.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Tokens are verified in the database once, then from each instance's memory; every revocation or
 * change, by the API on any instance or by hand in SQL, makes every instance forget them.
 */
describe('verified tokens in memory', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const mint = async (name: string, role = 'editor') => (await a.api().post('/api/auth/tokens').send({ name, role }).expect(201)).body as { id: number; token: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp(db.url);
    b = await startTestApp(db.url);
  });
  afterAll(async () => {
    await a.close();
    await b?.close();
    await db.drop();
  });

  it('asks the database once per token, not once per request', async () => {
    const { token } = await mint('reader');
    await b.api(token).get('/api/auth/me').expect(200);
    const statements: string[] = [];
    const { Client } = (b.app.get(DataSource).driver as unknown as { postgres: { Client: { prototype: { query: (...args: unknown[]) => unknown } } } }).postgres;
    const original = Client.prototype.query;
    Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (text && !/^\s*SELECT 1\b/.test(text)) statements.push(text);
      return original.apply(this, args);
    };
    try {
      for (let i = 0; i < 20; i++) await b.api(token).get('/api/auth/me').expect(200);
    } finally {
      Client.prototype.query = original;
    }
    expect(statements.filter((text) => text.includes('api_tokens'))).toEqual([]);
  });

  it('forgets a token revoked on another instance, within a notification', async () => {
    const { id, token } = await mint('revoked-elsewhere');
    await b.api(token).get('/api/auth/me').expect(200);
    await a.api().delete(`/api/auth/tokens/${id}`).expect(200);
    const { ms } = await eventually(async () => {
      const status = (await b.api(token).get('/api/auth/me')).status;
      if (status !== 401) throw new Error(`still ${status}`);
      return status;
    });
    process.stdout.write(`[token-cache] revocation on A refused on B after ${ms.toFixed(1)} ms\n`);
  });

  it('forgets tokens revoked or changed by hand in SQL', async () => {
    const revoked = await mint('revoked-by-sql');
    const demoted = await mint('demoted-by-sql');
    await b.api(revoked.token).get('/api/auth/me').expect(200);
    expect((await b.api(demoted.token).get('/api/auth/me').expect(200)).body.role).toBe('editor');
    await db.sql.query('UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1', [revoked.id, 'dba']);
    await db.sql.query(`UPDATE api_tokens SET role = 'viewer' WHERE id = $1`, [demoted.id]);
    await eventually(async () => expect((await b.api(revoked.token).get('/api/auth/me')).status).toBe(401));
    await eventually(async () => expect((await b.api(demoted.token).get('/api/auth/me')).body.role).toBe('viewer'));
    await b.api(demoted.token).put('/api/config/mlflow/1').send({ experiment_name: '/Shared/x' }).expect(403);
  });

  it('writes the last use of tokens verified from memory in one batch, at the latest when the instance stops', async () => {
    const { id, token } = await mint('batched');
    await b.api(token).get('/api/auth/me').expect(200);
    await db.sql.query(`UPDATE api_tokens SET last_used_at = now() - interval '1 hour' WHERE id = $1`, [id]);
    await b.api(token).get('/api/auth/me').expect(200); // from memory: no write yet
    const before = (await db.sql.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [id])).rows[0].last_used_at as Date;
    expect(Date.now() - before.getTime()).toBeGreaterThan(59 * 60 * 1000);
    await b.close();
    const after = (await db.sql.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [id])).rows[0].last_used_at as Date;
    expect(Date.now() - after.getTime()).toBeLessThan(60 * 1000);
    b = undefined as unknown as TestApp;
  });
});
