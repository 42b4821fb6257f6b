import { AiInfraValuesDto } from '../ai-infra/dto/ai-infra.dto.js';
import { DEFAULT_AI_INFRA, DEFAULT_MLFLOW, DEFAULT_PROMPTS } from '../common/defaults/default-config.js';
import { CreateGenieSpaceDto } from '../genie/dto/genie-space.dto.js';
import { MlflowValuesDto } from '../mlflow/dto/mlflow.dto.js';
import { PromptsValuesDto } from '../prompts/dto/prompts.dto.js';

/** Where @nestjs/swagger's @ApiProperty keeps its metadata (its DECORATORS constants, not exported). */
const PROPERTY_NAMES = 'swagger/apiModelPropertiesArray';
const PROPERTY = 'swagger/apiModelProperties';

export interface BuiltInDomain {
  name: string;
  title: string;
  description: string;
  kind: 'object' | 'list';
  schema: Record<string, unknown>;
}

/**
 * The slide generator's domains, described in the registry by schemas read from the very
 * decorators that validate and document their DTOs (the `@ApiProperty` metadata that
 * NumberField, IntegerField and TextField write): a bound changed there changes here too.
 * Their values keep their typed tables and routes; the API also checks rules a schema does not
 * carry (an MLflow path's segments, a template's placeholders).
 */
export const BUILT_IN_DOMAINS: readonly BuiltInDomain[] = [
  {
    name: 'ai_infra',
    title: 'AI infrastructure',
    description: 'Model serving endpoint and sampling parameters (routes /api/config/ai-infra/{profile_id}).',
    kind: 'object',
    schema: objectSchemaOf(AiInfraValuesDto, DEFAULT_AI_INFRA, {
      llm_endpoint: 'Serving endpoint',
      llm_temperature: 'Temperature',
      llm_max_tokens: 'Max tokens',
      llm_top_p: 'Top p',
      llm_timeout_seconds: 'Timeout (seconds)',
      require_probe: 'Require a passing probe',
    }),
  },
  {
    name: 'genie_spaces',
    title: 'Genie spaces',
    description: 'The Databricks Genie spaces of a profile, one of them the default (routes /api/config/genie/…).',
    kind: 'list',
    schema: { type: 'array', items: objectSchemaOf(CreateGenieSpaceDto, {}, { space_id: 'Space id', space_name: 'Name', description: 'Description', is_default: 'Default' }) },
  },
  {
    name: 'mlflow',
    title: 'MLflow',
    description: 'The experiment agent traces go to (routes /api/config/mlflow/{profile_id}).',
    kind: 'object',
    schema: objectSchemaOf(MlflowValuesDto, DEFAULT_MLFLOW, { experiment_name: 'Experiment' }),
  },
  {
    name: 'prompts',
    title: 'Prompts',
    description: "The slide generator's system prompt, editing instructions and user template (routes /api/config/prompts/{profile_id}).",
    kind: 'object',
    schema: objectSchemaOf(PromptsValuesDto, DEFAULT_PROMPTS, {
      system_prompt: 'System prompt',
      slide_editing_instructions: 'Slide editing instructions',
      user_prompt_template: 'User prompt template',
    }),
  },
];

/**
 * Names a user's domain cannot take: the built-in domains, and the other keys of a resolved
 * configuration and of a profile, under which custom domains appear.
 */
export const RESERVED_DOMAIN_NAMES = new Set([
  ...BUILT_IN_DOMAINS.map((domain) => domain.name),
  'profile',
  'profiles',
  'genie',
  'genie_space',
  'domains',
  'sources',
  'stale',
  'pinned_version',
  'rollout',
  'permissions',
  'approval',
  'history',
  'resolved',
  'prompt_registry',
]);

interface ApiPropertyMetadata {
  type?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  nullable?: boolean;
  required?: boolean;
  enum?: unknown[];
}

type Constructor = abstract new (...args: never[]) => unknown;

/** A DTO's documented properties as a JSON Schema object (draft 2020-12), each with the title people read it by. */
export function objectSchemaOf(dto: Constructor, defaults: object, titles: Record<string, string>): Record<string, unknown> {
  const names = (Reflect.getMetadata(PROPERTY_NAMES, dto.prototype) as string[] | undefined) ?? [];
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const name of names.map((entry) => entry.replace(/^:/, ''))) {
    const meta = Reflect.getMetadata(PROPERTY, dto.prototype, name) as ApiPropertyMetadata;
    const type = jsonType(meta.type);
    if (!titles[name]) throw new Error(`${dto.name}.${name} has no title`);
    properties[name] = {
      title: titles[name],
      type: meta.nullable ? [type, 'null'] : type,
      ...(meta.description && { description: meta.description }),
      ...(meta.minimum !== undefined && { minimum: meta.minimum }),
      ...(meta.maximum !== undefined && { maximum: meta.maximum }),
      ...(meta.minLength !== undefined && { minLength: meta.minLength }),
      ...(meta.maxLength !== undefined && { maxLength: meta.maxLength }),
      ...(meta.enum && { enum: meta.enum }),
      ...(name in defaults && { default: (defaults as Record<string, unknown>)[name] }),
    };
    if (meta.required !== false) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function jsonType(type: unknown): string {
  if (type === Number || type === 'number') return 'number';
  if (type === 'integer') return 'integer';
  if (type === Boolean || type === 'boolean') return 'boolean';
  if (type === String || type === 'string') return 'string';
  throw new Error(`no JSON Schema type for ${String(type)}`);
}
