import type { Response } from 'supertest';
import { TEST_ADMIN_NAME, useAppWithDatabase } from './support/test-app.js';
import { asStored, countRows, historyAfter, lastHistoryId, storedDocument } from './support/stored-rows.js';

const PROBLEM = /^application\/problem\+json/;
const SEEDED_SPACE = '01effebcc2781b6bbb749077a55d31e3';
const SPACE_B = 'b'.repeat(32);
const SPACE_C = 'c'.repeat(32);
const SEEDED_SPACE_VALUES = { space_name: 'Databricks Usage Analytics', description: 'Databricks usage data space' };

interface Entry {
  id: number;
  action: string;
  domain: string;
}

describe('restore from history', () => {
  const context = useAppWithDatabase();
  const api = () => context.server.api();
  const sql = () => context.db.sql;

  const create = async (name: string) => (await api().post('/api/config/profiles').send({ name }).expect(201)).body;
  const exportOf = async (id: number) => (await api().get(`/api/config/profiles/${id}/export`).expect(200)).body;
  const entriesOf = async (id: number, filter = ''): Promise<Entry[]> => (await api().get(`/api/config/history/${id}?${filter}`).expect(200)).body;
  const spaceRowId = async (profileId: number, spaceId: string) =>
    (await sql().query('SELECT id FROM config_genie_spaces WHERE profile_id = $1 AND space_id = $2', [profileId, spaceId])).rows[0].id;

  it('puts a whole profile back to the state before three field changes in two domains and a Genie change', async () => {
    const profile = await create('Round Trip');
    const original = await exportOf(profile.id);
    const [createdEntry] = await entriesOf(profile.id, 'action=create');

    await api().put(`/api/config/ai-infra/${profile.id}`).send({ llm_temperature: 0.2, llm_max_tokens: 1000 }).expect(200);
    await api().put(`/api/config/prompts/${profile.id}`).send({ system_prompt: 'Changed.' }).expect(200);
    await api().post(`/api/config/genie/${profile.id}`).send({ space_id: SPACE_B, space_name: 'Ops', is_default: true }).expect(201);
    await api().put(`/api/config/genie/${await spaceRowId(profile.id, SEEDED_SPACE)}`).send({ space_name: 'Renamed' }).expect(200);

    const before = await lastHistoryId(sql());
    const restored = await api().post(`/api/config/history/entries/${createdEntry.id}/restore`).expect(200);
    expect(restored.headers.etag).toBe(`"v${restored.body.version}"`);
    expect(restored.body).toMatchObject({ id: profile.id, name: 'Round Trip', ai_infra: { llm_temperature: 0.7, llm_max_tokens: 60000 } });

    const comparison = await api().get(`/api/config/compare?left_profile_id=${profile.id}&right_entry_id=${createdEntry.id}`).expect(200);
    expect(comparison.body).toMatchObject({ identical: true, differences: { profile: {}, ai_infra: {}, genie: {}, mlflow: {}, prompts: {} } });
    expect({ ...(await exportOf(profile.id)), exported_at: null }).toEqual({ ...original, exported_at: null });
    expect(await storedDocument(sql(), profile.id)).toEqual(asStored(original.profile));

    const common = { profile_id: profile.id, profile_name: 'Round Trip', action: 'restore', changed_by: TEST_ADMIN_NAME };
    expect(await historyAfter(sql(), before)).toEqual([
      expect.objectContaining({ ...common, domain: 'ai_infra', changes: { llm_temperature: { old: 0.2, new: 0.7 }, llm_max_tokens: { old: 1000, new: 60000 } } }),
      expect.objectContaining({
        ...common,
        domain: 'genie',
        changes: {
          [`${SEEDED_SPACE}.space_name`]: { old: 'Renamed', new: SEEDED_SPACE_VALUES.space_name },
          [`${SEEDED_SPACE}.is_default`]: { old: false, new: true },
          [SPACE_B]: { old: { space_name: 'Ops', description: null, is_default: true }, new: null },
        },
      }),
      expect.objectContaining({ ...common, domain: 'prompts', changes: { system_prompt: { old: 'Changed.', new: original.profile.prompts.system_prompt } } }),
    ]);

    // Nothing left to put back: no write, no entry.
    await api().post(`/api/config/history/entries/${createdEntry.id}/restore`).send({}).expect(200);
    expect(await historyAfter(sql(), before)).toHaveLength(3);
  });

  it('restores one domain only and leaves the others as they are', async () => {
    const profile = await create('One Domain');
    await api().post(`/api/config/genie/${profile.id}`).send({ space_id: SPACE_B, space_name: 'Ops' }).expect(201);
    const [checkpoint] = await entriesOf(profile.id, 'limit=1');
    await api().put(`/api/config/ai-infra/${profile.id}`).send({ llm_top_p: 0.5 }).expect(200);
    await api().put(`/api/config/mlflow/${profile.id}`).send({ experiment_name: '/Shared/kept' }).expect(200);
    await api().post(`/api/config/genie/${profile.id}`).send({ space_id: SPACE_C, space_name: 'Finance', is_default: true }).expect(201);
    await api().delete(`/api/config/genie/${await spaceRowId(profile.id, SPACE_B)}`).expect(204);
    const beforeRestore = await storedDocument(sql(), profile.id);

    const before = await lastHistoryId(sql());
    await api().post(`/api/config/history/entries/${checkpoint.id}/restore`).send({ domain: 'genie' }).expect(200);

    expect(await storedDocument(sql(), profile.id)).toEqual({
      ...beforeRestore,
      genie_spaces: [
        { space_id: SEEDED_SPACE, ...SEEDED_SPACE_VALUES, is_default: true },
        { space_id: SPACE_B, space_name: 'Ops', description: null, is_default: false },
      ],
    });
    expect((await storedDocument(sql(), profile.id)).ai_infra).toMatchObject({ llm_top_p: 0.5 });
    expect(await historyAfter(sql(), before)).toEqual([
      expect.objectContaining({
        domain: 'genie',
        action: 'restore',
        changes: {
          [`${SEEDED_SPACE}.is_default`]: { old: false, new: true },
          [SPACE_B]: { old: null, new: { space_name: 'Ops', description: null, is_default: false } },
          [SPACE_C]: { old: { space_name: 'Finance', description: null, is_default: true }, new: null },
        },
      }),
    ]);
  });

  describe('after the profile was deleted', () => {
    let deleteEntry: Entry;
    let snapshotState: Awaited<ReturnType<typeof storedDocument>>;

    beforeAll(async () => {
      const doomed = await create('Phoenix');
      await api().put(`/api/config/ai-infra/${doomed.id}`).send({ llm_temperature: 0.9 }).expect(200);
      snapshotState = await storedDocument(sql(), doomed.id);
      await api().delete(`/api/config/profiles/${doomed.id}`).expect(204);
      const entries: (Entry & { profile_name: string; profile_id: number | null })[] = (await api().get('/api/config/history?limit=500').expect(200)).body;
      const own = entries.filter((entry) => entry.profile_name === 'Phoenix');
      expect(own.map((entry) => [entry.action, entry.profile_id])).toEqual([['delete', null], ['update', null], ['create', null]]);
      deleteEntry = own[0];
    });

    it('recreates the profile under its old name (201), audited as one restore entry', async () => {
      const before = await lastHistoryId(sql());
      const response = await api().post(`/api/config/history/entries/${deleteEntry.id}/restore`).expect(201);
      expect(response.headers.location).toBe(`/api/config/profiles/${response.body.id}`);
      expect(response.body).toMatchObject({ name: 'Phoenix', is_default: false, ai_infra: { llm_temperature: 0.9 } });
      expect(await storedDocument(sql(), response.body.id)).toEqual(snapshotState);
      expect(await historyAfter(sql(), before)).toEqual([
        expect.objectContaining({
          profile_id: response.body.id,
          profile_name: 'Phoenix',
          domain: 'profile',
          action: 'restore',
          changes: { name: { old: null, new: 'Phoenix' }, restored_from_entry_id: { old: null, new: deleteEntry.id } },
        }),
      ]);
    });

    it('picks a free name when the old one is taken, or the name given', async () => {
      const names = [];
      for (let i = 0; i < 2; i++) names.push((await api().post(`/api/config/history/entries/${deleteEntry.id}/restore`).expect(201)).body.name);
      expect(names).toEqual(['Phoenix (restored)', 'Phoenix (restored 2)']);
      const named = await api().post(`/api/config/history/entries/${deleteEntry.id}/restore`).send({ name: 'Phoenix Reborn' }).expect(201);
      expect(named.body.name).toBe('Phoenix Reborn');
      expect(await countRows(sql(), `config_profiles WHERE name LIKE 'Phoenix%'`)).toBe(4);

      const before = await lastHistoryId(sql());
      const taken = await api().post(`/api/config/history/entries/${deleteEntry.id}/restore`).send({ name: 'phoenix reborn' }).expect(409);
      expect(taken.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(/already exists/) }]);
      await api().post(`/api/config/history/entries/${deleteEntry.id}/restore`).send({ domain: 'mlflow' }).expect(409);
      expect(await lastHistoryId(sql())).toBe(before);
    });
  });

  describe('refuses, changing nothing', () => {
    async function unchanged(run: () => Promise<Response>, status: number): Promise<Response> {
      const profiles = await countRows(sql(), 'config_profiles');
      const entries = await lastHistoryId(sql());
      const state = await storedDocument(sql(), context.defaultProfileId);
      const response = await run();
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(PROBLEM);
      expect(await countRows(sql(), 'config_profiles')).toBe(profiles);
      expect(await lastHistoryId(sql())).toBe(entries);
      expect(await storedDocument(sql(), context.defaultProfileId)).toEqual(state);
      return response;
    }

    /** A history entry as an older release might have written it: inserted directly (history is append-only, not insert-proof). */
    async function craftedEntry(change: (snapshot: Record<string, any>) => void): Promise<number> {
      const snapshot = (await api().get(`/api/config/profiles/${context.defaultProfileId}`).expect(200)).body;
      change(snapshot);
      const { rows } = await sql().query(
        `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by, changes, snapshot)
         VALUES ($1, 'default', 'profile', 'update', 'legacy', '{}', $2) RETURNING id`,
        [context.defaultProfileId, snapshot],
      );
      return Number(rows[0].id);
    }

    it('a snapshot value that breaks a rule (422, the field under snapshot.)', async () => {
      const id = await craftedEntry((snapshot) => (snapshot.ai_infra.llm_temperature = 5));
      const response = await unchanged(() => api().post(`/api/config/history/entries/${id}/restore`), 422);
      expect(response.body.errors).toEqual([{ field: 'snapshot.ai_infra.llm_temperature', message: 'llm_temperature must be at most 1' }]);
    });

    it('a snapshot whose template fails, after other domains were written: one transaction (422)', async () => {
      const id = await craftedEntry((snapshot) => {
        snapshot.ai_infra.llm_temperature = 0.1;
        snapshot.prompts.user_prompt_template = 'No placeholders at all.';
      });
      const response = await unchanged(() => api().post(`/api/config/history/entries/${id}/restore`), 422);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('snapshot.prompts.user_prompt_template');
    });

    it.each([
      ['an unknown entry (404)', () => api().post('/api/config/history/entries/987654/restore'), 404],
      ['an unknown entry past the integer range: history ids are bigint (404)', () => api().post('/api/config/history/entries/3000000000/restore'), 404],
      ['an entry id that is not a number (400)', () => api().post('/api/config/history/entries/abc/restore'), 400],
      ['an unknown domain (422)', () => api().post('/api/config/history/entries/1/restore').send({ domain: 'weather' }), 422],
      ['an unknown property (400)', () => api().post('/api/config/history/entries/1/restore').send({ force: true }), 400],
      ['a name for a profile that still exists (422)', () => api().post('/api/config/history/entries/1/restore').send({ name: 'Other' }), 422],
    ])('%s', async (_case, run, status) => {
      await unchanged(run, status);
    });
  });
});
