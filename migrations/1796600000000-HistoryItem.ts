import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The named item of a domain an audit entry is about: a prompt's name for `prompt_registry`
 * entries (their change keys start with the name, but names may contain dots, so the keys cannot
 * say where the name ends). The history filters by it (`?prompt=`) and restores from it.
 * Entries written before this migration get it from their keys, which was unambiguous for them:
 * one key per prompt, or one of the suffixes below. The append-only trigger is off for that update only.
 */
export class HistoryItem1796600000000 implements MigrationInterface {
  name = 'HistoryItem1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE config_history ADD COLUMN item varchar(100)`);
    // The entries stay append-only for everyone else: only this backfill, in this transaction, writes.
    await queryRunner.query(`ALTER TABLE config_history DISABLE TRIGGER trg_config_history_append_only`);
    await queryRunner.query(`
      UPDATE config_history h SET item = (
        SELECT regexp_replace(key, '\\.(version|template|variables|labels\\.[a-z][a-z0-9_-]*)$', '')
          FROM jsonb_object_keys(h.changes) AS key ORDER BY key LIMIT 1)
       WHERE domain = 'prompt_registry' AND subject = 'profile'`);
    await queryRunner.query(`ALTER TABLE config_history ENABLE TRIGGER trg_config_history_append_only`);
    await queryRunner.query(
      `CREATE INDEX idx_config_history_profile_domain_item_time ON config_history (profile_id, domain, item, "timestamp" DESC, id DESC) WHERE item IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_config_history_profile_domain_item_time`);
    await queryRunner.query(`ALTER TABLE config_history DROP COLUMN item`);
  }
}
