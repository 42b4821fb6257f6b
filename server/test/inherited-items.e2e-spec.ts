import pg from 'pg';
import { openStream, type SseStream } from './support/sse-client.js';
import { startTestApp, TEST_ADMIN_NAME, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Profile inheritance of items through the API (issue 19): a child has its parent's Genie spaces
 * and registry prompts, follows their changes (on another instance too), overrides one by writing
 * it, gets the parent's back by deleting its own, and exports only its own.
 */
describe('inherited Genie spaces and registry prompts (API)', () => {
  let db: TestDatabase;
  let writer: TestApp;
  let reader: TestApp;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = await startTestApp(db.url);
    reader = await startTestApp(db.url);
  });
  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await writer.close();
    await reader.close();
    await db.drop();
  });

  const X = '0123456789abcdef0123456789abcdef';
  const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await db.sql.query(text, values)).rows as T[];
  const create = async (name: string, parent?: number): Promise<number> =>
    (await writer.api().post('/api/config/profiles').send({ name, ...(parent !== undefined && { parent_profile_id: parent }) }).expect(201)).body.id;
  const detail = async (id: number) => (await writer.api().get(`/api/config/profiles/${id}`).expect(200)).body;
  const spaces = async (id: number) => (await writer.api().get(`/api/config/genie/${id}`).expect(200)).body as Record<string, unknown>[];
  const spaceOf = async (id: number, spaceId = X) => (await spaces(id)).find((space) => space.space_id === spaceId) as Record<string, unknown> & { id: number };
  const lastEntry = async (id: number) =>
    (await query('SELECT domain, action, item, changes, changed_by FROM config_history WHERE profile_id = $1 ORDER BY id DESC LIMIT 1', [id]))[0];
  const prompt = (id: number, name: string) => writer.api().get(`/api/config/profiles/${id}/prompts/${name}`);

  describe('Genie spaces', () => {
    it("passes a parent's new space to its children (another instance's stream too), each audited, and says where it comes from", async () => {
      const parent = await create('genie api parent');
      const child = await create('genie api child', parent);
      const stream = await openStream(`${reader.baseUrl}/api/config/stream?profile_id=${child}`);
      streams.push(stream);

      await writer.api().post(`/api/config/genie/${parent}`).send({ space_id: X, space_name: 'Sales' }).expect(201);
      const [event] = await stream.waitFor(1);
      expect(event.data).toMatchObject({ profile_id: child, domain: 'genie', action: 'inherit', changed_by: TEST_ADMIN_NAME });
      expect(await spaceOf(child)).toMatchObject({ space_name: 'Sales', inherited: true, is_default: false });
      expect(await lastEntry(child)).toMatchObject({ domain: 'genie', action: 'inherit', changes: { [X]: { old: null, new: { space_name: 'Sales' } } } });
      expect((await detail(child)).inherited_from.genie).toMatchObject({ [X]: 'genie api parent' });

      // The parent's default moves: the child's, which followed it, moves too; resolved says whose it is.
      await writer.api().post(`/api/config/genie/${(await spaceOf(parent)).id}/set-default`).expect(200);
      expect(await spaceOf(child)).toMatchObject({ is_default: true, default_inherited: true });
      const resolved = (await reader.api().get(`/api/config/resolved?profile_id=${child}`).expect(200)).body;
      expect(resolved.genie_space).toMatchObject({ space_id: X, space_name: 'Sales' });
      expect(resolved.sources.genie_space).toEqual({ space_id: 'profile:genie api parent', space_name: 'profile:genie api parent', description: 'profile:genie api parent' });
    });

    it('makes an edited space the child’s own, refuses to delete an inherited one, and brings the parent’s back when the override goes', async () => {
      const parent = await create('override parent');
      const child = await create('override child', parent);
      await writer.api().post(`/api/config/genie/${parent}`).send({ space_id: X, space_name: 'Sales' }).expect(201);

      const refused = await writer.api().delete(`/api/config/genie/${(await spaceOf(child)).id}`).expect(409);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body.detail).toContain('inherited from the parent profile');
      expect(await spaceOf(child)).toMatchObject({ inherited: true });

      const edited = await writer.api().put(`/api/config/genie/${(await spaceOf(child)).id}`).send({ space_name: 'Sales (child)' }).expect(200);
      expect(edited.body).toMatchObject({ space_name: 'Sales (child)', inherited: false });
      expect(await lastEntry(child)).toMatchObject({ domain: 'genie', action: 'update', changes: { space_name: { new: 'Sales (child)' }, inherited: { old: true, new: false } } });
      await writer.api().put(`/api/config/genie/${(await spaceOf(parent)).id}`).send({ space_name: 'Sales EMEA' }).expect(200);
      expect(await spaceOf(child)).toMatchObject({ space_name: 'Sales (child)', inherited: false });

      await writer.api().delete(`/api/config/genie/${(await spaceOf(child)).id}`).expect(204);
      expect(await spaceOf(child)).toMatchObject({ space_name: 'Sales EMEA', inherited: true });
      // Adding a space the child inherits overrides it.
      const added = await writer.api().post(`/api/config/genie/${child}`).send({ space_id: X, space_name: 'Mine now' }).expect(201);
      expect(added.body).toMatchObject({ space_name: 'Mine now', inherited: false });
      expect((await spaces(child)).filter((space) => space.space_id === X)).toHaveLength(1);
      // Its own default too: the parent's space takes its place as the default.
      await writer.api().post(`/api/config/genie/${added.body.id}/set-default`).expect(200);
      await writer.api().delete(`/api/config/genie/${added.body.id}`).expect(204);
      expect(await spaceOf(child)).toMatchObject({ space_name: 'Sales EMEA', inherited: true, is_default: true });
    });
  });

  describe('registry prompts', () => {
    const template = (text: string) => ({ template: text });

    it("gives children the parent's prompts with their versions, follows them, and lets a child make one its own", async () => {
      const parent = await create('registry api parent');
      const child = await create('registry api child', parent);
      const stream = await openStream(`${reader.baseUrl}/api/config/stream?profile_id=${child}`);
      streams.push(stream);

      await writer.api().post(`/api/config/profiles/${parent}/prompts`).send({ name: 'triage', template: 'v1' }).expect(201);
      const [event] = await stream.waitFor(1);
      expect(event.data).toMatchObject({ profile_id: child, domain: 'prompt_registry', action: 'inherit' });
      await writer.api().post(`/api/config/profiles/${parent}/prompts/triage/versions`).send(template('v2')).expect(201);
      await writer.api().put(`/api/config/profiles/${parent}/prompts/triage/labels/production`).send({ version: 1 }).expect(200);
      expect((await prompt(child, 'triage').expect(200)).body).toMatchObject({ inherited: true, latest_version: 2, labels: { production: 1 }, latest: { template: 'v2' } });
      expect(await lastEntry(child)).toMatchObject({ domain: 'prompt_registry', action: 'inherit', item: 'triage', changes: { 'triage.labels.production': { old: null, new: 1 } } });
      expect((await detail(child)).inherited_from.prompt_registry).toEqual({ triage: 'registry api parent' });
      const resolved = (await reader.api().get(`/api/config/resolved?profile_id=${child}`).expect(200)).body;
      expect(resolved.prompt_registry.triage).toMatchObject({ version: 1, label: 'production', template: 'v1' });

      // Not deleted nor created again in the child: it is the parent's.
      expect((await writer.api().delete(`/api/config/profiles/${child}/prompts/triage`).expect(409)).body.detail).toContain('inherited from the parent profile');
      expect((await writer.api().post(`/api/config/profiles/${child}/prompts`).send({ name: 'triage', template: 'x' }).expect(409)).body.detail).toContain('add a version');

      // A version added in the child makes the prompt its own: the parent's next one does not reach it.
      await writer.api().post(`/api/config/profiles/${child}/prompts/triage/versions`).send(template('child v3')).expect(201);
      await writer.api().post(`/api/config/profiles/${parent}/prompts/triage/versions`).send(template('parent v2.1')).expect(201);
      expect((await prompt(child, 'triage').expect(200)).body).toMatchObject({ inherited: false, latest_version: 3, latest: { template: 'child v3' } });
      expect(await lastEntry(child)).toMatchObject({ action: 'update', changes: { 'triage.inherited': { old: true, new: false } } });

      // Deleting its own prompt brings the parent's back, audited on the child. A parent's change
      // being written meanwhile is waited for: the copy has it.
      const parentTx = new pg.Client({ connectionString: db.url });
      await parentTx.connect();
      try {
        await parentTx.query('BEGIN');
        await parentTx.query('SELECT id FROM config_profiles WHERE id = $1 FOR NO KEY UPDATE', [parent]); // as the API's writers do
        await parentTx.query(
          `INSERT INTO config_registry_prompt_versions (prompt_id, version, template, created_by)
           SELECT id, 0, 'parent v3', 'psql' FROM config_registry_prompts WHERE profile_id = $1 AND name = 'triage'`,
          [parent],
        );
        const reset = writer.api().delete(`/api/config/profiles/${child}/prompts/triage`).then((response) => response.status);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await parentTx.query('COMMIT');
        expect(await reset).toBe(204);
      } finally {
        await parentTx.end();
      }
      expect((await prompt(child, 'triage').expect(200)).body).toMatchObject({ inherited: true, latest_version: 4, latest: { template: 'parent v3' } });
      expect(await lastEntry(child)).toMatchObject({ action: 'inherit', item: 'triage', changes: { 'triage.template': { old: 'child v3', new: 'parent v3' } } });
    });
  });

  it('exports a child with its own spaces and prompts only, and imports it back under its parent', async () => {
    const parent = await create('export items parent');
    const child = await create('export items child', parent);
    await writer.api().post(`/api/config/genie/${parent}`).send({ space_id: X, space_name: 'Parent space' }).expect(201);
    await writer.api().post(`/api/config/profiles/${parent}/prompts`).send({ name: 'shared', template: 'parent' }).expect(201);
    await writer.api().post(`/api/config/profiles/${child}/prompts`).send({ name: 'own', template: 'child' }).expect(201);
    const Y = 'fedcba9876543210fedcba9876543210';
    await writer.api().post(`/api/config/genie/${child}`).send({ space_id: Y, space_name: 'Child space' }).expect(201);

    const exported = (await writer.api().get(`/api/config/profiles/${child}/export`).expect(200)).body;
    expect(exported.profile.genie_spaces).toEqual([{ space_id: Y, space_name: 'Child space', description: null, is_default: false }]);
    expect(exported.profile.prompt_registry.map((entry: { name: string }) => entry.name)).toEqual(['own']);

    const imported = (await writer.api().post('/api/config/profiles/import?name=export%20items%20copy').send(exported).expect(201)).body;
    const copy = await spaces(imported.id);
    expect(copy.map((space) => [space.space_id, space.inherited]).sort()).toEqual(
      (await spaces(child)).map((space) => [space.space_id, space.inherited]).sort(),
    );
    expect(copy.find((space) => space.is_default)?.space_id).toBe((await spaces(parent)).find((space) => space.is_default)?.space_id);
    const prompts = (await writer.api().get(`/api/config/profiles/${imported.id}/prompts`).expect(200)).body;
    expect(prompts.map((entry: { name: string; inherited: boolean }) => [entry.name, entry.inherited])).toEqual([
      ['own', false],
      ['shared', true],
    ]);
  });
});
