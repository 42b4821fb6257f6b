import type { MigrationInterface, QueryRunner } from 'typeorm';
import { keepGenieDefaultFunction } from './1763900000000-InitialSchema.js';
import { inheritingDetail } from './1797800000000-ProfileInheritance.js';

/**
 * Profile inheritance, the items (issue 19, third step): Genie spaces by `space_id` and
 * prompt-registry prompts by name. A child has every item of its parent, as a copy marked
 * `inherited`, unless it defines its own under the same key; triggers keep the copies equal to the
 * parent's, level by level, whoever writes (hand-written SQL included):
 *
 * - Genie spaces. Writing an inherited space's name or description makes it the child's own,
 *   unless the values equal the parent's; setting `inherited` resets it. A space deleted from the
 *   parent goes from its children (their own ones stay); deleting a child's own space that the
 *   parent has too brings the parent's back (the reset), and an inherited copy deleted by hand comes
 *   back the same way. The default: a child whose default is the parent's default space
 *   (`default_inherited`) follows the parent's default when it moves; a child that picks another
 *   keeps its choice.
 * - Registry prompts. A copy holds the parent's versions and labels. Adding a version, moving a
 *   label or changing the description or variables of a copy (any statement not made by these
 *   triggers) makes the prompt the child's own, with the history it had; from then on the
 *   parent's changes to that name no longer reach it. Deleting the child's own prompt brings the
 *   parent's back.
 * - Re-parenting: a profile that gets a parent inherits every space equal to the parent's and the
 *   parent's items it lacks (its own prompts stay its own); one that changes parent drops the old
 *   parent's copies and takes the new one's; one detached keeps every item as its own.
 */
export class InheritedItems1797900000000 implements MigrationInterface {
  name = 'InheritedItems1797900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await this.genieSpaces(queryRunner);
    await this.registryPrompts(queryRunner);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_profiles_reparent_items() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM fn_config_genie_spaces_reparent(NEW.id, OLD.parent_profile_id, NEW.parent_profile_id);
        PERFORM fn_registry_prompts_reparent(NEW.id, OLD.parent_profile_id, NEW.parent_profile_id);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_profiles_reparent_items AFTER UPDATE OF parent_profile_id ON config_profiles
        FOR EACH ROW WHEN (NEW.parent_profile_id IS DISTINCT FROM OLD.parent_profile_id) EXECUTE FUNCTION fn_config_profiles_reparent_items()`);
    await this.backFill(queryRunner);
    // After the back-fill, whose statements are not made by triggers but pass parents' prompts down.
    await this.registryOwnership(queryRunner);
    await queryRunner.query(itemsDetail());
  }

  /**
   * Children that exist already get their items as a re-parenting gives them, parents first: the
   * spaces and prompts equal to their parent's are inherited, the parent's they lack are copied in.
   * No value of a profile moves, and nothing is audited. (One-row domains are left as they are: a
   * field a child overrides may equal its parent's value, and nothing tells it from an inherited one.)
   */
  private async backFill(queryRunner: QueryRunner): Promise<void> {
    const children: { id: number; parent: number }[] = await queryRunner.query(`
      WITH RECURSIVE tree (id, parent, depth) AS (
        SELECT id, parent_profile_id, 0 FROM config_profiles WHERE parent_profile_id IS NULL
        UNION ALL
        SELECT p.id, p.parent_profile_id, tree.depth + 1 FROM config_profiles p JOIN tree ON p.parent_profile_id = tree.id WHERE tree.depth < 10
      )
      SELECT id, parent FROM tree WHERE depth > 0 ORDER BY depth, id`);
    for (const [index, { id, parent }] of children.entries()) {
      await queryRunner.query('SELECT fn_config_genie_spaces_reparent($1, NULL, $2), fn_registry_prompts_reparent($1, NULL, $2)', [id, parent]);
      if ((index + 1) % 100 === 0 || index === children.length - 1) console.log(`[InheritedItems] back-filled ${index + 1} of ${children.length} child profile(s)`);
    }
  }

  private async registryOwnership(queryRunner: QueryRunner): Promise<void> {
    // A statement not made by these functions (they say so in 'switchboard.passing_down', a
    // transaction-local setting) that changes a copy makes the prompt the profile's own; a prompt
    // inserted so is the profile's own from the start.
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_prompts_own() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('switchboard.passing_down', true), '') = 'on' THEN
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        IF TG_TABLE_NAME = 'config_registry_prompts' THEN
          -- (A copy cannot be made inherited again by hand: deleting the profile's own prompt does that.)
          NEW.inherited := TG_OP = 'UPDATE' AND NEW.inherited AND OLD.inherited
                           AND (NEW.description, NEW.variables) IS NOT DISTINCT FROM (OLD.description, OLD.variables);
          RETURN NEW;
        END IF;
        UPDATE config_registry_prompts SET inherited = false
         WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END).prompt_id AND inherited;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_registry_prompts_own BEFORE INSERT OR UPDATE ON config_registry_prompts
        FOR EACH ROW EXECUTE FUNCTION fn_registry_prompts_own()`);
    for (const table of ['config_registry_prompt_versions', 'config_registry_prompt_labels']) {
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_own BEFORE INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION fn_registry_prompts_own()`);
    }
  }

  private async genieSpaces(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(keepDefault(true));
    await queryRunner.query(`
      ALTER TABLE config_genie_spaces
        ADD COLUMN inherited boolean NOT NULL DEFAULT false,
        ADD COLUMN default_inherited boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT chk_config_genie_spaces_default_inherited CHECK (is_default OR NOT default_inherited)`);
    // Named to run after the single-default trigger (BEFORE triggers run by name), which may make a first space the default.
    await queryRunner.query(`
      CREATE FUNCTION fn_config_genie_spaces_take_parent() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        parent_id integer;
        parent_space config_genie_spaces;
        parent_default text;
      BEGIN
        SELECT parent_profile_id INTO parent_id FROM config_profiles WHERE id = NEW.profile_id;
        IF parent_id IS NOT NULL THEN
          SELECT * INTO parent_space FROM config_genie_spaces WHERE profile_id = parent_id AND space_id = NEW.space_id;
          SELECT space_id INTO parent_default FROM config_genie_spaces WHERE profile_id = parent_id AND is_default;
        END IF;
        IF parent_space.id IS NULL THEN
          NEW.inherited := false;
        ELSE
          IF TG_OP = 'UPDATE' AND (NEW.space_name, NEW.description) IS DISTINCT FROM (OLD.space_name, OLD.description) THEN
            NEW.inherited := NEW.space_name = parent_space.space_name AND NEW.description IS NOT DISTINCT FROM parent_space.description;
          END IF;
          IF NEW.inherited THEN
            NEW.space_name := parent_space.space_name;
            NEW.description := parent_space.description;
          END IF;
        END IF;
        IF NOT NEW.is_default OR parent_default IS NULL THEN
          NEW.default_inherited := false;
        ELSIF TG_OP = 'INSERT' OR NOT OLD.is_default THEN
          -- Picking the parent's default follows it; picking another is the profile's own choice.
          NEW.default_inherited := NEW.space_id = parent_default;
        END IF;
        IF TG_OP = 'UPDATE' AND to_jsonb(NEW) = to_jsonb(OLD) THEN
          RETURN NULL; -- a touch with nothing to take: no new version
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_genie_spaces_take_parent BEFORE INSERT OR UPDATE ON config_genie_spaces
        FOR EACH ROW EXECUTE FUNCTION fn_config_genie_spaces_take_parent()`);
    // Children whose default is a copy about to go get another first: the parent's default, else their first space.
    await queryRunner.query(`
      CREATE FUNCTION fn_config_genie_spaces_drop_copies(profile integer, spaces text[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        -- Taken first: demoting a copy whose parent's space is gone makes it look like the child's own.
        doomed integer[] := ARRAY(SELECT c.id FROM config_genie_spaces c JOIN config_profiles p ON p.id = c.profile_id
                                   WHERE p.parent_profile_id = profile AND c.space_id = ANY (spaces) AND c.inherited);
      BEGIN
        UPDATE config_genie_spaces c SET is_default = true FROM config_profiles p
         WHERE p.parent_profile_id = profile AND c.profile_id = p.id
           AND EXISTS (SELECT FROM config_genie_spaces d WHERE d.profile_id = p.id AND d.id = ANY (doomed) AND d.is_default)
           AND c.id = (SELECT e.id FROM config_genie_spaces e WHERE e.profile_id = p.id AND NOT e.id = ANY (doomed)
                        ORDER BY e.space_id = (SELECT space_id FROM config_genie_spaces WHERE profile_id = profile AND is_default) DESC NULLS LAST, e.id
                        LIMIT 1);
        DELETE FROM config_genie_spaces WHERE id = ANY (doomed) AND NOT is_default;
        DELETE FROM config_genie_spaces WHERE id = ANY (doomed);
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_genie_spaces_pass_down() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        profile integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.profile_id ELSE NEW.profile_id END;
        parent_id integer;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          SELECT parent_profile_id INTO parent_id FROM config_profiles WHERE id = profile;
          IF parent_id IS NOT NULL THEN
            -- The parent has the space: the profile inherits it again, as its default if the deleted
            -- one was (its insert passes it down).
            INSERT INTO config_genie_spaces (profile_id, space_id, space_name, description, inherited, is_default)
            SELECT profile, space_id, space_name, description, true, OLD.is_default FROM config_genie_spaces WHERE profile_id = parent_id AND space_id = OLD.space_id;
            IF FOUND THEN
              RETURN NULL;
            END IF;
          END IF;
        END IF;
        -- Most profiles have no children: one probe of the parent index, and done.
        IF NOT EXISTS (SELECT FROM config_profiles WHERE parent_profile_id = profile) THEN
          RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
          PERFORM fn_config_genie_spaces_drop_copies(profile, ARRAY[OLD.space_id]);
          RETURN NULL;
        END IF;
        IF TG_OP = 'INSERT' OR (NEW.space_name, NEW.description) IS DISTINCT FROM (OLD.space_name, OLD.description) THEN
          -- Children's copies take its values (their own space stays as it is), and those without the
          -- space get one. An UPDATE first: only an INSERT queues on the default-moving advisory lock
          -- (InitialSchema), which a child setting its default holds while it waits for its row.
          UPDATE config_genie_spaces c SET inherited = c.inherited FROM config_profiles p
           WHERE p.parent_profile_id = profile AND c.profile_id = p.id AND c.space_id = NEW.space_id AND c.inherited;
          IF EXISTS (SELECT FROM config_profiles p WHERE p.parent_profile_id = profile
                      AND NOT EXISTS (SELECT FROM config_genie_spaces c WHERE c.profile_id = p.id AND c.space_id = NEW.space_id)) THEN
            INSERT INTO config_genie_spaces (profile_id, space_id, space_name, description, inherited)
            SELECT p.id, NEW.space_id, NEW.space_name, NEW.description, true FROM config_profiles p WHERE p.parent_profile_id = profile
            ON CONFLICT (profile_id, space_id) DO UPDATE SET inherited = config_genie_spaces.inherited;
          END IF;
        END IF;
        IF NEW.is_default AND (TG_OP = 'INSERT' OR NOT OLD.is_default) THEN
          -- Children whose default follows this profile's move with it.
          UPDATE config_genie_spaces c SET is_default = true FROM config_profiles p
           WHERE p.parent_profile_id = profile AND c.profile_id = p.id AND c.space_id = NEW.space_id AND NOT c.is_default
             AND EXISTS (SELECT FROM config_genie_spaces d WHERE d.profile_id = p.id AND d.default_inherited);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_genie_spaces_pass_down AFTER INSERT OR UPDATE OR DELETE ON config_genie_spaces
        FOR EACH ROW EXECUTE FUNCTION fn_config_genie_spaces_pass_down()`);
    await queryRunner.query(`
      CREATE FUNCTION fn_config_genie_spaces_reparent(profile integer, old_parent integer, new_parent integer) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        parent_default text := (SELECT space_id FROM config_genie_spaces WHERE profile_id = new_parent AND is_default);
        gone text[];
      BEGIN
        IF new_parent IS NULL THEN
          -- Detached: every space is its own, and so is its default.
          UPDATE config_genie_spaces SET inherited = false, default_inherited = false WHERE profile_id = profile AND (inherited OR default_inherited);
          RETURN;
        END IF;
        IF old_parent IS NULL THEN
          -- Becoming a child: what equals the parent's inherits from it, so no value moves.
          UPDATE config_genie_spaces c SET inherited = true FROM config_genie_spaces p
           WHERE c.profile_id = profile AND p.profile_id = new_parent AND p.space_id = c.space_id AND NOT c.inherited
             AND c.space_name = p.space_name AND c.description IS NOT DISTINCT FROM p.description;
        END IF;
        INSERT INTO config_genie_spaces (profile_id, space_id, space_name, description, inherited)
        -- The parent's default first: a profile without spaces makes its first one its default.
        SELECT profile, space_id, space_name, description, true FROM config_genie_spaces p WHERE p.profile_id = new_parent ORDER BY p.is_default DESC, p.id
        ON CONFLICT (profile_id, space_id) DO NOTHING;
        IF old_parent IS NULL THEN
          UPDATE config_genie_spaces SET default_inherited = space_id IS NOT DISTINCT FROM parent_default WHERE profile_id = profile AND is_default;
          RETURN;
        END IF;
        -- Another parent: the old one's copies the new one lacks go, the others take the new values.
        gone := ARRAY(SELECT c.space_id FROM config_genie_spaces c WHERE c.profile_id = profile AND c.inherited
                       AND NOT EXISTS (SELECT FROM config_genie_spaces p WHERE p.profile_id = new_parent AND p.space_id = c.space_id));
        -- A default that followed the old parent's, or goes, gives way to the new parent's default
        -- (a new parent without spaces: to the profile's first space that stays).
        UPDATE config_genie_spaces SET is_default = true
         WHERE id = (SELECT e.id FROM config_genie_spaces e WHERE e.profile_id = profile AND NOT e.space_id = ANY (gone)
                      ORDER BY e.space_id = parent_default DESC NULLS LAST, e.id LIMIT 1)
           AND NOT is_default
           AND EXISTS (SELECT FROM config_genie_spaces d WHERE d.profile_id = profile AND d.is_default
                        AND (d.space_id = ANY (gone) OR (d.default_inherited AND parent_default IS NOT NULL)));
        DELETE FROM config_genie_spaces WHERE profile_id = profile AND space_id = ANY (gone) AND NOT is_default;
        DELETE FROM config_genie_spaces WHERE profile_id = profile AND space_id = ANY (gone);
        UPDATE config_genie_spaces SET inherited = inherited WHERE profile_id = profile AND inherited;
      END $$`);
  }

  private async registryPrompts(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE config_registry_prompts ADD COLUMN inherited boolean NOT NULL DEFAULT false`);
    // A whole prompt, versions and labels, into a profile as an inherited copy (none if it has one of that name).
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_copy_prompt(source integer, target integer) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        copy_id integer;
        was text := current_setting('switchboard.passing_down', true);
      BEGIN
        PERFORM set_config('switchboard.passing_down', 'on', true);
        INSERT INTO config_registry_prompts (profile_id, name, description, variables, created_by, created_at, inherited)
        -- Created now: history's restore tells a prompt's entries from an earlier one's of the name by it.
        SELECT target, name, description, variables, created_by, now(), true FROM config_registry_prompts WHERE id = source
        ON CONFLICT (profile_id, name) DO NOTHING
        RETURNING id INTO copy_id;
        IF copy_id IS NOT NULL THEN
          INSERT INTO config_registry_prompt_versions (prompt_id, version, template, model_parameters, message, created_by, created_at)
          SELECT copy_id, 0, template, model_parameters, message, created_by, created_at FROM config_registry_prompt_versions
           WHERE prompt_id = source ORDER BY version;
          INSERT INTO config_registry_prompt_labels (prompt_id, label, version, updated_at, updated_by)
          SELECT copy_id, label, version, updated_at, updated_by FROM config_registry_prompt_labels WHERE prompt_id = source;
        END IF;
        PERFORM set_config('switchboard.passing_down', coalesce(was, ''), true);
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_prompts_pass_down() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        profile integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.profile_id ELSE NEW.profile_id END;
        parent_id integer;
        was text := current_setting('switchboard.passing_down', true);
      BEGIN
        IF TG_OP = 'UPDATE' AND (NEW.description, NEW.variables) IS NOT DISTINCT FROM (OLD.description, OLD.variables) THEN
          RETURN NULL;
        END IF;
        PERFORM set_config('switchboard.passing_down', 'on', true);
        IF TG_OP = 'DELETE' THEN
          -- The children's copies go; if the parent has the name, the profile inherits it again (and passes it down).
          DELETE FROM config_registry_prompts c USING config_profiles p
           WHERE p.parent_profile_id = profile AND c.profile_id = p.id AND c.name = OLD.name AND c.inherited;
          SELECT parent_profile_id INTO parent_id FROM config_profiles WHERE id = profile;
          PERFORM fn_registry_copy_prompt(r.id, profile) FROM config_registry_prompts r WHERE r.profile_id = parent_id AND r.name = OLD.name;
        ELSIF TG_OP = 'INSERT' THEN
          PERFORM fn_registry_copy_prompt(NEW.id, p.id) FROM config_profiles p WHERE p.parent_profile_id = profile;
        ELSE
          UPDATE config_registry_prompts c SET description = NEW.description, variables = NEW.variables FROM config_profiles p
           WHERE p.parent_profile_id = profile AND c.profile_id = p.id AND c.name = NEW.name AND c.inherited;
        END IF;
        PERFORM set_config('switchboard.passing_down', coalesce(was, ''), true);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_registry_prompts_pass_down AFTER INSERT OR UPDATE OR DELETE ON config_registry_prompts
        FOR EACH ROW EXECUTE FUNCTION fn_registry_prompts_pass_down()`);
    // The copies of a prompt in the children of its profile (none when the prompt is gone: a cascade).
    const copies = (prompt: string) => `
          SELECT c.id, c.latest_version FROM config_registry_prompts r
            JOIN config_profiles p ON p.parent_profile_id = r.profile_id
            JOIN config_registry_prompts c ON c.profile_id = p.id AND c.name = r.name AND c.inherited
           WHERE r.id = ${prompt}
             FOR UPDATE OF c`; // a child making its copy its own meanwhile is waited for, then left out
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_versions_pass_down() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was text := current_setting('switchboard.passing_down', true);
      BEGIN
        PERFORM set_config('switchboard.passing_down', 'on', true);
        -- (A copy made in the statement that made the version has it already.)
        INSERT INTO config_registry_prompt_versions (prompt_id, version, template, model_parameters, message, created_by, created_at)
        SELECT copy.id, 0, NEW.template, NEW.model_parameters, NEW.message, NEW.created_by, NEW.created_at FROM (${copies('NEW.prompt_id')}) copy
         WHERE copy.latest_version < NEW.version;
        PERFORM set_config('switchboard.passing_down', coalesce(was, ''), true);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_registry_prompt_versions_pass_down AFTER INSERT ON config_registry_prompt_versions
        FOR EACH ROW EXECUTE FUNCTION fn_registry_versions_pass_down()`);
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_labels_pass_down() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was text := current_setting('switchboard.passing_down', true);
      BEGIN
        PERFORM set_config('switchboard.passing_down', 'on', true);
        IF TG_OP = 'DELETE' THEN
          DELETE FROM config_registry_prompt_labels WHERE label = OLD.label AND prompt_id IN (SELECT copy.id FROM (${copies('OLD.prompt_id')}) copy);
        ELSE
          INSERT INTO config_registry_prompt_labels (prompt_id, label, version, updated_at, updated_by)
          SELECT copy.id, NEW.label, NEW.version, NEW.updated_at, NEW.updated_by FROM (${copies('NEW.prompt_id')}) copy
          ON CONFLICT (prompt_id, label) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;
        END IF;
        PERFORM set_config('switchboard.passing_down', coalesce(was, ''), true);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_config_registry_prompt_labels_pass_down AFTER INSERT OR UPDATE OR DELETE ON config_registry_prompt_labels
        FOR EACH ROW EXECUTE FUNCTION fn_registry_labels_pass_down()`);
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_prompt_content(prompt integer) RETURNS jsonb LANGUAGE sql STABLE AS $$
        SELECT jsonb_build_object(
          'prompt', (SELECT jsonb_build_array(description, variables) FROM config_registry_prompts WHERE id = prompt),
          'versions', (SELECT jsonb_agg(jsonb_build_array(template, model_parameters) ORDER BY version) FROM config_registry_prompt_versions WHERE prompt_id = prompt),
          'labels', (SELECT coalesce(jsonb_object_agg(label, version), '{}') FROM config_registry_prompt_labels WHERE prompt_id = prompt))
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION fn_registry_prompts_reparent(profile integer, old_parent integer, new_parent integer) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        was text := current_setting('switchboard.passing_down', true);
      BEGIN
        IF new_parent IS NULL THEN
          UPDATE config_registry_prompts SET inherited = false WHERE profile_id = profile AND inherited;
          RETURN;
        END IF;
        PERFORM set_config('switchboard.passing_down', 'on', true);
        IF old_parent IS NULL THEN
          -- Becoming a child: a prompt the same as the parent's (text of every version, labels) inherits it.
          UPDATE config_registry_prompts c SET inherited = true FROM config_registry_prompts p
           WHERE c.profile_id = profile AND p.profile_id = new_parent AND p.name = c.name AND NOT c.inherited
             AND fn_registry_prompt_content(c.id) = fn_registry_prompt_content(p.id);
        ELSE
          -- The old parent's copies go (with their own children's copies).
          DELETE FROM config_registry_prompts WHERE profile_id = profile AND inherited;
        END IF;
        -- The new parent's prompts the profile lacks come.
        PERFORM fn_registry_copy_prompt(r.id, profile) FROM config_registry_prompts r WHERE r.profile_id = new_parent ORDER BY r.name;
        PERFORM set_config('switchboard.passing_down', coalesce(was, ''), true);
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(inheritingDetail());
    await queryRunner.query(`DROP TRIGGER trg_config_profiles_reparent_items ON config_profiles`);
    await queryRunner.query(`DROP FUNCTION fn_config_profiles_reparent_items()`);
    await queryRunner.query(`DROP TRIGGER trg_config_registry_prompt_labels_pass_down ON config_registry_prompt_labels`);
    await queryRunner.query(`DROP TRIGGER trg_config_registry_prompt_versions_pass_down ON config_registry_prompt_versions`);
    await queryRunner.query(`DROP TRIGGER trg_config_registry_prompts_pass_down ON config_registry_prompts`);
    for (const table of ['config_registry_prompts', 'config_registry_prompt_versions', 'config_registry_prompt_labels']) {
      await queryRunner.query(`DROP TRIGGER trg_${table}_own ON ${table}`);
    }
    for (const fn of [
      'fn_registry_labels_pass_down()',
      'fn_registry_versions_pass_down()',
      'fn_registry_prompts_pass_down()',
      'fn_registry_prompts_own()',
      'fn_registry_prompts_reparent(integer, integer, integer)',
      'fn_registry_prompt_content(integer)',
      'fn_registry_copy_prompt(integer, integer)',
    ]) {
      await queryRunner.query(`DROP FUNCTION ${fn}`);
    }
    await queryRunner.query(`ALTER TABLE config_registry_prompts DROP COLUMN inherited`);
    await queryRunner.query(`DROP TRIGGER trg_config_genie_spaces_pass_down ON config_genie_spaces`);
    await queryRunner.query(`DROP TRIGGER trg_config_genie_spaces_take_parent ON config_genie_spaces`);
    for (const fn of [
      'fn_config_genie_spaces_pass_down()',
      'fn_config_genie_spaces_take_parent()',
      'fn_config_genie_spaces_drop_copies(integer, text[])',
      'fn_config_genie_spaces_reparent(integer, integer, integer)',
    ]) {
      await queryRunner.query(`DROP FUNCTION ${fn}`);
    }
    await queryRunner.query(`ALTER TABLE config_genie_spaces DROP COLUMN default_inherited, DROP COLUMN inherited`);
    await queryRunner.query(keepDefault(false));
  }
}

/**
 * The guard of a profile's default Genie space (InitialSchema); `reset`: a child's own default
 * whose parent has the space may go too, its parent's copy taking its place as the default.
 */
function keepDefault(reset: boolean): string {
  const original = keepGenieDefaultFunction({ replace: true });
  if (!reset) return original;
  const others = 'AND EXISTS (SELECT 1 FROM config_genie_spaces WHERE profile_id = OLD.profile_id AND id <> OLD.id)';
  if (!original.includes(others)) throw new Error('fn_config_genie_spaces_keep_default is not the function this migration expects');
  return original.replace(
    others,
    `${others}
           AND NOT (NOT OLD.inherited AND EXISTS (SELECT 1 FROM config_genie_spaces g JOIN config_profiles p ON g.profile_id = p.parent_profile_id
                                                   WHERE p.id = OLD.profile_id AND g.space_id = OLD.space_id))`,
  );
}

/** fn_profile_detail as this migration leaves it: a Genie space says whether it, and its default, are inherited. */
export function itemsDetail(): string {
  return inheritingDetail().replace(
    `'is_default', g.is_default, 'version', g.version,`,
    `'is_default', g.is_default, 'inherited', g.inherited, 'default_inherited', g.default_inherited, 'version', g.version,`,
  );
}
