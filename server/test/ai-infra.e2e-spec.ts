import { useAppWithDatabase } from './support/test-app.js';
import type { TestDatabase } from './support/test-database.js';

const PROBLEM = /^application\/problem\+json/;

describe('AI infrastructure API', () => {
  const context = useAppWithDatabase();
  const api = () => context.server.api();
  let db: TestDatabase;
  let profileId: number;

  beforeAll(() => {
    ({ db, defaultProfileId: profileId } = context);
  });


  async function row() {
    const { rows } = await db.sql.query(
      'SELECT llm_endpoint, llm_temperature::float AS t, llm_max_tokens, llm_top_p::float AS p, llm_timeout_seconds, require_probe, version FROM config_ai_infra WHERE profile_id = $1',
      [profileId],
    );
    return rows[0];
  }

  it('GET answers the configuration with its version as ETag', async () => {
    const current = await row();
    const response = await api().get(`/api/config/ai-infra/${profileId}`).expect(200);
    expect(response.headers.etag).toBe(`"v${current.version}"`);
    expect(response.body).toEqual({
      profile_id: profileId,
      llm_endpoint: current.llm_endpoint,
      llm_temperature: current.t,
      llm_max_tokens: current.llm_max_tokens,
      llm_top_p: current.p,
      llm_timeout_seconds: current.llm_timeout_seconds,
      require_probe: current.require_probe,
      inherited: [],
      version: current.version,
      updated_at: expect.any(String),
    });
  });

  it('PUT changes only the given fields and moves the version', async () => {
    const before = await row();
    const response = await api()
      .put(`/api/config/ai-infra/${profileId}`)
      .set('If-Match', `"v${before.version}"`)
      .send({ llm_temperature: 0.25, llm_max_tokens: 4096 })
      .expect(200);
    expect(response.body).toMatchObject({ llm_temperature: 0.25, llm_max_tokens: 4096, version: before.version + 1 });
    expect(response.headers.etag).toBe(`"v${before.version + 1}"`);
    expect(await row()).toEqual({ ...before, t: 0.25, llm_max_tokens: 4096, version: before.version + 1 });
  });

  it('PUT without changes keeps the version', async () => {
    const before = await row();
    const response = await api().put(`/api/config/ai-infra/${profileId}`).send({ llm_endpoint: before.llm_endpoint }).expect(200);
    expect(response.body.version).toBe(before.version);
    expect(await row()).toEqual(before);
  });

  it.each([
    ['a stale If-Match', 412, { llm_temperature: 0.9 }, '"v1"'],
    ['an If-Match that is no version', 412, { llm_temperature: 0.9 }, 'garbage'],
    ['temperature above 1', 422, { llm_temperature: 1.5 }, undefined],
    ['top_p below 0', 422, { llm_top_p: -0.1 }, undefined],
    ['zero max tokens', 422, { llm_max_tokens: 0 }, undefined],
    ['max tokens past the bound', 422, { llm_max_tokens: 5_000_000 }, undefined],
    ['a blank endpoint', 422, { llm_endpoint: '   ' }, undefined],
    ['a fractional timeout', 400, { llm_timeout_seconds: 1.5 }, undefined],
    ['a temperature sent as text', 400, { llm_temperature: '0.5' }, undefined],
    ['an unknown property', 400, { llm_temperature: 0.5, temprature: 0.5 }, undefined],
  ])('PUT with %s answers %i with problem+json and changes nothing', async (_case, status, body, ifMatch) => {
    const before = await row();
    const call = api().put(`/api/config/ai-infra/${profileId}`);
    if (ifMatch) call.set('If-Match', ifMatch);
    const response = await call.send(body).expect(status);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.status).toBe(status);
    if (status !== 412) expect(response.body.errors?.length).toBeGreaterThan(0);
    expect(await row()).toEqual(before);
  });

  it('names each failing field', async () => {
    const response = await api().put(`/api/config/ai-infra/${profileId}`).send({ llm_temperature: 2, llm_top_p: 3 }).expect(422);
    expect(response.body.errors).toEqual([
      { field: 'llm_temperature', message: 'llm_temperature must be at most 1' },
      { field: 'llm_top_p', message: 'llm_top_p must be at most 1' },
    ]);
  });

  it('answers 404 for a profile that does not exist and 400 for an id that is not a number', async () => {
    const missing = await api().get('/api/config/ai-infra/999999').expect(404);
    expect(missing.headers['content-type']).toMatch(PROBLEM);
    await api().put('/api/config/ai-infra/999999').send({ llm_temperature: 0.5 }).expect(404);
    const bad = await api().get('/api/config/ai-infra/abc').expect(400);
    expect(bad.body.detail).toMatch(/profile_id must be a positive whole number/);
  });

  it('lets exactly one of two concurrent PUTs with the same If-Match win; the other gets 412', async () => {
    const before = await row();
    const ifMatch = `"v${before.version}"`;
    const [a, b] = await Promise.all([
      api().put(`/api/config/ai-infra/${profileId}`).set('If-Match', ifMatch).send({ llm_temperature: 0.11 }),
      api().put(`/api/config/ai-infra/${profileId}`).set('If-Match', ifMatch).send({ llm_temperature: 0.22 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? a : b;
    expect(await row()).toMatchObject({ t: winner.body.llm_temperature, version: before.version + 1 });
  });
});
