import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Presets: named, read-only profile documents to create a profile from. The shipped ones live in
 * the code (presets/shipped-presets.ts); the ones admins save live here, named uniquely in any case.
 */
export class Presets1797200000000 implements MigrationInterface {
  name = 'Presets1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE config_presets (
        id serial PRIMARY KEY,
        name varchar(100) NOT NULL,
        description varchar(2000),
        document jsonb NOT NULL,
        created_by varchar(255) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_config_presets_name_not_blank CHECK (btrim(name) <> ''),
        CONSTRAINT chk_config_presets_document CHECK (jsonb_typeof(document) = 'object')
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_config_presets_name ON config_presets (lower(name))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE config_presets`);
  }
}
