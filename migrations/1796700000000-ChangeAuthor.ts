import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The change notification (and so each stream event) names who made the change: consoles say who changed what. */
export class ChangeAuthor1796700000000 implements MigrationInterface {
  name = 'ChangeAuthor1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(historyChangeFunction({ withAuthor: true }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(historyChangeFunction({ withAuthor: false }));
  }
}

/** fn_config_history_change as HistoryItem left it, with or without `changed_by`. */
function historyChangeFunction({ withAuthor }: { withAuthor: boolean }): string {
  return `
    CREATE OR REPLACE FUNCTION fn_config_history_change(entry config_history) RETURNS json LANGUAGE sql STABLE AS $$
      SELECT json_build_object(
        'history_id', entry.id,
        -- After a delete, the foreign key has cleared profile_id; the snapshot still names it.
        'profile_id', coalesce(entry.profile_id, (entry.snapshot ->> 'id')::int),
        'profile_name', entry.profile_name,
        'domain', entry.domain,
        'item', entry.item,
        'action', entry.action,
        'version', CASE
          WHEN entry.domain = 'profile' THEN (entry.snapshot ->> 'version')::int
          WHEN entry.domain IN ('ai_infra', 'mlflow', 'prompts') THEN (entry.snapshot -> entry.domain ->> 'version')::int
          WHEN entry.domain <> 'genie' THEN (entry.snapshot -> 'domains' -> entry.domain ->> 'version')::int
        END,
        'session_id', entry.changes -> 'session_id' ->> 'new',${withAuthor ? "\n        'changed_by', entry.changed_by," : ''}
        'timestamp', entry."timestamp"
      )
    $$`;
}
