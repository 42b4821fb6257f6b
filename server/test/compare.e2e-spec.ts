import type { Response } from 'supertest';
import { useAppWithDatabase } from './support/test-app.js';
import { lastHistoryId, storedDocument } from './support/stored-rows.js';

const PROBLEM = /^application\/problem\+json/;
const SEEDED_SPACE = '01effebcc2781b6bbb749077a55d31e3';
const SPACE_B = 'b'.repeat(32);
const SPACE_C = 'c'.repeat(32);
const NO_DIFFERENCES = { profile: {}, ai_infra: {}, genie: {}, mlflow: {}, prompts: {}, domains: {} };

describe('compare', () => {
  const context = useAppWithDatabase();
  const api = () => context.server.api();
  let leftId: number;
  let rightId: number;

  beforeAll(async () => {
    leftId = (await api().post('/api/config/profiles').send({ name: 'Left', description: 'Same' }).expect(201)).body.id;
    await api().post(`/api/config/genie/${leftId}`).send({ space_id: SPACE_B, space_name: 'Ops' }).expect(201);
    rightId = (await api().post(`/api/config/profiles/${leftId}/duplicate`).send({ name: 'Right' }).expect(201)).body.id;
  });

  /** Compare is a read: it must leave every row and the audit log as they were. */
  async function compare(query: string, status = 200): Promise<Response> {
    const entries = await lastHistoryId(context.db.sql);
    const rows = [await storedDocument(context.db.sql, leftId), await storedDocument(context.db.sql, rightId)];
    const response = await api().get(`/api/config/compare?${query}`).expect(status);
    expect(await lastHistoryId(context.db.sql)).toBe(entries);
    expect([await storedDocument(context.db.sql, leftId), await storedDocument(context.db.sql, rightId)]).toEqual(rows);
    return response;
  }

  it('finds no difference between a profile and itself', async () => {
    const response = await compare(`left_profile_id=${leftId}&right_profile_id=${leftId}`);
    expect(response.body).toEqual({
      left: { profile_id: leftId, entry_id: null, profile_name: 'Left' },
      right: { profile_id: leftId, entry_id: null, profile_name: 'Left' },
      identical: true,
      differences: NO_DIFFERENCES,
    });
  });

  it('lists only the differing fields, without ids, versions, timestamps or authors', async () => {
    expect((await compare(`left_profile_id=${leftId}&right_profile_id=${rightId}`)).body.differences).toEqual({
      ...NO_DIFFERENCES,
      profile: { name: { left: 'Left', right: 'Right' } },
    });
    await api().put(`/api/config/ai-infra/${rightId}`).send({ llm_temperature: 0.25 }).expect(200);
    await api().put(`/api/config/mlflow/${rightId}`).send({ experiment_name: '/Shared/right' }).expect(200);
    await api().put(`/api/config/profiles/${rightId}`).send({ description: null }).expect(200);

    const response = await compare(`left_profile_id=${leftId}&right_profile_id=${rightId}`);
    expect(response.body).toMatchObject({ identical: false });
    expect(response.body.differences).toEqual({
      ...NO_DIFFERENCES,
      profile: { name: { left: 'Left', right: 'Right' }, description: { left: 'Same', right: null } },
      ai_infra: { llm_temperature: { left: 0.7, right: 0.25 } },
      mlflow: { experiment_name: { left: '/Workspace/Users/{username}/ai-slide-generator', right: '/Shared/right' } },
    });
  });

  it('matches Genie spaces by space_id: changed fields, the default, and spaces on one side only', async () => {
    const rows = (await context.db.sql.query('SELECT id, space_id FROM config_genie_spaces WHERE profile_id = $1', [rightId])).rows;
    const rowId = (spaceId: string) => rows.find((row) => row.space_id === spaceId).id;
    await api().put(`/api/config/genie/${rowId(SEEDED_SPACE)}`).send({ space_name: 'Usage' }).expect(200);
    await api().post(`/api/config/genie/${rowId(SPACE_B)}/set-default`).expect(200);
    await api().post(`/api/config/genie/${rightId}`).send({ space_id: SPACE_C, space_name: 'Finance' }).expect(201);

    expect((await compare(`left_profile_id=${leftId}&right_profile_id=${rightId}`)).body.differences.genie).toEqual({
      [`${SEEDED_SPACE}.space_name`]: { left: 'Databricks Usage Analytics', right: 'Usage' },
      [`${SEEDED_SPACE}.is_default`]: { left: true, right: false },
      [`${SPACE_B}.is_default`]: { left: false, right: true },
      [SPACE_C]: { left: null, right: { space_name: 'Finance', description: null, is_default: false } },
    });
    expect((await compare(`left_profile_id=${rightId}&right_profile_id=${leftId}`)).body.differences.genie[SPACE_C]).toEqual({
      left: { space_name: 'Finance', description: null, is_default: false },
      right: null,
    });
  });

  it("compares a profile with a history entry's snapshot", async () => {
    const [duplicated] = (await api().get(`/api/config/history/${rightId}?action=duplicate`).expect(200)).body;
    const response = await compare(`left_profile_id=${leftId}&right_entry_id=${duplicated.id}`);
    expect(response.body).toEqual({
      left: { profile_id: leftId, entry_id: null, profile_name: 'Left' },
      right: { profile_id: rightId, entry_id: duplicated.id, profile_name: 'Right' },
      identical: false,
      differences: { ...NO_DIFFERENCES, profile: { name: { left: 'Left', right: 'Right' } } },
    });
    const both = await compare(`left_entry_id=${duplicated.id}&right_entry_id=${duplicated.id}`);
    expect(both.body.identical).toBe(true);
  });

  it.each([
    ['a missing profile (404)', () => `left_profile_id=${leftId}&right_profile_id=987654`, 404, undefined],
    ['a missing entry (404)', () => `left_entry_id=987654&right_profile_id=${leftId}`, 404, undefined],
    ['no right side (400)', () => `left_profile_id=${leftId}`, 400, 'right_profile_id'],
    ['two ids for one side (400)', () => `left_profile_id=${leftId}&left_entry_id=1&right_profile_id=${leftId}`, 400, 'left_profile_id'],
    ['an id that is not a number (400)', () => `left_profile_id=abc&right_profile_id=${leftId}`, 400, 'left_profile_id'],
    ['an id below 1 (422)', () => `left_profile_id=0&right_profile_id=${leftId}`, 422, 'left_profile_id'],
    ['an unknown parameter (400)', () => `left_profile_id=${leftId}&right_profile_id=${leftId}&colour=blue`, 400, 'colour'],
  ])('answers %s', async (_case, query, status, field) => {
    const response = await compare(query(), status);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    if (field) expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });
});
