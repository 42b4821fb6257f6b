import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The configuration tables, each with the column that names its profile. */
const TABLES = [
  ['config_profiles', 'id'],
  ['config_ai_infra', 'profile_id'],
  ['config_genie_spaces', 'profile_id'],
  ['config_mlflow', 'profile_id'],
  ['config_prompts', 'profile_id'],
] as const;

/**
 * Changes made outside the API (psql, a restore script, a default switched by hand, a trigger
 * demoting the previous default) reach every instance too.
 *
 * Each configuration table gets a deferred constraint trigger: at commit it notifies
 * `switchboard_config` with `{"kind":"external","profile_id":…}` for every profile whose rows the
 * transaction changed, unless the transaction also wrote that profile's audit entry, whose own
 * notification (fn_config_history_notify) already says more. The audit trigger records the
 * profiles it announced in the transaction-local setting `switchboard.audited_profiles`.
 * PostgreSQL folds identical notifications of one transaction into one, so a bulk UPDATE of a
 * thousand rows of one profile sends one message. TRUNCATE announces every profile (null).
 */
export class NotifyExternalChanges1795700000000 implements MigrationInterface {
  name = 'NotifyExternalChanges1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION fn_config_history_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM set_config('switchboard.audited_profiles',
          coalesce(nullif(current_setting('switchboard.audited_profiles', true), ''), ',')
            || coalesce(NEW.profile_id, (NEW.snapshot ->> 'id')::int) || ',',
          true);
        PERFORM pg_notify('switchboard_config', fn_config_history_change(NEW)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_rows_notify_external() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        profile integer := (to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0])::int;
      BEGIN
        IF position(',' || profile || ',' IN coalesce(current_setting('switchboard.audited_profiles', true), '')) = 0 THEN
          PERFORM pg_notify('switchboard_config', json_build_object('kind', 'external', 'profile_id', profile)::text);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_tables_notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchboard_config', json_build_object('kind', 'external', 'profile_id', NULL)::text);
        RETURN NULL;
      END $$`);
    for (const [table, column] of TABLES) {
      await queryRunner.query(`
        CREATE CONSTRAINT TRIGGER trg_${table}_notify_external AFTER INSERT OR UPDATE OR DELETE ON ${table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fn_config_rows_notify_external('${column}')`);
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_notify_truncate AFTER TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION fn_config_tables_notify_truncate()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of TABLES) {
      await queryRunner.query(`DROP TRIGGER trg_${table}_notify_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER trg_${table}_notify_external ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION fn_config_tables_notify_truncate()`);
    await queryRunner.query(`DROP FUNCTION fn_config_rows_notify_external()`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION fn_config_history_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchboard_config', fn_config_history_change(NEW)::text);
        RETURN NULL;
      END $$`);
  }
}
