import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The domain registry's own changes (register, change title, description or schema, delete) are
 * audited like configuration changes: an entry whose `subject` is `domain`, with no profile, the
 * domain's name, what changed and the registration as it stood after (before, for a delete).
 */
export class DomainRegistryAudit1796200000000 implements MigrationInterface {
  name = 'DomainRegistryAudit1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE config_history
        ADD COLUMN subject varchar(7) NOT NULL DEFAULT 'profile' CONSTRAINT chk_config_history_subject CHECK (subject IN ('profile', 'domain')),
        ADD CONSTRAINT chk_config_history_domain_subject_has_no_profile CHECK (subject = 'profile' OR profile_id IS NULL)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM config_history WHERE subject = 'domain'`);
    await queryRunner.query(`ALTER TABLE config_history DROP CONSTRAINT chk_config_history_domain_subject_has_no_profile, DROP COLUMN subject`);
  }
}
