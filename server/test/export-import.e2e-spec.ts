import { PROFILE_DOCUMENT_MAX_BYTES } from '../src/profiles/profile-document.js';
import { startTestApp, TEST_ADMIN_NAME, useAppWithDatabase } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';
import { asStored, countRows, historyAfter, lastHistoryId, storedDocument } from './support/stored-rows.js';

const PROBLEM = /^application\/problem\+json/;
const SEEDED_SPACE = '01effebcc2781b6bbb749077a55d31e3';
const SPACE_B = 'b'.repeat(32);
const TABLES = ['config_profiles', 'config_ai_infra', 'config_genie_spaces', 'config_mlflow', 'config_prompts', 'config_history'];

describe('profile export and import', () => {
  const context = useAppWithDatabase();
  const api = () => context.server.api();
  const rowCounts = async () => {
    const counts: number[] = [];
    for (const table of TABLES) counts.push(await countRows(context.db.sql, table));
    return counts;
  };
  let sourceId: number;

  beforeAll(async () => {
    sourceId = (await api().post('/api/config/profiles').send({ name: 'Export Me', description: 'Tuned for exports' }).expect(201)).body.id;
    await api().put(`/api/config/ai-infra/${sourceId}`).send({ llm_temperature: 0.3, llm_max_tokens: 4000 }).expect(200);
    await api().post(`/api/config/genie/${sourceId}`).send({ space_id: SPACE_B, space_name: 'Ops', description: 'Incidents', is_default: true }).expect(201);
    await api().put(`/api/config/mlflow/${sourceId}`).send({ experiment_name: '/Shared/exported' }).expect(200);
    await api().put(`/api/config/prompts/${sourceId}`).send({ system_prompt: 'Export this prompt.' }).expect(200);
  });

  const exportOf = async (id: number, app = context.server) => (await app.api().get(`/api/config/profiles/${id}/export`).expect(200)).body;

  it('exports every domain and Genie space, without ids, versions or timestamps', async () => {
    const exported = await exportOf(sourceId);
    expect(exported).toEqual({
      format: 'switchboard.profile',
      format_version: 4,
      exported_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      profile: {
        name: 'Export Me',
        description: 'Tuned for exports',
        ai_infra: { llm_endpoint: 'databricks-claude-sonnet-4-5', llm_temperature: 0.3, llm_max_tokens: 4000, llm_top_p: 1, llm_timeout_seconds: 120, require_probe: false },
        genie_spaces: [
          { space_id: SPACE_B, space_name: 'Ops', description: 'Incidents', is_default: true },
          { space_id: SEEDED_SPACE, space_name: 'Databricks Usage Analytics', description: 'Databricks usage data space', is_default: false },
        ],
        mlflow: { experiment_name: '/Shared/exported' },
        prompts: { system_prompt: 'Export this prompt.', slide_editing_instructions: expect.any(String), user_prompt_template: expect.stringContaining('{question}') },
        domains: {},
        prompt_registry: [],
      },
    });
    expect(asStored(exported.profile)).toEqual(await storedDocument(context.db.sql, sourceId));
    await api().get('/api/config/profiles/987654/export').expect(404);
  });

  it('imports into a fresh database with no differences, audited as one import entry', async () => {
    const exported = await exportOf(sourceId);
    const freshDb = await createTestDatabase();
    const fresh = await startTestApp(freshDb.url);
    try {
      const historyBefore = await lastHistoryId(freshDb.sql);
      const response = await fresh.api().post('/api/config/profiles/import').send(exported).expect(201);
      expect(response.headers.location).toBe(`/api/config/profiles/${response.body.id}`);
      expect(response.body).toMatchObject({ name: 'Export Me', is_default: false, created_by: TEST_ADMIN_NAME });

      const reexported = await exportOf(response.body.id, fresh);
      expect({ ...reexported, exported_at: null }).toEqual({ ...exported, exported_at: null });
      expect(await storedDocument(freshDb.sql, response.body.id)).toEqual(asStored(exported.profile));
      expect(await historyAfter(freshDb.sql, historyBefore)).toEqual([
        expect.objectContaining({ profile_id: response.body.id, profile_name: 'Export Me', domain: 'profile', action: 'import', changed_by: TEST_ADMIN_NAME, changes: { name: { old: null, new: 'Export Me' } } }),
      ]);
    } finally {
      await fresh.close();
      await freshDb.drop();
    }
  });

  it('refuses a taken name (409, any case) and writes nothing; ?name= imports it beside the original (201)', async () => {
    const exported = await exportOf(sourceId);
    const before = await rowCounts();
    const conflict = await api().post('/api/config/profiles/import').send({ ...exported, profile: { ...exported.profile, name: 'EXPORT ME' } }).expect(409);
    expect(conflict.headers['content-type']).toMatch(PROBLEM);
    expect(conflict.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(/already exists/) }]);
    expect(await rowCounts()).toEqual(before);

    const historyBefore = await lastHistoryId(context.db.sql);
    const copy = await api().post('/api/config/profiles/import?name=Export%20Me%20(staging)').send(exported).expect(201);
    expect(copy.body.name).toBe('Export Me (staging)');
    expect(await storedDocument(context.db.sql, copy.body.id)).toEqual(asStored({ ...exported.profile, name: 'Export Me (staging)' }));
    expect((await historyAfter(context.db.sql, historyBefore)).map((e) => [e.profile_id, e.action, e.domain])).toEqual([[copy.body.id, 'import', 'profile']]);

    const comparison = await api().get(`/api/config/compare?left_profile_id=${sourceId}&right_profile_id=${copy.body.id}`).expect(200);
    expect(comparison.body.differences).toEqual({
      profile: { name: { left: 'Export Me', right: 'Export Me (staging)' } },
      ai_infra: {},
      genie: {},
      mlflow: {},
      prompts: {},
      domains: {},
    });
  });

  describe('refuses an invalid document and writes nothing, not even a history entry', () => {
    const valid = () => exportOf(sourceId).then((exported) => ({ ...exported, profile: { ...exported.profile, name: 'Never Imported' } }));
    type Doc = Awaited<ReturnType<typeof valid>>;

    it.each<[string, (doc: Doc) => object, number, string]>([
      ['an unknown format (422)', (doc) => ({ ...doc, format: 'other.tool' }), 422, 'format'],
      ['a newer format version, whatever its content (422)', (doc) => ({ ...doc, format_version: 5, profile: { renamed: true } }), 422, 'format_version'],
      ['a missing domain (400)', (doc) => ({ ...doc, profile: { ...doc.profile, mlflow: undefined } }), 400, 'profile.mlflow'],
      ['a missing field of a profile without a parent (400)', (doc) => ({ ...doc, profile: { ...doc.profile, mlflow: {} } }), 400, 'profile.mlflow.experiment_name'],
      ['an unknown field (400)', (doc) => ({ ...doc, profile: { ...doc.profile, ai_infra: { ...doc.profile.ai_infra, api_key: 'x' } } }), 400, 'profile.ai_infra.api_key'],
      ['a temperature out of range (422)', (doc) => ({ ...doc, profile: { ...doc.profile, ai_infra: { ...doc.profile.ai_infra, llm_temperature: 5 } } }), 422, 'profile.ai_infra.llm_temperature'],
      ['a bad Genie space id (422)', (doc) => ({ ...doc, profile: { ...doc.profile, genie_spaces: [{ space_id: 'nope', space_name: 'x' }] } }), 422, 'profile.genie_spaces.0.space_id'],
      ['a Genie space listed twice (422)', (doc) => ({ ...doc, profile: { ...doc.profile, genie_spaces: [doc.profile.genie_spaces[0], doc.profile.genie_spaces[0]] } }), 422, 'profile.genie_spaces.1.space_id'],
      ['a template without {question} (422)', (doc) => ({ ...doc, profile: { ...doc.profile, prompts: { ...doc.profile.prompts, user_prompt_template: 'Use {max_slides} slides.' } } }), 422, 'profile.prompts.user_prompt_template'],
      ['a blank ?name= (422)', (doc) => doc, 422, 'name'],
    ])('%s', async (label, change, status, field) => {
      const before = await rowCounts();
      const url = label.includes('?name=') ? '/api/config/profiles/import?name=%20' : '/api/config/profiles/import';
      const response = await api().post(url).send(change(await valid())).expect(status);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      expect(await rowCounts()).toEqual(before);
    });
  });

  it(`reads documents over the server-wide body limit, refuses those over ${PROFILE_DOCUMENT_MAX_BYTES} bytes (413)`, async () => {
    const exported = await exportOf(sourceId);
    const before = await rowCounts();
    // 3 MiB: past the 2 MiB server-wide limit, so this 422 shows the import route's own limit applies.
    const long = { ...exported, profile: { ...exported.profile, name: 'Too Long', prompts: { ...exported.profile.prompts, system_prompt: 'x'.repeat(3 * 1024 * 1024) } } };
    const tooLong = await api().post('/api/config/profiles/import').send(long).expect(422);
    expect(tooLong.body.errors.map((error: { field: string }) => error.field)).toEqual(['profile.prompts.system_prompt']);

    const huge = { ...long, profile: { ...long.profile, prompts: { ...long.profile.prompts, system_prompt: 'x'.repeat(PROFILE_DOCUMENT_MAX_BYTES) } } };
    const response = await api().post('/api/config/profiles/import').send(huge).expect(413);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ type: 'urn:switchboard:problem:payload-too-large', status: 413 });
    expect(await rowCounts()).toEqual(before);
  });
});
