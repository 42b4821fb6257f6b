import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { readCommittedSpec } from './faults/support/openapi-operations.js';
import { eventually } from './support/eventually.js';
import { REPO_ROOT } from './support/server-process.js';
import { startFakeLlm } from './support/fake-llm.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;
const FORBIDDEN = 'urn:switchboard:problem:forbidden';

/**
 * Per-profile permissions: a viewer token granted `editor` on one profile changes that profile
 * only; an editor token granted `viewer` on one profile cannot change it. The matrix sends every
 * write route of openapi.json (admin-only ones aside) as both, at the profile the grant is on and
 * at another, and checks the answer and the stored rows. Grants are audited, visible in
 * GET /api/auth/me, reach the other instance through the database's notification, and hold in
 * the database (checks, cascade) against hand-written SQL.
 */
describe('per-profile permissions', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  /** A global viewer with an editor grant on each "granted" profile. */
  let teamToken: string;
  let teamTokenId: number;
  /** A global editor with a viewer grant on each "granted" profile. */
  let opsToken: string;
  let opsTokenId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    llm = await startFakeLlm();
    const env = { LLM_BASE_URL: llm.url, LLM_API_KEY: 'llm-key' };
    const auth = { trustProxyAuth: true, proxyRoles: [{ pattern: 'carol@corp.com', role: 'viewer' as const }] };
    [a, b] = [await startTestApp(db.url, { env, auth }), await startTestApp(db.url, { env, auth })];
    const team = (await a.api().post('/api/auth/tokens').send({ name: 'team-a', role: 'viewer' }).expect(201)).body;
    const ops = (await a.api().post('/api/auth/tokens').send({ name: 'ops', role: 'editor' }).expect(201)).body;
    [teamToken, teamTokenId, opsToken, opsTokenId] = [team.token, team.id, ops.token, ops.id];
    await a.api().post('/api/config/domains').send(JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/domains/gateway_router.json'), 'utf8'))).expect(201);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await llm.close();
    await db.drop();
  });

  const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await db.sql.query(text, values)).rows as T[];
  const unique = () => randomBytes(4).toString('hex');

  /** A new profile; "granted" ones carry both tokens' grants (team-a editor, ops viewer). */
  async function profile(kind: 'granted' | 'other'): Promise<number> {
    const id = (await a.api().post('/api/config/profiles').send({ name: `${kind} ${unique()}` }).expect(201)).body.id as number;
    if (kind === 'granted') {
      await a.api().put(`/api/config/profiles/${id}/grants`).send({ token_id: teamTokenId, role: 'editor' }).expect(201);
      await a.api().put(`/api/config/profiles/${id}/grants`).send({ token_id: opsTokenId, role: 'viewer' }).expect(201);
    }
    return id;
  }

  interface Call {
    method: 'post' | 'put' | 'delete';
    url: string;
    body?: object;
  }

  /**
   * Every write route but the admin-only ones, each able to build a call that would succeed at the
   * given profile. `profile`: grants on that profile count; `global`: only the global role does.
   */
  const ROUTES: { route: string; scope: 'profile' | 'global'; call: (id: number) => Promise<Call> }[] = [
    { route: 'PUT /api/config/ai-infra/{profile_id}', scope: 'profile', call: async (id) => ({ method: 'put', url: `/api/config/ai-infra/${id}`, body: { llm_temperature: 0.42 } }) },
    { route: 'POST /api/config/ai-infra/{profile_id}/probe', scope: 'profile', call: async (id) => ({ method: 'post', url: `/api/config/ai-infra/${id}/probe`, body: {} }) },
    {
      route: 'POST /api/config/genie/{profile_id}',
      scope: 'profile',
      call: async (id) => ({ method: 'post', url: `/api/config/genie/${id}`, body: { space_id: randomBytes(16).toString('hex'), space_name: 'Logs' } }),
    },
    { route: 'PUT /api/config/genie/{id}', scope: 'profile', call: async (id) => ({ method: 'put', url: `/api/config/genie/${await space(id)}`, body: { space_name: 'Renamed' } }) },
    { route: 'DELETE /api/config/genie/{id}', scope: 'profile', call: async (id) => ({ method: 'delete', url: `/api/config/genie/${await space(id)}` }) },
    { route: 'POST /api/config/genie/{id}/set-default', scope: 'profile', call: async (id) => ({ method: 'post', url: `/api/config/genie/${await space(id, 2)}/set-default` }) },
    { route: 'PUT /api/config/mlflow/{profile_id}', scope: 'profile', call: async (id) => ({ method: 'put', url: `/api/config/mlflow/${id}`, body: { experiment_name: `/Shared/${unique()}` } }) },
    { route: 'PUT /api/config/prompts/{profile_id}', scope: 'profile', call: async (id) => ({ method: 'put', url: `/api/config/prompts/${id}`, body: { system_prompt: `Be brief ${unique()}.` } }) },
    {
      route: 'PUT /api/config/domains/{name}/profiles/{profile_id}',
      scope: 'profile',
      call: async (id) => ({ method: 'put', url: `/api/config/domains/gateway_router/profiles/${id}`, body: { values: { strategy: 'least_cost' } } }),
    },
    {
      route: 'POST /api/config/profiles/{id}/prompts',
      scope: 'profile',
      call: async (id) => ({ method: 'post', url: `/api/config/profiles/${id}/prompts`, body: { name: `p.${unique()}`, template: 'Hello', message: 'v1' } }),
    },
    { route: 'DELETE /api/config/profiles/{id}/prompts/{name}', scope: 'profile', call: async (id) => ({ method: 'delete', url: `/api/config/profiles/${id}/prompts/${await prompt(id)}` }) },
    {
      route: 'POST /api/config/profiles/{id}/prompts/{name}/versions',
      scope: 'profile',
      call: async (id) => ({ method: 'post', url: `/api/config/profiles/${id}/prompts/${await prompt(id)}/versions`, body: { template: 'Hello again', message: 'v2' } }),
    },
    {
      route: 'PUT /api/config/profiles/{id}/prompts/{name}/labels/{label}',
      scope: 'profile',
      call: async (id) => ({ method: 'put', url: `/api/config/profiles/${id}/prompts/${await prompt(id)}/labels/production`, body: { version: 1 } }),
    },
    {
      route: 'DELETE /api/config/profiles/{id}/prompts/{name}/labels/{label}',
      scope: 'profile',
      call: async (id) => {
        const name = await prompt(id);
        await a.api().put(`/api/config/profiles/${id}/prompts/${name}/labels/production`).send({ version: 1 }).expect(200);
        return { method: 'delete', url: `/api/config/profiles/${id}/prompts/${name}/labels/production` };
      },
    },
    { route: 'POST /api/config/profiles', scope: 'global', call: async () => ({ method: 'post', url: '/api/config/profiles', body: { name: `new ${unique()}` } }) },
    { route: 'PUT /api/config/profiles/{id}', scope: 'profile', call: async (id) => ({ method: 'put', url: `/api/config/profiles/${id}`, body: { description: `changed ${unique()}` } }) },
    { route: 'DELETE /api/config/profiles/{id}', scope: 'profile', call: async (id) => ({ method: 'delete', url: `/api/config/profiles/${id}` }) },
    {
      route: 'DELETE /api/config/profiles/{id}/overrides/{domain}/{field}',
      scope: 'profile',
      call: async (id) => {
        await a.api().put(`/api/config/profiles/${id}`).send({ parent_profile_id: await profile('other') }).expect(200);
        await a.api().put(`/api/config/ai-infra/${id}`).send({ llm_temperature: 0.21 }).expect(200);
        return { method: 'delete', url: `/api/config/profiles/${id}/overrides/ai_infra/llm_temperature` };
      },
    },
    { route: 'POST /api/config/profiles/bulk-delete', scope: 'profile', call: async (id) => ({ method: 'post', url: '/api/config/profiles/bulk-delete', body: { ids: [id] } }) },
    {
      route: 'POST /api/config/profiles/{id}/set-default',
      scope: 'profile',
      // The default it demotes is changed too: one with the same grants as the profile, made the default first.
      call: async (id) => {
        const [{ granted }] = await query<{ granted: boolean }>('SELECT EXISTS (SELECT 1 FROM profile_grants WHERE profile_id = $1) AS granted', [id]);
        await a.api().post(`/api/config/profiles/${await profile(granted ? 'granted' : 'other')}/set-default`).expect(200);
        return { method: 'post', url: `/api/config/profiles/${id}/set-default` };
      },
    },
    { route: 'POST /api/config/profiles/{id}/duplicate', scope: 'global', call: async (id) => ({ method: 'post', url: `/api/config/profiles/${id}/duplicate`, body: { name: `copy ${unique()}` } }) },
    { route: 'POST /api/config/profiles/{id}/load', scope: 'profile', call: async (id) => ({ method: 'post', url: `/api/config/profiles/${id}/load`, body: {} }) },
    {
      route: 'POST /api/config/profiles/import',
      scope: 'global',
      call: async (id) => ({ method: 'post', url: `/api/config/profiles/import?name=imported-${unique()}`, body: (await a.api().get(`/api/config/profiles/${id}/export`).expect(200)).body }),
    },
    { route: 'POST /api/config/import/yaml', scope: 'global', call: async () => ({ method: 'post', url: '/api/config/import/yaml', body: { name: `yaml ${unique()}`, config_yaml: 'llm:\n  temperature: 0.3\n' } }) },
    {
      route: 'PUT /api/config/profiles/{id}/rollout',
      scope: 'profile',
      call: async (id) => ({ method: 'put', url: `/api/config/profiles/${id}/rollout`, body: { candidate_profile_id: await profile('other'), percentage: 10 } }),
    },
    { route: 'DELETE /api/config/profiles/{id}/rollout', scope: 'profile', call: async (id) => ({ method: 'delete', url: `/api/config/profiles/${await rollout(id)}/rollout` }) },
    { route: 'POST /api/config/profiles/{id}/rollout/promote', scope: 'profile', call: async (id) => ({ method: 'post', url: `/api/config/profiles/${await rollout(id)}/rollout/promote` }) },
    { route: 'POST /api/config/reload', scope: 'global', call: async (id) => ({ method: 'post', url: `/api/config/reload?profile_id=${id}` }) },
    {
      route: 'POST /api/config/history/entries/{entry_id}/restore',
      scope: 'profile',
      call: async (id) => {
        await a.api().put(`/api/config/ai-infra/${id}`).send({ llm_temperature: 0.31 }).expect(200);
        const [entry] = await query<{ id: number }>(`SELECT id FROM config_history WHERE profile_id = $1 ORDER BY id DESC LIMIT 1`, [id]);
        await a.api().put(`/api/config/ai-infra/${id}`).send({ llm_temperature: 0.32 }).expect(200);
        return { method: 'post', url: `/api/config/history/entries/${entry.id}/restore`, body: { domain: 'ai_infra' } };
      },
    },
    { route: 'POST /api/agent/sessions', scope: 'profile', call: async (id) => ({ method: 'post', url: '/api/agent/sessions', body: { profile_id: id } }) },
    { route: 'DELETE /api/agent/sessions/{session_id}', scope: 'global', call: async (id) => ({ method: 'delete', url: `/api/agent/sessions/${await session(id)}` }) },
    {
      route: 'POST /api/agent/sessions/{session_id}/messages',
      scope: 'global',
      call: async (id) => ({ method: 'post', url: `/api/agent/sessions/${await session(id)}/messages`, body: { question: 'How are we doing?' } }),
    },
    {
      route: 'POST /api/config/schedules',
      scope: 'profile',
      call: async (id) => ({ method: 'post', url: '/api/config/schedules', body: { profile_id: id, action: 'set_default', run_at: new Date(Date.now() + 3_600_000).toISOString() } }),
    },
    { route: 'DELETE /api/config/schedules/{id}', scope: 'profile', call: async (id) => ({ method: 'delete', url: `/api/config/schedules/${await schedule(id)}` }) },
    {
      route: 'POST /api/config/change-requests',
      scope: 'profile',
      call: async (id) => ({ method: 'post', url: '/api/config/change-requests', body: { profile_id: id, values: { ai_infra: { llm_temperature: 0.11 } } } }),
    },
    { route: 'POST /api/config/change-requests/{id}/approve', scope: 'profile', call: async (id) => ({ method: 'post', url: `/api/config/change-requests/${await changeRequest(id)}/approve`, body: {} }) },
    {
      route: 'POST /api/config/change-requests/{id}/reject',
      scope: 'profile',
      call: async (id) => ({ method: 'post', url: `/api/config/change-requests/${await changeRequest(id)}/reject`, body: { comment: 'Not now' } }),
    },
  ];

  /** A change request the admin proposed for the profile (so that neither token is its author). */
  async function changeRequest(profileId: number): Promise<number> {
    const body = { profile_id: profileId, values: { mlflow: { experiment_name: `/Shared/${unique()}` } } };
    return (await a.api().post('/api/config/change-requests').send(body).expect(201)).body.change_request_id;
  }

  /** The `n`th Genie space of the profile, added as admin when missing. */
  async function space(profileId: number, n = 1): Promise<number> {
    for (let i = 0; i < n; i++) await a.api().post(`/api/config/genie/${profileId}`).send({ space_id: randomBytes(16).toString('hex'), space_name: `Space ${i}` }).expect(201);
    const rows = await query<{ id: number }>('SELECT id FROM config_genie_spaces WHERE profile_id = $1 ORDER BY id DESC', [profileId]);
    return rows[0].id;
  }
  async function prompt(profileId: number): Promise<string> {
    const name = `p.${unique()}`;
    await a.api().post(`/api/config/profiles/${profileId}/prompts`).send({ name, template: 'Hello', message: 'v1' }).expect(201);
    return name;
  }
  async function rollout(profileId: number): Promise<number> {
    await a.api().put(`/api/config/profiles/${profileId}/rollout`).send({ candidate_profile_id: await profile('other'), percentage: 50 }).expect(201);
    return profileId;
  }
  async function session(profileId: number): Promise<string> {
    return (await a.api().post('/api/agent/sessions').send({ profile_id: profileId }).expect(201)).body.session_id;
  }
  async function schedule(profileId: number): Promise<number> {
    const body = { profile_id: profileId, action: 'set_default', run_at: new Date(Date.now() + 3_600_000).toISOString() };
    return (await a.api().post('/api/config/schedules').send(body).expect(201)).body.schedule_id;
  }

  /** Changes whenever any stored configuration, audit entry, session, schedule, probe or grant changes. */
  const fingerprint = async () =>
    (
      await query<{ f: string }>(`SELECT concat_ws('#',
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM config_profiles t),
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM config_ai_infra t),
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM config_genie_spaces t),
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM config_schedules t),
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.profile_id), '')) FROM profile_rollouts t),
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.prompt_id, t.label), '')) FROM config_registry_prompt_labels t),
        (SELECT count(*) FROM config_registry_prompt_versions), (SELECT count(*) FROM config_history),
        (SELECT count(*) FROM agent_sessions), (SELECT count(*) FROM agent_messages), (SELECT count(*) FROM llm_probes),
        (SELECT count(*) FROM profile_grants),
        (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM config_change_requests t)) AS f`)
    )[0].f;

  const send = (token: string, call: Call) => {
    const pending = a.api(token)[call.method](call.url);
    return call.body === undefined ? pending : pending.send(call.body);
  };

  it('lists every write route of openapi.json but the admin-only ones, each with the scope the spec states', () => {
    const spec = readCommittedSpec() as { paths: Record<string, Record<string, { 'x-switchboard-role'?: string; 'x-switchboard-profile'?: string }>> };
    const writes: { route: string; scope: 'profile' | 'global' }[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (method === 'get' || operation['x-switchboard-role'] !== 'editor') continue;
        writes.push({ route: `${method.toUpperCase()} ${path}`, scope: operation['x-switchboard-profile'] ? 'profile' : 'global' });
      }
    }
    const sort = (list: { route: string; scope: string }[]) => [...list].sort((x, y) => x.route.localeCompare(y.route));
    expect(sort(ROUTES.map(({ route, scope }) => ({ route, scope })))).toEqual(sort(writes));
  });

  /**
   * team-a (viewer, editor on "granted") may send a profile route at a granted profile only; ops
   * (editor, viewer on "granted") anywhere else; global routes go by the global role alone.
   */
  const CASES = ROUTES.flatMap(({ route, scope, call }) =>
    (['team-a', 'ops'] as const).flatMap((who) =>
      (['granted', 'other'] as const).map((target) => {
        const allowed = scope === 'global' ? who === 'ops' : (who === 'team-a') === (target === 'granted');
        return { name: `${route} as ${who} at ${target}: ${allowed ? 'allowed' : '403'}`, call, who, target, allowed };
      }),
    ),
  );

  it.each(CASES.map((entry) => [entry.name, entry] as const))('%s', async (_name, { call, who, target, allowed }) => {
    const built = await call(await profile(target));
    const before = await fingerprint();
    const answer = await send(who === 'team-a' ? teamToken : opsToken, built);
    const bulk = built.url.endsWith('/bulk-delete');
    if (allowed) {
      if (answer.status >= 300) throw new Error(`answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      if (bulk) expect(answer.body.results).toEqual([expect.objectContaining({ status: 204 })]);
      return;
    }
    if (bulk) {
      expect(answer.status).toBe(200);
      expect(answer.body.results).toEqual([expect.objectContaining({ status: 403, detail: expect.stringContaining('needs the editor role on it') })]);
    } else {
      expect({ status: answer.status, type: answer.body.type }).toEqual({ status: 403, type: FORBIDDEN });
      expect(answer.headers['content-type']).toMatch(PROBLEM);
      expect(answer.body.detail).toMatch(/needs the editor role/);
    }
    expect(await fingerprint()).toBe(before);
  });

  it('reads a profile id in the path as the route does: leading zeros name the same profile', async () => {
    const [granted, other] = [await profile('granted'), await profile('other')];
    const put = (token: string, id: string) => a.api(token).put(`/api/config/ai-infra/${id}`).send({ llm_temperature: 0.33 });
    expect((await put(teamToken, `00${other}`)).status).toBe(403);
    expect((await a.api(teamToken).post(`/api/config/profiles/0${other}/load`).send({})).status).toBe(403);
    expect((await a.api(teamToken).post(`/api/config/ai-infra/0${other}/probe`).send({})).status).toBe(403);
    expect((await put(opsToken, `0${granted}`)).status).toBe(403);
    expect((await put(teamToken, `0${granted}`)).status).toBe(200);
  });

  it('checks the default that set-default demotes too: an editor with a viewer grant on it cannot move the default away', async () => {
    const [guarded, next] = [await profile('granted'), await profile('other')];
    await a.api().post(`/api/config/profiles/${guarded}/set-default`).expect(200);
    const before = await fingerprint();
    const moved = await a.api(opsToken).post(`/api/config/profiles/${next}/set-default`);
    expect({ status: moved.status, detail: moved.body.detail }).toEqual({ status: 403, detail: expect.stringContaining('needs the editor role on it') });
    expect(await fingerprint()).toBe(before);
    await a.api().post(`/api/config/profiles/${next}/set-default`).expect(200);
    const [demoted] = await query(`SELECT domain, action, changes FROM config_history WHERE profile_id = $1 ORDER BY id DESC LIMIT 1`, [guarded]);
    expect(demoted).toEqual({ domain: 'profile', action: 'set_default', changes: { is_default: { old: true, new: false } } });
  });

  describe('grants', () => {
    const grants = (id: number) => `/api/config/profiles/${id}/grants`;
    const entries = async (id: number) =>
      query<{ domain: string; action: string; changes: unknown; changed_by: string }>(
        `SELECT domain, action, changes, changed_by FROM config_history WHERE profile_id = $1 AND domain = 'permissions' ORDER BY id`,
        [id],
      );
    const newToken = async (role: 'viewer' | 'editor') => (await a.api().post('/api/auth/tokens').send({ name: `t-${unique()}`, role }).expect(201)).body as { id: number; name: string; token: string };

    it('grants, changes and revokes a role, each audited as a change of the profile, and lists who holds what', async () => {
      const id = await profile('other');
      const token = await newToken('viewer');
      const created = await a.api().put(grants(id)).send({ token_id: token.id, role: 'editor' }).expect(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        profile_id: id,
        token_id: token.id,
        token_name: token.name,
        user: null,
        role: 'editor',
        granted_by: 'environment-admin',
        granted_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect((await a.api().put(grants(id)).send({ token_id: token.id, role: 'editor' }).expect(200)).body).toEqual(created.body);
      await a.api().put(grants(id)).send({ user: 'Dave@Corp.com', role: 'viewer' }).expect(201);
      await a.api().put(grants(id)).send({ token_id: token.id, role: 'viewer' }).expect(200);
      expect((await a.api().get(grants(id)).expect(200)).body.map((grant: { token_name: string | null; user: string | null; role: string }) => [grant.token_name ?? grant.user, grant.role])).toEqual([
        [token.name, 'viewer'],
        ['dave@corp.com', 'viewer'],
      ]);
      await a.api().delete(`${grants(id)}/${created.body.id}`).expect(204);
      await a.api().delete(`${grants(id)}/${created.body.id}`).expect(404);
      expect(await entries(id)).toEqual([
        { domain: 'permissions', action: 'create', changes: { [`token:${token.name}`]: { old: null, new: 'editor' } }, changed_by: 'environment-admin' },
        { domain: 'permissions', action: 'create', changes: { 'user:dave@corp.com': { old: null, new: 'viewer' } }, changed_by: 'environment-admin' },
        { domain: 'permissions', action: 'update', changes: { [`token:${token.name}`]: { old: 'editor', new: 'viewer' } }, changed_by: 'environment-admin' },
        { domain: 'permissions', action: 'delete', changes: { [`token:${token.name}`]: { old: 'viewer', new: null } }, changed_by: 'environment-admin' },
      ]);
    });

    it('shows the caller its grants in GET /api/auth/me', async () => {
      const id = await profile('granted');
      const [{ name }] = await query<{ name: string }>('SELECT name FROM config_profiles WHERE id = $1', [id]);
      const me = (await a.api(teamToken).get('/api/auth/me').expect(200)).body;
      expect(me).toMatchObject({ name: 'team-a', role: 'viewer', via: 'token' });
      expect(me.grants).toContainEqual({ profile_id: id, profile_name: name, role: 'editor' });
      expect((await a.api(opsToken).get('/api/auth/me').expect(200)).body.grants).toContainEqual({ profile_id: id, profile_name: name, role: 'viewer' });
      expect((await a.api().get('/api/auth/me').expect(200)).body.grants).toEqual([]);
    });

    it('refuses bad grants with a clear problem and writes nothing', async () => {
      const id = await profile('other');
      const revoked = await newToken('viewer');
      await a.api().delete(`/api/auth/tokens/${revoked.id}`).expect(200);
      const before = await fingerprint();
      const cases: [string, object, number, RegExp][] = [
        [grants(999_999), { user: 'x@corp.com', role: 'editor' }, 404, /Profile 999999 does not exist/],
        [grants(id), { token_id: 999_999, role: 'editor' }, 404, /API token 999999 does not exist or has been revoked/],
        [grants(id), { token_id: revoked.id, role: 'editor' }, 404, /has been revoked/],
        [grants(id), { token_id: teamTokenId, user: 'x@corp.com', role: 'editor' }, 422, /not both/],
        [grants(id), { role: 'editor' }, 422, /give token_id \(an API token\) or user/],
        [grants(id), { user: 'not an address', role: 'editor' }, 422, /user must be an e-mail address/],
        [grants(id), { user: 'x@corp.com', role: 'admin' }, 422, /role must be one of viewer, editor/],
        [grants(id), { token_id: 'seven', role: 'editor' }, 400, /token_id must be a whole number/],
      ];
      for (const [url, body, status, detail] of cases) {
        const answer = await a.api().put(url).send(body);
        expect({ body, status: answer.status, type: answer.headers['content-type'] }).toEqual({ body, status, type: expect.stringMatching(PROBLEM) });
        expect(JSON.stringify(answer.body)).toMatch(detail);
      }
      await a.api().delete(`${grants(id)}/999999`).expect(404);
      expect(await fingerprint()).toBe(before);
    });

    it('gives one principal one grant per profile when admins grant it at once', async () => {
      const id = await profile('other');
      const token = await newToken('viewer');
      const answers = await Promise.all([a, b, a, b, a].map((app) => app.api().put(grants(id)).send({ token_id: token.id, role: 'editor' })));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(await query('SELECT role FROM profile_grants WHERE profile_id = $1', [id])).toEqual([{ role: 'editor' }]);
      expect((await entries(id)).length).toBe(1);
    });

    it('reaches the other instance: a grant there lets the token change the profile, a revocation stops it', async () => {
      const id = await profile('other');
      const token = await newToken('viewer');
      const put = (app: TestApp) => app.api(token.token).put(`/api/config/ai-infra/${id}`).send({ llm_temperature: 0.55 });
      expect((await put(b)).status).toBe(403); // b now holds the token as verified, without grants
      const grant = (await a.api().put(grants(id)).send({ token_id: token.id, role: 'editor' }).expect(201)).body;
      await eventually(async () => expect((await put(b)).status).toBe(200));
      await a.api().delete(`${grants(id)}/${grant.id}`).expect(204);
      await eventually(async () => expect((await put(b)).status).toBe(403));
    });

    it('lets a proxy user with a grant change that profile only, recorded under the address', async () => {
      const [mine, others] = [await profile('other'), await profile('other')];
      await a.api().put(grants(mine)).send({ user: 'Carol@Corp.com', role: 'editor' }).expect(201);
      const asCarol = (app: TestApp, id: number) => request(app.baseUrl).put(`/api/config/mlflow/${id}`).set('X-Forwarded-Email', 'carol@corp.com').send({ experiment_name: '/Shared/carol' });
      await eventually(async () => expect((await asCarol(b, mine)).status).toBe(200));
      const refused = await asCarol(b, others);
      expect({ status: refused.status, detail: refused.body.detail }).toEqual({ status: 403, detail: expect.stringContaining('carol@corp.com has the viewer role there') });
      const [entry] = await query(`SELECT changed_by FROM config_history WHERE profile_id = $1 AND domain = 'mlflow' ORDER BY id DESC LIMIT 1`, [mine]);
      expect(entry).toEqual({ changed_by: 'carol@corp.com' });
      expect((await request(a.baseUrl).get('/api/auth/me').set('X-Forwarded-Email', 'carol@corp.com').expect(200)).body.grants).toEqual([
        { profile_id: mine, profile_name: expect.any(String), role: 'editor' },
      ]);
    });
  });

  describe('in the database', () => {
    it('refuses, even through SQL, a grant of another role, of two principals or none, and a mixed-case address', async () => {
      const id = await profile('other');
      const insert = (columns: string, values: unknown[]) =>
        db.sql.query(`INSERT INTO profile_grants (profile_id, ${columns}, granted_by) VALUES ($1, ${values.map((_v, i) => `$${i + 2}`).join(', ')}, 'psql')`, [id, ...values]);
      await expect(insert('token_id, role', [teamTokenId, 'admin'])).rejects.toMatchObject({ constraint: 'chk_profile_grants_role' });
      await expect(insert('token_id, user_email, role', [teamTokenId, 'x@corp.com', 'editor'])).rejects.toMatchObject({ constraint: 'chk_profile_grants_one_principal' });
      await expect(insert('role', ['editor'])).rejects.toMatchObject({ constraint: 'chk_profile_grants_one_principal' });
      await expect(insert('user_email, role', ['Carol@corp.com', 'editor'])).rejects.toMatchObject({ constraint: 'chk_profile_grants_user_email' });
      await insert('token_id, role', [teamTokenId, 'editor']);
      await expect(insert('token_id, role', [teamTokenId, 'viewer'])).rejects.toMatchObject({ constraint: 'uq_profile_grants_token' });
      await expect(insert('token_id, role', [999_999, 'viewer'])).rejects.toMatchObject({ constraint: 'profile_grants_token_id_fkey' });
    });

    it('honours a grant written by hand on every instance, and drops grants with their profile while their audit stays', async () => {
      const id = await profile('other');
      const token = (await a.api().post('/api/auth/tokens').send({ name: `sql-${unique()}`, role: 'viewer' }).expect(201)).body;
      const put = (app: TestApp) => app.api(token.token).put(`/api/config/prompts/${id}`).send({ system_prompt: 'From a hand-made grant.' });
      expect((await put(a)).status).toBe(403);
      expect((await put(b)).status).toBe(403);
      await db.sql.query(`INSERT INTO profile_grants (profile_id, token_id, role, granted_by) VALUES ($1, $2, 'editor', 'psql')`, [id, token.id]);
      await eventually(async () => expect([(await put(a)).status, (await put(b)).status]).toEqual([200, 200]));
      await a.api().put(`/api/config/profiles/${id}/grants`).send({ user: 'erin@corp.com', role: 'editor' }).expect(201);
      const [{ name }] = await query<{ name: string }>('SELECT name FROM config_profiles WHERE id = $1', [id]);
      await a.api().delete(`/api/config/profiles/${id}`).expect(204);
      expect(await query('SELECT id FROM profile_grants WHERE profile_id = $1', [id])).toEqual([]);
      expect(await query(`SELECT action, changes FROM config_history WHERE profile_name = $1 AND domain = 'permissions'`, [name])).toEqual([
        { action: 'create', changes: { 'user:erin@corp.com': { old: null, new: 'editor' } } },
      ]);
    });
  });
});

