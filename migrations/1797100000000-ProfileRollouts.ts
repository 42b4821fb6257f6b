import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gradual rollout: a profile may carry one candidate (another profile) and the percentage of
 * subjects sent to it. The database keeps rollouts one level deep (a candidate has no rollout of
 * its own, and a profile in a rollout is nobody's candidate), serialising the check so that two
 * concurrent starts cannot build a chain; it refuses to delete a profile while it is a candidate,
 * and announces rows changed by hand like those of every configuration table.
 */
export class ProfileRollouts1797100000000 implements MigrationInterface {
  name = 'ProfileRollouts1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE profile_rollouts (
        profile_id integer PRIMARY KEY REFERENCES config_profiles (id) ON DELETE CASCADE,
        candidate_profile_id integer NOT NULL REFERENCES config_profiles (id),
        percentage smallint NOT NULL,
        started_by varchar(255) NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_profile_rollouts_percentage CHECK (percentage BETWEEN 0 AND 100),
        CONSTRAINT chk_profile_rollouts_not_self CHECK (candidate_profile_id <> profile_id)
      )`);
    await queryRunner.query(`CREATE INDEX idx_profile_rollouts_candidate ON profile_rollouts (candidate_profile_id)`);
    await queryRunner.query(`
      CREATE FUNCTION fn_profile_rollouts_one_level() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('switchboard.profile_rollouts'));
        IF EXISTS (SELECT 1 FROM profile_rollouts WHERE profile_id = NEW.candidate_profile_id) THEN
          RAISE EXCEPTION 'profile % has a rollout of its own: it cannot be a candidate', NEW.candidate_profile_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_profile_rollouts_one_level';
        END IF;
        IF EXISTS (SELECT 1 FROM profile_rollouts WHERE candidate_profile_id = NEW.profile_id) THEN
          RAISE EXCEPTION 'profile % is the candidate of another rollout: it cannot have one', NEW.profile_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_profile_rollouts_one_level';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_profile_rollouts_one_level BEFORE INSERT OR UPDATE OF profile_id, candidate_profile_id ON profile_rollouts
        FOR EACH ROW EXECUTE FUNCTION fn_profile_rollouts_one_level()`);
    // Rows changed by hand (psql) reach every instance like other configuration rows.
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER trg_profile_rollouts_notify_external AFTER INSERT OR UPDATE OR DELETE ON profile_rollouts
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fn_config_rows_notify_external('profile_id')`);
    await queryRunner.query(`
      CREATE TRIGGER trg_profile_rollouts_notify_truncate AFTER TRUNCATE ON profile_rollouts
        FOR EACH STATEMENT EXECUTE FUNCTION fn_config_tables_notify_truncate()`);
    await queryRunner.query(`
      CREATE FUNCTION fn_profile_not_a_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE rolled text;
      BEGIN
        SELECT p.name INTO rolled FROM profile_rollouts r JOIN config_profiles p ON p.id = r.profile_id WHERE r.candidate_profile_id = OLD.id LIMIT 1;
        IF rolled IS NOT NULL THEN
          RAISE EXCEPTION 'Profile "%" is the candidate of a rollout on profile "%": promote or abort that rollout first.', OLD.name, rolled
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_profile_not_a_candidate BEFORE DELETE ON config_profiles
        FOR EACH ROW EXECUTE FUNCTION fn_profile_not_a_candidate()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_profile_not_a_candidate ON config_profiles`);
    await queryRunner.query(`DROP FUNCTION fn_profile_not_a_candidate()`);
    await queryRunner.query(`DROP TABLE profile_rollouts`);
    await queryRunner.query(`DROP FUNCTION fn_profile_rollouts_one_level()`);
  }
}
