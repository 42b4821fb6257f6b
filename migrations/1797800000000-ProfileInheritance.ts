import type { MigrationInterface, QueryRunner } from 'typeorm';
import { profileDetailFunction } from './1796100000000-ProfileDetailFunction.js';

/** The built-in one-row domains' tables and the fields a child may take from its parent. */
export const INHERITABLE_FIELDS = {
  config_ai_infra: ['llm_endpoint', 'llm_temperature', 'llm_max_tokens', 'llm_top_p', 'llm_timeout_seconds', 'require_probe'],
  config_mlflow: ['experiment_name'],
  config_prompts: ['system_prompt', 'slide_editing_instructions', 'user_prompt_template'],
} as const;

const ACTIONS_BEFORE = `'create', 'update', 'delete', 'set_default', 'duplicate', 'load', 'restore', 'import'`;

/**
 * Profile inheritance, the values (issue 19, second step), for the one-row domains: the built-in
 * ones (ai_infra, mlflow, prompts) field by field, and registered domains by top-level key.
 *
 * Each row lists in `inherited` the fields it takes from its parent's row; the others are its own
 * (overrides). The row also holds the inherited values themselves, kept equal to the parent's by
 * triggers, so that every reader (resolved, the detail, snapshots, pinned sessions, compare) sees
 * complete values without walking the chain. The database keeps that true whoever writes:
 *
 * - Writing a field changes what it is: a value equal to the parent's inherits, any other is an
 *   override. Fields the write leaves alone keep what they were; adding a field to `inherited`
 *   resets it to the parent's value. A profile without a parent inherits nothing.
 * - A change of a row passes down to the rows that inherit the changed fields, level by level.
 * - A profile that gets a parent inherits every field equal to the parent's (its values do not
 *   move); one that changes parent takes the new parent's values for the fields it inherits; one
 *   detached keeps its values, all its own.
 * - Registered domains store only what is set: a key the parent sets and the child does not is
 *   inherited (a child without a row gets one), a key a write removes is inherited again, and a
 *   key neither sets takes the schema's default.
 *
 * History gets an action `inherit`: the entry a child gets when a change of an ancestor reaches it.
 */
export class ProfileInheritance1797800000000 implements MigrationInterface {
  name = 'ProfileInheritance1797800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, fields] of Object.entries(INHERITABLE_FIELDS)) {
      await queryRunner.query(`
        ALTER TABLE ${table} ADD COLUMN inherited text[] NOT NULL DEFAULT '{}'
          CONSTRAINT chk_${table}_inherited_fields CHECK (inherited <@ ${textArray(fields)})`);
    }
    await queryRunner.query(`
      CREATE FUNCTION fn_config_row_inherit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        parent_id integer;
        parent_row jsonb;
        new_row jsonb := to_jsonb(NEW);
        old_row jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
        inherited text[] := '{}';
        patch jsonb := '{}';
        field text;
      BEGIN
        SELECT parent_profile_id INTO parent_id FROM config_profiles WHERE id = NEW.profile_id;
        IF parent_id IS NOT NULL THEN
          EXECUTE format('SELECT to_jsonb(t) FROM %I t WHERE profile_id = $1', TG_TABLE_NAME) INTO parent_row USING parent_id;
        END IF;
        IF parent_row IS NULL THEN
          NEW.inherited := '{}';
          RETURN NEW;
        END IF;
        FOREACH field IN ARRAY TG_ARGV LOOP
          -- (In parentheses: plpgsql would end the IF's condition at the CASE's first THEN.)
          IF (CASE WHEN old_row IS NOT NULL AND new_row -> field IS DISTINCT FROM old_row -> field
                   THEN new_row -> field = parent_row -> field
                   ELSE field = ANY (NEW.inherited) END) THEN
            inherited := inherited || field;
            patch := patch || jsonb_build_object(field, parent_row -> field);
          END IF;
        END LOOP;
        NEW := jsonb_populate_record(NEW, patch);
        NEW.inherited := inherited;
        -- An update that changes nothing is not made (no new version): a touch from the parent
        -- reaching a row that inherits nothing that moved.
        IF TG_OP = 'UPDATE' AND to_jsonb(NEW) = old_row THEN
          RETURN NULL;
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_row_pass_down() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Most profiles have no children: one probe of the parent index, and done. Nor is there
        -- anything to pass down when no field a child can inherit changed.
        IF NOT EXISTS (SELECT FROM config_profiles WHERE parent_profile_id = NEW.profile_id)
           OR NOT EXISTS (SELECT FROM unnest(TG_ARGV) AS f (field) WHERE to_jsonb(NEW) -> f.field IS DISTINCT FROM to_jsonb(OLD) -> f.field) THEN
          RETURN NULL;
        END IF;
        -- Touching a child's row makes its BEFORE trigger take the parent's values again (a row
        -- with nothing to take is left as it was). Every child, not only those inheriting a changed
        -- field now: one writing its row meanwhile holds it, and this waits, then sees its commit.
        EXECUTE format('UPDATE %I c SET inherited = c.inherited FROM config_profiles p
                         WHERE p.parent_profile_id = $1 AND c.profile_id = p.id', TG_TABLE_NAME)
          USING NEW.profile_id;
        RETURN NULL;
      END $$`);
    for (const [table, fields] of Object.entries(INHERITABLE_FIELDS)) {
      const args = fields.map((field) => `'${field}'`).join(', ');
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_inherit BEFORE INSERT OR UPDATE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION fn_config_row_inherit(${args})`);
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_pass_down AFTER UPDATE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION fn_config_row_pass_down(${args})`);
    }
    await queryRunner.query(`ALTER TABLE config_domain_values ADD COLUMN inherited text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_domain_values_inherit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        parent_id integer;
        parent_values jsonb;
        own jsonb := '{}';
        key text;
      BEGIN
        SELECT parent_profile_id INTO parent_id FROM config_profiles WHERE id = NEW.profile_id;
        IF parent_id IS NULL THEN
          NEW.inherited := '{}';
          RETURN NEW;
        END IF;
        SELECT "values" INTO parent_values FROM config_domain_values WHERE profile_id = parent_id AND domain = NEW.domain;
        parent_values := coalesce(parent_values, '{}');
        FOR key IN SELECT jsonb_object_keys(NEW."values") LOOP
          -- (In parentheses: plpgsql would end the IF's condition at the CASE's first THEN.)
          IF (CASE WHEN TG_OP = 'UPDATE' AND NEW."values" -> key IS DISTINCT FROM OLD."values" -> key
                   THEN NEW."values" -> key IS DISTINCT FROM parent_values -> key
                   WHEN TG_OP = 'INSERT'
                   THEN NOT key = ANY (NEW.inherited) AND NEW."values" -> key IS DISTINCT FROM parent_values -> key
                   ELSE NOT key = ANY (NEW.inherited) END) THEN
            own := own || jsonb_build_object(key, NEW."values" -> key);
          END IF;
        END LOOP;
        -- Every key of the parent the profile does not set itself is inherited; a key it removed too.
        NEW.inherited := ARRAY(SELECT k FROM jsonb_object_keys(parent_values) k WHERE NOT own ? k ORDER BY k);
        NEW."values" := parent_values || own;
        IF TG_OP = 'UPDATE' AND NEW."values" = OLD."values" AND NEW.inherited = OLD.inherited THEN
          RETURN NULL; -- nothing changes: no new version
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_domain_values_pass_down() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        profile integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.profile_id ELSE NEW.profile_id END;
        domain_name text := CASE WHEN TG_OP = 'DELETE' THEN OLD.domain ELSE NEW.domain END;
      BEGIN
        IF (TG_OP = 'UPDATE' AND NEW."values" = OLD."values")
           OR NOT EXISTS (SELECT FROM config_profiles WHERE parent_profile_id = profile) THEN
          RETURN NULL;
        END IF;
        UPDATE config_domain_values c SET inherited = c.inherited FROM config_profiles p
         WHERE p.parent_profile_id = profile AND c.profile_id = p.id AND c.domain = domain_name;
        IF TG_OP <> 'DELETE' AND NEW."values" <> '{}' THEN
          -- A child without values of the domain inherits them all: it gets a row holding them.
          -- One made meanwhile by another transaction is touched instead, once that one commits.
          INSERT INTO config_domain_values (profile_id, domain, "values", updated_by)
          SELECT p.id, domain_name, '{}', NEW.updated_by FROM config_profiles p
           WHERE p.parent_profile_id = profile
             AND NOT EXISTS (SELECT FROM config_domain_values c WHERE c.profile_id = p.id AND c.domain = domain_name)
          ON CONFLICT (profile_id, domain) DO UPDATE SET inherited = config_domain_values.inherited;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_domain_values_inherit BEFORE INSERT OR UPDATE ON config_domain_values
        FOR EACH ROW EXECUTE FUNCTION fn_config_domain_values_inherit()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_domain_values_pass_down AFTER INSERT OR UPDATE OR DELETE ON config_domain_values
        FOR EACH ROW EXECUTE FUNCTION fn_config_domain_values_pass_down()`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_profiles_reparent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.parent_profile_id IS NULL THEN
          -- Becoming a child: what equals the parent's now inherits from it, so no value moves.
${Object.entries(INHERITABLE_FIELDS)
  .map(
    ([table, fields]) => `          UPDATE ${table} c SET inherited = ARRAY(SELECT f FROM unnest(${textArray(fields)}) f WHERE to_jsonb(c) -> f = to_jsonb(p) -> f)
            FROM ${table} p WHERE c.profile_id = NEW.id AND p.profile_id = NEW.parent_profile_id;`,
  )
  .join('\n')}
          UPDATE config_domain_values c SET inherited = ARRAY(SELECT k FROM jsonb_object_keys(c."values") k WHERE c."values" -> k = p."values" -> k)
            FROM config_domain_values p WHERE c.profile_id = NEW.id AND p.profile_id = NEW.parent_profile_id AND p.domain = c.domain;
        ELSE
          -- Another parent, or none: inherited fields take the new parent's values (none: they stay, as overrides).
${Object.keys(INHERITABLE_FIELDS)
  .map((table) => `          UPDATE ${table} SET inherited = inherited WHERE profile_id = NEW.id;`)
  .join('\n')}
          UPDATE config_domain_values SET inherited = inherited WHERE profile_id = NEW.id;
        END IF;
        -- Registered domains the parent has values of and the profile has none of: it inherits them all.
        INSERT INTO config_domain_values (profile_id, domain, "values", updated_by)
        SELECT NEW.id, p.domain, '{}', coalesce(NEW.updated_by, 'system') FROM config_domain_values p
         WHERE p.profile_id = NEW.parent_profile_id AND p."values" <> '{}'
           AND NOT EXISTS (SELECT FROM config_domain_values c WHERE c.profile_id = NEW.id AND c.domain = p.domain);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_profiles_reparent AFTER UPDATE OF parent_profile_id ON config_profiles
        FOR EACH ROW WHEN (NEW.parent_profile_id IS DISTINCT FROM OLD.parent_profile_id) EXECUTE FUNCTION fn_config_profiles_reparent()`);

    await queryRunner.query(`ALTER TABLE config_history DROP CONSTRAINT chk_config_history_action`);
    await queryRunner.query(`ALTER TABLE config_history ADD CONSTRAINT chk_config_history_action CHECK (action IN (${ACTIONS_BEFORE}, 'inherit'))`);
    await queryRunner.query(inheritingDetail());
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(profileDetailFunction({ replace: true, requireProbe: true }));
    await queryRunner.query(`DELETE FROM config_history WHERE action = 'inherit'`);
    await queryRunner.query(`ALTER TABLE config_history DROP CONSTRAINT chk_config_history_action`);
    await queryRunner.query(`ALTER TABLE config_history ADD CONSTRAINT chk_config_history_action CHECK (action IN (${ACTIONS_BEFORE}))`);
    await queryRunner.query(`DROP TRIGGER trg_config_profiles_reparent ON config_profiles`);
    await queryRunner.query(`DROP FUNCTION fn_config_profiles_reparent()`);
    await queryRunner.query(`DROP TRIGGER trg_config_domain_values_pass_down ON config_domain_values`);
    await queryRunner.query(`DROP TRIGGER trg_config_domain_values_inherit ON config_domain_values`);
    await queryRunner.query(`DROP FUNCTION fn_config_domain_values_pass_down()`);
    await queryRunner.query(`DROP FUNCTION fn_config_domain_values_inherit()`);
    await queryRunner.query(`ALTER TABLE config_domain_values DROP COLUMN inherited`);
    for (const table of Object.keys(INHERITABLE_FIELDS)) {
      await queryRunner.query(`DROP TRIGGER trg_${table}_pass_down ON ${table}`);
      await queryRunner.query(`DROP TRIGGER trg_${table}_inherit ON ${table}`);
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN inherited`);
    }
    await queryRunner.query(`DROP FUNCTION fn_config_row_pass_down()`);
    await queryRunner.query(`DROP FUNCTION fn_config_row_inherit()`);
  }
}

/** fn_profile_detail with the profile's parent and each one-row domain's inherited fields. */
export function inheritingDetail(): string {
  return profileDetailFunction({ replace: true, requireProbe: true })
    .replace(`'is_default', p.is_default,`, `'is_default', p.is_default, 'parent_profile_id', p.parent_profile_id,`)
    .replace(/'version', (a|m|r|v)\.version,/g, `'inherited', to_json($1.inherited), 'version', $1.version,`);
}

function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map((value) => `'${value}'`).join(', ')}]::text[]`;
}
