import { countRows, historyAfter, lastHistoryId } from './support/stored-rows.js';
import { TEST_ADMIN_NAME, useAppWithDatabase } from './support/test-app.js';

/**
 * The prompt registry in the history: entries name their prompt (and the history filters by it),
 * each entry restores its prompt as it left it, and a copied profile gets the prompts too.
 */
describe('prompt registry history', () => {
  const ctx = useAppWithDatabase();
  const api = () => ctx.server.api();
  const base = (profileId = ctx.defaultProfileId) => `/api/config/profiles/${profileId}/prompts`;
  const VARIABLES = [{ name: 'line', required: true, sample: 'ERROR disk full' }];
  const create = (name: string, template = 'First {line}') => api().post(base()).send({ name, variables: VARIABLES, template }).expect(201);
  const newVersion = (name: string, template: string) => api().post(`${base()}/${name}/versions`).send({ template }).expect(201);
  const label = (name: string, label: string, version: number) => api().put(`${base()}/${name}/labels/${label}`).send({ version }).expect(200);
  const restore = (entryId: number) => api().post(`/api/config/history/entries/${entryId}/restore`);
  const entryOf = async (write: () => Promise<unknown>) => {
    const before = await lastHistoryId(ctx.db.sql);
    await write();
    const entries = await historyAfter(ctx.db.sql, before);
    expect(entries).toHaveLength(1);
    return entries[0]!;
  };

  it('names the prompt of each entry and filters the history by it, even where names share a prefix', async () => {
    await create('verify');
    await create('verify.answer');
    await newVersion('verify.answer', 'Second {line}');
    await label('verify', 'production', 1);

    const listed = await api().get(`/api/config/history/${ctx.defaultProfileId}?prompt=verify`).expect(200);
    expect(listed.body.map((entry: { item: string; action: string }) => [entry.item, entry.action])).toEqual([
      ['verify', 'update'],
      ['verify', 'create'],
    ]);
    const everywhere = await api().get('/api/config/history?prompt=verify.answer').expect(200);
    expect(everywhere.body).toHaveLength(2);
    expect(everywhere.body.every((entry: { domain: string; item: string }) => entry.domain === 'prompt_registry' && entry.item === 'verify.answer')).toBe(true);
    const { rows } = await ctx.db.sql.query(`SELECT DISTINCT item FROM config_history WHERE domain = 'prompt_registry' ORDER BY item`);
    expect(rows.map((row) => row.item)).toEqual(['verify', 'verify.answer']);
    const ai = await api().get(`/api/config/history/${ctx.defaultProfileId}?domain=ai_infra`).expect(200);
    expect(ai.body.every((entry: { item: string | null }) => entry.item === null)).toBe(true);
  });

  it.each([
    ['a name that cannot be a prompt', '?prompt=Not%20a%20name', 'prompt'],
    ['a prompt with another domain', '?prompt=verify&domain=ai_infra', 'domain'],
  ])('refuses %s with 422', async (_why, query, field) => {
    const response = await api().get(`/api/config/history${query}`).expect(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
  });

  it('restores a label move: the label points back where the entry left it, audited as restore', async () => {
    await create('label.restore');
    await newVersion('label.restore', 'Second {line}');
    const toOne = await entryOf(() => label('label.restore', 'production', 1));
    await label('label.restore', 'production', 2);

    const before = await lastHistoryId(ctx.db.sql);
    await restore(toOne.id).expect(200);
    expect((await api().get(`${base()}/label.restore`).expect(200)).body.labels).toEqual({ production: 1 });
    expect(await historyAfter(ctx.db.sql, before)).toEqual([
      expect.objectContaining({
        domain: 'prompt_registry',
        action: 'restore',
        changed_by: TEST_ADMIN_NAME,
        changes: { 'label.restore.labels.production': { old: 2, new: 1 }, restored_from_entry_id: { old: null, new: toOne.id } },
      }),
    ]);
    // Restoring it again changes nothing and writes nothing.
    await restore(toOne.id).expect(200);
    expect(await lastHistoryId(ctx.db.sql)).toBe(before + 1);
  });

  it('restores a version as a new latest version with its text (versions stay immutable)', async () => {
    const created = await entryOf(() => create('version.restore', 'Original {line}'));
    await newVersion('version.restore', 'Edited {line}');

    await restore(created.id).expect(200);
    const versions = await api().get(`${base()}/version.restore/versions`).expect(200);
    expect(versions.body.map((version: { version: number; template: string }) => [version.version, version.template])).toEqual([
      [3, 'Original {line}'],
      [2, 'Edited {line}'],
      [1, 'Original {line}'],
    ]);
    expect(versions.body[0].message).toBe(`Restored version 1 (history entry ${created.id})`);
    const { rows } = await ctx.db.sql.query(`SELECT action, item, changes FROM config_history ORDER BY id DESC LIMIT 1`);
    expect(rows[0]).toMatchObject({
      action: 'restore',
      item: 'version.restore',
      changes: { 'version.restore.version': { old: 2, new: 3 }, 'version.restore.template': { old: 'Edited {line}', new: 'Original {line}' } },
    });
  });

  it('recreates a deleted prompt from the entry of its deletion, with every version and label', async () => {
    await create('deleted.restore');
    await newVersion('deleted.restore', 'Second {line}');
    await label('deleted.restore', 'production', 1);
    const deleted = await entryOf(() => api().delete(`${base()}/deleted.restore`).expect(204));
    const edited = (await api().get(`/api/config/history/${ctx.defaultProfileId}?prompt=deleted.restore&action=update`).expect(200)).body[0];

    const gone = await restore(edited.id).expect(409);
    expect(gone.body.detail).toContain('was deleted');
    await restore(deleted.id).expect(200);
    const recreated = (await api().get(`${base()}/deleted.restore`).expect(200)).body;
    expect(recreated).toMatchObject({ latest_version: 2, labels: { production: 1 }, variables: [expect.objectContaining({ name: 'line', sample: 'ERROR disk full' })] });
    expect((await api().get(`${base()}/deleted.restore/versions/1`).expect(200)).body.template).toBe('First {line}');

    const again = await restore(deleted.id).expect(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    // It came back with its first creation time: the entries of its life before the deletion still restore.
    const before = await lastHistoryId(ctx.db.sql);
    await restore(edited.id).expect(200);
    expect(await lastHistoryId(ctx.db.sql)).toBe(before); // version 2 is already the newest: nothing to write
  });

  it('undoes only the last deletion of a name that lived twice, and refuses the entries of its other life', async () => {
    await create('twice', 'First life {line}');
    const first = await entryOf(() => api().delete(`${base()}/twice`).expect(204));
    const reborn = await entryOf(() => create('twice', 'Second life {line}'));
    const second = await entryOf(() => api().delete(`${base()}/twice`).expect(204));

    const refused = await restore(first.id).expect(409);
    expect(refused.body.detail).toContain(`entry ${second.id} or earlier`);
    expect(await countRows(ctx.db.sql, `config_registry_prompts WHERE name = 'twice'`)).toBe(0);
    await restore(second.id).expect(200);
    expect((await api().get(`${base()}/twice/versions/1`).expect(200)).body.template).toBe('Second life {line}');
    expect((await restore(reborn.id).expect(200)).status).toBe(200);
  });

  it('refuses to restore a version whose placeholders the current variables no longer declare, and writes nothing', async () => {
    const created = await entryOf(() => create('narrowed', 'Uses {line}'));
    await api().post(`${base()}/narrowed/versions`).send({ template: 'Uses {other}', variables: [{ name: 'other' }] }).expect(201);
    const before = await lastHistoryId(ctx.db.sql);
    // The create entry declared `line`: restoring it brings that declaration back with the text.
    await restore(created.id).expect(200);
    expect((await api().get(`${base()}/narrowed`).expect(200)).body.variables.map((variable: { name: string }) => variable.name)).toEqual(['line']);
    const [entry] = await historyAfter(ctx.db.sql, before);
    expect(Object.keys(entry!.changes).sort()).toEqual(['narrowed.template', 'narrowed.variables', 'narrowed.version', 'restored_from_entry_id']);

    await api().post(`${base()}/narrowed/versions`).send({ template: 'Now {other}', variables: [{ name: 'other' }] }).expect(201);
    const textOnly = await entryOf(() => newVersion('narrowed', 'Again {other}'));
    await api().post(`${base()}/narrowed/versions`).send({ template: 'Then {line}', variables: [{ name: 'line' }] }).expect(201);
    const versions = await countRows(ctx.db.sql, 'config_registry_prompt_versions');
    // That entry set only the text `Again {other}`, not the variables: today's `line` does not declare it.
    const refused = await restore(textOnly.id).expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'template', code: 'unknown_placeholder' });
    expect(await countRows(ctx.db.sql, 'config_registry_prompt_versions')).toBe(versions);
  });

  it('copies every prompt with its versions and labels when a profile is duplicated, audited as duplicate', async () => {
    const source = (await api().post('/api/config/profiles').send({ name: 'With prompts' }).expect(201)).body.id as number;
    await api().post(base(source)).send({ name: 'copied', variables: VARIABLES, template: 'One {line}' }).expect(201);
    await api().post(`${base(source)}/copied/versions`).send({ template: 'Two {line}' }).expect(201);
    await api().put(`${base(source)}/copied/labels/production`).send({ version: 1 }).expect(200);

    const before = await lastHistoryId(ctx.db.sql);
    const copy = (await api().post(`/api/config/profiles/${source}/duplicate`).send({ name: 'With prompts copy' }).expect(201)).body.id as number;
    const prompt = (await api().get(`${base(copy)}/copied`).expect(200)).body;
    expect(prompt).toMatchObject({ latest_version: 2, labels: { production: 1 }, latest: { template: 'Two {line}' } });
    const entries = await historyAfter(ctx.db.sql, before);
    expect(entries.map((entry) => [entry.domain, entry.action, entry.profile_id])).toEqual([
      ['profile', 'duplicate', copy],
      ['prompt_registry', 'duplicate', copy],
    ]);
    const viaCopyFrom = (await api().post('/api/config/profiles').send({ name: 'Copied from', copy_from_profile_id: source }).expect(201)).body.id;
    expect((await api().get(`${base(viaCopyFrom)}`).expect(200)).body.map((item: { name: string }) => item.name)).toEqual(['copied']);
  });
});
