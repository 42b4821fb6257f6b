import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Listing history by action (e.g. every restore) read the newest-first index and skipped the
 * other actions; for a rare action that meant most of the table, and the planner chose a
 * sequential scan. This index serves it like the profile, domain and principal filters.
 */
export class AddHistoryActionIndex1795440000000 implements MigrationInterface {
  name = 'AddHistoryActionIndex1795440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX idx_config_history_action_time ON config_history (action, "timestamp" DESC, id DESC)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_config_history_action_time`);
  }
}
