import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { UpdateAiInfraDto } from '../ai-infra/dto/ai-infra.dto.js';
import { CreateGenieSpaceDto } from '../genie/dto/genie-space.dto.js';
import { UpdateMlflowDto } from '../mlflow/dto/mlflow.dto.js';
import { UpdatePromptsDto } from '../prompts/dto/prompts.dto.js';
import type { CompiledSchema } from '../domains/json-schema.js';
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
/** `SWITCHBOARD__<NAME>__<FIELD>` of a domain that is not built in: checked against the registry once the database is there. */
const REGISTERED_VARIABLE = /^([A-Z][A-Z0-9_]{1,62})__([A-Z][A-Z0-9_]*)$/;

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
    if (!domain && REGISTERED_VARIABLE.test(name.slice(PREFIX.length))) continue; // see registeredOverrides
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

/** What a registered domain's fields are set to by the environment, by domain and field. */
export type RegisteredOverrides = Record<string, Record<string, unknown>>;

/** A registered domain as the check needs it. */
export interface RegisteredDomainSchema {
  name: string;
  schema: Record<string, unknown>;
  compiled: CompiledSchema;
}

/**
 * `SWITCHBOARD__<DOMAIN>__<FIELD>` for a top-level scalar field of a registered domain: coerced
 * by the field's type in the schema (`"0.2"` to a number, `"true"` to a boolean) and checked by the
 * schema, at start-up like the built-in overrides. A variable naming no domain, no such field, or
 * a value the schema refuses stops the start with the variable's name.
 */
export function registeredOverrides(env: NodeJS.ProcessEnv, domains: readonly RegisteredDomainSchema[]): RegisteredOverrides {
  const overrides: RegisteredOverrides = {};
  const problems: string[] = [];
  for (const [variable, raw] of Object.entries(env)) {
    const match = variable.startsWith(PREFIX) && raw !== undefined ? REGISTERED_VARIABLE.exec(variable.slice(PREFIX.length)) : null;
    if (!match || match[1] in DOMAINS) continue;
    const [name, field] = [match[1].toLowerCase(), match[2].toLowerCase()];
    const domain = domains.find((candidate) => candidate.name === name);
    if (!domain) {
      problems.push(`${variable} is not an override: no built-in or registered domain is called "${name}"`);
      continue;
    }
    const type = scalarTypeOf(domain.schema, field);
    if (!type) {
      problems.push(`${variable}: "${field}" is not a top-level text, number or true/false field of domain "${name}"`);
      continue;
    }
    const value = coerce(raw!, type);
    const errors = domain.compiled
      .validate(domain.compiled.withDefaults({ [field]: value }))
      .filter((error) => error.field === `/${field}` || error.field.startsWith(`/${field}/`));
    if (errors.length) problems.push(`${variable}: ${errors.map((error) => error.message).join('; ')}`);
    else (overrides[name] ??= {})[field] = value;
  }
  if (problems.length) throw new Error(`Invalid configuration overrides:\n  ${problems.join('\n  ')}`);
  return overrides;
}

type ScalarType = 'string' | 'number' | 'integer' | 'boolean';

function scalarTypeOf(schema: Record<string, unknown>, field: string): ScalarType | undefined {
  const property = (schema.properties as Record<string, { type?: unknown }> | undefined)?.[field];
  const type = property?.type;
  return typeof type === 'string' && ['string', 'number', 'integer', 'boolean'].includes(type) ? (type as ScalarType) : undefined;
}

/** The text of a variable as the field's type; what does not convert stays text, for the schema to refuse. */
function coerce(raw: string, type: ScalarType): unknown {
  if (type === 'string') return raw;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
}
