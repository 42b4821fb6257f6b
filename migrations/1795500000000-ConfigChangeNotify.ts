import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every audited change notifies channel `switchboard_config` from the transaction that made it.
 * PostgreSQL delivers notifications only on commit, so listeners never see a change that rolled
 * back, and since every change has its audit entry (same transaction), none goes unannounced.
 */
export class ConfigChangeNotify1795500000000 implements MigrationInterface {
  name = 'ConfigChangeNotify1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION fn_config_history_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchboard_config', json_build_object(
          'history_id', NEW.id,
          'profile_id', NEW.profile_id,
          'profile_name', NEW.profile_name,
          'domain', NEW.domain,
          'action', NEW.action,
          'version', CASE
            WHEN NEW.domain = 'profile' THEN (NEW.snapshot ->> 'version')::int
            WHEN NEW.domain IN ('ai_infra', 'mlflow', 'prompts') THEN (NEW.snapshot -> NEW.domain ->> 'version')::int
          END,
          'session_id', NEW.changes -> 'session_id' ->> 'new'
        )::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_history_notify AFTER INSERT ON config_history
      FOR EACH ROW EXECUTE FUNCTION fn_config_history_notify()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_config_history_notify ON config_history`);
    await queryRunner.query(`DROP FUNCTION fn_config_history_notify()`);
  }
}
