import type pg from 'pg';
import { createTestDatabase, expectPgError, type TestDatabase } from './support/test-database.js';

/**
 * The rules the schema enforces by itself, exercised with hand-written SQL: no application code
 * runs here, so each rule must hold in the database alone.
 */
describe('database rules (raw SQL)', () => {
  let db: TestDatabase;
  let sql: pg.Client;

  beforeEach(async () => {
    db = await createTestDatabase();
    sql = db.sql;
  });
  afterEach(() => db.drop());

  async function insertProfile(name: string, isDefault = false): Promise<number> {
    const { rows } = await sql.query('INSERT INTO config_profiles (name, is_default) VALUES ($1, $2) RETURNING id', [
      name,
      isDefault,
    ]);
    return rows[0].id;
  }

  async function insertDomains(profileId: number): Promise<void> {
    await sql.query(
      `INSERT INTO config_ai_infra (profile_id, llm_endpoint, llm_temperature, llm_max_tokens) VALUES ($1, 'ep', 0.5, 100)`,
      [profileId],
    );
    await sql.query(`INSERT INTO config_mlflow (profile_id, experiment_name) VALUES ($1, '/Shared/x')`, [profileId]);
    await sql.query(
      `INSERT INTO config_prompts (profile_id, system_prompt, slide_editing_instructions, user_prompt_template)
       VALUES ($1, 's', 'e', '{question}')`,
      [profileId],
    );
  }

  async function insertSpace(profileId: number, spaceId: string, isDefault = false): Promise<number> {
    const { rows } = await sql.query(
      `INSERT INTO config_genie_spaces (profile_id, space_id, space_name, is_default) VALUES ($1, $2, $2, $3) RETURNING id`,
      [profileId, spaceId, isDefault],
    );
    return rows[0].id;
  }

  async function defaults(): Promise<string[]> {
    const { rows } = await sql.query('SELECT name FROM config_profiles WHERE is_default ORDER BY name');
    return rows.map((r) => r.name);
  }

  async function defaultSpaces(profileId: number): Promise<string[]> {
    const { rows } = await sql.query(
      'SELECT space_id FROM config_genie_spaces WHERE profile_id = $1 AND is_default ORDER BY space_id',
      [profileId],
    );
    return rows.map((r) => r.space_id);
  }

  describe('default profile', () => {
    it('makes the first profile the default', async () => {
      await insertProfile('first');
      expect(await defaults()).toEqual(['first']);
    });

    it('demotes the previous default when a new profile is inserted as default', async () => {
      await insertProfile('a', true);
      await insertProfile('b', true);
      expect(await defaults()).toEqual(['b']);
    });

    it('demotes the previous default when another profile is updated to default', async () => {
      const a = await insertProfile('a');
      await insertProfile('b', true);
      await sql.query('UPDATE config_profiles SET is_default = true WHERE id = $1', [a]);
      expect(await defaults()).toEqual(['a']);
    });

    it('refuses to unset the default and leaves it in place', async () => {
      const a = await insertProfile('a');
      await insertProfile('b');
      const error = await expectPgError(sql, 'UPDATE config_profiles SET is_default = false WHERE id = $1', [a]);
      expect(error.code).toBe('23001');
      expect(error.message).toMatch(/default profile/);
      expect(await defaults()).toEqual(['a']);
    });

    it('refuses to delete the default while other profiles exist', async () => {
      const a = await insertProfile('a');
      await insertProfile('b');
      const error = await expectPgError(sql, 'DELETE FROM config_profiles WHERE id = $1', [a]);
      expect(error.code).toBe('23001');
      const { rows } = await sql.query('SELECT name, is_default FROM config_profiles ORDER BY name');
      expect(rows).toEqual([
        { name: 'a', is_default: true },
        { name: 'b', is_default: false },
      ]);
    });

    it('refuses a second default even when the demoting trigger is bypassed', async () => {
      await insertProfile('a');
      const b = await insertProfile('b');
      await sql.query('ALTER TABLE config_profiles DISABLE TRIGGER trg_config_profiles_single_default');
      const error = await expectPgError(sql, 'UPDATE config_profiles SET is_default = true WHERE id = $1', [b]);
      expect(error.code).toBe('23505');
      expect(error.constraint).toBe('uq_config_profiles_single_default');
      expect(await defaults()).toEqual(['a']);
    });

    it('treats names case-insensitively as unique', async () => {
      await insertProfile('Production');
      const error = await expectPgError(sql, `INSERT INTO config_profiles (name) VALUES ('production')`);
      expect(error.code).toBe('23505');
      expect(error.constraint).toBe('uq_config_profiles_name_ci');
      const { rows } = await sql.query('SELECT count(*)::int AS n FROM config_profiles');
      expect(rows[0].n).toBe(1);
    });

    it('refuses blank names', async () => {
      const error = await expectPgError(sql, `INSERT INTO config_profiles (name) VALUES ('   ')`);
      expect(error.code).toBe('23514');
      expect(error.constraint).toBe('chk_config_profiles_name_not_blank');
    });

    it('moves version and updated_at on every update, whoever writes', async () => {
      const a = await insertProfile('a');
      const before = (await sql.query('SELECT version, updated_at FROM config_profiles WHERE id = $1', [a])).rows[0];
      await sql.query(`UPDATE config_profiles SET description = 'changed by hand' WHERE id = $1`, [a]);
      const after = (await sql.query('SELECT version, updated_at FROM config_profiles WHERE id = $1', [a])).rows[0];
      expect(before.version).toBe(1);
      expect(after.version).toBe(2);
      expect(after.updated_at.getTime()).toBeGreaterThanOrEqual(before.updated_at.getTime());
    });
  });

  describe('default Genie space per profile', () => {
    let p1: number;
    let p2: number;

    beforeEach(async () => {
      p1 = await insertProfile('p1');
      p2 = await insertProfile('p2');
    });

    it('makes the first space of each profile its default, independently', async () => {
      await insertSpace(p1, 's1');
      await insertSpace(p2, 't1');
      await insertSpace(p1, 's2');
      expect(await defaultSpaces(p1)).toEqual(['s1']);
      expect(await defaultSpaces(p2)).toEqual(['t1']);
    });

    it('demotes the previous default of the same profile only', async () => {
      await insertSpace(p1, 's1');
      await insertSpace(p2, 't1');
      const s2 = await insertSpace(p1, 's2');
      await sql.query('UPDATE config_genie_spaces SET is_default = true WHERE id = $1', [s2]);
      await insertSpace(p1, 's3', true);
      expect(await defaultSpaces(p1)).toEqual(['s3']);
      expect(await defaultSpaces(p2)).toEqual(['t1']);
    });

    it('refuses to unset the default space', async () => {
      const s1 = await insertSpace(p1, 's1');
      const error = await expectPgError(sql, 'UPDATE config_genie_spaces SET is_default = false WHERE id = $1', [s1]);
      expect(error.code).toBe('23001');
      expect(await defaultSpaces(p1)).toEqual(['s1']);
    });

    it('refuses to delete the default space while the profile has others', async () => {
      const s1 = await insertSpace(p1, 's1');
      await insertSpace(p1, 's2');
      const error = await expectPgError(sql, 'DELETE FROM config_genie_spaces WHERE id = $1', [s1]);
      expect(error.code).toBe('23001');
      const { rows } = await sql.query('SELECT count(*)::int AS n FROM config_genie_spaces WHERE profile_id = $1', [p1]);
      expect(rows[0].n).toBe(2);
    });

    it('refuses the same space id twice in one profile but allows it in another', async () => {
      await insertSpace(p1, 'same');
      await insertSpace(p2, 'same');
      const error = await expectPgError(
        sql,
        `INSERT INTO config_genie_spaces (profile_id, space_id, space_name) VALUES ($1, 'same', 'again')`,
        [p1],
      );
      expect(error.code).toBe('23505');
      expect(error.constraint).toBe('uq_config_genie_spaces_profile_space');
    });
  });

  describe('ranges', () => {
    let profileId: number;
    beforeEach(async () => {
      profileId = await insertProfile('p');
    });

    it.each([
      ['llm_temperature', 1.01, 'chk_config_ai_infra_temperature_range'],
      ['llm_temperature', -0.01, 'chk_config_ai_infra_temperature_range'],
      ['llm_top_p', 1.5, 'chk_config_ai_infra_top_p_range'],
      ['llm_top_p', -1, 'chk_config_ai_infra_top_p_range'],
      ['llm_max_tokens', 0, 'chk_config_ai_infra_max_tokens_range'],
      ['llm_max_tokens', -5, 'chk_config_ai_infra_max_tokens_range'],
      ['llm_timeout_seconds', 0, 'chk_config_ai_infra_timeout_range'],
    ])('rejects %s = %p', async (column, value, constraint) => {
      const values: Record<string, unknown> = {
        llm_temperature: 0.5,
        llm_top_p: 1,
        llm_max_tokens: 100,
        llm_timeout_seconds: 60,
        [column]: value,
      };
      const error = await expectPgError(
        sql,
        `INSERT INTO config_ai_infra (profile_id, llm_endpoint, llm_temperature, llm_top_p, llm_max_tokens, llm_timeout_seconds)
         VALUES ($1, 'ep', $2, $3, $4, $5)`,
        [profileId, values.llm_temperature, values.llm_top_p, values.llm_max_tokens, values.llm_timeout_seconds],
      );
      expect(error.code).toBe('23514');
      expect(error.constraint).toBe(constraint);
      const { rows } = await sql.query('SELECT count(*)::int AS n FROM config_ai_infra');
      expect(rows[0].n).toBe(0);
    });

    it('accepts the bounds themselves', async () => {
      await sql.query(
        `INSERT INTO config_ai_infra (profile_id, llm_endpoint, llm_temperature, llm_top_p, llm_max_tokens, llm_timeout_seconds)
         VALUES ($1, 'ep', 0, 1, 1, 1)`,
        [profileId],
      );
      await sql.query('UPDATE config_ai_infra SET llm_temperature = 1, llm_top_p = 0 WHERE profile_id = $1', [profileId]);
      const { rows } = await sql.query('SELECT llm_temperature, llm_top_p, version FROM config_ai_infra');
      expect(rows).toEqual([{ llm_temperature: '1.00', llm_top_p: '0.00', version: 2 }]);
    });
  });

  describe('deleting a profile', () => {
    it('removes its domain rows and keeps its history with the name', async () => {
      await insertProfile('keeper');
      const doomed = await insertProfile('doomed');
      await insertDomains(doomed);
      await insertSpace(doomed, 's1');
      await insertSpace(doomed, 's2');
      await sql.query(
        `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by, changes)
         VALUES ($1, 'doomed', 'ai_infra', 'update', 'alice', '{"llm_temperature": {"old": 0.5, "new": 0.6}}')`,
        [doomed],
      );

      await sql.query('DELETE FROM config_profiles WHERE id = $1', [doomed]);

      for (const table of ['config_ai_infra', 'config_genie_spaces', 'config_mlflow', 'config_prompts']) {
        const { rows } = await sql.query(`SELECT count(*)::int AS n FROM ${table} WHERE profile_id = $1`, [doomed]);
        expect({ table, n: rows[0].n }).toEqual({ table, n: 0 });
      }
      const { rows: history } = await sql.query('SELECT profile_id, profile_name, changed_by, changes FROM config_history');
      expect(history).toEqual([
        {
          profile_id: null,
          profile_name: 'doomed',
          changed_by: 'alice',
          changes: { llm_temperature: { old: 0.5, new: 0.6 } },
        },
      ]);
    });

    it('is refused while an agent session uses the profile', async () => {
      await insertProfile('keeper');
      const used = await insertProfile('used');
      await sql.query('INSERT INTO agent_sessions (profile_id) VALUES ($1)', [used]);
      const error = await expectPgError(sql, 'DELETE FROM config_profiles WHERE id = $1', [used]);
      expect(error.code).toBe('23503');
      const { rows } = await sql.query('SELECT count(*)::int AS n FROM config_profiles WHERE id = $1', [used]);
      expect(rows[0].n).toBe(1);
    });
  });

  describe('history', () => {
    it('is append-only', async () => {
      const p = await insertProfile('p');
      await sql.query(
        `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by) VALUES ($1, 'p', 'profile', 'create', 'bob')`,
        [p],
      );
      const update = await expectPgError(sql, `UPDATE config_history SET changed_by = 'mallory'`);
      expect(update.code).toBe('23001');
      const remove = await expectPgError(sql, 'DELETE FROM config_history');
      expect(remove.code).toBe('23001');
      const { rows } = await sql.query('SELECT changed_by FROM config_history');
      expect(rows).toEqual([{ changed_by: 'bob' }]);
    });

    it('accepts only domain names (of any domain, registered or since deleted) and known actions', async () => {
      const error = await expectPgError(
        sql,
        `INSERT INTO config_history (profile_name, domain, action, changed_by) VALUES ('p', 'Weather Report', 'create', 'bob')`,
      );
      expect(error.constraint).toBe('chk_config_history_domain');
      const action = await expectPgError(
        sql,
        `INSERT INTO config_history (profile_name, domain, action, changed_by) VALUES ('p', 'weather', 'forecast', 'bob')`,
      );
      expect(action.constraint).toBe('chk_config_history_action');
    });
  });
});
