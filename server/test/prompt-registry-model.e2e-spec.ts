import pg from 'pg';
import { createTestDatabase, expectPgError, type TestDatabase } from './support/test-database.js';

/**
 * The prompt registry's rules (migration PromptRegistry), held by the database alone: exercised
 * with hand-written SQL and concurrent connections, no application code involved.
 */
describe('prompt registry model (raw SQL)', () => {
  let db: TestDatabase;
  let sql: pg.Client;
  let profileId: number;

  beforeEach(async () => {
    db = await createTestDatabase();
    sql = db.sql;
    profileId = (await sql.query(`INSERT INTO config_profiles (name) VALUES ('registry') RETURNING id`)).rows[0].id;
  });
  afterEach(() => db.drop());

  async function createPrompt(name: string, owner = profileId): Promise<number> {
    const { rows } = await sql.query(`INSERT INTO config_registry_prompts (profile_id, name, created_by) VALUES ($1, $2, 'test') RETURNING id`, [owner, name]);
    return rows[0].id;
  }

  async function addVersion(client: pg.Client, promptId: number, template: string): Promise<number> {
    const { rows } = await client.query(
      `INSERT INTO config_registry_prompt_versions (prompt_id, version, template, created_by) VALUES ($1, 0, $2, 'test') RETURNING version`,
      [promptId, template],
    );
    return rows[0].version;
  }

  it('numbers 20 concurrent new versions 2…21 after the first, without gaps or duplicates', async () => {
    const promptId = await createPrompt('analyze.parameters');
    expect(await addVersion(sql, promptId, 'v1')).toBe(1);
    const clients = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        return client;
      }),
    );
    try {
      const numbers = await Promise.all(clients.map((client, i) => addVersion(client, promptId, `v${i + 2}`)));
      expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    const stored = await sql.query(`SELECT version FROM config_registry_prompt_versions WHERE prompt_id = $1 ORDER BY version`, [promptId]);
    expect(stored.rows.map((row) => row.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect((await sql.query(`SELECT latest_version FROM config_registry_prompts WHERE id = $1`, [promptId])).rows[0].latest_version).toBe(21);
  });

  it('gives a rolled-back version’s number back', async () => {
    const promptId = await createPrompt('verify');
    await addVersion(sql, promptId, 'v1');
    await sql.query('BEGIN');
    expect(await addVersion(sql, promptId, 'abandoned')).toBe(2);
    await sql.query('ROLLBACK');
    expect(await addVersion(sql, promptId, 'v2')).toBe(2);
  });

  it('never changes a version', async () => {
    const promptId = await createPrompt('system');
    await addVersion(sql, promptId, 'original');
    const error = await expectPgError(sql, `UPDATE config_registry_prompt_versions SET template = 'edited' WHERE prompt_id = $1`, [promptId]);
    expect(error.code).toBe('23001');
    expect(error.message).toMatch(/immutable/);
    expect((await sql.query(`SELECT template FROM config_registry_prompt_versions WHERE prompt_id = $1`, [promptId])).rows).toEqual([{ template: 'original' }]);
  });

  it('refuses a version of a prompt that does not exist', async () => {
    expect((await expectPgError(sql, `INSERT INTO config_registry_prompt_versions (prompt_id, version, template, created_by) VALUES (999999, 1, 'x', 't')`)).code).toBe('23503');
  });

  it('points a label only at a version of its own prompt', async () => {
    const mine = await createPrompt('mine');
    const other = await createPrompt('other');
    await addVersion(sql, mine, 'm1');
    await addVersion(sql, other, 'o1');
    await addVersion(sql, other, 'o2');
    await sql.query(`INSERT INTO config_registry_prompt_labels (prompt_id, label, version, updated_by) VALUES ($1, 'production', 1, 't')`, [mine]);
    const error = await expectPgError(sql, `UPDATE config_registry_prompt_labels SET version = 2 WHERE prompt_id = $1`, [mine]);
    expect(error.code).toBe('23503');
    expect(error.constraint).toBe('fk_config_registry_prompt_labels_version');
    expect((await sql.query(`SELECT version FROM config_registry_prompt_labels WHERE prompt_id = $1`, [mine])).rows).toEqual([{ version: 1 }]);
  });

  it.each([
    ['latest, which is implicit', 'latest'],
    ['an upper-case name', 'Production'],
    ['a name starting with a digit', '1st'],
    ['a name of 51 characters', `a${'b'.repeat(50)}`],
  ])('refuses a label named %s', async (_why, label) => {
    const promptId = await createPrompt('labelled');
    await addVersion(sql, promptId, 'v1');
    const error = await expectPgError(sql, `INSERT INTO config_registry_prompt_labels (prompt_id, label, version, updated_by) VALUES ($1, $2, 1, 't')`, [promptId, label]);
    expect(['23514', '22001']).toContain(error.code);
  });

  it('keeps names unique per profile, in the pattern the API checks', async () => {
    await createPrompt('analyze');
    expect((await expectPgError(sql, `INSERT INTO config_registry_prompts (profile_id, name, created_by) VALUES ($1, 'analyze', 't')`, [profileId])).constraint).toBe(
      'uq_config_registry_prompts_profile_name',
    );
    const elsewhere = (await sql.query(`INSERT INTO config_profiles (name) VALUES ('elsewhere') RETURNING id`)).rows[0].id;
    await createPrompt('analyze', elsewhere);
    for (const name of ['Analyze', '_x', 'a b', '']) {
      expect((await expectPgError(sql, `INSERT INTO config_registry_prompts (profile_id, name, created_by) VALUES ($1, $2, 't')`, [profileId, name])).code).toBe('23514');
    }
  });

  it('refuses a template over 200,000 characters, counted in characters (not bytes)', async () => {
    const promptId = await createPrompt('long');
    expect(await addVersion(sql, promptId, '€'.repeat(200_000))).toBe(1);
    expect((await expectPgError(sql, `INSERT INTO config_registry_prompt_versions (prompt_id, version, template, created_by) VALUES ($1, 0, $2, 't')`, [promptId, 'x'.repeat(200_001)])).constraint).toBe(
      'chk_config_registry_prompt_versions_template_length',
    );
  });

  it('refuses declared variables that are not a list and model parameters that are not an object', async () => {
    expect((await expectPgError(sql, `INSERT INTO config_registry_prompts (profile_id, name, variables, created_by) VALUES ($1, 'v', '{}', 't')`, [profileId])).constraint).toBe(
      'chk_config_registry_prompts_variables_array',
    );
    const promptId = await createPrompt('p');
    expect(
      (await expectPgError(sql, `INSERT INTO config_registry_prompt_versions (prompt_id, version, template, model_parameters, created_by) VALUES ($1, 0, 'x', '[1]', 't')`, [promptId])).constraint,
    ).toBe('chk_config_registry_prompt_versions_parameters_object');
  });

  it('deletes a profile’s prompts, versions and labels with it', async () => {
    const promptId = await createPrompt('gone');
    await addVersion(sql, promptId, 'v1');
    await sql.query(`INSERT INTO config_registry_prompt_labels (prompt_id, label, version, updated_by) VALUES ($1, 'production', 1, 't')`, [promptId]);
    await sql.query(`DELETE FROM config_profiles WHERE id = $1`, [profileId]);
    for (const table of ['config_registry_prompts', 'config_registry_prompt_versions', 'config_registry_prompt_labels']) {
      expect((await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0);
    }
  });
});
