import pg from 'pg';
import { eventually } from './support/eventually.js';
import { openStream, type SseStream } from './support/sse-client.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** Every notification on the channel, as a separate session of PostgreSQL sees it. */
async function listenToChannel(url: string): Promise<{ messages: Record<string, unknown>[]; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const messages: Record<string, unknown>[] = [];
  client.on('notification', (message) => messages.push(JSON.parse(message.payload ?? '{}')));
  await client.query('LISTEN switchboard_config');
  return { messages, close: () => client.end() };
}

describe('changes reach every instance, whoever makes them', () => {
  let db: TestDatabase;
  let writer: TestApp;
  let reader: TestApp;
  let defaultId: number;
  let otherId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = await startTestApp(db.url);
    reader = await startTestApp(db.url);
    defaultId = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
    otherId = (await writer.api().post('/api/config/profiles').send({ name: 'Other' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await reader.close();
    await writer.close();
    await db.drop();
  });

  it('announces a default switched with SQL: cached default ids are re-read', async () => {
    expect((await reader.api().get('/api/config/resolved').expect(200)).body.profile.id).toBe(defaultId);
    await reader.api().get(`/api/config/resolved?profile_id=${defaultId}`).expect(200);

    await db.sql.query('UPDATE config_profiles SET is_default = true WHERE id = $1', [otherId]);

    await eventually(async () => expect((await reader.api().get('/api/config/resolved').expect(200)).body.profile.id).toBe(otherId));
    expect((await reader.api().get('/api/config/profiles/default').expect(200)).body.id).toBe(otherId);
    // The demoted profile's cached copy moved on too (its resolved body says is_default).
    await eventually(async () =>
      expect((await reader.api().get(`/api/config/resolved?profile_id=${defaultId}`).expect(200)).body.profile.is_default).toBe(false),
    );
    await db.sql.query('UPDATE config_profiles SET is_default = true WHERE id = $1', [defaultId]);
  });

  it('announces a value changed with SQL to caches and streams', async () => {
    const stream = await openStream(`${reader.baseUrl}/api/config/stream`);
    try {
      await reader.api().get(`/api/config/resolved?profile_id=${otherId}`).expect(200);
      await db.sql.query('UPDATE config_ai_infra SET llm_temperature = 0.11 WHERE profile_id = $1', [otherId]);
      await eventually(async () =>
        expect((await reader.api().get(`/api/config/resolved?profile_id=${otherId}`).expect(200)).body.ai_infra.llm_temperature).toBe(0.11),
      );
      const [event] = await stream.waitFor(1, 'config.reload');
      expect(event.data).toEqual({ profile_id: otherId, reason: 'external' });
    } finally {
      stream.close();
    }
  });

  it('sends one notification per API write, one per profile a set-default moves (the demoted one is audited too)', async () => {
    const channel = await listenToChannel(db.url);
    try {
      await writer.api().put(`/api/config/mlflow/${otherId}`).send({ experiment_name: '/Shared/one-message' }).expect(200);
      await eventually(async () => expect(channel.messages).toHaveLength(1));
      expect(channel.messages[0]).toMatchObject({ profile_id: otherId, domain: 'mlflow', action: 'update' });

      channel.messages.length = 0;
      await writer.api().post(`/api/config/profiles/${otherId}/set-default`).expect(200);
      await eventually(async () => expect(channel.messages).toHaveLength(2));
      expect(channel.messages).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ profile_id: otherId, action: 'set_default' }),
          expect.objectContaining({ profile_id: defaultId, action: 'set_default' }), // demoted, with an audit entry of its own
        ]),
      );
      await new Promise((resolve) => setTimeout(resolve, 300)); // room for a third (an "external" one), if it were sent
      expect(channel.messages).toHaveLength(2);
      await writer.api().post(`/api/config/profiles/${defaultId}/set-default`).expect(200);
    } finally {
      await channel.close();
    }
  });

  it('announces POST /reload once on the stream of the instance that served it', async () => {
    const stream: SseStream = await openStream(`${writer.baseUrl}/api/config/stream`);
    try {
      await writer.api().post(`/api/config/reload?profile_id=${otherId}`).expect(200);
      await stream.waitFor(1, 'config.reload');
      await new Promise((resolve) => setTimeout(resolve, 300)); // room for a second one, if it were sent
      expect(stream.events.filter((event) => event.event === 'config.reload').map((event) => event.data)).toEqual([{ profile_id: otherId, reason: 'reload' }]);
    } finally {
      stream.close();
    }
  });
});

describe('the last good configuration', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let writer: TestApp;
  let reader: TestApp;
  let profileId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = await startTestApp(db.url);
    proxy = await startTcpProxy(db.url);
    // The reader's pool goes through the proxy; its listener does not, so it hears of changes it cannot read.
    reader = await startTestApp(proxy.url, { listenDatabaseUrl: db.url });
    profileId = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
  });
  afterAll(async () => {
    await reader.close();
    await writer.close();
    await proxy.close();
    await db.drop();
  });

  it('is served, stale, when a change arrives that the database cannot be asked about, and replaced once it can', async () => {
    const before = (await reader.api().get(`/api/config/resolved?profile_id=${profileId}`).expect(200)).body;
    await proxy.cut();
    await writer.api().put(`/api/config/mlflow/${profileId}`).send({ experiment_name: '/Shared/after-the-cut' }).expect(200);
    await eventually(async () => {
      const stale = await reader.api().get(`/api/config/resolved?profile_id=${profileId}`);
      expect(stale.status).toBe(200);
      expect(stale.headers['x-config-stale']).toBe('true');
      expect(stale.body.mlflow.experiment_name).toBe(before.mlflow.experiment_name);
    });

    await proxy.restore();
    await eventually(async () => {
      const fresh = await reader.api().get(`/api/config/resolved?profile_id=${profileId}`).expect(200);
      expect(fresh.body).toMatchObject({ stale: false, mlflow: { experiment_name: '/Shared/after-the-cut' } });
    });
  });
});
