import { asStored, storedDocument } from './support/stored-rows.js';
import { TEST_ADMIN_NAME, useAppWithDatabase } from './support/test-app.js';

const PROBLEM = /^application\/problem\+json/;

/** Presets: shipped and admin-saved profile documents, and profiles created from them. */
describe('presets', () => {
  const ctx = useAppWithDatabase();
  const api = (token?: string) => ctx.server.api(token);
  const count = async (table: string) => Number((await ctx.db.sql.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  it('lists the shipped presets, read-only', async () => {
    const presets = (await api().get('/api/config/presets').expect(200)).body;
    expect(presets.map((preset: { name: string }) => preset.name)).toEqual(['Slide generator — Claude Sonnet', 'Low-temperature analysis', 'Creative brainstorming']);
    expect(presets[1]).toMatchObject({ built_in: true, created_by: null, document: { ai_infra: { llm_temperature: 0.1, llm_top_p: 0.9, llm_max_tokens: 4096 } } });
    await api().delete(`/api/config/presets/${encodeURIComponent('Low-temperature analysis')}`).expect(409).expect('content-type', PROBLEM);
  });

  it('creates a profile from a preset: its values, the given name, audited as create naming the preset', async () => {
    const created = await api().post('/api/config/profiles').send({ name: 'Careful analyst', preset: 'low-temperature ANALYSIS' }).expect(201);
    expect(created.body).toMatchObject({ name: 'Careful analyst', description: expect.stringContaining('Predictable'), ai_infra: { llm_temperature: 0.1, llm_timeout_seconds: 60 } });
    expect(created.body.prompts.system_prompt).toMatch(/careful data analyst/);
    const [preset] = (await api().get('/api/config/presets').expect(200)).body.filter((candidate: { name: string }) => candidate.name === 'Low-temperature analysis');
    expect(await storedDocument(ctx.db.sql, created.body.id)).toEqual(asStored({ ...preset.document, ai_infra: { ...preset.document.ai_infra, require_probe: false }, name: 'Careful analyst', description: preset.document.description }));
    const entry = (await ctx.db.sql.query(`SELECT action, changed_by, changes FROM config_history WHERE profile_id = $1 ORDER BY id LIMIT 1`, [created.body.id])).rows[0];
    expect(entry).toEqual({ action: 'create', changed_by: TEST_ADMIN_NAME, changes: { name: { old: null, new: 'Careful analyst' }, preset: { old: null, new: 'low-temperature ANALYSIS' } } });
  });

  it('saves a profile as a preset (admin), creates from it, refuses a clash in any case (409), and deletes it', async () => {
    const exported = (await api().get(`/api/config/profiles/${ctx.defaultProfileId}/export`).expect(200)).body.profile;
    const document = { ...exported, ai_infra: { ...exported.ai_infra, llm_temperature: 0.42 } };
    const saved = await api().post('/api/config/presets').send({ name: 'Team standard', description: 'What the team runs', document }).expect(201);
    expect(saved.body).toMatchObject({ name: 'Team standard', built_in: false, created_by: TEST_ADMIN_NAME, created_at: expect.any(String) });
    const presets = await count('config_presets');
    await api().post('/api/config/presets').send({ name: 'TEAM STANDARD', document }).expect(409).expect('content-type', PROBLEM);
    await api().post('/api/config/presets').send({ name: 'creative brainstorming', document }).expect(409);
    expect(await count('config_presets')).toBe(presets);

    const made = await api().post('/api/config/profiles').send({ name: 'From the team', description: null, preset: 'Team standard' }).expect(201);
    expect(made.body).toMatchObject({ description: null, ai_infra: { llm_temperature: 0.42 } });

    await api().delete('/api/config/presets/team%20standard').expect(204);
    await api().delete('/api/config/presets/team%20standard').expect(404);
    expect((await api().get(`/api/config/profiles/${made.body.id}`).expect(200)).body.ai_infra.llm_temperature).toBe(0.42);
  });

  it('refuses bad presets and bad creations clearly, writing nothing', async () => {
    const before = { presets: await count('config_presets'), profiles: await count('config_profiles'), history: await count('config_history') };
    const exported = (await api().get(`/api/config/profiles/${ctx.defaultProfileId}/export`).expect(200)).body.profile;
    const unknown = await api().post('/api/config/profiles').send({ name: 'Nowhere', preset: 'No such preset' }).expect(422).expect('content-type', PROBLEM);
    expect(unknown.body.errors).toEqual([{ field: 'preset', message: expect.stringContaining('names no preset') }]);
    await api().post('/api/config/profiles').send({ name: 'Both', preset: 'Creative brainstorming', copy_from_profile_id: ctx.defaultProfileId }).expect(422);
    await api().post('/api/config/profiles').send({ name: 'default', preset: 'Creative brainstorming' }).expect(409);
    const badRange = await api().post('/api/config/presets').send({ name: 'Hot', document: { ...exported, ai_infra: { ...exported.ai_infra, llm_temperature: 7 } } }).expect(422);
    expect(badRange.body.errors).toEqual([expect.objectContaining({ field: 'document.ai_infra.llm_temperature' })]);
    const badTemplate = await api().post('/api/config/presets').send({ name: 'No question', document: { ...exported, prompts: { ...exported.prompts, user_prompt_template: 'no placeholders' } } }).expect(422);
    expect(badTemplate.body.errors[0].field).toMatch(/^document\.prompts\./);
    await api().post('/api/config/presets').send({ name: 'No document' }).expect(400);
    const unregistered = await api().post('/api/config/presets').send({ name: 'Stray domain', document: { ...exported, domains: { nowhere: {} } } }).expect(422);
    expect(unregistered.body.errors).toEqual([{ field: 'document.domains.nowhere', message: 'is not a registered domain' }]);
    const viewer = (await api().post('/api/auth/tokens').send({ name: 'preset-viewer', role: 'viewer' }).expect(201)).body.token;
    const editor = (await api().post('/api/auth/tokens').send({ name: 'preset-editor', role: 'editor' }).expect(201)).body.token;
    await api(viewer).get('/api/config/presets').expect(200);
    await api(editor).post('/api/config/presets').send({ name: 'Editor made', document: exported }).expect(403);
    await api(viewer).post('/api/config/profiles').send({ name: 'Viewer made', preset: 'Creative brainstorming' }).expect(403);
    expect({ presets: await count('config_presets'), profiles: await count('config_profiles'), history: await count('config_history') }).toEqual({ ...before, history: before.history });
  });
});
