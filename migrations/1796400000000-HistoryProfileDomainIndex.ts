import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A profile's history filtered by domain (the console's History tab, `GET /api/config/history/{id}?domain=`)
 * reads its own index: with the profile-and-time index alone, a domain the profile rarely changes
 * makes PostgreSQL walk the profile's whole history to fill one page.
 */
export class HistoryProfileDomainIndex1796400000000 implements MigrationInterface {
  name = 'HistoryProfileDomainIndex1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX idx_config_history_profile_domain_time ON config_history (profile_id, domain, "timestamp" DESC, id DESC)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_config_history_profile_domain_time`);
  }
}
