import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Domains as data: a registry of configuration domains that users define with a JSON Schema, and
 * each profile's values for them as jsonb (validated by the application against the schema; the
 * database holds the shape it can check itself: an object per profile and domain).
 *
 * - `config_domains`: name (the same pattern the API checks), title, description, schema, version.
 *   A domain with values cannot be deleted (RESTRICT): values go first, on purpose.
 * - `config_domain_values`: one row per profile and domain, deleted with the profile; `version`
 *   and `updated_at` move on every update (fn_touch_row), like the built-in domains' rows.
 * - `config_history.domain` takes any domain name, no longer a fixed list.
 * - Changes made outside the API are announced like those of the other configuration tables; a
 *   change to the registry itself announces every profile (its defaults may have changed).
 * - The change notification reads a custom domain's version from the entry's snapshot.
 */
export class DomainRegistry1795800000000 implements MigrationInterface {
  name = 'DomainRegistry1795800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE config_domains (
        name        varchar(63) PRIMARY KEY CONSTRAINT chk_config_domains_name CHECK (name ~ '^[a-z][a-z0-9_]{1,62}$'),
        title       varchar(200) NOT NULL CONSTRAINT chk_config_domains_title_not_blank CHECK (btrim(title) <> ''),
        description text CONSTRAINT chk_config_domains_description_length CHECK (char_length(description) <= 2000),
        schema      jsonb NOT NULL CONSTRAINT chk_config_domains_schema_object CHECK (jsonb_typeof(schema) = 'object'),
        version     integer NOT NULL DEFAULT 1,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  varchar(255) NOT NULL,
        updated_by  varchar(255) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE config_domain_values (
        id         serial PRIMARY KEY,
        profile_id integer NOT NULL REFERENCES config_profiles (id) ON DELETE CASCADE,
        domain     varchar(63) NOT NULL REFERENCES config_domains (name) ON DELETE RESTRICT,
        "values"   jsonb NOT NULL CONSTRAINT chk_config_domain_values_object CHECK (jsonb_typeof("values") = 'object'),
        version    integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by varchar(255) NOT NULL,
        CONSTRAINT uq_config_domain_values_profile_domain UNIQUE (profile_id, domain)
      )`);
    await queryRunner.query(`CREATE INDEX idx_config_domain_values_domain ON config_domain_values (domain)`);
    for (const table of ['config_domains', 'config_domain_values']) {
      await queryRunner.query(`CREATE TRIGGER trg_${table}_touch BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION fn_touch_row()`);
    }
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER trg_config_domain_values_notify_external AFTER INSERT OR UPDATE OR DELETE ON config_domain_values
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fn_config_rows_notify_external('profile_id')`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_domain_values_notify_truncate AFTER TRUNCATE ON config_domain_values
      FOR EACH STATEMENT EXECUTE FUNCTION fn_config_tables_notify_truncate()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_domains_notify_all AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON config_domains
      FOR EACH STATEMENT EXECUTE FUNCTION fn_config_tables_notify_truncate()`);

    await queryRunner.query(`ALTER TABLE config_history DROP CONSTRAINT chk_config_history_domain`);
    await queryRunner.query(`ALTER TABLE config_history ALTER COLUMN domain TYPE varchar(63)`);
    await queryRunner.query(`
      ALTER TABLE config_history ADD CONSTRAINT chk_config_history_domain CHECK (domain ~ '^[a-z][a-z0-9_]{1,62}$')`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION fn_config_history_change(entry config_history) RETURNS json LANGUAGE sql STABLE AS $$
        SELECT json_build_object(
          'history_id', entry.id,
          -- After a delete, the foreign key has cleared profile_id; the snapshot still names it.
          'profile_id', coalesce(entry.profile_id, (entry.snapshot ->> 'id')::int),
          'profile_name', entry.profile_name,
          'domain', entry.domain,
          'action', entry.action,
          'version', CASE
            WHEN entry.domain = 'profile' THEN (entry.snapshot ->> 'version')::int
            WHEN entry.domain IN ('ai_infra', 'mlflow', 'prompts') THEN (entry.snapshot -> entry.domain ->> 'version')::int
            WHEN entry.domain <> 'genie' THEN (entry.snapshot -> 'domains' -> entry.domain ->> 'version')::int
          END,
          'session_id', entry.changes -> 'session_id' ->> 'new',
          'timestamp', entry."timestamp"
        )
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION fn_config_history_change(entry config_history) RETURNS json LANGUAGE sql STABLE AS $$
        SELECT json_build_object(
          'history_id', entry.id,
          'profile_id', coalesce(entry.profile_id, (entry.snapshot ->> 'id')::int),
          'profile_name', entry.profile_name,
          'domain', entry.domain,
          'action', entry.action,
          'version', CASE
            WHEN entry.domain = 'profile' THEN (entry.snapshot ->> 'version')::int
            WHEN entry.domain IN ('ai_infra', 'mlflow', 'prompts') THEN (entry.snapshot -> entry.domain ->> 'version')::int
          END,
          'session_id', entry.changes -> 'session_id' ->> 'new',
          'timestamp', entry."timestamp"
        )
      $$`);
    // Entries of custom domains cannot go back under the fixed list: the revert refuses while any exist.
    await queryRunner.query(`ALTER TABLE config_history DROP CONSTRAINT chk_config_history_domain`);
    await queryRunner.query(`ALTER TABLE config_history ALTER COLUMN domain TYPE varchar(20)`);
    await queryRunner.query(`
      ALTER TABLE config_history ADD CONSTRAINT chk_config_history_domain CHECK (domain IN ('profile', 'ai_infra', 'genie', 'mlflow', 'prompts'))`);
    await queryRunner.query(`DROP TABLE config_domain_values`);
    await queryRunner.query(`DROP TABLE config_domains`);
  }
}
