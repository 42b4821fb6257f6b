import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduled changes: set a profile as the default, or apply values to it, at a time. Each is run
 * once by whichever instance claims it first (FOR UPDATE SKIP LOCKED, in the transaction that
 * makes the change), so that several instances never run it twice.
 */
export class Schedules1797300000000 implements MigrationInterface {
  name = 'Schedules1797300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE config_schedules (
        id serial PRIMARY KEY,
        profile_id integer NOT NULL REFERENCES config_profiles (id) ON DELETE CASCADE,
        action varchar(20) NOT NULL,
        "values" jsonb,
        run_at timestamptz NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        last_error varchar(2000),
        created_by varchar(255) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT chk_config_schedules_action CHECK (action IN ('set_default', 'apply')),
        CONSTRAINT chk_config_schedules_values CHECK ((action = 'apply') = ("values" IS NOT NULL) AND ("values" IS NULL OR jsonb_typeof("values") = 'object')),
        CONSTRAINT chk_config_schedules_status CHECK (status IN ('pending', 'done', 'failed', 'cancelled')),
        CONSTRAINT chk_config_schedules_attempts CHECK (attempts >= 0),
        CONSTRAINT chk_config_schedules_finished CHECK ((status = 'pending') = (finished_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idx_config_schedules_due ON config_schedules (run_at) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX idx_config_schedules_profile ON config_schedules (profile_id, run_at DESC)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE config_schedules`);
  }
}
