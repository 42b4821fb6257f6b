import { DataSource } from 'typeorm';
import { HistoryItem1796600000000 } from '../../migrations/1796600000000-HistoryItem.js';
import { ProfileInheritance1797800000000 } from '../../migrations/1797800000000-ProfileInheritance.js';
import { ProfileDetailPlpgsql1798000000000 } from '../../migrations/1798000000000-ProfileDetailPlpgsql.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { MIGRATIONS_TABLE, buildDataSourceOptions } from '../src/common/database/database-options.js';
import { ENTITIES } from '../src/entities.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const TABLES = [
  'agent_messages',
  'agent_sessions',
  'api_tokens',
  'config_ai_infra',
  'config_approval_rules',
  'config_change_applied',
  'config_change_requests',
  'config_domain_values',
  'config_domains',
  'config_genie_spaces',
  'config_history',
  'config_mlflow',
  'config_presets',
  'config_profiles',
  'config_prompts',
  'config_registry_prompt_labels',
  'config_registry_prompt_versions',
  'config_registry_prompts',
  'config_schedules',
  'llm_probes',
  'profile_grants',
  'profile_rollouts',
  'switchboard_instances',
];

describe('migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    dataSource = await new DataSource({
      ...buildDataSourceOptions(db.url, ENTITIES, MIGRATIONS),
      logging: ['error'],
    }).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  async function tables(): Promise<string[]> {
    const { rows } = await db.sql.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> $1 ORDER BY 1`,
      [MIGRATIONS_TABLE],
    );
    return rows.map((r) => r.table_name);
  }

  async function ownFunctions(): Promise<string[]> {
    const { rows } = await db.sql.query(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1`,
    );
    return rows.map((r) => r.proname);
  }

  it('go up on an empty database, down to nothing, and up again', async () => {
    expect(await tables()).toEqual([]);

    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables()).toEqual(TABLES);
    expect(await dataSource.showMigrations()).toBe(false);

    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    expect(await ownFunctions()).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await tables()).toEqual(TABLES);
    const { rows } = await db.sql.query(`SELECT count(*)::int AS n FROM ${MIGRATIONS_TABLE}`);
    expect(rows[0].n).toBe(MIGRATIONS.length);
  });

  it('name the prompt of registry entries written before history had the column', async () => {
    // Back to before HistoryItem (it and every later migration undone).
    for (let i = MIGRATIONS.indexOf(HistoryItem1796600000000); i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    await db.sql.query(
      `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by, changes)
       VALUES (NULL, 'p', 'prompt_registry', 'create', 'a', '{"verify.answer": {"old": null, "new": {"version": 1}}}'),
              (NULL, 'p', 'prompt_registry', 'update', 'a', '{"verify.answer.template": {"old": "a", "new": "b"}, "verify.answer.version": {"old": 1, "new": 2}}'),
              (NULL, 'p', 'prompt_registry', 'update', 'a', '{"verify.labels.production": {"old": null, "new": 1}}'),
              (NULL, 'p', 'prompt_registry', 'delete', 'a', '{"report.template": {"old": {"versions": []}, "new": null}}'),
              (NULL, 'p', 'ai_infra', 'update', 'a', '{"llm_temperature": {"old": 0.7, "new": 0.2}}')`,
    );
    await dataSource.runMigrations({ transaction: 'each' });
    const { rows } = await db.sql.query(`SELECT domain, item FROM config_history ORDER BY id`);
    expect(rows).toEqual([
      { domain: 'prompt_registry', item: 'verify.answer' },
      { domain: 'prompt_registry', item: 'verify.answer' },
      { domain: 'prompt_registry', item: 'verify' },
      { domain: 'prompt_registry', item: 'report.template' },
      { domain: 'ai_infra', item: null },
    ]);
  });

  it('give existing children the Genie spaces and prompts of their parent, inheriting those equal to it, and leave one-row domains alone', async () => {
    // Back to before ProfileInheritance: a parent link then moved no value and marked nothing.
    for (let i = MIGRATIONS.indexOf(ProfileInheritance1797800000000); i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const sql = (text: string, values: unknown[] = []) => db.sql.query(text, values);
    const [parent, child] = (await sql(`INSERT INTO config_profiles (name) VALUES ('backfill parent'), ('backfill child') RETURNING id`)).rows.map((row) => row.id as number);
    await sql('UPDATE config_profiles SET parent_profile_id = $1 WHERE id = $2', [parent, child]);
    await sql(`INSERT INTO config_ai_infra (profile_id, llm_endpoint, llm_temperature, llm_max_tokens) VALUES ($1, 'same', 0.5, 100), ($2, 'same', 0.9, 100)`, [parent, child]);
    const [shared, parentOnly] = ['a'.repeat(32), 'b'.repeat(32)];
    await sql(
      `INSERT INTO config_genie_spaces (profile_id, space_id, space_name) VALUES ($1, $3, 'Shared'), ($1, $4, 'Parent only'), ($2, $3, 'Shared')`,
      [parent, child, shared, parentOnly],
    );
    for (const id of [parent, child]) {
      const [{ id: prompt }] = (await sql(`INSERT INTO config_registry_prompts (profile_id, name, created_by) VALUES ($1, 'triage', 'psql') RETURNING id`, [id])).rows;
      await sql(`INSERT INTO config_registry_prompt_versions (prompt_id, version, template, created_by) VALUES ($1, 0, 'same text', 'psql')`, [prompt]);
    }

    await dataSource.runMigrations({ transaction: 'each' });
    // A field equal to the parent's may be an override: nothing tells, so nothing is marked.
    expect((await sql('SELECT inherited, llm_temperature::float AS t FROM config_ai_infra WHERE profile_id = $1', [child])).rows[0]).toEqual({ inherited: [], t: 0.9 });
    expect((await sql('SELECT space_id, inherited FROM config_genie_spaces WHERE profile_id = $1 ORDER BY space_id', [child])).rows).toEqual([
      { space_id: shared, inherited: true },
      { space_id: parentOnly, inherited: true },
    ]);
    expect((await sql(`SELECT inherited FROM config_registry_prompts WHERE profile_id = $1 AND name = 'triage'`, [child])).rows).toEqual([{ inherited: true }]);
  });

  it('keep what fn_profile_detail answers when it moves to PL/pgSQL, which plans its query once per session', async () => {
    const sql = (text: string) => db.sql.query(text);
    const language = async () =>
      (await sql(`SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = 'fn_profile_detail'`)).rows[0].lanname;
    const details = async () => (await sql('SELECT array_agg(fn_profile_detail(id)::text ORDER BY id) AS d FROM config_profiles')).rows[0].d as string[];
    const [{ id }] = (await sql(`INSERT INTO config_profiles (name) VALUES ('detail in plpgsql') RETURNING id`)).rows;
    await sql(`INSERT INTO config_ai_infra (profile_id, llm_endpoint, llm_temperature, llm_max_tokens) VALUES (${id}, 'e', 0.5, 100)`);
    await sql(`INSERT INTO config_mlflow (profile_id, experiment_name) VALUES (${id}, '/x')`);
    await sql(`INSERT INTO config_genie_spaces (profile_id, space_id, space_name, is_default) VALUES (${id}, '${'c'.repeat(32)}', 'One', true)`);
    const now = await details();
    expect(now.length).toBeGreaterThan(2); // the back-fill's profiles and this one
    expect(await language()).toBe('plpgsql');

    for (let i = MIGRATIONS.indexOf(ProfileDetailPlpgsql1798000000000); i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await language()).toBe('sql');
    expect(await details()).toEqual(now);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await language()).toBe('plpgsql');
  });

  it('serve newest-first history queries from indexes', async () => {
    const { rows } = await db.sql.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'config_history' AND indexname <> 'config_history_pkey' ORDER BY 1`,
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      'idx_config_history_action_time',
      'idx_config_history_changed_by_time',
      'idx_config_history_domain_item_time',
      'idx_config_history_domain_time',
      'idx_config_history_profile_domain_item_time',
      'idx_config_history_profile_domain_time',
      'idx_config_history_profile_time',
      'idx_config_history_time',
    ]);
  });
});
