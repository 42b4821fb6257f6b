import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each change of a scheduled change's state (made, run, failed, retried, cancelled, also by hand
 * in SQL) is announced to every instance, whose change streams send it on as `event: schedule`:
 * a schedule page shows a run or a failure as it happens, not at its next reload.
 */
export class ScheduleNotify1797600000000 implements MigrationInterface {
  name = 'ScheduleNotify1797600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION fn_notify_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchboard_config', json_build_object('kind', 'schedule', 'id', NEW.id, 'profile_id', NEW.profile_id, 'status', NEW.status)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_schedules_notify AFTER INSERT OR UPDATE OF status, attempts, last_error ON config_schedules
        FOR EACH ROW EXECUTE FUNCTION fn_notify_schedule()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_config_schedules_notify ON config_schedules`);
    await queryRunner.query(`DROP FUNCTION fn_notify_schedule()`);
  }
}
