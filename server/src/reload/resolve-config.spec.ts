import { DEFAULT_AI_INFRA, DEFAULT_PROMPTS } from '../common/defaults/default-config.js';
import type { ProfileDetailDto } from '../profiles/dto/profile-responses.dto.js';
import type { EnvOverrides } from './env-overrides.js';
import { resolveConfig } from './resolve-config.js';

const NO_OVERRIDES: EnvOverrides = { ai_infra: {}, genie_space: {}, mlflow: {}, prompts: {} };

function profile(): ProfileDetailDto {
  const stamp = { version: 2, updated_at: '2026-11-23T00:00:00.000Z' };
  return {
    id: 7,
    name: 'Fast',
    description: null,
    is_default: false,
    version: 3,
    created_at: stamp.updated_at,
    updated_at: stamp.updated_at,
    created_by: 'a',
    updated_by: 'b',
    ai_infra: { profile_id: 7, llm_endpoint: 'db-endpoint', llm_temperature: 0.2, llm_max_tokens: 100, llm_top_p: 0.9, llm_timeout_seconds: 30, ...stamp },
    genie_spaces: [
      { id: 1, profile_id: 7, space_id: 'b'.repeat(32), space_name: 'Other', description: null, is_default: false, ...stamp },
      { id: 2, profile_id: 7, space_id: 'a'.repeat(32), space_name: 'Main', description: 'main', is_default: true, ...stamp },
    ],
    mlflow: { profile_id: 7, experiment_name: '/Shared/fast', ...stamp },
    prompts: { profile_id: 7, ...DEFAULT_PROMPTS, system_prompt: 'Be brief.', ...stamp },
  } as ProfileDetailDto;
}

describe('resolveConfig', () => {
  it('takes every value from the database, marked as such, with the default space', () => {
    const resolved = resolveConfig(profile(), NO_OVERRIDES);
    expect(resolved.profile).toEqual({ id: 7, name: 'Fast', version: 3, is_default: false });
    expect(resolved.ai_infra).toEqual({ llm_endpoint: 'db-endpoint', llm_temperature: 0.2, llm_max_tokens: 100, llm_top_p: 0.9, llm_timeout_seconds: 30 });
    expect(resolved.genie_space).toEqual({ space_id: 'a'.repeat(32), space_name: 'Main', description: 'main' });
    expect(resolved.genie_spaces).toHaveLength(2);
    expect(new Set(Object.values(resolved.sources).flatMap((domain) => Object.values(domain)))).toEqual(new Set(['database']));
  });

  it('lets the environment win over the database, value by value', () => {
    const resolved = resolveConfig(profile(), { ...NO_OVERRIDES, ai_infra: { llm_temperature: 0.9 }, genie_space: { space_name: 'From env' } });
    expect(resolved.ai_infra).toMatchObject({ llm_temperature: 0.9, llm_endpoint: 'db-endpoint' });
    expect(resolved.sources.ai_infra).toMatchObject({ llm_temperature: 'env', llm_endpoint: 'database' });
    expect(resolved.genie_space).toEqual({ space_id: 'a'.repeat(32), space_name: 'From env', description: 'main' });
    expect(resolved.sources.genie_space).toEqual({ space_id: 'database', space_name: 'env', description: 'database' });
  });

  it('falls back to the built-in defaults when there is no profile or no Genie space', () => {
    const resolved = resolveConfig(null, NO_OVERRIDES, { DATABRICKS_GENIE_SPACE_ID: 'c'.repeat(32) });
    expect(resolved.profile).toBeNull();
    expect(resolved.ai_infra).toEqual(DEFAULT_AI_INFRA);
    expect(resolved.genie_space?.space_id).toBe('c'.repeat(32));
    expect(resolved.sources.ai_infra.llm_temperature).toBe('default');
    const spaceless = resolveConfig({ ...profile(), genie_spaces: [] }, NO_OVERRIDES);
    expect(spaceless.sources.genie_space.space_id).toBe('default');
    expect(spaceless.sources.ai_infra.llm_temperature).toBe('database');
  });
});
