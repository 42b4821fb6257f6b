import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A domain's schema keeps the order its author wrote its properties in: the console lays the form
 * out in that order. jsonb sorts object keys, json keeps the text as sent (it is only stored and
 * read whole, never queried into). Schemas stored before this keep jsonb's order.
 */
export class DomainSchemaKeyOrder1796000000000 implements MigrationInterface {
  name = 'DomainSchemaKeyOrder1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE config_domains DROP CONSTRAINT chk_config_domains_schema_object`);
    await queryRunner.query(`ALTER TABLE config_domains ALTER COLUMN schema TYPE json USING schema::json`);
    await queryRunner.query(`ALTER TABLE config_domains ADD CONSTRAINT chk_config_domains_schema_object CHECK (json_typeof(schema) = 'object')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE config_domains DROP CONSTRAINT chk_config_domains_schema_object`);
    await queryRunner.query(`ALTER TABLE config_domains ALTER COLUMN schema TYPE jsonb USING schema::jsonb`);
    await queryRunner.query(`ALTER TABLE config_domains ADD CONSTRAINT chk_config_domains_schema_object CHECK (jsonb_typeof(schema) = 'object')`);
  }
}
