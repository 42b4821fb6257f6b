import { startTestApp, TEST_ADMIN_NAME, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { configApi, setApiBase, setApiToken } from './config-api.js';

/** Seed 001's own client, unchanged but for its base URL and token, against the real app: every method. */
describe("the seed's configApi client", () => {
  let db: TestDatabase;
  let server: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestApp(db.url);
    setApiBase(server.baseUrl);
    setApiToken(TEST_ADMIN_TOKEN);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  const rows = async (sql: string, values: unknown[] = []) => (await db.sql.query(sql, values)).rows;

  it('manages profiles', async () => {
    const [initial] = await configApi.listProfiles();
    expect(initial).toMatchObject({ name: 'default', is_default: true });

    const byDefault = await configApi.getDefaultProfile();
    expect(byDefault).toMatchObject({ id: initial.id, ai_infra: { llm_max_tokens: 60000 }, mlflow: {}, prompts: {} });

    const created = await configApi.createProfile({ name: 'Production', description: 'Live traffic', copy_from_profile_id: null });
    expect(created).toMatchObject({ name: 'Production', description: 'Live traffic', is_default: false });
    expect(await rows('SELECT name FROM config_profiles WHERE id = $1', [created.id])).toEqual([{ name: 'Production' }]);

    expect(await configApi.getProfile(created.id)).toMatchObject({ id: created.id, ai_infra: { profile_id: created.id } });

    const loaded = await configApi.loadProfile(created.id);
    expect(loaded).toMatchObject({ id: created.id, prompts: { profile_id: created.id } });
    expect(await rows('SELECT count(*)::int AS n FROM agent_sessions WHERE profile_id = $1', [created.id])).toEqual([{ n: 1 }]);

    const promoted = await configApi.setDefaultProfile(created.id);
    expect(promoted).toMatchObject({ id: created.id, is_default: true });
    expect(await rows('SELECT id FROM config_profiles WHERE is_default')).toEqual([{ id: created.id }]);

    const copy = await configApi.duplicateProfile(created.id, 'Production copy');
    expect(copy).toMatchObject({ name: 'Production copy', ai_infra: { llm_endpoint: created.ai_infra.llm_endpoint } });

    await configApi.deleteProfile(copy.id);
    expect(await rows('SELECT id FROM config_profiles WHERE id = $1', [copy.id])).toEqual([]);
    expect((await configApi.listProfiles()).map((p) => p.name)).toEqual(['default', 'Production']);
  });

  it('reads and updates the three domains', async () => {
    const { id } = await configApi.getDefaultProfile();

    const ai = await configApi.updateAIInfraConfig(id, { llm_temperature: 0.3, llm_max_tokens: 8000 });
    expect(ai).toMatchObject({ profile_id: id, llm_temperature: 0.3, llm_max_tokens: 8000 });
    expect(await configApi.getAIInfraConfig(id)).toMatchObject({ llm_temperature: 0.3 });
    expect(await rows('SELECT llm_temperature::float AS t FROM config_ai_infra WHERE profile_id = $1', [id])).toEqual([{ t: 0.3 }]);

    const endpoints = await configApi.getAvailableEndpoints();
    expect(endpoints.length).toBeGreaterThan(0);
    expect(endpoints.every((e) => typeof e === 'string')).toBe(true);

    const mlflow = await configApi.updateMLflowConfig(id, { experiment_name: '/Shared/slides' });
    expect(mlflow).toMatchObject({ profile_id: id, experiment_name: '/Shared/slides' });
    expect((await configApi.getMLflowConfig(id)).experiment_name).toBe('/Shared/slides');

    const prompts = await configApi.updatePromptsConfig(id, { user_prompt_template: 'Answer {question} in {max_slides} slides.' });
    expect(prompts.user_prompt_template).toBe('Answer {question} in {max_slides} slides.');
    expect((await configApi.getPromptsConfig(id)).user_prompt_template).toBe('Answer {question} in {max_slides} slides.');
  });

  it('reads the history and reloads', async () => {
    const { id } = await configApi.getDefaultProfile();
    const all = await configApi.getConfigHistory();
    expect(all.length).toBe((await rows('SELECT count(*)::int AS n FROM config_history'))[0].n);
    expect(all[0]).toMatchObject({ domain: 'prompts', action: 'update', changed_by: TEST_ADMIN_NAME, changes: { user_prompt_template: expect.any(Object) } });

    const own = await configApi.getConfigHistory(id);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((entry) => entry.profile_id === id)).toBe(true);

    expect(await configApi.reloadConfiguration()).toMatchObject({ status: 'reloaded' });
    expect(await configApi.reloadConfiguration(id)).toMatchObject({ status: 'reloaded', profile_id: id });
  });
});
