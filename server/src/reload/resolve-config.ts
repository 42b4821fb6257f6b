import { DEFAULT_AI_INFRA, DEFAULT_MLFLOW, DEFAULT_PROMPTS, defaultGenieSpace } from '../common/defaults/default-config.js';
import type { ProfileDetailDto } from '../profiles/dto/profile-responses.dto.js';
import type { ResolvedAiInfraDto, ResolvedConfigDto, ResolvedGenieSpaceDto, ResolvedMlflowDto, ResolvedPromptsDto, ValueSource } from './dto/resolved.dto.js';
import type { EnvOverrides } from './env-overrides.js';

/** The built-in domains, typed, and each registered domain under its name. */
export type ResolvedBody = Omit<ResolvedConfigDto, 'stale' | 'pinned_version'> & { [domain: string]: unknown };

/** A registered domain as resolution needs it: its name, and how to fill in its defaults. */
export interface CustomDomainDefaults {
  name: string;
  withDefaults(values: Record<string, unknown>): Record<string, unknown>;
  /** SWITCHBOARD__<DOMAIN>__<FIELD> values, checked at start-up. */
  overrides?: Record<string, unknown>;
  /** Shows the domain's secrets as {"set": true}; left out when the reader may see them. */
  conceal?(values: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The effective configuration: environment override > the profile's value (its own, or inherited
 * from an ancestor) > built-in default, value by value, with where each came from. `profile` null
 * means no profile exists (defaults only).
 */
export function resolveConfig(
  profile: ProfileDetailDto | null,
  overrides: EnvOverrides,
  env: NodeJS.ProcessEnv = process.env,
  customDomains: readonly CustomDomainDefaults[] = [],
  promptRegistry: ResolvedConfigDto['prompt_registry'] = {},
): ResolvedBody {
  const defaultSpace = profile?.genie_spaces.find((space) => space.is_default);
  const builtInSpace = defaultGenieSpace(env);
  const inherited = profile?.inherited_from ?? {};
  const ai = layered<ResolvedAiInfraDto>(DEFAULT_AI_INFRA, profile?.ai_infra, overrides.ai_infra, inherited.ai_infra);
  // An inherited default space: every field of it comes from the ancestor that has it as its own.
  const spaceFrom = defaultSpace && inherited.genie?.[defaultSpace.space_id];
  const space = layered<ResolvedGenieSpaceDto>(
    { space_id: builtInSpace.space_id, space_name: builtInSpace.space_name, description: builtInSpace.description },
    defaultSpace,
    overrides.genie_space,
    spaceFrom ? { space_id: spaceFrom, space_name: spaceFrom, description: spaceFrom } : undefined,
  );
  const mlflow = layered<ResolvedMlflowDto>(DEFAULT_MLFLOW, profile?.mlflow, overrides.mlflow, inherited.mlflow);
  const prompts = layered<ResolvedPromptsDto>(DEFAULT_PROMPTS, profile?.prompts, overrides.prompts, inherited.prompts);
  const custom = customDomains.map((domain) => {
    const stored = profile?.domains?.[domain.name]?.values ?? {};
    const env = domain.overrides ?? {};
    const values = { ...domain.withDefaults(stored), ...env };
    const inheritedFrom = inherited[domain.name] ?? {};
    const sources = Object.fromEntries(
      Object.keys(values).map((field): [string, ValueSource] => [
        field,
        field in env ? 'env' : field in inheritedFrom ? `profile:${inheritedFrom[field]}` : field in stored ? 'database' : 'default',
      ]),
    );
    return { name: domain.name, values: domain.conceal ? domain.conceal(values) : values, sources };
  });
  return {
    ...Object.fromEntries(custom.map((domain) => [domain.name, domain.values])),
    profile: profile && { id: profile.id, name: profile.name, version: profile.version, is_default: profile.is_default },
    ai_infra: ai.values,
    genie_space: space.values,
    genie_spaces: (profile?.genie_spaces ?? []).map(({ space_id, space_name, description }): ResolvedGenieSpaceDto => ({ space_id, space_name, description })),
    mlflow: mlflow.values,
    prompts: prompts.values,
    prompt_registry: promptRegistry,
    sources: {
      ...Object.fromEntries(custom.map((domain) => [domain.name, domain.sources])),
      ai_infra: ai.sources,
      genie_space: space.sources,
      mlflow: mlflow.sources,
      prompts: prompts.sources,
    },
  };
}

/**
 * Each field of `defaults`, taken from the database row when there is one, then from the
 * environment; `inheritedFrom` names the ancestor of each field the row inherits.
 */
function layered<T extends object>(
  defaults: T,
  database: Partial<T> | undefined,
  env: Record<string, string | number>,
  inheritedFrom: Record<string, string> = {},
): { values: T; sources: Record<string, ValueSource> } {
  const values = {} as T;
  const sources: Record<string, ValueSource> = {};
  for (const field of Object.keys(defaults) as (keyof T & string)[]) {
    if (field in env) {
      values[field] = env[field] as T[typeof field];
      sources[field] = 'env';
    } else if (database && database[field] !== undefined) {
      values[field] = database[field] as T[typeof field];
      sources[field] = field in inheritedFrom ? `profile:${inheritedFrom[field]}` : 'database';
    } else {
      values[field] = defaults[field];
      sources[field] = 'default';
    }
  }
  return { values, sources };
}
