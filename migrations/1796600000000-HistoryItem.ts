import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The named item of a domain an audit entry is about: a prompt's name for `prompt_registry`
 * entries (their change keys start with the name, but names may contain dots, so the keys cannot
 * say where the name ends). The history filters by it (`?prompt=`) and restores from it.
 * Entries written before this migration get it from their keys: a whole prompt's entry (create,
 * import, delete) has one key, its name; the others' keys are the name and one of the suffixes
 * below. The append-only trigger is off for that update only.
 */
export class HistoryItem1796600000000 implements MigrationInterface {
  name = 'HistoryItem1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE config_history ADD COLUMN item varchar(100)`);
    // The entries stay append-only for everyone else: only this backfill, in this transaction, writes.
    await queryRunner.query(`ALTER TABLE config_history DISABLE TRIGGER trg_config_history_append_only`);
    await queryRunner.query(`
      UPDATE config_history h SET item = (
        SELECT CASE
                 -- A whole prompt (create, import, delete): the key is its name, suffix or not.
                 WHEN jsonb_typeof(h.changes -> key -> 'new') = 'object' OR jsonb_typeof(h.changes -> key -> 'old') = 'object' THEN key
                 ELSE regexp_replace(key, '\\.(version|template|variables|labels\\.[a-z][a-z0-9_-]*)$', '')
               END
          FROM jsonb_object_keys(h.changes) AS key ORDER BY key LIMIT 1)
       WHERE domain = 'prompt_registry' AND subject = 'profile'`);
    await queryRunner.query(`ALTER TABLE config_history ENABLE TRIGGER trg_config_history_append_only`);
    // Notifications (and the stream's events) name the prompt too: an agent knows which one to read again.
    await queryRunner.query(historyChangeFunction({ withItem: true }));
    await queryRunner.query(
      `CREATE INDEX idx_config_history_profile_domain_item_time ON config_history (profile_id, domain, item, "timestamp" DESC, id DESC) WHERE item IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX idx_config_history_domain_item_time ON config_history (domain, item, "timestamp" DESC, id DESC) WHERE item IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_config_history_domain_item_time`);
    await queryRunner.query(`DROP INDEX idx_config_history_profile_domain_item_time`);
    await queryRunner.query(historyChangeFunction({ withItem: false }));
    await queryRunner.query(`ALTER TABLE config_history DROP COLUMN item`);
  }
}

/** The notification of an entry (fn_config_history_change, as DomainRegistry left it), with or without its item. */
function historyChangeFunction({ withItem }: { withItem: boolean }): string {
  return `
    CREATE OR REPLACE FUNCTION fn_config_history_change(entry config_history) RETURNS json LANGUAGE sql STABLE AS $$
      SELECT json_build_object(
        'history_id', entry.id,
        -- After a delete, the foreign key has cleared profile_id; the snapshot still names it.
        'profile_id', coalesce(entry.profile_id, (entry.snapshot ->> 'id')::int),
        'profile_name', entry.profile_name,
        'domain', entry.domain,${withItem ? "\n        'item', entry.item," : ''}
        'action', entry.action,
        'version', CASE
          WHEN entry.domain = 'profile' THEN (entry.snapshot ->> 'version')::int
          WHEN entry.domain IN ('ai_infra', 'mlflow', 'prompts') THEN (entry.snapshot -> entry.domain ->> 'version')::int
          WHEN entry.domain <> 'genie' THEN (entry.snapshot -> 'domains' -> entry.domain ->> 'version')::int
        END,
        'session_id', entry.changes -> 'session_id' ->> 'new',
        'timestamp', entry."timestamp"
      )
    $$`;
}
