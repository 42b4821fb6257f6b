import { openStream, type SseStream } from './support/sse-client.js';
import { startTestApp, TEST_ADMIN_NAME, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

describe('GET /api/config/stream', () => {
  let db: TestDatabase;
  let writer: TestApp;
  let reader: TestApp;
  let defaultId: number;
  const streams: SseStream[] = [];

  const open = async (app: TestApp, query = '', headers: Record<string, string> = {}) => {
    const stream = await openStream(`${app.baseUrl}/api/config/stream${query}`, headers);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = await startTestApp(db.url);
    reader = await startTestApp(db.url);
    defaultId = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
  });
  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await writer.close();
    await reader.close();
    await db.drop();
  });

  it('sends each committed change made on another instance, with the history id as event id', async () => {
    const stream = await open(reader);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const sentAt = performance.now();
    await writer.api().put(`/api/config/ai-infra/${defaultId}`).send({ llm_temperature: 0.3 }).expect(200);
    const [event] = await stream.waitFor(1);
    const { rows } = await db.sql.query(`SELECT id FROM config_history ORDER BY id DESC LIMIT 1`);
    expect(event.id).toBe(String(rows[0].id));
    expect(event.data).toEqual({
      history_id: Number(rows[0].id),
      profile_id: defaultId,
      profile_name: 'default',
      domain: 'ai_infra',
      item: null,
      action: 'update',
      version: 2,
      session_id: null,
      changed_by: TEST_ADMIN_NAME,
      timestamp: expect.any(String),
    });
    console.log(`the other instance's stream delivered the change ${(event.receivedAt - sentAt).toFixed(1)} ms after the PUT was sent`);
  });

  it("hears switchboard doctor's probe without acting on it", async () => {
    const stream = await open(reader);
    const heard = (await reader.api().get('/api/config/status').expect(200)).body.listener.notifications as number;
    await db.sql.query(`SELECT pg_notify('switchboard_config', '{"kind": "probe", "id": "doctor"}')`);
    await writer.api().put(`/api/config/mlflow/${defaultId}`).send({ experiment_name: '/Shared/after-probe' }).expect(200);
    // Notifications keep their order: had the probe become an event, it would come first.
    const [event] = await stream.waitFor(1);
    expect(event.data).toMatchObject({ domain: 'mlflow', action: 'update' });
    expect((await reader.api().get('/api/config/status').expect(200)).body.listener.notifications).toBeGreaterThanOrEqual(heard + 2);
  });

  it('replays exactly the changes missed, when reconnecting with Last-Event-ID', async () => {
    const first = await open(reader);
    await writer.api().put(`/api/config/mlflow/${defaultId}`).send({ experiment_name: '/Shared/one' }).expect(200);
    const [seen] = await first.waitFor(1);
    first.close();

    const missed: number[] = [];
    for (const name of ['two', 'three', 'four']) {
      await writer.api().put(`/api/config/mlflow/${defaultId}`).send({ experiment_name: `/Shared/${name}` }).expect(200);
      missed.push((await db.sql.query(`SELECT max(id)::int AS id FROM config_history`)).rows[0].id);
    }

    const resumed = await open(reader, '', { 'Last-Event-ID': seen.id! });
    const replayed = await resumed.waitFor(3);
    expect(replayed.map((e) => Number(e.id))).toEqual(missed);
    await writer.api().put(`/api/config/mlflow/${defaultId}`).send({ experiment_name: '/Shared/five' }).expect(200);
    const all = await resumed.waitFor(4);
    expect(all).toHaveLength(4);
    expect(new Set(all.map((e) => e.id)).size).toBe(4);
  });

  it('filters by profile', async () => {
    const other = (await writer.api().post('/api/config/profiles').send({ name: 'Streamed' }).expect(201)).body;
    const stream = await open(reader, `?profile_id=${other.id}`);
    await writer.api().put(`/api/config/mlflow/${defaultId}`).send({ experiment_name: '/Shared/not-mine' }).expect(200);
    await writer.api().put(`/api/config/mlflow/${other.id}`).send({ experiment_name: '/Shared/mine' }).expect(200);
    const [event] = await stream.waitFor(1);
    expect(event.data).toMatchObject({ profile_id: other.id, domain: 'mlflow' });
    expect(stream.events).toHaveLength(1);
  });

  it('delivers entries in id order even when an earlier transaction commits later', async () => {
    const stream = await open(reader);
    const client = db.sql;
    await client.query('BEGIN');
    const { rows } = await client.query(
      `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by) VALUES ($1, 'default', 'profile', 'update', 'by-hand') RETURNING id`,
      [defaultId],
    );
    const write = writer.api().put(`/api/config/mlflow/${defaultId}`).send({ experiment_name: '/Shared/after-the-open-one' }).then((r) => r.status);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the API write now waits for the open transaction
    await client.query('COMMIT');
    expect(await write).toBe(200);
    const events = await stream.waitFor(2);
    expect(events.map((e) => Number(e.id))).toEqual([Number(rows[0].id), Number(rows[0].id) + 1]);
  });

  it("replays a deleted profile's entries under its id, its delete included", async () => {
    const doomed = (await writer.api().post('/api/config/profiles').send({ name: 'Doomed' }).expect(201)).body;
    const first = await open(reader, `?profile_id=${doomed.id}`);
    await writer.api().put(`/api/config/mlflow/${doomed.id}`).send({ experiment_name: '/Shared/doomed' }).expect(200);
    const [seen] = await first.waitFor(1);
    first.close();
    await writer.api().delete(`/api/config/profiles/${doomed.id}`).expect(204);

    const resumed = await open(reader, `?profile_id=${doomed.id}`, { 'Last-Event-ID': seen.id! });
    const [deleted] = await resumed.waitFor(1);
    expect(deleted.data).toMatchObject({ profile_id: doomed.id, profile_name: 'Doomed', action: 'delete' });
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const quick = await startTestApp(db.url, { env: { SWITCHBOARD_STREAM_HEARTBEAT_SECONDS: '0.2' } });
    try {
      const stream = await open(quick);
      const started = performance.now();
      while (!stream.comments.includes('heartbeat') && performance.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
      expect(stream.comments).toContain('heartbeat');
      stream.close();
    } finally {
      await quick.close();
    }
  });

  it('announces reloads, and refuses a malformed Last-Event-ID or a missing token', async () => {
    const stream = await open(reader);
    await writer.api().post('/api/config/reload').expect(200);
    const [reload] = await stream.waitFor(1, 'config.reload');
    expect(reload.data).toEqual({ profile_id: null, reason: 'reload' });

    const malformed = await fetch(`${reader.baseUrl}/api/config/stream`, { headers: { authorization: `Bearer ${'x'}`, 'last-event-id': 'abc' } });
    expect(malformed.status).toBe(401);
    const bad = await open(reader, '', { 'Last-Event-ID': 'abc' });
    expect(bad.status).toBe(400);
  });
});
