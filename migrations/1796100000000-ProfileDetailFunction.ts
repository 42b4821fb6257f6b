import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A profile's detail (GET /api/config/profiles/{id}, and the snapshot of every audit entry) built
 * by one statement, `fn_profile_detail(id)`, instead of one read per table: the write pipeline's
 * audit entry becomes a single INSERT that takes its snapshot from the rows as they are inside the
 * writing transaction. The JSON has exactly the API's shape (a test compares both field by field):
 * timestamps as ISO 8601 in UTC with milliseconds, Genie spaces default first then by name, and
 * stored secrets of registered domains (strings encrypted as `sb:v1:…`) shown as {"set": true}.
 */
export class ProfileDetailFunction1796100000000 implements MigrationInterface {
  name = 'ProfileDetailFunction1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION fn_iso_utc(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION fn_conceal_secrets(value jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      BEGIN
        IF position('"sb:v1:' IN value::text) = 0 THEN
          RETURN value;
        END IF;
        RETURN CASE jsonb_typeof(value)
          WHEN 'string' THEN CASE WHEN left(value #>> '{}', 6) = 'sb:v1:' THEN '{"set": true}'::jsonb ELSE value END
          WHEN 'object' THEN (SELECT jsonb_object_agg(key, fn_conceal_secrets(item)) FROM jsonb_each(value) AS e(key, item))
          WHEN 'array' THEN (SELECT jsonb_agg(fn_conceal_secrets(item) ORDER BY position) FROM jsonb_array_elements(value) WITH ORDINALITY AS a(item, position))
          ELSE value
        END;
      END $$`);
    await queryRunner.query(profileDetailFunction({ replace: false, requireProbe: false }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION fn_profile_detail(integer)`);
    await queryRunner.query(`DROP FUNCTION fn_conceal_secrets(jsonb)`);
    await queryRunner.query(`DROP FUNCTION fn_iso_utc(timestamptz)`);
  }
}

/** fn_profile_detail as this migration made it, or (requireProbe, LlmProbes) with ai_infra's require_probe. */
export function profileDetailFunction({ replace, requireProbe }: { replace: boolean; requireProbe: boolean }): string {
  return `
      CREATE ${replace ? 'OR REPLACE ' : ''}FUNCTION fn_profile_detail(profile integer) RETURNS json LANGUAGE sql STABLE AS $$
        SELECT json_build_object(
          'id', p.id, 'name', p.name, 'description', p.description, 'is_default', p.is_default, 'version', p.version,
          'created_at', fn_iso_utc(p.created_at), 'updated_at', fn_iso_utc(p.updated_at), 'created_by', p.created_by, 'updated_by', p.updated_by,
          'ai_infra', (
            SELECT json_build_object('profile_id', a.profile_id, 'llm_endpoint', a.llm_endpoint, 'llm_temperature', a.llm_temperature,
                                     'llm_max_tokens', a.llm_max_tokens, 'llm_top_p', a.llm_top_p, 'llm_timeout_seconds', a.llm_timeout_seconds,${requireProbe ? "\n                                     'require_probe', a.require_probe," : ''}
                                     'version', a.version, 'updated_at', fn_iso_utc(a.updated_at))
              FROM config_ai_infra a WHERE a.profile_id = p.id),
          'genie_spaces', coalesce((
            SELECT json_agg(json_build_object('id', g.id, 'profile_id', g.profile_id, 'space_id', g.space_id, 'space_name', g.space_name,
                                              'description', g.description, 'is_default', g.is_default, 'version', g.version,
                                              'created_at', fn_iso_utc(g.created_at), 'updated_at', fn_iso_utc(g.updated_at))
                            ORDER BY g.is_default DESC, g.space_name, g.id)
              FROM config_genie_spaces g WHERE g.profile_id = p.id), '[]'),
          'mlflow', (
            SELECT json_build_object('profile_id', m.profile_id, 'experiment_name', m.experiment_name, 'version', m.version, 'updated_at', fn_iso_utc(m.updated_at))
              FROM config_mlflow m WHERE m.profile_id = p.id),
          'prompts', (
            SELECT json_build_object('profile_id', r.profile_id, 'system_prompt', r.system_prompt, 'slide_editing_instructions', r.slide_editing_instructions,
                                     'user_prompt_template', r.user_prompt_template, 'version', r.version, 'updated_at', fn_iso_utc(r.updated_at))
              FROM config_prompts r WHERE r.profile_id = p.id),
          'domains', coalesce((
            SELECT json_object_agg(v.domain, json_build_object('values', fn_conceal_secrets(v."values"), 'version', v.version, 'updated_at', fn_iso_utc(v.updated_at))
                                   ORDER BY v.domain)
              FROM config_domain_values v WHERE v.profile_id = p.id), '{}'))
        FROM config_profiles p WHERE p.id = profile
      $$`;
}
