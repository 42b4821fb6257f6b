import { useAppWithDatabase } from './support/test-app.js';
import type { TestDatabase } from './support/test-database.js';

describe('Prompts API', () => {
  const context = useAppWithDatabase();
  const api = () => context.server.api();
  let db: TestDatabase;
  let profileId: number;

  beforeAll(() => {
    ({ db, defaultProfileId: profileId } = context);
  });

  const row = async () =>
    (await db.sql.query('SELECT system_prompt, slide_editing_instructions, user_prompt_template, version FROM config_prompts WHERE profile_id = $1', [profileId])).rows[0];

  it('round-trips a 100 KB non-ASCII system prompt intact', async () => {
    const big = `Analysiere die Größe — 数据分析 📊 {{literal}}\n`.repeat(2200).slice(0, 100_000);
    const before = await row();
    const written = await api()
      .put(`/api/config/prompts/${profileId}`)
      .set('If-Match', `"v${before.version}"`)
      .send({ system_prompt: big })
      .expect(200);
    expect(written.body.version).toBe(before.version + 1);
    expect((await row()).system_prompt).toBe(big);
    const read = await api().get(`/api/config/prompts/${profileId}`).expect(200);
    expect(read.body.system_prompt).toBe(big);
    expect(read.headers.etag).toBe(`"v${before.version + 1}"`);
  });

  it('refuses a user template without {question}, with the position, and changes nothing', async () => {
    const before = await row();
    const response = await api()
      .put(`/api/config/prompts/${profileId}`)
      .send({ user_prompt_template: 'Make {max_slides} slides.' })
      .expect(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'user_prompt_template', code: 'missing_placeholder', line: 1, column: 26, offset: 25, length: 0 }),
    ]);
    expect(await row()).toEqual(before);
  });

  it('refuses unknown and unbalanced placeholders, each with its line and column', async () => {
    const before = await row();
    const response = await api()
      .put(`/api/config/prompts/${profileId}`)
      .send({ user_prompt_template: '{question} in {max_slides}\nabout {topic} and {oops' })
      .expect(422);
    expect(response.body.errors.map((e: { code: string; line: number; column: number }) => [e.code, e.line, e.column])).toEqual([
      ['unknown_placeholder', 2, 7],
      ['unbalanced_brace', 2, 19],
    ]);
    expect(await row()).toEqual(before);
  });

  it('validates without saving, reporting errors and warnings', async () => {
    const before = await row();
    const response = await api()
      .post('/api/config/prompts/validate')
      .send({ system_prompt: 'Answer {question}', user_prompt_template: 'Q: {question}' })
      .expect(200);
    expect(response.body).toMatchObject({
      valid: false,
      errors: [expect.objectContaining({ field: 'user_prompt_template', code: 'missing_placeholder' })],
      warnings: [expect.objectContaining({ field: 'system_prompt', code: 'placeholder_in_system_prompt', line: 1, column: 8 })],
      placeholders: { system_prompt: ['question'], user_prompt_template: ['question'] },
    });
    expect(await row()).toEqual(before);
    const ok = await api().post('/api/config/prompts/validate').send({ user_prompt_template: '{question} {max_slides}' }).expect(200);
    expect(ok.body).toMatchObject({ valid: true, errors: [], warnings: [] });
  });

  it('refuses a prompt over 200,000 characters (422) and a body over the limit (413)', async () => {
    const before = await row();
    const tooLong = await api().put(`/api/config/prompts/${profileId}`).send({ slide_editing_instructions: 'x'.repeat(200_001) }).expect(422);
    expect(tooLong.body.errors[0]).toMatchObject({ field: 'slide_editing_instructions', code: 'too_long' });
    await api().put(`/api/config/prompts/${profileId}`).send({ system_prompt: 'x'.repeat(3 * 1024 * 1024) }).expect(413);
    expect(await row()).toEqual(before);
  });

  it('answers 400 for a prompt that is not text and 404 for a missing profile', async () => {
    await api().put(`/api/config/prompts/${profileId}`).send({ system_prompt: 42 }).expect(400);
    await api().put('/api/config/prompts/555555').send({ system_prompt: 'hello' }).expect(404);
  });
});
