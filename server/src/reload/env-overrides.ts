import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { UpdateAiInfraDto } from '../ai-infra/dto/ai-infra.dto.js';
import { CreateGenieSpaceDto } from '../genie/dto/genie-space.dto.js';
import { UpdateMlflowDto } from '../mlflow/dto/mlflow.dto.js';
import { UpdatePromptsDto } from '../prompts/dto/prompts.dto.js';
import { validatePrompts } from '../prompts/prompt-template.validator.js';

export type OverridableDomain = 'ai_infra' | 'genie_space' | 'mlflow' | 'prompts';
export type EnvOverrides = Record<OverridableDomain, Record<string, string | number>>;

/** SWITCHBOARD__<DOMAIN>__<FIELD>: the domains and fields an environment may override. */
const DOMAINS: Record<string, { key: OverridableDomain; dto: new () => object; fields: string[]; numeric?: string[] }> = {
  AI_INFRA: {
    key: 'ai_infra',
    dto: UpdateAiInfraDto,
    fields: ['llm_endpoint', 'llm_temperature', 'llm_max_tokens', 'llm_top_p', 'llm_timeout_seconds'],
    numeric: ['llm_temperature', 'llm_max_tokens', 'llm_top_p', 'llm_timeout_seconds'],
  },
  GENIE: { key: 'genie_space', dto: CreateGenieSpaceDto, fields: ['space_id', 'space_name', 'description'] },
  MLFLOW: { key: 'mlflow', dto: UpdateMlflowDto, fields: ['experiment_name'] },
  PROMPTS: { key: 'prompts', dto: UpdatePromptsDto, fields: ['system_prompt', 'slide_editing_instructions', 'user_prompt_template'] },
};

const PREFIX = 'SWITCHBOARD__';

/**
 * Reads the overrides once, at start-up, and checks them with the same rules as an API write: a
 * misspelt variable or an out-of-range value stops the start with every problem named, rather
 * than being ignored.
 */
export function loadEnvOverrides(env: NodeJS.ProcessEnv = process.env): EnvOverrides {
  const overrides: EnvOverrides = { ai_infra: {}, genie_space: {}, mlflow: {}, prompts: {} };
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || raw === undefined) continue;
    const [domainName, fieldName, ...rest] = name.slice(PREFIX.length).split('__');
    const domain = DOMAINS[domainName];
    const field = fieldName?.toLowerCase();
    if (!domain || !field || rest.length || !domain.fields.includes(field)) {
      problems.push(`${name} is not an override; use one of ${overridableNames().join(', ')}`);
      continue;
    }
    overrides[domain.key][field] = domain.numeric?.includes(field) && raw.trim() !== '' ? Number(raw) : raw;
  }
  for (const [domainName, domain] of Object.entries(DOMAINS)) {
    const values = overrides[domain.key];
    const checked = plainToInstance(domain.dto, values) as Record<string, string | number>;
    const errors = validateSync(checked, { skipMissingProperties: true });
    for (const field of Object.keys(values)) values[field] = checked[field]; // trimmed as a write would be
    for (const error of errors) {
      problems.push(`${PREFIX}${domainName}__${error.property.toUpperCase()}: ${Object.values(error.constraints ?? {}).join('; ')}`);
    }
    if (domain.key === 'prompts') {
      for (const issue of validatePrompts(values as Record<string, string>).errors) {
        problems.push(`${PREFIX}PROMPTS__${issue.field.toUpperCase()}: ${issue.message}`);
      }
    }
  }
  if (problems.length) throw new Error(`Invalid configuration overrides:\n  ${problems.join('\n  ')}`);
  return overrides;
}

function overridableNames(): string[] {
  return Object.entries(DOMAINS).flatMap(([name, domain]) => domain.fields.map((field) => `${PREFIX}${name}__${field.toUpperCase()}`));
}
