import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { servesCandidate } from '../src/rollout/rollout-split.js';
import { eventually } from './support/eventually.js';
import { REPO_ROOT } from './support/server-process.js';
import { openStream } from './support/sse-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;

/**
 * Gradual rollout: a profile sends a share of subjects (resolved?subject=) and of new sessions to
 * a candidate profile, deterministically; raise, promote and abort are audited and reach the
 * other instance and its change stream; the database keeps rollouts one level deep.
 */
describe('gradual rollout', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let stable: number;
  let candidate: number;
  let spare: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('base64') };
    [a, b] = [await startTestApp(db.url, { env }), await startTestApp(db.url, { env })];
    const create = async (name: string) => (await a.api().post('/api/config/profiles').send({ name }).expect(201)).body.id as number;
    [stable, candidate, spare] = [await create('stable'), await create('candidate'), await create('spare')];
    await a.api().put(`/api/config/ai-infra/${candidate}`).send({ llm_endpoint: 'candidate-model', llm_temperature: 0.2 }).expect(200);
    await a.api().put(`/api/config/prompts/${candidate}`).send({ system_prompt: 'Candidate system prompt.' }).expect(200);
    // A registered domain with a secret: promoting must carry the candidate's own key over.
    await a.api().post('/api/config/domains').send(JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/domains/model_providers.json'), 'utf8'))).expect(201);
    for (const [id, key] of [[stable, 'sk-stable'], [candidate, 'sk-candidate']] as const) {
      await a.api().put(`/api/config/domains/model_providers/profiles/${id}`).send({ values: { providers: [{ name: 'openai', kind: 'openai', api_key: key }] } }).expect(200);
    }
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  const rollout = (app: TestApp, id: number, body: object) => app.api().put(`/api/config/profiles/${id}/rollout`).send(body);
  const resolvedFor = async (app: TestApp, subject: string) => app.api().get(`/api/config/resolved?profile_id=${stable}&subject=${encodeURIComponent(subject)}`).expect(200);
  const lastEntry = async (id: number) => (await db.sql.query(`SELECT domain, action, changes FROM config_history WHERE profile_id = $1 ORDER BY id DESC LIMIT 1`, [id])).rows[0];

  it('starts a rollout, audited, announced on the other instance, and readable there', async () => {
    const stream = await openStream(`${b.baseUrl}/api/config/stream?profile_id=${stable}`);
    try {
      const started = await rollout(a, stable, { candidate_profile_id: candidate, percentage: 20 }).expect(201);
      expect(started.body).toMatchObject({ profile_id: stable, candidate_profile_id: candidate, candidate_name: 'candidate', percentage: 20, started_by: expect.any(String) });
      expect(await lastEntry(stable)).toEqual({ domain: 'rollout', action: 'create', changes: { candidate_profile_id: { old: null, new: candidate }, percentage: { old: null, new: 20 } } });
      await eventually(async () => expect(stream.events.map((event) => event.data)).toContainEqual(expect.objectContaining({ profile_id: stable, domain: 'rollout', action: 'create' })));
      expect((await b.api().get(`/api/config/profiles/${stable}/rollout`).expect(200)).body).toEqual(started.body);
    } finally {
      stream.close();
    }
  });

  it('splits 10,000 subjects within 3 % of the percentage, the same way on both instances and every time', async () => {
    const subjects = Array.from({ length: 10_000 }, (_, index) => `user-${index}`);
    const split = { profileId: stable, candidateProfileId: candidate, percentage: 20 };
    const share = subjects.filter((subject) => servesCandidate(split, subject)).length / subjects.length;
    expect(Math.abs(share - 0.2)).toBeLessThan(0.03);
    // Over HTTP: a sample of subjects, each served the side the split says, on either instance, twice.
    for (const subject of subjects.slice(0, 60)) {
      const side = servesCandidate(split, subject) ? 'candidate' : 'profile';
      for (const app of [a, b, a]) {
        const response = await resolvedFor(app, subject);
        expect(response.headers['x-rollout']).toBe(`served=${side}; profile_id=${stable}; candidate_profile_id=${candidate}; percentage=20`);
        expect(response.body.profile.id).toBe(side === 'candidate' ? candidate : stable);
        expect(response.body.ai_infra.llm_endpoint).toBe(side === 'candidate' ? 'candidate-model' : 'databricks-claude-sonnet-4-5');
      }
    }
    const plain = await a.api().get(`/api/config/resolved?profile_id=${stable}`).expect(200);
    expect(plain.headers['x-rollout']).toBeUndefined();
    expect(plain.body.profile.id).toBe(stable);
  });

  it('raising the percentage only moves subjects to the candidate, and reaches the other instance', async () => {
    const subjects = Array.from({ length: 2_000 }, (_, index) => `user-${index}`);
    const at = (percentage: number) => new Set(subjects.filter((subject) => servesCandidate({ profileId: stable, candidateProfileId: candidate, percentage }, subject)));
    const before = at(20);
    const after = at(50);
    for (const subject of before) expect(after.has(subject)).toBe(true);
    await rollout(a, stable, { candidate_profile_id: candidate, percentage: 50 }).expect(200);
    expect((await lastEntry(stable)).changes).toEqual({ percentage: { old: 20, new: 50 } });
    const moved = [...after].find((subject) => !before.has(subject))!;
    await eventually(async () => expect((await resolvedFor(b, moved)).headers['x-rollout']).toMatch(/^served=candidate; .*percentage=50$/));
  });

  it('sends new sessions to the candidate by subject (default: the session id), saying so', async () => {
    const split = { profileId: stable, candidateProfileId: candidate, percentage: 50 };
    const subjects = Array.from({ length: 50 }, (_, index) => `tenant-${index}`);
    const toCandidate = subjects.find((subject) => servesCandidate(split, subject))!;
    const toProfile = subjects.find((subject) => !servesCandidate(split, subject))!;
    const sent = (await a.api().post(`/api/config/profiles/${stable}/load`).send({ subject: toCandidate }).expect(200)).body;
    expect(sent).toMatchObject({ id: candidate, rollout_of: stable });
    expect((await db.sql.query('SELECT profile_id FROM agent_sessions WHERE id = $1', [sent.session_id])).rows[0].profile_id).toBe(candidate);
    expect((await lastEntry(candidate)).changes).toEqual({ session_id: { old: null, new: sent.session_id }, rollout_of: { old: null, new: stable } });
    const kept = (await a.api().post(`/api/config/profiles/${stable}/load`).send({ subject: toProfile }).expect(200)).body;
    expect(kept).toMatchObject({ id: stable, rollout_of: null });
    // Without a subject, the new session's id decides: about half of 40 sessions go to the candidate.
    const sessions = await Promise.all(Array.from({ length: 40 }, () => a.api().post(`/api/config/profiles/${stable}/load`).send({}).expect(200)));
    const onCandidate = sessions.filter((response) => response.body.id === candidate).length;
    expect(onCandidate).toBeGreaterThan(5);
    expect(onCandidate).toBeLessThan(35);
    for (const response of sessions) expect(response.body.id).toBe(servesCandidate(split, response.body.session_id) ? candidate : stable);
  });

  it('refuses a rollout to itself, to a profile with its own rollout, from a candidate, or outside 0-100 (422), an unknown candidate (404): writing nothing', async () => {
    const count = async () => Number((await db.sql.query('SELECT count(*) FROM config_history')).rows[0].count);
    const before = await count();
    const self = await rollout(a, spare, { candidate_profile_id: spare, percentage: 10 }).expect(422).expect('content-type', PROBLEM);
    expect(self.body.errors).toEqual([{ field: 'candidate_profile_id', message: expect.stringContaining('this profile itself') }]);
    await rollout(a, spare, { candidate_profile_id: stable, percentage: 10 }).expect(422); // stable has its own rollout
    await rollout(a, candidate, { candidate_profile_id: spare, percentage: 10 }).expect(422); // candidate is a candidate
    const range = await rollout(a, spare, { candidate_profile_id: candidate, percentage: 101 }).expect(422);
    expect(range.body.errors).toEqual([{ field: 'percentage', message: 'percentage must be at most 100' }]);
    await rollout(a, spare, { candidate_profile_id: 999999, percentage: 10 }).expect(404);
    await rollout(a, 999999, { candidate_profile_id: candidate, percentage: 10 }).expect(404);
    expect(await count()).toBe(before);
    expect((await db.sql.query('SELECT count(*)::int AS n FROM profile_rollouts')).rows[0].n).toBe(1);
  });

  it('refuses chains and self-rollouts in the database itself, and a candidate cannot be deleted', async () => {
    await expect(db.sql.query(`INSERT INTO profile_rollouts (profile_id, candidate_profile_id, percentage, started_by) VALUES ($1, $2, 10, 'sql')`, [candidate, spare])).rejects.toThrow(/candidate of another rollout/);
    await expect(db.sql.query(`INSERT INTO profile_rollouts (profile_id, candidate_profile_id, percentage, started_by) VALUES ($1, $2, 10, 'sql')`, [spare, stable])).rejects.toThrow(/rollout of its own/);
    await expect(db.sql.query(`INSERT INTO profile_rollouts (profile_id, candidate_profile_id, percentage, started_by) VALUES ($1, $1, 10, 'sql')`, [spare])).rejects.toThrow(/chk_profile_rollouts_not_self/);
    await expect(db.sql.query(`UPDATE profile_rollouts SET percentage = 120 WHERE profile_id = $1`, [stable])).rejects.toThrow(/chk_profile_rollouts_percentage/);
    // Sessions of the candidate would hold it too: end them so that only the rollout does.
    await db.sql.query('DELETE FROM agent_sessions WHERE profile_id = $1', [candidate]);
    const refused = await a.api().delete(`/api/config/profiles/${candidate}`).expect(409).expect('content-type', PROBLEM);
    expect(refused.body.detail).toMatch(/candidate of a rollout on profile "stable"/);
    const doomed = (await a.api().post('/api/config/profiles').send({ name: 'doomed' }).expect(201)).body.id;
    const bulk = (await a.api().post('/api/config/profiles/bulk-delete').send({ ids: [candidate, doomed] }).expect(200)).body;
    expect(bulk.results).toEqual([
      { id: candidate, status: 409, detail: expect.stringContaining('candidate of a rollout') },
      { id: doomed, status: 204, detail: null },
    ]);
    // Rows changed by hand reach the other instance like any configuration row.
    await db.sql.query('UPDATE profile_rollouts SET percentage = 0 WHERE profile_id = $1', [stable]);
    await eventually(async () => expect((await resolvedFor(b, 'user-1')).headers['x-rollout']).toMatch(/^served=profile; .*percentage=0$/));
    await db.sql.query('UPDATE profile_rollouts SET percentage = 50 WHERE profile_id = $1', [stable]);
    await eventually(async () => expect((await resolvedFor(b, 'user-1')).headers['x-rollout']).toMatch(/percentage=50$/));
  });

  it('promotes: the candidate values become the profile, audited per domain, in one transaction, and the rollout ends', async () => {
    const promoted = await a.api().post(`/api/config/profiles/${stable}/rollout/promote`).expect(200);
    expect(promoted.body).toMatchObject({ id: stable, name: 'stable', ai_infra: { llm_endpoint: 'candidate-model', llm_temperature: 0.2 }, prompts: { system_prompt: 'Candidate system prompt.' } });
    const entries = (await db.sql.query(`SELECT domain, action, changes FROM config_history WHERE profile_id = $1 ORDER BY id DESC LIMIT 4`, [stable])).rows;
    expect(entries[0]).toEqual({ domain: 'rollout', action: 'delete', changes: { candidate_profile_id: { old: candidate, new: null }, percentage: { old: 50, new: null }, promoted: { old: false, new: true } } });
    expect(entries.slice(1).map((entry: { domain: string }) => entry.domain).sort()).toEqual(['ai_infra', 'model_providers', 'prompts']);
    const withSecrets = (await a.api().get(`/api/config/resolved?profile_id=${stable}`).expect(200)).body;
    expect(withSecrets.model_providers.providers[0].api_key).toBe('sk-candidate');
    await a.api().get(`/api/config/profiles/${stable}/rollout`).expect(404);
    await eventually(async () => {
      const response = await resolvedFor(b, 'user-1');
      expect(response.headers['x-rollout']).toBeUndefined();
      expect(response.body).toMatchObject({ profile: { id: stable }, ai_infra: { llm_endpoint: 'candidate-model' } });
    });
    await a.api().post(`/api/config/profiles/${stable}/rollout/promote`).expect(404);
  });

  it('aborts: every subject goes back to the profile, audited', async () => {
    await rollout(a, spare, { candidate_profile_id: candidate, percentage: 100 }).expect(201);
    expect((await a.api().get(`/api/config/resolved?profile_id=${spare}&subject=anyone`).expect(200)).body.profile.id).toBe(candidate);
    await a.api().delete(`/api/config/profiles/${spare}/rollout`).expect(204);
    expect(await lastEntry(spare)).toEqual({ domain: 'rollout', action: 'delete', changes: { candidate_profile_id: { old: candidate, new: null }, percentage: { old: 100, new: null } } });
    await eventually(async () => expect((await b.api().get(`/api/config/resolved?profile_id=${spare}&subject=anyone`).expect(200)).body.profile.id).toBe(spare));
    await a.api().delete(`/api/config/profiles/${spare}/rollout`).expect(404);
    await a.api().get(`/api/config/resolved?session_id=6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c&subject=x`).expect(400);
  });
});
