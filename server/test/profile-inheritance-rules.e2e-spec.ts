import { useAppWithDatabase } from './support/test-app.js';
import { expectPgError } from './support/test-database.js';

/**
 * Profile inheritance, the values, as the database keeps them whoever writes (issue 19): every
 * statement here is hand-written SQL on profiles the API created (so each has its domain rows).
 */
describe('profile inheritance (database rules)', () => {
  const context = useAppWithDatabase();
  const sql = (text: string, values: unknown[] = []) => context.db.sql.query(text, values);

  const create = async (name: string): Promise<number> => (await context.server.api().post('/api/config/profiles').send({ name }).expect(201)).body.id;
  const ai = async (id: number) =>
    (await sql('SELECT llm_endpoint, llm_temperature::float AS llm_temperature, llm_max_tokens, inherited, version FROM config_ai_infra WHERE profile_id = $1', [id])).rows[0];
  const setParent = (id: number, parent: number | null) => sql('UPDATE config_profiles SET parent_profile_id = $2 WHERE id = $1', [id, parent]);

  it('makes a new child inherit what equals its parent, and moves none of its values', async () => {
    const parent = await create('rules parent');
    const child = await create('rules child');
    await sql('UPDATE config_ai_infra SET llm_temperature = 0.2 WHERE profile_id = $1', [child]);
    await setParent(child, parent);
    const row = await ai(child);
    expect(row.llm_temperature).toBe(0.2);
    expect(row.inherited).toEqual(['llm_endpoint', 'llm_max_tokens', 'llm_top_p', 'llm_timeout_seconds', 'require_probe']);
    expect((await sql('SELECT inherited FROM config_mlflow WHERE profile_id = $1', [child])).rows[0].inherited).toEqual(['experiment_name']);
  });

  it('passes a change down three levels, to the fields each level inherits, and keeps overrides', async () => {
    const top = await create('three top');
    const middle = await create('three middle');
    const bottom = await create('three bottom');
    await setParent(middle, top);
    await setParent(bottom, middle);
    await sql('UPDATE config_ai_infra SET llm_max_tokens = 777 WHERE profile_id = $1', [middle]); // an override in the middle
    const before = await ai(bottom);

    await sql('UPDATE config_ai_infra SET llm_temperature = 0.9, llm_max_tokens = 4321, llm_endpoint = $2 WHERE profile_id = $1', [top, 'top-endpoint']);
    expect(await ai(middle)).toMatchObject({ llm_temperature: 0.9, llm_max_tokens: 777, llm_endpoint: 'top-endpoint' });
    const after = await ai(bottom);
    expect(after).toMatchObject({ llm_temperature: 0.9, llm_max_tokens: 777, llm_endpoint: 'top-endpoint' });
    expect(after.version).toBe(before.version + 1);
    expect(after.inherited).toContain('llm_max_tokens'); // from the middle, which overrides it
  });

  it('turns a written field into an override, a value equal to the parent into an inherited one, and resets when asked', async () => {
    const parent = await create('write parent');
    const child = await create('write child');
    await setParent(child, parent);
    await sql('UPDATE config_ai_infra SET llm_temperature = 0.11 WHERE profile_id = $1', [child]);
    expect((await ai(child)).inherited).not.toContain('llm_temperature');
    await sql('UPDATE config_ai_infra SET llm_temperature = 0.55 WHERE profile_id = $1', [parent]);
    expect((await ai(child)).llm_temperature).toBe(0.11);

    // Written back to the parent's value: inherited again, and follows the parent from then on.
    await sql('UPDATE config_ai_infra SET llm_temperature = 0.55 WHERE profile_id = $1', [child]);
    expect((await ai(child)).inherited).toContain('llm_temperature');
    await sql('UPDATE config_ai_infra SET llm_temperature = 0.66 WHERE profile_id = $1', [parent]);
    expect((await ai(child)).llm_temperature).toBe(0.66);

    // Reset: adding the field to `inherited` takes the parent's value.
    await sql('UPDATE config_ai_infra SET llm_max_tokens = 99 WHERE profile_id = $1', [child]);
    await sql(`UPDATE config_ai_infra SET inherited = array_append(inherited, 'llm_max_tokens') WHERE profile_id = $1`, [child]);
    expect((await ai(child)).llm_max_tokens).toBe((await ai(parent)).llm_max_tokens);
  });

  it('gives a re-parented child the new parent’s values, and a detached one all its values as its own', async () => {
    const first = await create('reparent first');
    const second = await create('reparent second');
    const child = await create('reparent child');
    await sql('UPDATE config_ai_infra SET llm_endpoint = $2 WHERE profile_id = $1', [second, 'second-endpoint']);
    await setParent(child, first);
    await setParent(child, second);
    expect(await ai(child)).toMatchObject({ llm_endpoint: 'second-endpoint' });
    await setParent(child, null);
    expect(await ai(child)).toMatchObject({ llm_endpoint: 'second-endpoint', inherited: [] });
    await sql('UPDATE config_ai_infra SET llm_endpoint = $2 WHERE profile_id = $1', [second, 'moved-on']);
    expect((await ai(child)).llm_endpoint).toBe('second-endpoint');
  });

  it('keeps `inherited` to fields of the domain, and empty on a profile without a parent', async () => {
    const id = await create('bad inherited');
    await sql(`UPDATE config_ai_infra SET inherited = '{llm_endpoint}' WHERE profile_id = $1`, [id]);
    expect((await ai(id)).inherited).toEqual([]);
    // Where the triggers are off (a restore turns them off), the check still names the domain's fields.
    await sql('ALTER TABLE config_ai_infra DISABLE TRIGGER trg_config_ai_infra_inherit');
    try {
      const error = await expectPgError(context.db.sql, `UPDATE config_ai_infra SET inherited = '{nonsense}' WHERE profile_id = $1`, [id]);
      expect(error).toMatchObject({ code: '23514', constraint: 'chk_config_ai_infra_inherited_fields' });
    } finally {
      await sql('ALTER TABLE config_ai_infra ENABLE TRIGGER trg_config_ai_infra_inherit');
    }
  });

  it('records inherit as an action the history accepts', async () => {
    const { rows } = await sql(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'chk_config_history_action'`);
    expect(rows[0].def).toContain(`'inherit'`);
  });

  describe('registered domains', () => {
    const values = async (id: number) => (await sql(`SELECT "values", inherited FROM config_domain_values WHERE profile_id = $1 AND domain = 'rules_triage'`, [id])).rows[0];
    beforeAll(async () => {
      const schema = { type: 'object', properties: { model: { type: 'string' }, max_lines: { type: 'integer' } } };
      await context.server.api().post('/api/config/domains').send({ name: 'rules_triage', title: 'Triage', schema }).expect(201);
    });

    it('gives children rows when the parent gets values, passes changes down, and keeps the keys a child sets', async () => {
      const parent = await create('jsonb parent');
      const child = await create('jsonb child');
      const grandchild = await create('jsonb grandchild');
      await setParent(child, parent);
      await setParent(grandchild, child);
      await sql(`INSERT INTO config_domain_values (profile_id, domain, "values", updated_by) VALUES ($1, 'rules_triage', '{"model": "a", "max_lines": 5}', 'psql')`, [parent]);
      expect(await values(grandchild)).toEqual({ values: { model: 'a', max_lines: 5 }, inherited: ['max_lines', 'model'] });

      await sql(`UPDATE config_domain_values SET "values" = '{"model": "mine", "max_lines": 5}' WHERE profile_id = $1 AND domain = 'rules_triage'`, [child]);
      await sql(`UPDATE config_domain_values SET "values" = '{"model": "b", "max_lines": 9}' WHERE profile_id = $1 AND domain = 'rules_triage'`, [parent]);
      expect(await values(child)).toEqual({ values: { model: 'mine', max_lines: 9 }, inherited: ['max_lines'] });
      expect(await values(grandchild)).toEqual({ values: { model: 'mine', max_lines: 9 }, inherited: ['max_lines', 'model'] });

      // The parent's values gone: the child keeps what it sets, the rest is the schema's default again.
      await sql(`DELETE FROM config_domain_values WHERE profile_id = $1 AND domain = 'rules_triage'`, [parent]);
      expect(await values(child)).toEqual({ values: { model: 'mine' }, inherited: [] });
      expect(await values(grandchild)).toEqual({ values: { model: 'mine' }, inherited: ['model'] });
    });
  });
});
