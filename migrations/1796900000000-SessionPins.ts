import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions follow their profile, or are pinned: a pinned session keeps the configuration of one
 * history entry of its profile (the audited load that pinned it; its snapshot is the profile as
 * it was) and the prompt-registry versions served then. The database checks that the entry
 * belongs to the session's profile, so no write (or hand-written SQL) pins a session to another
 * profile's past. The key into config_history is deferred: a restore writes sessions before the
 * history they point into.
 */
export class SessionPins1796900000000 implements MigrationInterface {
  name = 'SessionPins1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE agent_sessions
        ADD COLUMN pinned_history_id bigint,
        ADD COLUMN pinned_prompts jsonb,
        ADD CONSTRAINT agent_sessions_pinned_history_id_fkey FOREIGN KEY (pinned_history_id) REFERENCES config_history (id) DEFERRABLE INITIALLY DEFERRED,
        ADD CONSTRAINT chk_agent_sessions_pin_whole CHECK ((pinned_history_id IS NULL) = (pinned_prompts IS NULL)),
        ADD CONSTRAINT chk_agent_sessions_pinned_prompts CHECK (jsonb_typeof(pinned_prompts) = 'object')`);
    await queryRunner.query(`
      CREATE FUNCTION fn_agent_sessions_pin_of_profile() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.pinned_history_id IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM config_history h
           WHERE h.id = NEW.pinned_history_id AND h.profile_id = NEW.profile_id AND h.subject = 'profile' AND h.snapshot IS NOT NULL
        ) THEN
          RAISE EXCEPTION 'session % is pinned to history entry %, which is not a snapshot of its profile %', NEW.id, NEW.pinned_history_id, NEW.profile_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_agent_sessions_pin_of_profile';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_agent_sessions_pin_of_profile
        BEFORE INSERT OR UPDATE OF pinned_history_id, profile_id ON agent_sessions
        FOR EACH ROW EXECUTE FUNCTION fn_agent_sessions_pin_of_profile()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_agent_sessions_pin_of_profile ON agent_sessions`);
    await queryRunner.query(`DROP FUNCTION fn_agent_sessions_pin_of_profile()`);
    await queryRunner.query(`
      ALTER TABLE agent_sessions
        DROP CONSTRAINT chk_agent_sessions_pinned_prompts, DROP CONSTRAINT chk_agent_sessions_pin_whole,
        DROP CONSTRAINT agent_sessions_pinned_history_id_fkey, DROP COLUMN pinned_prompts, DROP COLUMN pinned_history_id`);
  }
}
