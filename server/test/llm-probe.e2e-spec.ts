import { anyFreePort } from '../src/common/database/embedded-postgres.js';
import { startFakeLlm } from './support/fake-llm.js';
import { startTestApp, TEST_ADMIN_NAME, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;
const LLM_KEY = 'llm-key-NEVER-SHOWN';

/**
 * Probe before apply: a profile's LLM settings tried with one minimal completion against a fake
 * OpenAI-compatible server that answers, fails and hangs; every outcome recorded; a profile that
 * requires a probe refusing changes (on any instance) until exactly their settings passed one.
 */
describe('LLM probe and the probe gate', () => {
  let db: TestDatabase;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  let a: TestApp;
  let b: TestApp;
  let profileId: number;
  const answers: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    llm = await startFakeLlm();
    const env = { LLM_BASE_URL: llm.url, LLM_API_KEY: LLM_KEY };
    [a, b] = [await startTestApp(db.url, { env }), await startTestApp(db.url, { env })];
    profileId = (await a.api().post('/api/config/profiles').send({ name: 'probed' }).expect(201)).body.id;
  });
  afterEach(() => {
    llm.state.answer = (call, n) => ({ status: 200, body: { choices: [{ message: { role: 'assistant', content: `reply ${n}` } }], usage: null } });
  });
  afterAll(async () => {
    expect(answers.join('\n')).not.toContain(LLM_KEY);
    await a.close();
    await b.close();
    await llm.close();
    await db.drop();
  });

  /** Every answer is kept, to search for the key afterwards; a refusal must be problem+json. */
  const probe = async (app: TestApp, body: object, status: number, token?: string) => {
    const response = await app.api(token).post(`/api/config/ai-infra/${profileId}/probe`).send(body).expect(status);
    if (status >= 400) expect(response.headers['content-type']).toMatch(PROBLEM);
    answers.push(response.text);
    return response;
  };
  const probes = async () => (await db.sql.query('SELECT ok, settings, latency_ms, reply_chars, error, probed_by FROM llm_probes WHERE profile_id = $1 ORDER BY id', [profileId])).rows;
  const historyCount = async () => Number((await db.sql.query('SELECT count(*) FROM config_history WHERE profile_id = $1', [profileId])).rows[0].count);
  const stored = async () => (await a.api().get(`/api/config/ai-infra/${profileId}`).expect(200)).body;

  it('probes the stored settings with one small completion and records it, changing nothing', async () => {
    const before = { config: await stored(), history: await historyCount() };
    const response = await probe(a, {}, 200);
    const settings = { llm_endpoint: 'databricks-claude-sonnet-4-5', llm_temperature: 0.7, llm_max_tokens: 60000, llm_top_p: 1, llm_timeout_seconds: 120 };
    expect(response.body).toMatchObject({ profile_id: profileId, ok: true, settings, latency_ms: expect.any(Number), reply_chars: expect.any(Number), error: null, probed_by: TEST_ADMIN_NAME });
    expect(Date.parse(response.body.valid_until) - Date.parse(response.body.probed_at)).toBe(900_000);
    const call = llm.calls.at(-1)!;
    expect(call.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(call.body).toMatchObject({ model: 'databricks-claude-sonnet-4-5', temperature: 0.7, max_tokens: 16, top_p: 1 });
    expect(await probes()).toEqual([{ ok: true, settings, latency_ms: response.body.latency_ms, reply_chars: response.body.reply_chars, error: null, probed_by: TEST_ADMIN_NAME }]);
    expect(await stored()).toEqual(before.config);
    expect(await historyCount()).toBe(before.history);
    const listed = (await b.api().get(`/api/config/ai-infra/${profileId}/probe`).expect(200)).body;
    expect(listed[0]).toEqual(response.body);
  });

  it('probes candidate settings over the stored ones, rounded as they would be stored', async () => {
    const response = await probe(a, { llm_endpoint: 'candidate-model', llm_temperature: 0.333 }, 200);
    expect(response.body.settings).toMatchObject({ llm_endpoint: 'candidate-model', llm_temperature: 0.33, llm_max_tokens: 60000 });
    expect(llm.calls.at(-1)!.body).toMatchObject({ model: 'candidate-model', temperature: 0.33 });
    expect((await stored()).llm_endpoint).toBe('databricks-claude-sonnet-4-5');
  });

  it('answers 502 with the upstream status when the LLM fails, and 504 when it hangs, recording both', async () => {
    llm.state.answer = () => ({ status: 500, body: { error: 'boom' } });
    const failed = await probe(a, {}, 502);
    expect(failed.body).toMatchObject({ type: 'urn:switchboard:problem:llm-upstream-error', detail: expect.stringContaining('HTTP 500') });
    llm.state.answer = () => 'hang';
    const hung = await probe(a, { llm_timeout_seconds: 1 }, 504);
    expect(hung.body).toMatchObject({ type: 'urn:switchboard:problem:llm-timeout', detail: expect.stringContaining('1 s') });
    const [upstream, timeout] = (await probes()).slice(-2);
    expect(upstream).toMatchObject({ ok: false, reply_chars: null, error: expect.stringContaining('HTTP 500') });
    expect(timeout).toMatchObject({ ok: false, reply_chars: null, error: expect.stringContaining('did not answer'), settings: expect.objectContaining({ llm_timeout_seconds: 1 }) });
    expect(timeout.latency_ms).toBeGreaterThanOrEqual(900);
  });

  it('answers 502 naming the host, never the key, when the LLM cannot be reached', async () => {
    const closed = await startTestApp(db.url, { env: { LLM_BASE_URL: `http://127.0.0.1:${await anyFreePort()}/v1`, LLM_API_KEY: LLM_KEY } });
    try {
      const response = await probe(closed, {}, 502);
      expect(response.body.detail).toMatch(/could not be reached/);
    } finally {
      await closed.close();
    }
  });

  it('gates changes of a profile that requires a probe until exactly those settings passed one, on any instance', async () => {
    const turnedOn = await a.api().put(`/api/config/ai-infra/${profileId}`).send({ require_probe: true }).expect(200);
    expect(turnedOn.body.require_probe).toBe(true);
    const audit = (await db.sql.query(`SELECT changes FROM config_history WHERE profile_id = $1 AND domain = 'ai_infra' ORDER BY id DESC LIMIT 1`, [profileId])).rows[0];
    expect(audit.changes).toEqual({ require_probe: { old: false, new: true } });

    const before = { config: await stored(), history: await historyCount() };
    const refused = await b.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.5 }).expect(409).expect('content-type', PROBLEM);
    expect(refused.body).toMatchObject({ type: 'urn:switchboard:problem:probe-required', detail: expect.stringContaining(`POST /api/config/ai-infra/${profileId}/probe`) });
    expect(await stored()).toEqual(before.config);
    expect(await historyCount()).toBe(before.history);

    llm.state.answer = () => ({ status: 503, body: {} });
    await probe(a, { llm_temperature: 0.5 }, 502);
    await b.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.5 }).expect(409); // a failed probe opens nothing
    llm.state.answer = (call, n) => ({ status: 200, body: { choices: [{ message: { content: `reply ${n}` } }] } });
    await probe(a, { llm_temperature: 0.6 }, 200);
    await b.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.5 }).expect(409); // other settings
    await probe(a, { llm_temperature: 0.5 }, 200);
    const saved = await b.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.5 }).expect(200);
    expect(saved.body.llm_temperature).toBe(0.5);
  });

  it('gates the prompts on a passing probe of the settings in force, and lets an old probe lapse', async () => {
    await a.api().put(`/api/config/prompts/${profileId}`).send({ system_prompt: 'Probed system prompt.' }).expect(200);
    await db.sql.query(`UPDATE llm_probes SET probed_at = now() - interval '1 hour' WHERE profile_id = $1`, [profileId]);
    const refused = await a.api().put(`/api/config/prompts/${profileId}`).send({ system_prompt: 'Too late.' }).expect(409);
    expect(refused.body.detail).toMatch(/prompts change/);
    expect((await a.api().get(`/api/config/prompts/${profileId}`).expect(200)).body.system_prompt).toBe('Probed system prompt.');
    // Turning the requirement off changes no setting: no probe needed.
    await a.api().put(`/api/config/ai-infra/${profileId}`).send({ require_probe: false }).expect(200);
    await a.api().put(`/api/config/prompts/${profileId}`).send({ system_prompt: 'Free again.' }).expect(200);
  });

  it('requires a probe of every profile with SWITCHBOARD_REQUIRE_PROBE=true', async () => {
    const strict = await startTestApp(db.url, { env: { LLM_BASE_URL: llm.url, SWITCHBOARD_REQUIRE_PROBE: 'true' } });
    try {
      const other = (await strict.api().post('/api/config/profiles').send({ name: 'strict' }).expect(201)).body.id;
      expect((await strict.api().get(`/api/config/ai-infra/${other}`).expect(200)).body.require_probe).toBe(false);
      await strict.api().put(`/api/config/ai-infra/${other}`).send({ llm_max_tokens: 1000 }).expect(409);
      await strict.api().post(`/api/config/ai-infra/${other}/probe`).send({ llm_max_tokens: 1000 }).expect(200);
      await strict.api().put(`/api/config/ai-infra/${other}`).send({ llm_max_tokens: 1000 }).expect(200);
    } finally {
      await strict.close();
    }
  });

  it('refuses bad probes clearly: viewer 403, unknown profile 404, out of range 422, wrong type 400, no LLM 503', async () => {
    const viewer = (await a.api().post('/api/auth/tokens').send({ name: 'probe-viewer', role: 'viewer' }).expect(201)).body.token;
    const count = (await probes()).length;
    await probe(a, {}, 403, viewer);
    await a.api().post('/api/config/ai-infra/999999/probe').send({}).expect(404).expect('content-type', PROBLEM);
    const range = await probe(a, { llm_temperature: 3 }, 422);
    expect(range.body.errors).toEqual([{ field: 'llm_temperature', message: 'llm_temperature must be at most 1' }]);
    await probe(a, { llm_max_tokens: 'many' }, 400);
    const bare = await startTestApp(db.url, { env: { LLM_BASE_URL: '', DATABRICKS_HOST: '', DATABRICKS_TOKEN: '' } });
    try {
      const response = await bare.api().post(`/api/config/ai-infra/${profileId}/probe`).send({}).expect(503);
      expect(response.body.type).toBe('urn:switchboard:problem:llm-not-configured');
    } finally {
      await bare.close();
    }
    expect((await probes()).length).toBe(count);
  });
});
