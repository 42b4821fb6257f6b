import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Profiles in one chain, the profile itself and everything it inherits from: at most this many. */
export const PROFILE_CHAIN_LIMIT = 5;

/**
 * Profile inheritance, the tree (issue 19, first step): a profile may name a parent. The database
 * keeps it a tree whatever writes it: no profile is its own ancestor, a chain holds at most five
 * profiles, and a parent cannot be deleted while profiles inherit from it (the refusal names them).
 * The checks are serialised by an advisory lock, so that two re-parentings at the same moment
 * cannot build a cycle that each alone would not (under READ COMMITTED, the second sees the first).
 * The key is deferrable so that a restore can insert a child before its parent.
 */
export class ProfileParents1797700000000 implements MigrationInterface {
  name = 'ProfileParents1797700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE config_profiles
        ADD COLUMN parent_profile_id integer
          CONSTRAINT config_profiles_parent_profile_id_fkey REFERENCES config_profiles (id) DEFERRABLE INITIALLY IMMEDIATE,
        ADD CONSTRAINT chk_config_profiles_parent_not_self CHECK (parent_profile_id <> id)`);
    await queryRunner.query(`CREATE INDEX idx_config_profiles_parent ON config_profiles (parent_profile_id) WHERE parent_profile_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_profiles_tree() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        above integer;
        below integer;
        looped boolean;
      BEGIN
        IF NEW.parent_profile_id IS NULL THEN
          RETURN NEW;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('switchboard.config_profiles.parent'));
        -- The parent's chain, the parent included, up to this profile if it is in it (a cycle).
        WITH RECURSIVE chain (id, parent, n) AS (
          SELECT id, parent_profile_id, 1 FROM config_profiles WHERE id = NEW.parent_profile_id
          UNION ALL
          SELECT p.id, p.parent_profile_id, chain.n + 1 FROM config_profiles p JOIN chain ON p.id = chain.parent
           WHERE chain.id <> NEW.id AND chain.n <= ${PROFILE_CHAIN_LIMIT * 2}
        )
        SELECT max(n), coalesce(bool_or(id = NEW.id), false) INTO above, looped FROM chain;
        IF looped THEN
          RAISE EXCEPTION 'profile % cannot inherit from profile %, which inherits from it', NEW.id, NEW.parent_profile_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_config_profiles_no_cycle';
        END IF;
        -- The levels of profiles inheriting from this one.
        WITH RECURSIVE subtree (id, n) AS (
          SELECT NEW.id, 0
          UNION ALL
          SELECT p.id, subtree.n + 1 FROM config_profiles p JOIN subtree ON p.parent_profile_id = subtree.id WHERE subtree.n <= ${PROFILE_CHAIN_LIMIT * 2}
        )
        SELECT max(n) INTO below FROM subtree;
        IF coalesce(above, 0) + 1 + below > ${PROFILE_CHAIN_LIMIT} THEN
          RAISE EXCEPTION 'a chain of inheritance holds at most ${PROFILE_CHAIN_LIMIT} profiles: profile % under profile % would make one of %',
            NEW.id, NEW.parent_profile_id, coalesce(above, 0) + 1 + below
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_config_profiles_chain_length';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_profiles_tree BEFORE INSERT OR UPDATE OF parent_profile_id ON config_profiles
        FOR EACH ROW EXECUTE FUNCTION fn_config_profiles_tree()`);
    await queryRunner.query(`
      CREATE FUNCTION fn_profile_without_children() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE children text;
      BEGIN
        SELECT string_agg(format('"%s"', name), ', ' ORDER BY name) INTO children FROM config_profiles WHERE parent_profile_id = OLD.id;
        IF children IS NOT NULL THEN
          RAISE EXCEPTION 'Profile "%" is the parent of %: give them another parent or detach them first.', OLD.name, children
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_profile_without_children BEFORE DELETE ON config_profiles
        FOR EACH ROW EXECUTE FUNCTION fn_profile_without_children()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_profile_without_children ON config_profiles`);
    await queryRunner.query(`DROP FUNCTION fn_profile_without_children()`);
    await queryRunner.query(`DROP TRIGGER trg_config_profiles_tree ON config_profiles`);
    await queryRunner.query(`DROP FUNCTION fn_config_profiles_tree()`);
    await queryRunner.query(`ALTER TABLE config_profiles DROP COLUMN parent_profile_id`);
  }
}
