import { useAppWithDatabase } from './support/test-app.js';

/** GET /api/agent/sessions: every session with its profile, whether it is live and its turns, for the console's sessions page. */
describe('listing agent sessions', () => {
  const ctx = useAppWithDatabase();
  const api = () => ctx.server.api();

  it('lists sessions most recently seen first, with profile, liveness and turns; filters by profile and pages', async () => {
    const other = (await api().post('/api/config/profiles').send({ name: 'Sessions B' }).expect(201)).body.id as number;
    const first = (await api().post('/api/agent/sessions').send({ profile_id: ctx.defaultProfileId }).expect(201)).body.session_id as string;
    const loaded = (await api().post(`/api/config/profiles/${other}/load`).send({}).expect(200)).body.session_id as string;
    const stale = (await api().post('/api/agent/sessions').send({ profile_id: other }).expect(201)).body.session_id as string;
    await ctx.db.sql.query(`UPDATE agent_sessions SET last_seen_at = now() - interval '3 hours' WHERE id = $1`, [stale]);
    await ctx.db.sql.query(`UPDATE agent_sessions SET last_seen_at = now() - interval '1 minute' WHERE id = $1`, [first]);
    await ctx.db.sql.query(`INSERT INTO agent_messages (session_id, role, content) VALUES ($1, 'user', 'q'), ($1, 'assistant', 'a')`, [first]);

    const all = await api().get('/api/agent/sessions').expect(200);
    expect(all.headers['x-total-count']).toBe('3');
    expect(all.body).toEqual([
      { session_id: loaded, profile_id: other, profile_name: 'Sessions B', created_at: expect.any(String), last_seen_at: expect.any(String), live: true, messages: 0, pinned_version: null },
      { session_id: first, profile_id: ctx.defaultProfileId, profile_name: 'default', created_at: expect.any(String), last_seen_at: expect.any(String), live: true, messages: 2, pinned_version: null },
      { session_id: stale, profile_id: other, profile_name: 'Sessions B', created_at: expect.any(String), last_seen_at: expect.any(String), live: false, messages: 0, pinned_version: null },
    ]);
    expect(new Date(all.body[1].last_seen_at).getTime()).toBeLessThan(new Date(all.body[0].last_seen_at).getTime());

    const ofOther = await api().get(`/api/agent/sessions?profile_id=${other}`).expect(200);
    expect(ofOther.headers['x-total-count']).toBe('2');
    expect(ofOther.body.map((session: { session_id: string }) => session.session_id)).toEqual([loaded, stale]);

    const page = await api().get('/api/agent/sessions?limit=1&offset=1').expect(200);
    expect(page.body.map((session: { session_id: string }) => session.session_id)).toEqual([first]);
    expect(page.headers.link).toContain('rel="next"');
  });

  it('is open to viewers, and refuses malformed paging with problem details', async () => {
    const viewer = (await api().post('/api/auth/tokens').send({ name: 'sessions-viewer', role: 'viewer' }).expect(201)).body.token as string;
    await ctx.server.api(viewer).get('/api/agent/sessions').expect(200);
    for (const query of ['limit=0', 'limit=501', 'offset=-1', 'profile_id=abc']) {
      const response = await api().get(`/api/agent/sessions?${query}`);
      expect({ query, status: [400, 422].includes(response.status), type: response.headers['content-type'] }).toEqual({ query, status: true, type: expect.stringContaining('application/problem+json') });
    }
    await ctx.server.api('sb_not-a-token').get('/api/agent/sessions').expect(401);
  });
});
