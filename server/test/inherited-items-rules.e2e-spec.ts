import pg from 'pg';
import { useAppWithDatabase } from './support/test-app.js';

/**
 * Profile inheritance, the items (issue 19): Genie spaces by space_id and registry prompts by
 * name, as the database keeps them whoever writes. Every statement here is hand-written SQL on
 * profiles the API created (each starts with the built-in default Genie space).
 */
describe('inherited items (database rules)', () => {
  const context = useAppWithDatabase();
  const sql = (text: string, values: unknown[] = []) => context.db.sql.query(text, values);
  const create = async (name: string): Promise<number> => (await context.server.api().post('/api/config/profiles').send({ name }).expect(201)).body.id;
  const setParent = (id: number, parent: number | null) => sql('UPDATE config_profiles SET parent_profile_id = $2 WHERE id = $1', [id, parent]);
  /** Two connections of their own, each in a transaction, for writes that overlap; rolled back and closed after `run`. */
  const overlapping = async (run: (first: pg.Client, second: pg.Client) => Promise<void>) => {
    const clients = [new pg.Client({ connectionString: context.db.url }), new pg.Client({ connectionString: context.db.url })] as const;
    await Promise.all(clients.map((client) => client.connect()));
    try {
      await Promise.all(clients.map((client) => client.query('BEGIN')));
      await run(...clients);
    } finally {
      await Promise.all(clients.map((client) => client.query('ROLLBACK').finally(() => client.end())));
    }
  };
  const waitsThen = async <T>(pending: Promise<T>, release: () => Promise<unknown>): Promise<T> => {
    await new Promise((resolve) => setTimeout(resolve, 200)); // the pending statement waits on the other's lock
    await release();
    return pending;
  };
  /** A chain of profiles, each the child of the one before. */
  const chain = async (...names: string[]): Promise<number[]> => {
    const ids: number[] = [];
    for (const name of names) {
      ids.push(await create(name));
      if (ids.length > 1) await setParent(ids.at(-1)!, ids.at(-2)!);
    }
    return ids;
  };

  describe('Genie spaces', () => {
    const X = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const Y = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    const spaces = async (id: number) =>
      (await sql('SELECT space_id, space_name, inherited, is_default, default_inherited FROM config_genie_spaces WHERE profile_id = $1 ORDER BY space_id', [id])).rows;
    const space = async (id: number, spaceId: string) => (await spaces(id)).find((row) => row.space_id === spaceId);
    const defaultOf = async (id: number) => (await spaces(id)).find((row) => row.is_default)?.space_id;
    const add = (id: number, spaceId: string, name: string) =>
      sql('INSERT INTO config_genie_spaces (profile_id, space_id, space_name) VALUES ($1, $2, $3)', [id, spaceId, name]);
    const rename = (id: number, spaceId: string, name: string) => sql('UPDATE config_genie_spaces SET space_name = $3 WHERE profile_id = $1 AND space_id = $2', [id, spaceId, name]);

    it('gives children and grandchildren the parent’s spaces, keeps them equal, and lets a child override and reset one', async () => {
      const [top, middle, bottom] = await chain('genie top', 'genie middle', 'genie bottom');
      const builtIn = await defaultOf(top);
      expect(await space(bottom, builtIn)).toMatchObject({ inherited: true, is_default: true, default_inherited: true });

      await add(top, X, 'Sales');
      expect(await space(bottom, X)).toMatchObject({ space_name: 'Sales', inherited: true, is_default: false });
      await rename(top, X, 'Sales EMEA');
      expect(await space(bottom, X)).toMatchObject({ space_name: 'Sales EMEA', inherited: true });

      // The middle overrides X: its own value reaches the bottom; the top's next one reaches neither.
      await rename(middle, X, 'Sales (middle)');
      expect(await space(middle, X)).toMatchObject({ space_name: 'Sales (middle)', inherited: false });
      await rename(top, X, 'Sales World');
      expect(await space(middle, X)).toMatchObject({ space_name: 'Sales (middle)', inherited: false });
      expect(await space(bottom, X)).toMatchObject({ space_name: 'Sales (middle)', inherited: true });

      // Deleting the override is the reset: the top's space is back, down to the bottom.
      await sql('DELETE FROM config_genie_spaces WHERE profile_id = $1 AND space_id = $2', [middle, X]);
      expect(await space(middle, X)).toMatchObject({ space_name: 'Sales World', inherited: true });
      expect(await space(bottom, X)).toMatchObject({ space_name: 'Sales World', inherited: true });
      // So does setting `inherited`, and an inherited copy deleted by hand comes back.
      await rename(bottom, X, 'mine');
      await sql('UPDATE config_genie_spaces SET inherited = true WHERE profile_id = $1 AND space_id = $2', [bottom, X]);
      expect(await space(bottom, X)).toMatchObject({ space_name: 'Sales World', inherited: true });
      await sql('DELETE FROM config_genie_spaces WHERE profile_id = $1 AND space_id = $2', [bottom, X]);
      expect(await space(bottom, X)).toMatchObject({ space_name: 'Sales World', inherited: true });

      // The top deletes X: the copies go, a child's own space of that id stays.
      await rename(bottom, X, 'bottom keeps it');
      await sql('DELETE FROM config_genie_spaces WHERE profile_id = $1 AND space_id = $2', [top, X]);
      expect(await space(middle, X)).toBeUndefined();
      expect(await space(bottom, X)).toMatchObject({ space_name: 'bottom keeps it', inherited: false });
    });

    it('moves a child’s default with its parent’s unless the child picked its own', async () => {
      const [parent, follower, chooser] = await chain('default parent', 'default follower', 'default chooser');
      await setParent(chooser, parent);
      await add(parent, X, 'X');
      await add(parent, Y, 'Y');
      await sql('UPDATE config_genie_spaces SET is_default = true WHERE profile_id = $1 AND space_id = $2', [chooser, Y]);
      expect(await space(chooser, Y)).toMatchObject({ is_default: true, default_inherited: false });

      await sql('UPDATE config_genie_spaces SET is_default = true WHERE profile_id = $1 AND space_id = $2', [parent, X]);
      expect(await space(follower, X)).toMatchObject({ is_default: true, default_inherited: true });
      expect(await defaultOf(chooser)).toBe(Y);

      // The chooser's default goes with the parent's space: it gets the parent's default instead.
      await sql('DELETE FROM config_genie_spaces WHERE profile_id = $1 AND space_id = $2', [parent, Y]);
      expect(await space(chooser, X)).toMatchObject({ is_default: true, default_inherited: true });
      expect(await space(chooser, Y)).toBeUndefined();
    });

    it('lets a parent rename a space while a child sets its copy as default: no deadlock, the copy renamed', async () => {
      const [parent, child] = await chain('overlap parent', 'overlap child');
      await add(parent, X, 'Before');
      await overlapping(async (childTx, parentTx) => {
        // As the API does: the child's space locked first, then its default moved (which takes the default lock).
        await childTx.query('SELECT id FROM config_genie_spaces WHERE profile_id = $1 AND space_id = $2 FOR UPDATE', [child, X]);
        const rename = parentTx.query('UPDATE config_genie_spaces SET space_name = $3 WHERE profile_id = $1 AND space_id = $2', [parent, X, 'After']);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await childTx.query('UPDATE config_genie_spaces SET is_default = true WHERE profile_id = $1 AND space_id = $2', [child, X]);
        await childTx.query('COMMIT');
        await rename;
        await parentTx.query('COMMIT');
      });
      expect(await space(child, X)).toMatchObject({ space_name: 'After', inherited: true, is_default: true, default_inherited: false });
    });

    it('resets a child’s own default space to its parent’s, which stays the default', async () => {
      const [parent, child] = await chain('reset default parent', 'reset default child');
      await add(parent, X, 'Parent X');
      await rename(child, X, 'Child X');
      await sql('UPDATE config_genie_spaces SET is_default = true WHERE profile_id = $1 AND space_id = $2', [child, X]);
      await sql('DELETE FROM config_genie_spaces WHERE profile_id = $1 AND space_id = $2', [child, X]);
      expect(await space(child, X)).toMatchObject({ space_name: 'Parent X', inherited: true, is_default: true });
      expect((await spaces(child)).filter((row) => row.is_default)).toHaveLength(1);
    });

    it('moves a child to a parent without spaces, keeping one of its own as default', async () => {
      const first = await create('spaced parent');
      const empty = await create('spaceless parent');
      await sql('DELETE FROM config_genie_spaces WHERE profile_id = $1', [empty]);
      const child = await create('moving to spaceless');
      await add(child, Y, 'own');
      await setParent(child, first);
      await setParent(child, empty);
      expect(await spaces(child)).toEqual([expect.objectContaining({ space_id: Y, inherited: false, is_default: true })]);
    });

    it('gives a re-parented profile the new parent’s spaces, and a detached one every space as its own', async () => {
      const first = await create('genie first');
      const second = await create('genie second');
      const child = await create('genie re-parented');
      await add(first, X, 'only in first');
      await add(second, Y, 'only in second');
      await setParent(child, first);
      expect((await spaces(child)).map((row) => [row.space_id, row.inherited])).toEqual(expect.arrayContaining([[X, true]]));
      await sql('UPDATE config_genie_spaces SET is_default = true WHERE profile_id = $1 AND space_id = $2', [child, X]);

      await setParent(child, second);
      expect(await space(child, X)).toBeUndefined();
      expect(await space(child, Y)).toMatchObject({ inherited: true });
      expect(await defaultOf(child)).toBe(await defaultOf(second));

      await setParent(child, null);
      expect((await spaces(child)).every((row) => !row.inherited && !row.default_inherited)).toBe(true);
      await rename(second, Y, 'moved on');
      expect(await space(child, Y)).toMatchObject({ space_name: 'only in second' });
    });
  });

  describe('registry prompts', () => {
    const prompt = async (id: number, name: string) =>
      (
        await sql(
          `SELECT r.id, r.description, r.inherited, r.latest_version,
                  (SELECT array_agg(v.template ORDER BY v.version) FROM config_registry_prompt_versions v WHERE v.prompt_id = r.id) AS templates,
                  (SELECT jsonb_object_agg(l.label, l.version) FROM config_registry_prompt_labels l WHERE l.prompt_id = r.id) AS labels
             FROM config_registry_prompts r WHERE r.profile_id = $1 AND r.name = $2`,
          [id, name],
        )
      ).rows[0];
    const addPrompt = async (id: number, name: string, template: string): Promise<number> => {
      const { rows } = await sql(`INSERT INTO config_registry_prompts (profile_id, name, created_by) VALUES ($1, $2, 'psql') RETURNING id`, [id, name]);
      await addVersion(rows[0].id, template);
      return rows[0].id;
    };
    const addVersion = (promptId: number, template: string) =>
      sql(`INSERT INTO config_registry_prompt_versions (prompt_id, version, template, created_by) VALUES ($1, 0, $2, 'psql')`, [promptId, template]);
    const label = (promptId: number, name: string, version: number) =>
      sql(
        `INSERT INTO config_registry_prompt_labels (prompt_id, label, version, updated_by) VALUES ($1, $2, $3, 'psql')
         ON CONFLICT (prompt_id, label) DO UPDATE SET version = EXCLUDED.version`,
        [promptId, name, version],
      );

    it('copies a prompt with its versions and labels down two levels, and keeps the copies equal', async () => {
      const [top, middle, bottom] = await chain('registry top', 'registry middle', 'registry bottom');
      const id = await addPrompt(top, 'triage', 'v1');
      await addVersion(id, 'v2');
      await label(id, 'production', 1);
      expect(await prompt(bottom, 'triage')).toMatchObject({ inherited: true, latest_version: 2, templates: ['v1', 'v2'], labels: { production: 1 } });

      await label(id, 'production', 2);
      await sql(`UPDATE config_registry_prompts SET description = 'triage of log lines' WHERE id = $1`, [id]);
      await sql(`DELETE FROM config_registry_prompt_labels WHERE prompt_id = $1`, [id]);
      expect(await prompt(middle, 'triage')).toMatchObject({ inherited: true, description: 'triage of log lines', labels: null });

      // The middle adds a version: the prompt is its own from then on, and its children follow it.
      await addVersion((await prompt(middle, 'triage')).id, 'middle v3');
      await addVersion(id, 'top v3');
      expect(await prompt(middle, 'triage')).toMatchObject({ inherited: false, templates: ['v1', 'v2', 'middle v3'] });
      expect(await prompt(bottom, 'triage')).toMatchObject({ inherited: true, templates: ['v1', 'v2', 'middle v3'] });

      // Deleting it is the reset: the top's prompt is back, with its history, down to the bottom.
      await sql(`DELETE FROM config_registry_prompts WHERE id = $1`, [(await prompt(middle, 'triage')).id]);
      expect(await prompt(middle, 'triage')).toMatchObject({ inherited: true, templates: ['v1', 'v2', 'top v3'] });
      expect(await prompt(bottom, 'triage')).toMatchObject({ inherited: true, templates: ['v1', 'v2', 'top v3'] });

      // The top deletes it: the copies go.
      await sql(`DELETE FROM config_registry_prompts WHERE id = $1`, [id]);
      expect(await prompt(middle, 'triage')).toBeUndefined();
      expect(await prompt(bottom, 'triage')).toBeUndefined();
    });

    it('holds every hand-written statement to the rules: a prompt and its version in one statement, a prompt inserted as inherited', async () => {
      const [parent, child] = await chain('one statement parent', 'one statement child');
      await sql(
        `WITH made AS (INSERT INTO config_registry_prompts (profile_id, name, created_by) VALUES ($1, 'cte', 'psql') RETURNING id)
         INSERT INTO config_registry_prompt_versions (prompt_id, version, template, created_by) SELECT id, 0, 'only v1', 'psql' FROM made`,
        [parent],
      );
      expect(await prompt(child, 'cte')).toMatchObject({ inherited: true, latest_version: 1, templates: ['only v1'] });
      await sql(`INSERT INTO config_registry_prompts (profile_id, name, created_by, inherited) VALUES ($1, 'claimed', 'psql', true)`, [child]);
      expect(await prompt(child, 'claimed')).toMatchObject({ inherited: false });
    });

    it('leaves out a copy the child makes its own while the parent adds a version', async () => {
      const [parent, child] = await chain('version race parent', 'version race child');
      const id = await addPrompt(parent, 'triage', 'p v1');
      const copy = (await prompt(child, 'triage')).id;
      await overlapping(async (childTx, parentTx) => {
        await childTx.query(`INSERT INTO config_registry_prompt_versions (prompt_id, version, template, created_by) VALUES ($1, 0, 'child v2', 'psql')`, [copy]);
        const parentVersion = parentTx.query(`INSERT INTO config_registry_prompt_versions (prompt_id, version, template, created_by) VALUES ($1, 0, 'parent v2', 'psql')`, [id]);
        await waitsThen(parentVersion, () => childTx.query('COMMIT'));
        await parentTx.query('COMMIT');
      });
      expect(await prompt(child, 'triage')).toMatchObject({ inherited: false, templates: ['p v1', 'child v2'] });
      expect(await prompt(parent, 'triage')).toMatchObject({ templates: ['p v1', 'parent v2'] });
    });

    it('keeps a child’s own prompt of the same name, and gives a re-parented or detached profile the right ones', async () => {
      const first = await create('registry first');
      const second = await create('registry second');
      const child = await create('registry child');
      await addPrompt(child, 'summary', 'child’s own');
      await addPrompt(first, 'summary', 'first’s');
      await addPrompt(first, 'triage', 'first triage');
      await addPrompt(second, 'root-cause', 'second’s');
      await setParent(child, first);
      expect(await prompt(child, 'summary')).toMatchObject({ inherited: false, templates: ['child’s own'] });
      expect(await prompt(child, 'triage')).toMatchObject({ inherited: true, templates: ['first triage'] });

      await setParent(child, second);
      expect(await prompt(child, 'triage')).toBeUndefined();
      expect(await prompt(child, 'root-cause')).toMatchObject({ inherited: true });
      expect(await prompt(child, 'summary')).toMatchObject({ inherited: false });

      await setParent(child, null);
      expect(await prompt(child, 'root-cause')).toMatchObject({ inherited: false, templates: ['second’s'] });
    });
  });
});
