import { anyFreePort } from '../src/common/database/embedded-postgres.js';
import { eventually } from './support/eventually.js';
import { spawnServer } from './support/server-process.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;

/**
 * Delivery you can see: two instances on one database register themselves, record when they
 * applied each change, and agents acknowledge what their sessions applied.
 */
describe('instances and delivery', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let profileId: number;
  let agentToken: string;
  let viewerToken: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp(db.url);
    b = await startTestApp(db.url);
    profileId = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
    agentToken = (await a.api().post('/api/auth/tokens').send({ name: 'agent-bot', role: 'agent' }).expect(201)).body.token;
    viewerToken = (await a.api().post('/api/auth/tokens').send({ name: 'viewer-bot', role: 'viewer' }).expect(201)).body.token;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  const put = async (app: TestApp, body: object) => {
    const current = await app.api().get(`/api/config/ai-infra/${profileId}`).expect(200);
    await app.api().put(`/api/config/ai-infra/${profileId}`).set('If-Match', current.headers.etag).send(body).expect(200);
    return Number((await db.sql.query('SELECT max(id) AS id FROM config_history WHERE profile_id = $1', [profileId])).rows[0].id);
  };

  it('lists both instances, each registered with its heartbeat, and says which one answers', async () => {
    const listed = (await a.api().get('/api/config/instances').expect(200)).body;
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ current: true, pid: process.pid, listener_connected: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) }),
        expect.objectContaining({ current: false }),
      ]),
    );
    const rows = (await db.sql.query('SELECT id FROM switchboard_instances ORDER BY started_at')).rows.map((row) => row.id);
    expect(listed.map((instance: { instance_id: string }) => instance.instance_id).sort()).toEqual([...rows].sort());
    const status = (await b.api().get('/api/config/status').expect(200)).body;
    expect(status.instances.map((instance: { instance_id: string }) => instance.instance_id).sort()).toEqual([...rows].sort());
    expect(status.instances.find((instance: { current: boolean }) => instance.current).instance_id).toBe(status.instance_id);
  });

  it('reports a change applied on every instance, with when, and records it in the database', async () => {
    const historyId = await put(a, { llm_temperature: 0.42 });
    const { value: delivery } = await eventually(async () => {
      const body = (await b.api().get(`/api/config/changes/${historyId}/delivery`).expect(200)).body;
      expect(body.instances_applied).toEqual({ applied: 2, total: 2 });
      return body;
    });
    expect(delivery).toMatchObject({ history_id: historyId, profile_id: profileId, sessions: [], sessions_applied: { applied: 0, total: 0 } });
    for (const instance of delivery.instances) expect(instance).toMatchObject({ status: 'applied', applied_at: expect.any(String), after_ms: expect.any(Number) });
    expect(delivery.all_instances_after_ms).toBe(Math.max(...delivery.instances.map((instance: { after_ms: number }) => instance.after_ms)));
    const { rows } = await db.sql.query('SELECT instance_id FROM config_change_applied WHERE history_id = $1', [historyId]);
    expect(rows).toHaveLength(2);
    const newest = (await a.api().get('/api/config/instances').expect(200)).body;
    for (const instance of newest) expect(instance.last_applied_history_id).toBeGreaterThanOrEqual(historyId);
  });

  it('counts a session applied once its agent acknowledges the configuration that includes the change', async () => {
    const session = (await a.api().post(`/api/config/profiles/${profileId}/load`).send({}).expect(200)).body.session_id;
    const historyId = await put(a, { llm_temperature: 0.43 });
    const { value: pending } = await eventually(async () => {
      const body = (await a.api().get(`/api/config/changes/${historyId}/delivery`).expect(200)).body;
      expect(body.instances_applied.applied).toBe(2);
      return body;
    });
    expect(pending.sessions).toEqual([{ session_id: session, status: 'pending', acked_at: null, pinned_version: null }]);

    // The agent read its configuration and applied it.
    const resolved = await b.api(agentToken).get(`/api/config/resolved?session_id=${session}`).expect(200);
    const seen = (await db.sql.query('SELECT last_seen_at FROM agent_sessions WHERE id = $1', [session])).rows[0].last_seen_at;
    const ack = await b.api(agentToken).post(`/api/config/sessions/${session}/ack`).send({ etag: resolved.headers.etag }).expect(200);
    // An acknowledgement is no sign of life: the runtime sends them for idle sessions too.
    expect((await db.sql.query('SELECT last_seen_at FROM agent_sessions WHERE id = $1', [session])).rows[0].last_seen_at).toEqual(seen);
    expect(ack.body).toMatchObject({ session_id: session, profile_id: profileId, current: true, acked_history_id: historyId, acked_at: expect.any(String) });
    const { rows } = await db.sql.query('SELECT acked_etag, acked_history_id FROM agent_sessions WHERE id = $1', [session]);
    expect(rows[0]).toEqual({ acked_etag: resolved.headers.etag, acked_history_id: String(historyId) });
    const delivered = (await a.api().get(`/api/config/changes/${historyId}/delivery`).expect(200)).body;
    expect(delivered.sessions).toEqual([{ session_id: session, status: 'applied', acked_at: ack.body.acked_at, pinned_version: null }]);
    expect(delivered.sessions_applied).toEqual({ applied: 1, total: 1 });

    // A newer change: the old ETag is no longer current and moves nothing.
    const next = await put(b, { llm_temperature: 0.44 });
    const stale = await a.api(agentToken).post(`/api/config/sessions/${session}/ack`).send({ etag: resolved.headers.etag }).expect(200);
    expect(stale.body).toMatchObject({ current: false, acked_history_id: historyId });
    expect((await a.api().get(`/api/config/changes/${next}/delivery`).expect(200)).body.sessions[0].status).toBe('pending');

    // Moved to another profile, the session starts again from nothing.
    const other = (await a.api().post('/api/config/profiles').send({ name: 'Elsewhere' }).expect(201)).body.id;
    await a.api().post(`/api/config/profiles/${other}/load`).send({ session_id: session }).expect(200);
    const moved = await db.sql.query('SELECT acked_etag, acked_history_id, acked_at FROM agent_sessions WHERE id = $1', [session]);
    expect(moved.rows[0]).toEqual({ acked_etag: null, acked_history_id: null, acked_at: null });
  });

  it('refuses bad acknowledgements and unknown changes with problem+json, changing nothing', async () => {
    const session = (await a.api().post(`/api/config/profiles/${profileId}/load`).send({}).expect(200)).body.session_id;
    const before = (await db.sql.query('SELECT * FROM agent_sessions ORDER BY id')).rows;
    const viewer = await a.api(viewerToken).post(`/api/config/sessions/${session}/ack`).send({ etag: '"x"' }).expect(403);
    expect(viewer.headers['content-type']).toMatch(PROBLEM);
    await a.api(agentToken).post('/api/config/sessions/6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c/ack').send({ etag: '"x"' }).expect(404);
    await a.api(agentToken).post('/api/config/sessions/not-a-uuid/ack').send({ etag: '"x"' }).expect(400);
    const missing = await a.api(agentToken).post(`/api/config/sessions/${session}/ack`).send({}).expect(400);
    expect(missing.body.errors.map((error: { field: string }) => error.field)).toContain('etag');
    await a.api(agentToken).post(`/api/config/sessions/${session}/ack`).send({ etag: 'x'.repeat(101) }).expect(422);
    await a.api(agentToken).post(`/api/config/sessions/${session}/ack`).send({ etag: '"x"', extra: 1 }).expect(400);
    expect((await db.sql.query('SELECT * FROM agent_sessions ORDER BY id')).rows).toEqual(before);

    const unknown = await a.api().get('/api/config/changes/987654/delivery').expect(404);
    expect(unknown.body).toMatchObject({ type: 'urn:switchboard:problem:not-found', detail: 'There is no change (history entry) 987654.' });
    await a.api().get('/api/config/changes/abc/delivery').expect(400);
    // History ids are bigint: one past the integer range is looked up, not refused by the route.
    const big = await a.api().get('/api/config/changes/3000000000/delivery').expect(404);
    expect(big.body.detail).toBe('There is no change (history entry) 3000000000.');
    await a.api().get('/api/config/changes/99999999999999999/delivery').expect(400);
    await a.api().get('/api/config/changes/0/delivery').expect(404);
  });

  it('the database keeps the registry sound: checks, and applied records go with their instance', async () => {
    await expect(db.sql.query(`INSERT INTO switchboard_instances (id, host, pid, version) VALUES (gen_random_uuid(), '', 1, 'x')`)).rejects.toThrow(/chk_instances_host/);
    await expect(db.sql.query(`INSERT INTO switchboard_instances (id, host, pid, version) VALUES (gen_random_uuid(), 'h', 0, 'x')`)).rejects.toThrow(/chk_instances_pid/);
    await expect(
      db.sql.query(`INSERT INTO switchboard_instances (id, host, pid, version, started_at, heartbeat_at) VALUES (gen_random_uuid(), 'h', 1, 'x', now(), now() - interval '1 minute')`),
    ).rejects.toThrow(/chk_instances_heartbeat_after_start/);
    await expect(db.sql.query(`INSERT INTO config_change_applied VALUES (1, gen_random_uuid(), now())`)).rejects.toThrow(/foreign key/);
    await expect(db.sql.query(`UPDATE agent_sessions SET acked_etag = 'x'`)).rejects.toThrow(/chk_agent_sessions_ack_whole/);

    // An instance that stopped beating is not listed, and deleting it takes its records along.
    const { rows } = await db.sql.query(
      `INSERT INTO switchboard_instances (id, host, pid, version, started_at, heartbeat_at) VALUES (gen_random_uuid(), 'gone', 9, 'x', now() - interval '1 hour', now() - interval '1 minute') RETURNING id`,
    );
    await db.sql.query(`INSERT INTO config_change_applied VALUES (1, $1, now())`, [rows[0].id]);
    const listed = (await a.api().get('/api/config/instances').expect(200)).body;
    expect(listed.map((instance: { host: string }) => instance.host)).not.toContain('gone');
    await db.sql.query('DELETE FROM switchboard_instances WHERE id = $1', [rows[0].id]);
    expect((await db.sql.query('SELECT count(*)::int AS n FROM config_change_applied WHERE instance_id = $1', [rows[0].id])).rows[0].n).toBe(0);
  });

  it('an instance killed with SIGKILL ages out after three missed heartbeats; one stopped cleanly leaves at once', async () => {
    const port = await anyFreePort();
    const env = { DATABASE_URL: db.url, PORT: String(port), SWITCHBOARD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, SWITCHBOARD_HEARTBEAT_SECONDS: '1', SWITCHBOARD_INSTANCE_ID: '11111111-2222-4333-8444-555555555555' };
    const killed = spawnServer(env);
    await killed.waitFor(/Listening on/);
    const ids = async () => (await a.api().get('/api/config/instances').expect(200)).body.map((instance: { instance_id: string }) => instance.instance_id);
    expect(await ids()).toContain(env.SWITCHBOARD_INSTANCE_ID);
    killed.child.kill('SIGKILL');
    await killed.exited();
    expect(await ids()).toContain(env.SWITCHBOARD_INSTANCE_ID); // its row stays: nobody deleted it
    await eventually(async () => expect(await ids()).not.toContain(env.SWITCHBOARD_INSTANCE_ID), 6000);

    const stopped = spawnServer({ ...env, SWITCHBOARD_INSTANCE_ID: '21111111-2222-4333-8444-555555555555' });
    await stopped.waitFor(/Listening on/);
    expect(await ids()).toContain('21111111-2222-4333-8444-555555555555');
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited()).toBe(0);
    expect(await ids()).not.toContain('21111111-2222-4333-8444-555555555555');
  }, 30_000);
});
