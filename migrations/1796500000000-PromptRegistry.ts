import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The prompt registry's model (the API comes next): named prompts per profile, immutable numbered
 * versions, and labels that point at one version each.
 *
 * - `config_registry_prompts`: a name unique per profile, a description, declared variables (a
 *   JSON array: name, description, required, sample), and `latest_version`, the counter versions
 *   are numbered from. Deleted with the profile.
 * - `config_registry_prompt_versions`: numbered 1, 2, … without gaps per prompt, by the database:
 *   an insert takes its number from the prompt row it increments, so concurrent inserts queue on
 *   that row and a rolled-back one gives its number back. A version never changes (trigger).
 * - `config_registry_prompt_labels`: `production`, `staging` or any name but `latest` (implicit),
 *   pointing at a version of the same prompt by construction (composite foreign key).
 * - Changes made outside the API are announced like those of the other configuration tables
 *   (NotifyExternalChanges); versions and labels name their profile through their prompt.
 */
export class PromptRegistry1796500000000 implements MigrationInterface {
  name = 'PromptRegistry1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE config_registry_prompts (
        id             serial PRIMARY KEY,
        profile_id     integer NOT NULL REFERENCES config_profiles (id) ON DELETE CASCADE,
        name           varchar(100) NOT NULL CONSTRAINT chk_config_registry_prompts_name CHECK (name ~ '^[a-z][a-z0-9_.-]{0,99}$'),
        description    text NOT NULL DEFAULT '' CONSTRAINT chk_config_registry_prompts_description_length CHECK (char_length(description) <= 2000),
        variables      jsonb NOT NULL DEFAULT '[]' CONSTRAINT chk_config_registry_prompts_variables_array CHECK (jsonb_typeof(variables) = 'array'),
        latest_version integer NOT NULL DEFAULT 0 CONSTRAINT chk_config_registry_prompts_latest_version CHECK (latest_version >= 0),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        created_by     varchar(255) NOT NULL,
        CONSTRAINT uq_config_registry_prompts_profile_name UNIQUE (profile_id, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE config_registry_prompt_versions (
        prompt_id        integer NOT NULL REFERENCES config_registry_prompts (id) ON DELETE CASCADE,
        version          integer NOT NULL CONSTRAINT chk_config_registry_prompt_versions_version CHECK (version >= 1),
        template         text NOT NULL CONSTRAINT chk_config_registry_prompt_versions_template_length CHECK (char_length(template) <= 200000),
        model_parameters jsonb CONSTRAINT chk_config_registry_prompt_versions_parameters_object CHECK (jsonb_typeof(model_parameters) = 'object'),
        message          varchar(500) NOT NULL DEFAULT '',
        created_by       varchar(255) NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_config_registry_prompt_versions PRIMARY KEY (prompt_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE config_registry_prompt_labels (
        prompt_id  integer NOT NULL,
        label      varchar(50) NOT NULL CONSTRAINT chk_config_registry_prompt_labels_label CHECK (label ~ '^[a-z][a-z0-9_-]{0,49}$' AND label <> 'latest'),
        version    integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by varchar(255) NOT NULL,
        CONSTRAINT pk_config_registry_prompt_labels PRIMARY KEY (prompt_id, label),
        CONSTRAINT fk_config_registry_prompt_labels_version FOREIGN KEY (prompt_id, version)
          REFERENCES config_registry_prompt_versions (prompt_id, version) ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_prompt_version_number() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE config_registry_prompts SET latest_version = latest_version + 1, updated_at = now()
          WHERE id = NEW.prompt_id RETURNING latest_version INTO NEW.version;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'prompt % does not exist', NEW.prompt_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_registry_prompt_versions_number BEFORE INSERT ON config_registry_prompt_versions
      FOR EACH ROW EXECUTE FUNCTION fn_registry_prompt_version_number()`);
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_prompt_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'prompt versions are immutable: add a new version instead' USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_registry_prompt_versions_immutable BEFORE UPDATE ON config_registry_prompt_versions
      FOR EACH ROW EXECUTE FUNCTION fn_registry_prompt_version_immutable()`);
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_rows_notify_external() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        profile integer := (SELECT profile_id FROM config_registry_prompts
                             WHERE id = (to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> 'prompt_id')::int);
      BEGIN
        -- NULL: the prompt itself went, and its own trigger announced that.
        IF profile IS NOT NULL AND position(',' || profile || ',' IN coalesce(current_setting('switchboard.audited_profiles', true), '')) = 0 THEN
          PERFORM pg_notify('switchboard_config', json_build_object('kind', 'external', 'profile_id', profile)::text);
        END IF;
        RETURN NULL;
      END $$`);
    for (const [table, announce] of [
      ['config_registry_prompts', `fn_config_rows_notify_external('profile_id')`],
      ['config_registry_prompt_versions', 'fn_registry_rows_notify_external()'],
      ['config_registry_prompt_labels', 'fn_registry_rows_notify_external()'],
    ]) {
      await queryRunner.query(`
        CREATE CONSTRAINT TRIGGER trg_${table}_notify_external AFTER INSERT OR UPDATE OR DELETE ON ${table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${announce}`);
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_notify_truncate AFTER TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION fn_config_tables_notify_truncate()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE config_registry_prompt_labels`);
    await queryRunner.query(`DROP TABLE config_registry_prompt_versions`);
    await queryRunner.query(`DROP TABLE config_registry_prompts`);
    await queryRunner.query(`DROP FUNCTION fn_registry_prompt_version_immutable()`);
    await queryRunner.query(`DROP FUNCTION fn_registry_prompt_version_number()`);
    await queryRunner.query(`DROP FUNCTION fn_registry_rows_notify_external()`);
  }
}
