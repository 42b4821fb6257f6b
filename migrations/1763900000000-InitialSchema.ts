import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every table of the data model, with the rules the database enforces itself:
 * - one default profile, one default Genie space per profile (partial unique indexes);
 * - setting a default demotes the previous one (BEFORE triggers, serialised by an advisory
 *   lock so concurrent "set default" calls queue instead of failing or deadlocking);
 * - the last default cannot be unset, nor deleted while other rows would be left without one;
 * - the first profile (or first Genie space of a profile) becomes the default by itself;
 * - versions and updated_at move on every update, whoever writes (the API or hand-written SQL);
 * - history is append-only and keeps the profile's name after the profile is gone.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION fn_touch_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        NEW.updated_at := now();
        RETURN NEW;
      END $$`);

    await queryRunner.query(`
      CREATE TABLE config_profiles (
        id          serial PRIMARY KEY,
        name        varchar(100) NOT NULL CONSTRAINT chk_config_profiles_name_not_blank CHECK (btrim(name) <> ''),
        description text CONSTRAINT chk_config_profiles_description_length CHECK (char_length(description) <= 2000),
        is_default  boolean NOT NULL DEFAULT false,
        version     integer NOT NULL DEFAULT 1,
        created_at  timestamptz NOT NULL DEFAULT now(),
        created_by  varchar(255),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        updated_by  varchar(255)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_config_profiles_name_ci ON config_profiles (lower(name))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_config_profiles_single_default ON config_profiles (is_default) WHERE is_default`,
    );

    await queryRunner.query(`
      CREATE TABLE config_ai_infra (
        id                  serial PRIMARY KEY,
        profile_id          integer NOT NULL UNIQUE REFERENCES config_profiles (id) ON DELETE CASCADE,
        llm_endpoint        varchar(255) NOT NULL CONSTRAINT chk_config_ai_infra_endpoint_not_blank CHECK (btrim(llm_endpoint) <> ''),
        llm_temperature     numeric(3, 2) NOT NULL CONSTRAINT chk_config_ai_infra_temperature_range CHECK (llm_temperature BETWEEN 0 AND 1),
        llm_max_tokens      integer NOT NULL CONSTRAINT chk_config_ai_infra_max_tokens_range CHECK (llm_max_tokens BETWEEN 1 AND 1000000),
        llm_top_p           numeric(3, 2) NOT NULL DEFAULT 1 CONSTRAINT chk_config_ai_infra_top_p_range CHECK (llm_top_p BETWEEN 0 AND 1),
        llm_timeout_seconds integer NOT NULL DEFAULT 120 CONSTRAINT chk_config_ai_infra_timeout_range CHECK (llm_timeout_seconds BETWEEN 1 AND 3600),
        version             integer NOT NULL DEFAULT 1,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE config_genie_spaces (
        id          serial PRIMARY KEY,
        profile_id  integer NOT NULL REFERENCES config_profiles (id) ON DELETE CASCADE,
        space_id    varchar(255) NOT NULL CONSTRAINT chk_config_genie_spaces_space_id_not_blank CHECK (btrim(space_id) <> ''),
        space_name  varchar(255) NOT NULL CONSTRAINT chk_config_genie_spaces_name_not_blank CHECK (btrim(space_name) <> ''),
        description text CONSTRAINT chk_config_genie_spaces_description_length CHECK (char_length(description) <= 2000),
        is_default  boolean NOT NULL DEFAULT false,
        version     integer NOT NULL DEFAULT 1,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_config_genie_spaces_profile_space UNIQUE (profile_id, space_id)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_config_genie_spaces_single_default ON config_genie_spaces (profile_id) WHERE is_default`,
    );

    await queryRunner.query(`
      CREATE TABLE config_mlflow (
        id              serial PRIMARY KEY,
        profile_id      integer NOT NULL UNIQUE REFERENCES config_profiles (id) ON DELETE CASCADE,
        experiment_name varchar(255) NOT NULL CONSTRAINT chk_config_mlflow_experiment_not_blank CHECK (btrim(experiment_name) <> ''),
        version         integer NOT NULL DEFAULT 1,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE config_prompts (
        id                         serial PRIMARY KEY,
        profile_id                 integer NOT NULL UNIQUE REFERENCES config_profiles (id) ON DELETE CASCADE,
        system_prompt              text NOT NULL CONSTRAINT chk_config_prompts_system_length CHECK (char_length(system_prompt) <= 200000),
        slide_editing_instructions text NOT NULL CONSTRAINT chk_config_prompts_editing_length CHECK (char_length(slide_editing_instructions) <= 200000),
        user_prompt_template       text NOT NULL CONSTRAINT chk_config_prompts_template_length CHECK (char_length(user_prompt_template) <= 200000),
        version                    integer NOT NULL DEFAULT 1,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE config_history (
        id           bigserial PRIMARY KEY,
        profile_id   integer REFERENCES config_profiles (id) ON DELETE SET NULL,
        profile_name varchar(100) NOT NULL,
        domain       varchar(20) NOT NULL CONSTRAINT chk_config_history_domain
                       CHECK (domain IN ('profile', 'ai_infra', 'genie', 'mlflow', 'prompts')),
        action       varchar(20) NOT NULL CONSTRAINT chk_config_history_action
                       CHECK (action IN ('create', 'update', 'delete', 'set_default', 'duplicate', 'load', 'restore', 'import')),
        changed_by   varchar(255) NOT NULL,
        changes      jsonb NOT NULL DEFAULT '{}'::jsonb,
        snapshot     jsonb,
        "timestamp"  timestamptz NOT NULL DEFAULT now(),
        request_id   varchar(100)
      )`);
    // Newest-first listings, overall and filtered; (timestamp, id) is the paging cursor.
    await queryRunner.query(`CREATE INDEX idx_config_history_time ON config_history ("timestamp" DESC, id DESC)`);
    await queryRunner.query(
      `CREATE INDEX idx_config_history_profile_time ON config_history (profile_id, "timestamp" DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_config_history_domain_time ON config_history (domain, "timestamp" DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_config_history_changed_by_time ON config_history (changed_by, "timestamp" DESC, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE agent_sessions (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        profile_id   integer NOT NULL REFERENCES config_profiles (id), -- NO ACTION: 23503 "still referenced"
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_agent_sessions_profile ON agent_sessions (profile_id)`);

    for (const table of ['config_profiles', 'config_ai_infra', 'config_genie_spaces', 'config_mlflow', 'config_prompts']) {
      await queryRunner.query(
        `CREATE TRIGGER trg_${table}_touch BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION fn_touch_row()`,
      );
    }

    await this.createProfileDefaultRules(queryRunner);
    await this.createGenieDefaultRules(queryRunner);
    await this.createHistoryAppendOnlyRule(queryRunner);
  }

  private async createProfileDefaultRules(queryRunner: QueryRunner): Promise<void> {
    await this.serialiseDefaultChanges(queryRunner, 'config_profiles');
    // 'switchboard.replacing_default' marks the demotion done by this trigger, so the guard
    // below lets it through while still refusing a plain "unset the default".
    await queryRunner.query(`
      CREATE FUNCTION fn_config_profiles_single_default() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT NEW.is_default AND NOT EXISTS (SELECT 1 FROM config_profiles WHERE is_default AND id <> NEW.id) THEN
          -- the first profile becomes the default
          IF TG_OP = 'INSERT' THEN
            NEW.is_default := true;
          END IF;
          RETURN NEW;
        END IF;
        IF NEW.is_default THEN
          PERFORM set_config('switchboard.replacing_default', 'on', true);
          UPDATE config_profiles SET is_default = false WHERE is_default AND id <> NEW.id;
          PERFORM set_config('switchboard.replacing_default', 'off', true);
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_profiles_single_default
        BEFORE INSERT OR UPDATE OF is_default ON config_profiles
        FOR EACH ROW EXECUTE FUNCTION fn_config_profiles_single_default()`);

    await queryRunner.query(`
      CREATE FUNCTION fn_config_profiles_keep_default() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF current_setting('switchboard.replacing_default', true) = 'on' THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'profile "%" is the default profile; set another profile as default instead', OLD.name
            USING ERRCODE = 'restrict_violation', TABLE = 'config_profiles', CONSTRAINT = 'trg_config_profiles_keep_default';
        END IF;
        IF EXISTS (SELECT 1 FROM config_profiles WHERE id <> OLD.id) THEN
          RAISE EXCEPTION 'profile "%" is the default profile and cannot be deleted; set another profile as default first', OLD.name
            USING ERRCODE = 'restrict_violation', TABLE = 'config_profiles', CONSTRAINT = 'trg_config_profiles_keep_default';
        END IF;
        RETURN OLD;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_profiles_keep_default
        BEFORE UPDATE OF is_default ON config_profiles
        FOR EACH ROW WHEN (OLD.is_default AND NOT NEW.is_default) EXECUTE FUNCTION fn_config_profiles_keep_default()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_profiles_keep_default_on_delete
        BEFORE DELETE ON config_profiles
        FOR EACH ROW WHEN (OLD.is_default) EXECUTE FUNCTION fn_config_profiles_keep_default()`);
  }

  private async createGenieDefaultRules(queryRunner: QueryRunner): Promise<void> {
    await this.serialiseDefaultChanges(queryRunner, 'config_genie_spaces');
    await queryRunner.query(`
      CREATE FUNCTION fn_config_genie_spaces_single_default() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT NEW.is_default AND NOT EXISTS (
          SELECT 1 FROM config_genie_spaces WHERE profile_id = NEW.profile_id AND is_default AND id <> NEW.id
        ) THEN
          -- the first space of a profile becomes its default
          IF TG_OP = 'INSERT' THEN
            NEW.is_default := true;
          END IF;
          RETURN NEW;
        END IF;
        IF NEW.is_default THEN
          PERFORM set_config('switchboard.replacing_default', 'on', true);
          UPDATE config_genie_spaces SET is_default = false
           WHERE profile_id = NEW.profile_id AND is_default AND id <> NEW.id;
          PERFORM set_config('switchboard.replacing_default', 'off', true);
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_genie_spaces_single_default
        BEFORE INSERT OR UPDATE OF is_default ON config_genie_spaces
        FOR EACH ROW EXECUTE FUNCTION fn_config_genie_spaces_single_default()`);

    // A cascaded delete from config_profiles runs after the profile row is gone: let it through.
    await queryRunner.query(keepGenieDefaultFunction({ replace: false }));
    await queryRunner.query(`
      CREATE TRIGGER trg_config_genie_spaces_keep_default
        BEFORE UPDATE OF is_default ON config_genie_spaces
        FOR EACH ROW WHEN (OLD.is_default AND NOT NEW.is_default) EXECUTE FUNCTION fn_config_genie_spaces_keep_default()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_genie_spaces_keep_default_on_delete
        BEFORE DELETE ON config_genie_spaces
        FOR EACH ROW WHEN (OLD.is_default) EXECUTE FUNCTION fn_config_genie_spaces_keep_default()`);
  }

  /**
   * Statements that may move a default queue on one advisory lock, taken before any row is
   * locked: the demoting row trigger then sees the latest committed default (fresh snapshot)
   * instead of failing on the unique index or deadlocking with another "set default".
   */
  private async serialiseDefaultChanges(queryRunner: QueryRunner, table: string): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION fn_${table}_lock_default() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('${table}.is_default'));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_${table}_lock_default
        BEFORE INSERT OR UPDATE OF is_default ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION fn_${table}_lock_default()`);
  }

  private async createHistoryAppendOnlyRule(queryRunner: QueryRunner): Promise<void> {
    // The only change allowed is the foreign key's own ON DELETE SET NULL.
    await queryRunner.query(`
      CREATE FUNCTION fn_config_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.profile_id IS NULL
           AND (to_jsonb(NEW) - 'profile_id') = (to_jsonb(OLD) - 'profile_id') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'config_history is append-only: entries cannot be changed or deleted'
          USING ERRCODE = 'restrict_violation', TABLE = 'config_history', CONSTRAINT = 'trg_config_history_append_only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_history_append_only
        BEFORE UPDATE OR DELETE ON config_history
        FOR EACH ROW EXECUTE FUNCTION fn_config_history_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE agent_sessions`);
    await queryRunner.query(`DROP TABLE config_history`);
    await queryRunner.query(`DROP TABLE config_prompts`);
    await queryRunner.query(`DROP TABLE config_mlflow`);
    await queryRunner.query(`DROP TABLE config_genie_spaces`);
    await queryRunner.query(`DROP TABLE config_ai_infra`);
    await queryRunner.query(`DROP TABLE config_profiles`);
    for (const fn of [
      'fn_config_history_append_only',
      'fn_config_genie_spaces_keep_default',
      'fn_config_genie_spaces_single_default',
      'fn_config_genie_spaces_lock_default',
      'fn_config_profiles_keep_default',
      'fn_config_profiles_single_default',
      'fn_config_profiles_lock_default',
      'fn_touch_row',
    ]) {
      await queryRunner.query(`DROP FUNCTION ${fn}()`);
    }
  }
}

/**
 * The guard of a profile's default Genie space: it cannot be unset or deleted while the profile has
 * other spaces (a cascaded delete, after the profile row is gone, goes through). InheritedItems
 * widens it and restores this text when undone.
 */
export function keepGenieDefaultFunction({ replace }: { replace: boolean }): string {
  return `
      CREATE ${replace ? 'OR REPLACE ' : ''}FUNCTION fn_config_genie_spaces_keep_default() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF current_setting('switchboard.replacing_default', true) = 'on' THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'Genie space "%" is the default of its profile; set another space as default instead', OLD.space_id
            USING ERRCODE = 'restrict_violation', TABLE = 'config_genie_spaces', CONSTRAINT = 'trg_config_genie_spaces_keep_default';
        END IF;
        IF EXISTS (SELECT 1 FROM config_profiles WHERE id = OLD.profile_id)
           AND EXISTS (SELECT 1 FROM config_genie_spaces WHERE profile_id = OLD.profile_id AND id <> OLD.id) THEN
          RAISE EXCEPTION 'Genie space "%" is the default of its profile and cannot be deleted; set another space as default first', OLD.space_id
            USING ERRCODE = 'restrict_violation', TABLE = 'config_genie_spaces', CONSTRAINT = 'trg_config_genie_spaces_keep_default';
        END IF;
        RETURN OLD;
      END $$`;
}
