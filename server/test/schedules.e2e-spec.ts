import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventually } from './support/eventually.js';
import { openStream } from './support/sse-client.js';
import { REPO_ROOT } from './support/server-process.js';
import { startTestApp, TEST_ADMIN_NAME, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;

/** Scheduled changes on two instances polling one database: run once, on time, audited; cancelled; refused. */
describe('scheduled changes', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let weekend: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { SWITCHBOARD_SCHEDULE_POLL_MS: '100' };
    [a, b] = [await startTestApp(db.url, { env }), await startTestApp(db.url, { env })];
    weekend = (await a.api().post('/api/config/profiles').send({ name: 'Weekend' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
  const schedule = (app: TestApp, body: object) => app.api().post('/api/config/schedules').send(body);
  const row = async (id: number) => (await db.sql.query('SELECT status, attempts, last_error, run_at, finished_at FROM config_schedules WHERE id = $1', [id])).rows[0];

  it('sets the default at the time, once across both instances, audited as who scheduled it', async () => {
    const created = await schedule(a, { profile_id: weekend, action: 'set_default', run_at: inSeconds(2.5) }).expect(201);
    expect(created.body).toMatchObject({ profile_id: weekend, profile_name: 'Weekend', action: 'set_default', status: 'pending', attempts: 0, created_by: TEST_ADMIN_NAME, values: null });
    const id = created.body.schedule_id;
    await eventually(async () => expect((await row(id)).status).toBe('done'), 10_000);
    const done = await row(id);
    expect(done.attempts).toBe(1);
    const lateMs = done.finished_at.getTime() - done.run_at.getTime();
    console.log(`scheduled set-default ran ${lateMs} ms after its time`);
    expect(lateMs).toBeLessThan(1000);
    expect((await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows).toEqual([{ id: weekend }]);
    const entries = (await db.sql.query(`SELECT changed_by, request_id FROM config_history WHERE profile_id = $1 AND action = 'set_default'`, [weekend])).rows;
    expect(entries).toEqual([{ changed_by: TEST_ADMIN_NAME, request_id: `schedule-${id}` }]);
    expect((await b.api().get('/api/config/schedules').expect(200)).body[0]).toMatchObject({ schedule_id: id, status: 'done', finished_at: expect.any(String) });
  });

  it('applies values at the time, each domain audited, and the other instance serves them', async () => {
    const values = { ai_infra: { llm_temperature: 0.25 }, prompts: { system_prompt: 'Scheduled prompt.' } };
    const id = (await schedule(b, { profile_id: weekend, action: 'apply', run_at: inSeconds(2.5), values }).expect(201)).body.schedule_id;
    await eventually(async () => expect((await row(id)).status).toBe('done'), 10_000);
    const entries = (await db.sql.query(`SELECT domain FROM config_history WHERE request_id = $1 ORDER BY id`, [`schedule-${id}`])).rows;
    expect(entries.map((entry: { domain: string }) => entry.domain)).toEqual(['ai_infra', 'prompts']);
    await eventually(async () => expect((await a.api().get(`/api/config/resolved?profile_id=${weekend}`).expect(200)).body).toMatchObject({ ai_infra: { llm_temperature: 0.25 }, prompts: { system_prompt: 'Scheduled prompt.' } }));
  });

  it('cancels a pending change, which then never runs; a done one cannot be cancelled', async () => {
    const id = (await schedule(a, { profile_id: weekend, action: 'apply', run_at: inSeconds(3), values: { mlflow: { experiment_name: '/Shared/never' } } }).expect(201)).body.schedule_id;
    await b.api().delete(`/api/config/schedules/${id}`).expect(204);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(await row(id)).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect((await a.api().get(`/api/config/mlflow/${weekend}`).expect(200)).body.experiment_name).not.toBe('/Shared/never');
    await a.api().delete(`/api/config/schedules/${id}`).expect(409).expect('content-type', PROBLEM);
    await a.api().delete('/api/config/schedules/999999').expect(404);
  });

  it('records a change refused when it runs as failed, with the reason, writing nothing; both instances announce each step', async () => {
    const streams = [await openStream(`${b.baseUrl}/api/config/stream`), await openStream(`${a.baseUrl}/api/config/stream?profile_id=${weekend}`)];
    const id = (await schedule(a, { profile_id: weekend, action: 'apply', run_at: inSeconds(2.5), values: { ai_infra: { llm_max_tokens: 1234 } } }).expect(201)).body.schedule_id;
    await a.api().put(`/api/config/ai-infra/${weekend}`).send({ require_probe: true }).expect(200);
    await eventually(async () => expect((await row(id)).status).toBe('failed'), 10_000);
    try {
      for (const stream of streams) {
        await eventually(async () =>
          expect(stream.events.filter((event) => event.event === 'schedule').map((event) => event.data)).toEqual([
            { id, profile_id: weekend, status: 'pending' },
            { id, profile_id: weekend, status: 'failed' },
          ]),
        );
      }
    } finally {
      for (const stream of streams) stream.close();
    }
    expect(await row(id)).toMatchObject({ attempts: 1, last_error: expect.stringContaining('requires a passing probe') });
    expect((await a.api().get(`/api/config/ai-infra/${weekend}`).expect(200)).body.llm_max_tokens).not.toBe(1234);
    await a.api().put(`/api/config/ai-infra/${weekend}`).send({ require_probe: false }).expect(200);
  });

  it('refuses past or malformed times, values without apply, and unknown profiles, storing nothing', async () => {
    const before = Number((await db.sql.query('SELECT count(*) FROM config_schedules')).rows[0].count);
    const past = await schedule(a, { profile_id: weekend, action: 'set_default', run_at: inSeconds(-60) }).expect(422).expect('content-type', PROBLEM);
    expect(past.body.errors).toEqual([{ field: 'run_at', message: 'must be at least 2 seconds ahead' }]);
    for (const run_at of ['tomorrow at noon', '2030-W05-3', '2030-12-01T10:00:00', '20301201T100000Z']) {
      await schedule(a, { profile_id: weekend, action: 'set_default', run_at }).expect(422).expect('content-type', PROBLEM);
    }
    const unknown = await schedule(a, { profile_id: weekend, action: 'apply', run_at: inSeconds(60), values: { domains: { profile: { description: null } } } }).expect(422);
    expect(unknown.body.errors).toEqual([{ field: 'values.domains.profile', message: 'is not a registered domain' }]);
    await a.api().post('/api/config/domains').send(JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/domains/model_providers.json'), 'utf8'))).expect(201);
    const secret = await schedule(a, { profile_id: weekend, action: 'apply', run_at: inSeconds(60), values: { domains: { model_providers: { providers: [{ name: 'x', kind: 'openai', api_key: 'sk-plain' }] } } } }).expect(422);
    expect(secret.body.errors[0]).toMatchObject({ field: 'values.domains.model_providers.providers.0.api_key' });
    expect(JSON.stringify(secret.body)).not.toContain('sk-plain');
    await schedule(a, { profile_id: weekend, action: 'apply', run_at: inSeconds(60) }).expect(422);
    await schedule(a, { profile_id: weekend, action: 'set_default', run_at: inSeconds(60), values: { ai_infra: {} } }).expect(422);
    await schedule(a, { profile_id: weekend, action: 'apply', run_at: inSeconds(60), values: { ai_infra: { llm_temperature: 9 } } }).expect(422);
    await schedule(a, { profile_id: weekend, action: 'rename', run_at: inSeconds(60) }).expect(422);
    await schedule(a, { profile_id: 999999, action: 'set_default', run_at: inSeconds(60) }).expect(404);
    const viewer = (await a.api().post('/api/auth/tokens').send({ name: 'schedule-viewer', role: 'viewer' }).expect(201)).body.token;
    await a.api(viewer).post('/api/config/schedules').send({ profile_id: weekend, action: 'set_default', run_at: inSeconds(60) }).expect(403);
    expect(Number((await db.sql.query('SELECT count(*) FROM config_schedules')).rows[0].count)).toBe(before);
  });
});
