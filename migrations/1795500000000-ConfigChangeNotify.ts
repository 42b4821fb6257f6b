import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every audited change notifies channel `switchboard_config` from the transaction that made it.
 * PostgreSQL delivers notifications only on commit, so listeners never see a change that rolled
 * back, and since every change has its audit entry (same transaction), none goes unannounced.
 * `fn_config_history_change` builds the message, for the trigger and for replays from history.
 *
 * Entries are also made to commit in id order: a statement-level lock, taken before the insert
 * draws its id, makes a second writer wait until the first has committed. Otherwise a stream
 * that has delivered entry 9 could never deliver an entry 8 that committed after it.
 */
export class ConfigChangeNotify1795500000000 implements MigrationInterface {
  name = 'ConfigChangeNotify1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION fn_config_history_change(entry config_history) RETURNS json LANGUAGE sql STABLE AS $$
        SELECT json_build_object(
          'history_id', entry.id,
          -- After a delete, the foreign key has cleared profile_id; the snapshot still names it.
          'profile_id', coalesce(entry.profile_id, (entry.snapshot ->> 'id')::int),
          'profile_name', entry.profile_name,
          'domain', entry.domain,
          'action', entry.action,
          'version', CASE
            WHEN entry.domain = 'profile' THEN (entry.snapshot ->> 'version')::int
            WHEN entry.domain IN ('ai_infra', 'mlflow', 'prompts') THEN (entry.snapshot -> entry.domain ->> 'version')::int
          END,
          'session_id', entry.changes -> 'session_id' ->> 'new',
          'timestamp', entry."timestamp"
        )
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_history_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('switchboard.config_history.commit_order'));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_history_commit_order BEFORE INSERT ON config_history
      FOR EACH STATEMENT EXECUTE FUNCTION fn_config_history_commit_order()`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_history_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchboard_config', fn_config_history_change(NEW)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_history_notify AFTER INSERT ON config_history
      FOR EACH ROW EXECUTE FUNCTION fn_config_history_notify()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_config_history_notify ON config_history`);
    await queryRunner.query(`DROP FUNCTION fn_config_history_notify()`);
    await queryRunner.query(`DROP TRIGGER trg_config_history_commit_order ON config_history`);
    await queryRunner.query(`DROP FUNCTION fn_config_history_commit_order()`);
    await queryRunner.query(`DROP FUNCTION fn_config_history_change(config_history)`);
  }
}
