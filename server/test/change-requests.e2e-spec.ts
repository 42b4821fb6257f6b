import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventually } from './support/eventually.js';
import { REPO_ROOT } from './support/server-process.js';
import { openStream } from './support/sse-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;

/**
 * Change requests: on a profile that requires approval an editor's change becomes a request
 * (202), another editor approves it (applied as the author's change, audited) or rejects it with
 * a comment; approving one's own is 403, a stale one 412. Both instances' change streams announce
 * each step, and the database refuses a decision by the author even through SQL.
 */
describe('change requests', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const tokens: Record<'alice' | 'bob' | 'carol' | 'vera', string> = { alice: '', bob: '', carol: '', vera: '' };
  let gated: number;
  let open: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('base64') };
    [a, b] = [await startTestApp(db.url, { env }), await startTestApp(db.url, { env })];
    for (const [name, role] of [['alice', 'editor'], ['bob', 'editor'], ['carol', 'editor'], ['vera', 'viewer']] as const) {
      tokens[name] = (await a.api().post('/api/auth/tokens').send({ name, role }).expect(201)).body.token;
    }
    gated = (await a.api().post('/api/config/profiles').send({ name: 'board deck' }).expect(201)).body.id;
    open = (await a.api().post('/api/config/profiles').send({ name: 'sandbox' }).expect(201)).body.id;
    await a.api().put(`/api/config/profiles/${gated}/approval`).expect(201);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await db.sql.query(text, values)).rows as T[];
  const temperature = async (id: number) => Number((await query<{ t: string }>('SELECT llm_temperature AS t FROM config_ai_infra WHERE profile_id = $1', [id]))[0].t);
  const historyCount = async () => Number((await query<{ n: string }>('SELECT count(*) AS n FROM config_history'))[0].n);
  const as = (who: keyof typeof tokens, app = a) => app.api(tokens[who]);

  it('turns approval on and off as an admin only, audited', async () => {
    const id = (await a.api().post('/api/config/profiles').send({ name: 'approval switch' }).expect(201)).body.id;
    expect((await a.api().get(`/api/config/profiles/${id}/approval`).expect(200)).body).toEqual({ profile_id: id, required: false, required_by: null, required_at: null });
    expect((await as('alice').put(`/api/config/profiles/${id}/approval`)).status).toBe(403);
    expect((await a.api().put(`/api/config/profiles/${id}/approval`).expect(201)).body).toMatchObject({ required: true, required_by: 'environment-admin' });
    await a.api().put(`/api/config/profiles/${id}/approval`).expect(200);
    expect((await a.api().delete(`/api/config/profiles/${id}/approval`).expect(200)).body.required).toBe(false);
    expect(await query(`SELECT action, changes FROM config_history WHERE profile_id = $1 AND domain = 'approval' ORDER BY id`, [id])).toEqual([
      { action: 'create', changes: { required: { old: false, new: true } } },
      { action: 'delete', changes: { required: { old: true, new: false } } },
    ]);
  });

  it("makes an editor's PUT a change request (202), leaves the profile alone, and announces it on both instances", async () => {
    const stream = await openStream(`${b.baseUrl}/api/config/stream`);
    try {
      const before = await historyCount();
      const proposed = await as('alice').put(`/api/config/ai-infra/${gated}`).send({ llm_temperature: 0.2, llm_max_tokens: 4096 });
      expect(proposed.status).toBe(202);
      expect(proposed.headers.location).toBe(`/api/config/change-requests/${proposed.body.change_request_id}`);
      expect(proposed.body).toMatchObject({
        profile_id: gated,
        profile_name: 'board deck',
        status: 'open',
        values: { ai_infra: { llm_temperature: 0.2, llm_max_tokens: 4096 } },
        changes: { ai_infra: { llm_temperature: { old: 0.7, new: 0.2 }, llm_max_tokens: { old: expect.any(Number), new: 4096 } } },
        base_versions: { ai_infra: expect.any(Number) },
        created_by: 'alice',
        decided_by: null,
      });
      expect(await temperature(gated)).toBe(0.7);
      expect(await historyCount()).toBe(before);
      await eventually(async () => expect(stream.events).toContainEqual(expect.objectContaining({ event: 'change-request', data: { id: proposed.body.change_request_id, profile_id: gated, status: 'open' } })));
      expect((await as('vera', b).get(`/api/config/change-requests?status=open&profile_id=${gated}`).expect(200)).body.map((r: { change_request_id: number }) => r.change_request_id)).toContain(
        proposed.body.change_request_id,
      );
    } finally {
      stream.close();
    }
  });

  it('refuses other changes of that profile to editors (409) and writes nothing; admins and other profiles are not gated', async () => {
    const before = await historyCount();
    const spaces = async () => query('SELECT id FROM config_genie_spaces WHERE profile_id = $1 ORDER BY id', [gated]);
    const spacesBefore = await spaces();
    const remove = await as('alice').delete(`/api/config/profiles/${gated}`);
    expect({ status: remove.status, type: remove.body.type, content: remove.headers['content-type'] }).toEqual({ status: 409, type: 'urn:switchboard:problem:approval-required', content: expect.stringMatching(PROBLEM) });
    expect(remove.body.detail).toContain('renaming, describing, deleting it or making it the default is for admins there');
    expect(remove.body.detail).toContain('POST /api/config/change-requests');
    const rename = await as('alice').put(`/api/config/profiles/${gated}`).send({ description: 'sneaky' });
    expect(rename.status).toBe(409);
    expect(await historyCount()).toBe(before);
    expect(await spaces()).toEqual(spacesBefore);
    await as('alice').put(`/api/config/ai-infra/${open}`).send({ llm_temperature: 0.5 }).expect(200);
    await a.api().put(`/api/config/mlflow/${gated}`).send({ experiment_name: '/Shared/admin-direct' }).expect(200);
  });

  it('lets another editor approve: applied as the author’s change, audited with the request, announced; never by the author, once only', async () => {
    const request = (await as('alice').put(`/api/config/ai-infra/${gated}`).send({ llm_temperature: 0.25 }).expect(202)).body;
    const own = await as('alice').post(`/api/config/change-requests/${request.change_request_id}/approve`).send({});
    expect({ status: own.status, type: own.body.type, detail: own.body.detail }).toEqual({ status: 403, type: 'urn:switchboard:problem:forbidden', detail: 'You cannot approve your own change request: another editor decides on it.' });
    expect((await as('vera').post(`/api/config/change-requests/${request.change_request_id}/approve`).send({})).status).toBe(403);
    expect(await temperature(gated)).toBe(0.7);

    const stream = await openStream(`${a.baseUrl}/api/config/stream?profile_id=${gated}`);
    try {
      const approved = await as('bob', b).post(`/api/config/change-requests/${request.change_request_id}/approve`).send({ comment: 'Fine for the deck' }).expect(200);
      expect(approved.body).toMatchObject({ status: 'approved', decided_by: 'bob', comment: 'Fine for the deck', decided_at: expect.any(String) });
      expect(await temperature(gated)).toBe(0.25);
      const [entry] = await query(`SELECT domain, action, changed_by, request_id, changes FROM config_history WHERE profile_id = $1 ORDER BY id DESC LIMIT 1`, [gated]);
      expect(entry).toEqual({ domain: 'ai_infra', action: 'update', changed_by: 'alice', request_id: `change-request-${request.change_request_id}`, changes: { llm_temperature: { old: 0.7, new: 0.25 } } });
      await eventually(async () => {
        expect(stream.events).toContainEqual(expect.objectContaining({ event: 'change-request', data: expect.objectContaining({ id: request.change_request_id, status: 'approved' }) }));
        expect(stream.events).toContainEqual(expect.objectContaining({ event: 'config.changed', data: expect.objectContaining({ domain: 'ai_infra', changed_by: 'alice' }) }));
      });
    } finally {
      stream.close();
    }
    const again = await as('carol').post(`/api/config/change-requests/${request.change_request_id}/approve`).send({});
    expect({ status: again.status, detail: again.body.detail }).toEqual({ status: 409, detail: `Change request ${request.change_request_id} was approved by bob already.` });
  });

  it('rejects with a comment only, and leaves the profile as it is', async () => {
    const created = await as('alice').post('/api/config/change-requests').send({ profile_id: gated, values: { mlflow: { experiment_name: '/Shared/alice' } }, message: 'Track it elsewhere' }).expect(201);
    expect(created.body).toMatchObject({ status: 'open', message: 'Track it elsewhere', changes: { mlflow: { experiment_name: { old: '/Shared/admin-direct', new: '/Shared/alice' } } } });
    const bare = await as('bob').post(`/api/config/change-requests/${created.body.change_request_id}/reject`).send({});
    expect({ status: bare.status, errors: bare.body.errors }).toEqual({ status: 422, errors: [{ field: 'comment', message: 'is required to reject' }] });
    const rejected = await as('bob').post(`/api/config/change-requests/${created.body.change_request_id}/reject`).send({ comment: 'Keep one experiment' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decided_by: 'bob', comment: 'Keep one experiment' });
    expect(await query('SELECT experiment_name FROM config_mlflow WHERE profile_id = $1', [gated])).toEqual([{ experiment_name: '/Shared/admin-direct' }]);
  });

  it('refuses (412) to approve a request whose domain moved since, and keeps it open', async () => {
    const request = (await as('alice').put(`/api/config/ai-infra/${gated}`).send({ llm_top_p: 0.5 }).expect(202)).body;
    await a.api().put(`/api/config/ai-infra/${gated}`).send({ llm_max_tokens: 2048 }).expect(200);
    const before = await historyCount();
    const stale = await as('bob').post(`/api/config/change-requests/${request.change_request_id}/approve`).send({});
    expect({ status: stale.status, type: stale.body.type }).toEqual({ status: 412, type: 'urn:switchboard:problem:precondition-failed' });
    expect(stale.body.detail).toMatch(/changed since this request was made \(ai_infra version \d+, now \d+\): ask alice to propose it again/);
    expect(await historyCount()).toBe(before);
    expect((await a.api().get(`/api/config/change-requests/${request.change_request_id}`).expect(200)).body.status).toBe('open');
  });

  it('applies a request once when two editors approve it at the same moment', async () => {
    const request = (await as('alice').put(`/api/config/ai-infra/${gated}`).send({ llm_timeout_seconds: 77 }).expect(202)).body;
    const answers = await Promise.all([as('bob', a), as('carol', b)].map((api) => api.post(`/api/config/change-requests/${request.change_request_id}/approve`).send({})));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(await query(`SELECT count(*)::int AS n FROM config_history WHERE request_id = $1`, [`change-request-${request.change_request_id}`])).toEqual([{ n: 1 }]);
  });

  it("proposes a registered domain's PUT too, but never holds a secret: that one is a 422 and waits nowhere", async () => {
    const example = (name: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, `examples/domains/${name}.json`), 'utf8'));
    for (const name of ['gateway_router', 'model_providers']) await a.api().post('/api/config/domains').send(example(name)).expect(201);
    const proposed = await as('alice').put(`/api/config/domains/gateway_router/profiles/${gated}`).send({ values: { max_retries: 4 } });
    expect(proposed.status).toBe(202);
    expect(proposed.body).toMatchObject({ values: { domains: { gateway_router: { max_retries: 4 } } }, changes: { gateway_router: { max_retries: { new: 4 } } }, base_versions: { gateway_router: 0 } });
    expect(await query(`SELECT count(*)::int AS n FROM config_domain_values WHERE profile_id = $1`, [gated])).toEqual([{ n: 0 }]);
    const before = (await query<{ n: number }>('SELECT count(*)::int AS n FROM config_change_requests'))[0].n;
    const secret = await as('alice').put(`/api/config/domains/model_providers/profiles/${gated}`).send({ values: { providers: [{ name: 'openai', kind: 'openai', api_key: 'sk-must-not-wait' }] } });
    expect({ status: secret.status, detail: secret.body.detail }).toEqual({ status: 422, detail: expect.stringContaining('holds a secret') });
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM config_change_requests'))[0].n).toBe(before);
    expect(JSON.stringify(await query('SELECT "values" FROM config_change_requests'))).not.toContain('sk-must-not-wait');
    await as('bob').post(`/api/config/change-requests/${proposed.body.change_request_id}/approve`).send({}).expect(200);
    expect((await a.api().get(`/api/config/domains/gateway_router/profiles/${gated}`).expect(200)).body.values).toMatchObject({ max_retries: 4 });
  });

  it('refuses to let an editor schedule a change of that profile (it would run past approval); an admin may', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const body = { profile_id: gated, action: 'apply', run_at: inAnHour, values: { ai_infra: { llm_temperature: 0.9 } } };
    const refused = await as('alice').post('/api/config/schedules').send(body);
    expect({ status: refused.status, type: refused.body.type }).toEqual({ status: 409, type: 'urn:switchboard:problem:approval-required' });
    expect(await query('SELECT id FROM config_schedules WHERE profile_id = $1', [gated])).toEqual([]);
    await a.api().post('/api/config/schedules').send(body).expect(201);
  });

  it('refuses (412) a proposal made against versions that have moved', async () => {
    const [{ version }] = await query<{ version: number }>('SELECT version FROM config_mlflow WHERE profile_id = $1', [gated]);
    const stale = await as('alice').post('/api/config/change-requests').send({ profile_id: gated, values: { mlflow: { experiment_name: '/Shared/late' } }, base_versions: { mlflow: version - 1 } });
    expect({ status: stale.status, type: stale.body.type }).toEqual({ status: 412, type: 'urn:switchboard:problem:precondition-failed' });
    await as('alice').post('/api/config/change-requests').send({ profile_id: gated, values: { mlflow: { experiment_name: '/Shared/late' } }, base_versions: { mlflow: version } }).expect(201);
  });

  it("makes an editor's Genie space writes change requests; approval applies their differences only, 412 when one no longer holds", async () => {
    const [sales, support] = ['5a1e5'.padEnd(32, '0'), '5c0ff'.padEnd(32, '0')];
    const rows = async () => query<{ id: number; space_id: string; space_name: string; is_default: boolean }>(
      'SELECT id, space_id, space_name, is_default FROM config_genie_spaces WHERE profile_id = $1 ORDER BY space_id', [gated]);
    const rowOf = async (spaceId: string) => (await rows()).find((row) => row.space_id === spaceId)!.id;
    const approve = (id: number) => as('bob').post(`/api/config/change-requests/${id}/approve`).send({});
    const spacesBefore = await rows();
    const [{ space_id: original }] = spacesBefore;
    const before = await historyCount();

    // Add: a request holding the difference, nothing written until approved; then applied as alice's change.
    const added = await as('alice').post(`/api/config/genie/${gated}`).send({ space_id: sales, space_name: 'Sales' });
    expect(added.status).toBe(202);
    expect(added.headers.location).toBe(`/api/config/change-requests/${added.body.change_request_id}`);
    expect(added.body.changes).toEqual({ genie_spaces: { [sales]: { old: null, new: { space_name: 'Sales', description: null, is_default: false } } } });
    expect(await rows()).toEqual(spacesBefore);
    expect(await historyCount()).toBe(before);
    await approve(added.body.change_request_id).expect(200);
    expect((await rows()).map((row) => row.space_id)).toEqual([sales, original].sort());
    expect(await query(`SELECT changed_by, request_id FROM config_history WHERE profile_id = $1 AND domain = 'genie' ORDER BY id DESC LIMIT 1`, [gated])).toEqual([
      { changed_by: 'alice', request_id: `change-request-${added.body.change_request_id}` },
    ]);

    // Rename, while an admin adds another space: approving the rename keeps the admin's space.
    const renamed = await as('alice').put(`/api/config/genie/${await rowOf(sales)}`).send({ space_name: 'Sales EMEA' }).expect(202);
    expect(renamed.body.changes).toEqual({ genie_spaces: { [`${sales}.space_name`]: { old: 'Sales', new: 'Sales EMEA' } } });
    await a.api().post(`/api/config/genie/${gated}`).send({ space_id: support, space_name: 'Support' }).expect(201);
    await approve(renamed.body.change_request_id).expect(200);
    expect((await rows()).map((row) => [row.space_id, row.space_name])).toEqual([[sales, 'Sales EMEA'], [support, 'Support'], [original, spacesBefore[0].space_name]].sort());

    // Set default, then the default moves elsewhere meanwhile: the request no longer holds (412) and stays open.
    const promoted = await as('alice').post(`/api/config/genie/${await rowOf(sales)}/set-default`).expect(202);
    expect(promoted.body.changes.genie_spaces).toEqual({ [`${sales}.is_default`]: { old: false, new: true }, [`${original}.is_default`]: { old: true, new: false } });
    await a.api().post(`/api/config/genie/${await rowOf(support)}/set-default`).expect(200);
    const stale = await approve(promoted.body.change_request_id);
    expect({ status: stale.status, type: stale.body.type }).toEqual({ status: 412, type: 'urn:switchboard:problem:precondition-failed' });
    expect(stale.body.detail).toContain(`Genie space ${original}.is_default`);
    expect((await as('bob').get(`/api/config/change-requests/${promoted.body.change_request_id}`).expect(200)).body.status).toBe('open');
    expect((await rows()).find((row) => row.is_default)!.space_id).toBe(support);

    // Remove: proposed, then applied.
    const removed = await as('alice').delete(`/api/config/genie/${await rowOf(sales)}`).expect(202);
    expect(removed.body.changes).toEqual({ genie_spaces: { [sales]: { old: { space_name: 'Sales EMEA', description: null, is_default: false }, new: null } } });
    await approve(removed.body.change_request_id).expect(200);
    expect((await rows()).map((row) => row.space_id)).toEqual([original, support].sort());

    // Proposed directly: every space the profile is to have; the request holds what differs.
    const spaces = (await a.api().get(`/api/config/genie/${gated}`).expect(200)).body.map((space: { space_id: string; space_name: string; description: string | null; is_default: boolean }) => ({
      space_id: space.space_id, space_name: space.space_id === support ? 'Support desk' : space.space_name, description: space.description, is_default: space.is_default,
    }));
    const direct = await as('alice').post('/api/config/change-requests').send({ profile_id: gated, values: { genie_spaces: spaces }, message: 'clearer name' }).expect(201);
    expect(direct.body.changes).toEqual({ genie_spaces: { [`${support}.space_name`]: { old: 'Support', new: 'Support desk' } } });
  });

  it("makes an editor's restore a change request of the snapshot's values; approving applies what differs", async () => {
    const id = (await a.api().post('/api/config/profiles').send({ name: 'restorable' }).expect(201)).body.id;
    await a.api().put(`/api/config/ai-infra/${id}`).send({ llm_temperature: 0.3 }).expect(200);
    const [{ id: entryId }] = await query<{ id: string }>(`SELECT id FROM config_history WHERE profile_id = $1 AND domain = 'ai_infra' ORDER BY id DESC LIMIT 1`, [id]);
    await a.api().put(`/api/config/ai-infra/${id}`).send({ llm_temperature: 0.9, llm_max_tokens: 2048 }).expect(200);
    await a.api().put(`/api/config/profiles/${id}/approval`).expect(201);
    const before = await historyCount();

    const restored = await as('alice').post(`/api/config/history/entries/${entryId}/restore`).send({});
    expect(restored.status).toBe(202);
    expect(restored.body).toMatchObject({ profile_id: id, message: `Restore of history entry ${entryId}`, changes: { ai_infra: { llm_temperature: { old: 0.9, new: 0.3 }, llm_max_tokens: { old: 2048, new: 60000 } } } });
    expect(await temperature(id)).toBe(0.9);
    expect(await historyCount()).toBe(before);
    await as('bob').post(`/api/config/change-requests/${restored.body.change_request_id}/approve`).send({}).expect(200);
    expect(await temperature(id)).toBe(0.3);
    // A restore that changes nothing is no request: 200, as without approval.
    await as('alice').post(`/api/config/history/entries/${entryId}/restore`).send({ domain: 'ai_infra' }).expect(200);
    // One of the name alone stays a refusal: renaming is for admins there.
    await a.api().put(`/api/config/profiles/${id}`).send({ name: 'restorable, renamed' }).expect(200);
    const renaming = await as('alice').post(`/api/config/history/entries/${entryId}/restore`).send({ domain: 'profile' });
    expect({ status: renaming.status, type: renaming.body.type }).toEqual({ status: 409, type: 'urn:switchboard:problem:approval-required' });
    const whole = await as('alice').post(`/api/config/history/entries/${entryId}/restore`).send({});
    expect({ status: whole.status, type: whole.body.type }).toEqual({ status: 409, type: 'urn:switchboard:problem:approval-required' });
    expect(whole.body.detail).toContain('renaming, describing, deleting it or making it the default is for admins there');
  });

  it('lets nobody propose a change of a profile they may not change: an editor granted another profile only gets 403', async () => {
    const grace = (await a.api().post('/api/auth/tokens').send({ name: 'grace', role: 'viewer' }).expect(201)).body;
    await a.api().put(`/api/config/profiles/${open}/grants`).send({ token_id: grace.id, role: 'editor' }).expect(201);
    const before = (await query<{ n: number }>('SELECT count(*)::int AS n FROM config_change_requests'))[0].n;
    const [space] = await query<{ id: number }>('SELECT id FROM config_genie_spaces WHERE profile_id = $1 LIMIT 1', [gated]);
    const answers = [
      await a.api(grace.token).put(`/api/config/genie/${space!.id}`).send({ space_name: 'Not mine' }),
      await a.api(grace.token).post(`/api/config/genie/${space!.id}/set-default`),
      await a.api(grace.token).put(`/api/config/ai-infra/${gated}`).send({ llm_temperature: 0.11 }),
      await a.api(grace.token).post('/api/config/change-requests').send({ profile_id: gated, values: { ai_infra: { llm_temperature: 0.11 } } }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM config_change_requests'))[0].n).toBe(before);
  });

  it('refuses bad proposals with a clear problem and writes nothing', async () => {
    const before = (await query<{ n: number }>('SELECT count(*)::int AS n FROM config_change_requests'))[0].n;
    const current = await temperature(gated);
    const cases: [object, number, RegExp][] = [
      [{ profile_id: gated, values: { ai_infra: { llm_temperature: current } } }, 422, /nothing to approve/],
      [{ profile_id: gated, values: { genie_spaces: [{ space_id: 'a'.repeat(32), space_name: 'A' }, { space_id: 'a'.repeat(32), space_name: 'B' }] } }, 422, /values\.genie_spaces\.1\.space_id.*listed more than once/],
      [{ profile_id: gated, values: { genie_spaces: [{ space_id: 'not hex', space_name: 'A' }] } }, 422, /space_id must be 32 hexadecimal/],
      [{ profile_id: 999_999, values: { ai_infra: { llm_temperature: 0.1 } } }, 404, /Profile 999999 does not exist/],
      [{ profile_id: gated }, 400, /values/],
      [{ profile_id: gated, values: { ai_infra: { llm_temperature: 3 } } }, 422, /llm_temperature must be at most 1/],
    ];
    for (const [body, status, detail] of cases) {
      const answer = await as('alice').post('/api/config/change-requests').send(body);
      expect({ body, status: answer.status }).toEqual({ body, status });
      expect(JSON.stringify(answer.body)).toMatch(detail);
    }
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM config_change_requests'))[0].n).toBe(before);
    expect((await as('vera').post('/api/config/change-requests').send({ profile_id: gated, values: { ai_infra: { llm_temperature: 0.1 } } })).status).toBe(403);
  });

  it('holds in the database: no decision by the author, no rejection without a reason, even through SQL', async () => {
    const { change_request_id: id } = (await as('alice').put(`/api/config/ai-infra/${gated}`).send({ llm_temperature: 0.15 }).expect(202)).body;
    await expect(db.sql.query(`UPDATE config_change_requests SET status = 'approved', decided_by = 'ALICE', decided_at = now() WHERE id = $1`, [id])).rejects.toMatchObject({
      constraint: 'chk_config_change_requests_not_own',
    });
    await expect(db.sql.query(`UPDATE config_change_requests SET status = 'rejected', decided_by = 'bob', decided_at = now() WHERE id = $1`, [id])).rejects.toMatchObject({
      constraint: 'chk_config_change_requests_rejection_says_why',
    });
    await expect(db.sql.query(`UPDATE config_change_requests SET status = 'approved' WHERE id = $1`, [id])).rejects.toMatchObject({ constraint: 'chk_config_change_requests_decided' });
  });
});
