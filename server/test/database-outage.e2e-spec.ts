import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { anyFreePort, type EmbeddedDatabase, startEmbeddedPostgres } from '../src/common/database/embedded-postgres.js';
import { eventually } from './support/eventually.js';
import { openStream, type SseStream } from './support/sse-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createMigratedTemplate, TEMPLATE_DATABASE, withDatabase } from './support/test-postgres.js';

const PROBLEM = /^application\/problem\+json/;

/**
 * A PostgreSQL server of its own, stopped and started again under two running instances: reads of
 * the resolved configuration keep working (stale), writes fail cleanly, and everything recovers
 * without a restart of the instances.
 */
describe('a database outage', () => {
  let dataDir: string;
  let port: number;
  let database: EmbeddedDatabase | undefined;
  let url: string;
  let writer: TestApp;
  let reader: TestApp;
  let stream: SseStream;

  const start = async () => {
    database = await startEmbeddedPostgres({ dataDir, preferredPort: port, database: 'postgres', log: () => undefined, logServerMessages: false });
    if (database.port !== port) throw new Error(`port ${port} was taken while the database was down`);
  };
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-outage-'));
    await chmod(dataDir, 0o755);
    port = await anyFreePort();
    await start();
    await createMigratedTemplate(database!.url);
    url = withDatabase(database!.url, TEMPLATE_DATABASE);
    writer = await startTestApp(url);
    // Proxy users too: their grants come from the database, their reads must not depend on it.
    reader = await startTestApp(url, { auth: { trustProxyAuth: true, proxyRoles: [{ pattern: '*@corp.com', role: 'editor' }] } });
  }, 60_000);
  afterAll(async () => {
    stream?.close();
    await writer?.close();
    await reader?.close();
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps serving the last known configuration, refuses writes with 503, and recovers by itself', async () => {
    const before = await reader.api().get('/api/config/resolved').expect(200);
    const profileId: number = before.body.profile.id;
    stream = await openStream(`${reader.baseUrl}/api/config/stream`);

    await database!.stop();
    database = undefined;

    const stale = await reader.api().get('/api/config/resolved').expect(200);
    expect(stale.headers['x-config-stale']).toBe('true');
    expect(stale.body).toEqual({ ...before.body, stale: true });
    const asProxyUser = () => request(reader.baseUrl).get('/api/config/resolved').set('X-Forwarded-Email', 'first.seen@corp.com');
    expect((await asProxyUser()).body).toEqual({ ...before.body, stale: true });
    const proxyWrite = await request(reader.baseUrl).put(`/api/config/mlflow/${profileId}`).set('X-Forwarded-Email', 'first.seen@corp.com').send({ experiment_name: '/Shared/x' });
    expect({ status: proxyWrite.status, type: proxyWrite.body.type }).toEqual({ status: 503, type: 'urn:switchboard:problem:database-unavailable' });
    const write = await writer.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.11 }).expect(503);
    expect(write.headers['content-type']).toMatch(PROBLEM);
    expect(write.body).toMatchObject({ status: 503, type: 'urn:switchboard:problem:database-unavailable' });
    await reader.api().get('/health/ready').expect(503);
    await eventually(async () => expect((await reader.api().get('/api/config/status')).status).toBe(503));

    await start();
    const rows = await query(`SELECT llm_temperature::float AS t, (SELECT count(*)::int FROM config_history WHERE domain = 'ai_infra') AS audited FROM config_ai_infra`);
    expect(rows).toEqual([{ t: 0.7, audited: 0 }]);

    const { ms: reconnectMs } = await eventually(async () => {
      const status = await reader.api().get('/api/config/status').expect(200);
      expect(status.body.listener).toMatchObject({ connected: true, reconnects: 1 });
    }, 30_000);
    await eventually(() => writer.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.12 }).expect(200), 30_000);

    const { ms } = await eventually(async () => {
      const fresh = await reader.api().get('/api/config/resolved').expect(200);
      expect(fresh.headers['x-config-stale']).toBe('false');
      expect(fresh.body.ai_infra.llm_temperature).toBe(0.12);
    });
    const [event] = await stream.waitFor(1);
    expect(event.data).toMatchObject({ profile_id: profileId, domain: 'ai_infra', action: 'update' });
    await reader.api().get('/health/ready').expect(200);
    console.log(`after the restart: listener back within ${reconnectMs.toFixed(0)} ms of polling; the change reached the other instance ${ms.toFixed(1)} ms after the write`);
  }, 120_000);
});
