import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { AgentRuntime } from '../src/agent/agent-runtime.service.js';
import { ConflictError } from '../src/common/errors/domain-errors.js';
import { SessionsService } from '../src/sessions/sessions.service.js';
import { eventually } from './support/eventually.js';
import { startFakeLlm } from './support/fake-llm.js';
import { REPO_ROOT } from './support/server-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;

/**
 * Sessions follow their profile or are pinned to it as it was when they loaded it: two instances
 * on one database, a fake LLM for the agents, the pin checked by the database itself.
 */
describe('pinned and following sessions', () => {
  let db: TestDatabase;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  let a: TestApp;
  let b: TestApp;
  let profileId: number;
  let otherId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    llm = await startFakeLlm();
    const env = { LLM_BASE_URL: llm.url, LLM_API_KEY: 'llm-key', SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('base64') };
    [a, b] = [await startTestApp(db.url, { env }), await startTestApp(db.url, { env })];
    profileId = (await a.api().post('/api/config/profiles').send({ name: 'pinning' }).expect(201)).body.id;
    otherId = (await a.api().post('/api/config/profiles').send({ name: 'elsewhere' }).expect(201)).body.id;
    await a.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.3 }).expect(200);
    await a.api().post(`/api/config/profiles/${profileId}/prompts`).send({ name: 'summarise', template: 'Summarise v1', message: 'v1' }).expect(201);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await llm.close();
    await db.drop();
  });

  const load = (app: TestApp, id: number, body: object) => app.api().post(`/api/config/profiles/${id}/load`).send(body);
  const resolved = (app: TestApp, session: string) => app.api().get(`/api/config/resolved?session_id=${session}`).expect(200);
  const loadEntry = async (session: string) =>
    (await db.sql.query(`SELECT id, changes FROM config_history WHERE action = 'load' AND changes -> 'session_id' ->> 'new' = $1 ORDER BY id DESC LIMIT 1`, [session])).rows[0];

  it('pins a session to the audited load: the response, the row and the audit entry say so', async () => {
    const response = await load(a, profileId, { pin: true }).expect(200);
    const { session_id: session, pinned_version } = response.body;
    const entry = await loadEntry(session);
    expect(pinned_version).toBe(Number(entry.id));
    expect(entry.changes).toEqual({ session_id: { old: null, new: session }, pinned: { old: false, new: true } });
    const { rows } = await db.sql.query('SELECT pinned_history_id, pinned_prompts FROM agent_sessions WHERE id = $1', [session]);
    const prompt = (await db.sql.query(`SELECT id FROM config_registry_prompts WHERE profile_id = $1 AND name = 'summarise'`, [profileId])).rows[0].id;
    expect(rows).toEqual([{ pinned_history_id: String(pinned_version), pinned_prompts: { summarise: { prompt_id: prompt, version: 1 } } }]);
    const listed = (await a.api().get(`/api/agent/sessions?profile_id=${profileId}`).expect(200)).body;
    expect(listed.find((item: { session_id: string }) => item.session_id === session).pinned_version).toBe(pinned_version);
    expect((await a.api().get(`/api/agent/sessions/${session}`).expect(200)).body.pinned_version).toBe(pinned_version);
  });

  it('keeps a pinned session on its snapshot through changes, on every instance, while a following one takes them', async () => {
    const pinned = (await load(a, profileId, { pin: true }).expect(200)).body;
    const following = (await load(a, profileId, {}).expect(200)).body;
    expect(following.pinned_version).toBeNull();
    const before = await resolved(b, pinned.session_id);
    expect(before.body).toMatchObject({ pinned_version: pinned.pinned_version, ai_infra: { llm_temperature: 0.3 } });
    expect(before.body.prompt_registry.summarise).toMatchObject({ version: 1, label: 'pinned', template: 'Summarise v1' });

    await a.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.8 }).expect(200);
    await a.api().post(`/api/config/profiles/${profileId}/prompts/summarise/versions`).send({ template: 'Summarise v2', message: 'v2' }).expect(201);

    await eventually(async () => {
      const now = (await resolved(b, following.session_id)).body;
      expect(now).toMatchObject({ pinned_version: null, ai_infra: { llm_temperature: 0.8 } });
      expect(now.prompt_registry.summarise).toMatchObject({ version: 2, label: 'latest' });
    });
    for (const app of [a, b]) {
      const after = await resolved(app, pinned.session_id);
      expect(after.body).toEqual(before.body);
      expect(after.headers.etag).toBe(before.headers.etag);
    }
    await a.api().get(`/api/config/resolved?session_id=${pinned.session_id}`).set('If-None-Match', before.headers.etag).expect(304);
  });

  it('drops a pinned prompt deleted since, also when another is created under its name', async () => {
    await a.api().post(`/api/config/profiles/${profileId}/prompts`).send({ name: 'ephemeral', template: 'First of its name', message: 'v1' }).expect(201);
    const pinned = (await load(a, profileId, { pin: true }).expect(200)).body;
    expect((await resolved(b, pinned.session_id)).body.prompt_registry.ephemeral).toMatchObject({ version: 1, template: 'First of its name' });
    await a.api().delete(`/api/config/profiles/${profileId}/prompts/ephemeral`).expect(204);
    await a.api().post(`/api/config/profiles/${profileId}/prompts`).send({ name: 'ephemeral', template: 'Another of the same name', message: 'v1' }).expect(201);
    await eventually(async () => expect((await resolved(b, pinned.session_id)).body.prompt_registry.ephemeral).toBeUndefined());
    expect((await resolved(a, pinned.session_id)).body.prompt_registry.summarise).toMatchObject({ label: 'pinned' });
  });

  it('does not rebuild a pinned agent on a change, and rebuilds the following one', async () => {
    const pinned = (await a.api().post('/api/agent/sessions').send({ profile_id: profileId, pin: true }).expect(201)).body;
    expect(pinned.pinned_version).toEqual(expect.any(Number));
    const following = (await a.api().post('/api/agent/sessions').send({ profile_id: profileId }).expect(201)).body;
    const ask = async (session: string) => {
      await a.api().post(`/api/agent/sessions/${session}/messages`).send({ question: 'Usage?' }).expect(200);
      return llm.calls.at(-1)!.body.temperature;
    };
    const before = { pinned: await ask(pinned.session_id), following: await ask(following.session_id) };
    const runtime = a.app.get(AgentRuntime);
    const rebuilds = runtime.rebuilds;

    await a.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.15 }).expect(200);
    await eventually(async () => expect(runtime.rebuilds).toBe(rebuilds + 1));
    expect(await ask(following.session_id)).toBe(0.15);
    expect(await ask(pinned.session_id)).toBe(before.pinned);
    expect(before.following).toBe(before.pinned);
    expect(runtime.rebuilds).toBe(rebuilds + 1);
  });

  it('unpins on a load without pin, and a move to another profile unpins: both audited', async () => {
    const pinned = (await load(a, profileId, { pin: true }).expect(200)).body;
    const unpinned = (await load(a, profileId, { session_id: pinned.session_id, pin: false }).expect(200)).body;
    expect(unpinned.pinned_version).toBeNull();
    expect((await loadEntry(pinned.session_id)).changes.pinned).toEqual({ old: true, new: false });
    // The other instance hears of the session's load through a notification: eventually, as below.
    await eventually(async () => expect((await resolved(b, pinned.session_id)).body.pinned_version).toBeNull());

    await load(a, profileId, { session_id: pinned.session_id, pin: true }).expect(200);
    await eventually(async () => expect((await resolved(b, pinned.session_id)).body.pinned_version).toEqual(expect.any(Number)));
    await load(a, otherId, { session_id: pinned.session_id }).expect(200);
    const moved = await loadEntry(pinned.session_id);
    expect(moved.changes.pinned).toEqual({ old: true, new: false });
    const { rows } = await db.sql.query('SELECT profile_id, pinned_history_id, pinned_prompts FROM agent_sessions WHERE id = $1', [pinned.session_id]);
    expect(rows).toEqual([{ profile_id: otherId, pinned_history_id: null, pinned_prompts: null }]);
    await eventually(async () => expect((await resolved(b, pinned.session_id)).body).toMatchObject({ pinned_version: null, profile: { id: otherId } }));
  });

  it('lists a session pinned before a change as pinned, not pending, and counts an acknowledged pin as applied', async () => {
    const pinned = (await load(a, profileId, { pin: true }).expect(200)).body;
    await a.api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 0.55 }).expect(200);
    const change = Number((await db.sql.query('SELECT max(id) AS id FROM config_history WHERE profile_id = $1', [profileId])).rows[0].id);
    const delivery = (await b.api().get(`/api/config/changes/${change}/delivery`).expect(200)).body;
    expect(delivery.sessions).toContainEqual({ session_id: pinned.session_id, status: 'pinned', acked_at: null, pinned_version: pinned.pinned_version });
    expect(delivery.sessions_pinned).toBeGreaterThanOrEqual(1);
    expect(delivery.sessions_applied.total).toBe(delivery.sessions.length - delivery.sessions_pinned);

    const etag = (await resolved(a, pinned.session_id)).headers.etag;
    const ack = (await a.api().post(`/api/config/sessions/${pinned.session_id}/ack`).send({ etag }).expect(200)).body;
    expect(ack).toMatchObject({ current: true, acked_history_id: pinned.pinned_version });
    const loadChange = (await b.api().get(`/api/config/changes/${pinned.pinned_version}/delivery`).expect(200)).body;
    expect(loadChange.sessions).toContainEqual(expect.objectContaining({ session_id: pinned.session_id, status: 'applied' }));
  });

  it("keeps a pinned session's registered-domain values, with the secrets stored now (the audit holds none in the clear)", async () => {
    const providers = JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/domains/model_providers.json'), 'utf8'));
    await a.api().post('/api/config/domains').send(providers).expect(201);
    const valuesPath = `/api/config/domains/model_providers/profiles/${profileId}`;
    await a.api().put(valuesPath).send({ values: { providers: [{ name: 'openai', kind: 'openai', api_key: 'sk-first', models: ['gpt-4o'] }] } }).expect(200);
    const pinned = (await load(a, profileId, { pin: true }).expect(200)).body;
    const stored = (await a.api().get(valuesPath).expect(200)).body.values.providers[0];
    await a.api().put(valuesPath).send({ values: { providers: [{ ...stored, api_key: 'sk-rotated', models: ['gpt-4.1'] }] } }).expect(200);

    await eventually(async () => {
      const body = (await resolved(b, pinned.session_id)).body;
      expect(body.model_providers.providers[0]).toMatchObject({ models: ['gpt-4o'], api_key: 'sk-rotated' });
    });
    const viewer = (await a.api().post('/api/auth/tokens').send({ name: 'pin-viewer', role: 'viewer' }).expect(201)).body.token;
    const concealed = (await b.api(viewer).get(`/api/config/resolved?session_id=${pinned.session_id}`).expect(200)).body;
    expect(concealed.model_providers.providers[0]).toMatchObject({ models: ['gpt-4o'], api_key: { set: true } });
  });

  it('refuses an acknowledgement read before the session was unpinned meanwhile (409), recording nothing', async () => {
    const pinned = (await load(a, profileId, { pin: true }).expect(200)).body;
    const sessions = a.app.get(SessionsService);
    const dataSource = a.app.get(DataSource);
    const before = await sessions.targetOf(dataSource.manager, pinned.session_id);
    await load(a, profileId, { session_id: pinned.session_id, pin: false }).expect(200);
    await expect(sessions.ack(dataSource.manager, { ...before, id: pinned.session_id }, '"stale"', before.pin!.historyId)).rejects.toThrow(ConflictError);
    const { rows } = await db.sql.query('SELECT acked_etag, acked_history_id FROM agent_sessions WHERE id = $1', [pinned.session_id]);
    expect(rows).toEqual([{ acked_etag: null, acked_history_id: null }]);
  });

  it('refuses, in the database, a pin to another profile or a pin without its prompt versions', async () => {
    const pinned = (await load(a, profileId, { pin: true }).expect(200)).body;
    const foreign = Number((await db.sql.query(`SELECT max(id) AS id FROM config_history WHERE profile_id = $1`, [otherId])).rows[0].id);
    await expect(db.sql.query('UPDATE agent_sessions SET pinned_history_id = $2 WHERE id = $1', [pinned.session_id, foreign])).rejects.toThrow(/not a snapshot of its profile/);
    await expect(db.sql.query('UPDATE agent_sessions SET profile_id = $2 WHERE id = $1', [pinned.session_id, otherId])).rejects.toThrow(/not a snapshot of its profile/);
    await expect(db.sql.query('UPDATE agent_sessions SET pinned_prompts = NULL WHERE id = $1', [pinned.session_id])).rejects.toThrow(/chk_agent_sessions_pin_whole/);
    await expect(db.sql.query(`UPDATE agent_sessions SET pinned_prompts = '[]' WHERE id = $1`, [pinned.session_id])).rejects.toThrow(/chk_agent_sessions_pinned_prompts/);
    const { rows } = await db.sql.query('SELECT profile_id, pinned_history_id FROM agent_sessions WHERE id = $1', [pinned.session_id]);
    expect(rows).toEqual([{ profile_id: profileId, pinned_history_id: String(pinned.pinned_version) }]);
  });

  it('answers a pin that is not a boolean with 400 and an unknown session with 404, writing nothing', async () => {
    const entries = Number((await db.sql.query('SELECT count(*) FROM config_history')).rows[0].count);
    const bad = await load(a, profileId, { pin: 'yes' }).expect(400).expect('content-type', PROBLEM);
    expect(bad.body.errors).toEqual([{ field: 'pin', message: 'pin must be true or false' }]);
    await load(a, profileId, { session_id: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c', pin: true }).expect(404).expect('content-type', PROBLEM);
    expect(Number((await db.sql.query('SELECT count(*) FROM config_history')).rows[0].count)).toBe(entries);
  });
});
