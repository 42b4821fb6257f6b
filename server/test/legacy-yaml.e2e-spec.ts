import { countRows, historyAfter, lastHistoryId } from './support/stored-rows.js';
import { TEST_ADMIN_NAME, useAppWithDatabase } from './support/test-app.js';

const CONFIG = `llm:
  endpoint: databricks-meta-llama-3-3-70b-instruct
  temperature: 0.3
  max_tokens: 4000
  top_p: 0.9
  streaming: true
genie:
  default_space_id: 01effebcc2781b6bbb749077a55d31e4
  description: Usage data
`;
const MLFLOW = 'tracking:\n  experiment_name: /Shared/migrated\n';
const PROMPTS = `system_prompt: |
  You turn questions into slides.
slide_editing_instructions: Keep the layout.
user_prompt_template: "Q: {question} ({max_slides} slides)"
`;

/** The seed's YAML files (config, mlflow, prompts) into a profile, as POST /api/config/import/yaml does it. */
describe('legacy YAML import', () => {
  const ctx = useAppWithDatabase();
  const api = () => ctx.server.api();
  const send = (body: object) => api().post('/api/config/import/yaml').send(body);

  it('creates a profile from the three files, audited as import, with a warning for each key it leaves out', async () => {
    const before = await lastHistoryId(ctx.db.sql);
    const response = await send({ config_yaml: CONFIG, mlflow_yaml: MLFLOW, prompts_yaml: PROMPTS }).expect(201);
    expect(response.headers.location).toBe(`/api/config/profiles/${response.body.profile.id}`);
    expect(response.body.warnings).toEqual([{ field: 'config.yaml:llm.streaming', message: 'not a setting Switchboard knows: left out' }]);
    const profile = (await api().get(`/api/config/profiles/${response.body.profile.id}`).expect(200)).body;
    expect(profile).toMatchObject({
      name: 'migrated_from_yaml',
      is_default: false,
      ai_infra: { llm_endpoint: 'databricks-meta-llama-3-3-70b-instruct', llm_temperature: 0.3, llm_max_tokens: 4000, llm_top_p: 0.9 },
      genie_spaces: [{ space_id: '01effebcc2781b6bbb749077a55d31e4', space_name: 'Migrated Genie Space', description: 'Usage data', is_default: true }],
      mlflow: { experiment_name: '/Shared/migrated' },
      prompts: { system_prompt: 'You turn questions into slides.\n', slide_editing_instructions: 'Keep the layout.', user_prompt_template: 'Q: {question} ({max_slides} slides)' },
    });
    expect(await historyAfter(ctx.db.sql, before)).toEqual([expect.objectContaining({ domain: 'profile', action: 'import', changed_by: TEST_ADMIN_NAME })]);
  });

  it('checks without writing on a dry run, and takes the defaults (with warnings) for what a file leaves out', async () => {
    const profiles = await countRows(ctx.db.sql, 'config_profiles');
    const response = await send({ config_yaml: 'llm:\n  temperature: 0.5\n', name: 'dry', dry_run: true }).expect(200);
    expect(response.body).toMatchObject({ profile: null, dry_run: true });
    expect(response.body.warnings.map((warning: { field: string }) => warning.field)).toEqual(['mlflow.yaml', 'prompts.yaml', 'config.yaml:llm.endpoint', 'config.yaml:llm.max_tokens']);
    expect(await countRows(ctx.db.sql, 'config_profiles')).toBe(profiles);
  });

  it('makes the new profile the default when asked', async () => {
    const response = await send({ mlflow_yaml: MLFLOW, name: 'migrated default', set_default: true }).expect(201);
    expect(response.body.profile).toMatchObject({ name: 'migrated default', is_default: true });
    expect(await countRows(ctx.db.sql, 'config_profiles WHERE is_default')).toBe(1);
  });

  it.each([
    ['a file that is not YAML', { config_yaml: 'llm:\n  endpoint: [unclosed\n' }, 422, 'config.yaml', /line \d+, column \d+/],
    ['a value Switchboard refuses, named by file and key', { config_yaml: 'llm:\n  temperature: 7\n' }, 422, 'config.yaml:llm.temperature', /temperature/],
    ['a prompt template with an unknown placeholder', { prompts_yaml: 'user_prompt_template: "Q: {topic}"\n' }, 422, 'prompts.yaml:user_prompt_template', /topic/],
    ['a file that is a list, not keys', { mlflow_yaml: '- a\n- b\n' }, 422, 'mlflow.yaml', /mapping/],
    ['an alias that names nothing', { config_yaml: 'llm: *nowhere\n' }, 422, 'config.yaml', /alias/i],
    ['a Genie space id that is not one', { config_yaml: 'genie:\n  default_space_id: not-an-id\n' }, 422, 'config.yaml:genie.default_space_id', /space/],
    ['no file at all', {}, 422, 'config_yaml', /required/],
    ['a name that is taken', { mlflow_yaml: MLFLOW, name: 'default' }, 409, 'name', /exists/],
  ])('refuses %s and writes nothing', async (_why, body, status, field, message) => {
    const profiles = await countRows(ctx.db.sql, 'config_profiles');
    const response = await send({ name: 'refused', ...body }).expect(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) })]));
    expect(await countRows(ctx.db.sql, 'config_profiles')).toBe(profiles);
  });
});
