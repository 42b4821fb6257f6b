import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath, OmitType, PickType } from '@nestjs/swagger';
import { ServedPromptDto } from '../../prompt-registry/dto/registry-prompt.dto.js';
import { AiInfraConfigDto } from '../../ai-infra/dto/ai-infra.dto.js';
import { GenieSpaceDto } from '../../genie/dto/genie-space.dto.js';
import { MlflowConfigDto } from '../../mlflow/dto/mlflow.dto.js';
import { PromptsConfigDto } from '../../prompts/dto/prompts.dto.js';
import { IsOptional, IsUUID } from 'class-validator';
import { QueryIntegerField, TextField } from '../../common/validation/fields.js';
import { VALIDATED_BY_ROUTE } from '../../common/validation/validation-pipe.js';

/** `database`: the profile's own value; `profile:<name>`: inherited from that ancestor. */
export type ValueSource = 'default' | 'database' | 'env' | `profile:${string}`;

/** Validated by its route, once per distinct query (validatedOnce): agents call it all the time. */
export class ResolvedQueryDto {
  static readonly [VALIDATED_BY_ROUTE] = true;

  @QueryIntegerField({ description: 'Profile to resolve; with neither this nor session_id, the default profile', example: 1, min: 1 })
  profile_id?: number;

  @ApiPropertyOptional({ description: 'Resolve the profile this agent session uses', example: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c' })
  @IsOptional()
  @IsUUID('all', { message: 'session_id must be a UUID' })
  session_id?: string;

  @TextField({
    description: "A stable key (a user, a tenant): when the profile is in a rollout, it decides whether the candidate's configuration is served (see X-Rollout); not with session_id",
    example: 'user-42',
    maxLength: 200,
    optional: true,
  })
  subject?: string;
}

export class ResolvedProfileRefDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: 'default' })
  name: string;

  @ApiProperty({ example: 4 })
  version: number;

  @ApiProperty({ example: true })
  is_default: boolean;
}

/** The domains' own response shapes, without what belongs to the row (ids, versions, times). */
export class ResolvedAiInfraDto extends OmitType(AiInfraConfigDto, ['profile_id', 'version', 'updated_at', 'require_probe', 'inherited'] as const) {}

export class ResolvedGenieSpaceDto extends PickType(GenieSpaceDto, ['space_id', 'space_name', 'description'] as const) {}

export class ResolvedMlflowDto extends PickType(MlflowConfigDto, ['experiment_name'] as const) {}

export class ResolvedPromptsDto extends OmitType(PromptsConfigDto, ['profile_id', 'version', 'updated_at', 'inherited'] as const) {}

const SOURCE_MAP = {
  type: 'object' as const,
  additionalProperties: {
    type: 'string',
    pattern: '^(default|database|env|profile:.+)$',
    description: "default; database: the profile's own value; env: an environment override; profile:<name>: inherited from that ancestor profile",
  },
};

export class ResolvedSourcesDto {
  @ApiProperty({ ...SOURCE_MAP, description: 'Where each value came from', example: { llm_temperature: 'env', llm_endpoint: 'database', llm_max_tokens: 'profile:global' } })
  ai_infra: Record<string, ValueSource>;

  @ApiProperty({ ...SOURCE_MAP, example: { space_id: 'database' } })
  genie_space: Record<string, ValueSource>;

  @ApiProperty({ ...SOURCE_MAP, example: { experiment_name: 'database' } })
  mlflow: Record<string, ValueSource>;

  @ApiProperty({ ...SOURCE_MAP, example: { system_prompt: 'database' } })
  prompts: Record<string, ValueSource>;

  /** Each registered domain's top-level fields, under its name. */
  [domain: string]: Record<string, ValueSource>;
}

/**
 * Besides the built-in domains, each registered domain (GET /api/config/domains) appears under its
 * own name: the profile's values with the schema's defaults where it set nothing.
 */
@ApiExtraModels(ServedPromptDto)
export class ResolvedConfigDto {
  @ApiProperty({ type: ResolvedProfileRefDto, nullable: true, description: 'null when no profile exists yet (built-in defaults)' })
  profile: ResolvedProfileRefDto | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: null,
    description: 'For a pinned session (load with pin: true): the history entry whose snapshot it resolves, the profile as it was then; null when it follows its profile',
  })
  pinned_version: number | null;

  @ApiProperty({ type: ResolvedAiInfraDto })
  ai_infra: ResolvedAiInfraDto;

  @ApiProperty({ type: ResolvedGenieSpaceDto, nullable: true, description: "The profile's default Genie space" })
  genie_space: ResolvedGenieSpaceDto | null;

  @ApiProperty({ type: [ResolvedGenieSpaceDto], description: 'Every Genie space of the profile, the default first' })
  genie_spaces: ResolvedGenieSpaceDto[];

  @ApiProperty({ type: ResolvedMlflowDto })
  mlflow: ResolvedMlflowDto;

  @ApiProperty({ type: ResolvedPromptsDto })
  prompts: ResolvedPromptsDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(ServedPromptDto) },
    description: "The profile's prompt registry by name: each prompt's production version, else its latest (GET /api/prompts/{name} without a label)",
  })
  prompt_registry: Record<string, ServedPromptDto>;

  @ApiProperty({ type: ResolvedSourcesDto, description: 'Precedence: env > database > default' })
  sources: ResolvedSourcesDto;

  @ApiProperty({ example: false, description: 'true: the database is unreachable and this is the last known good value (also in X-Config-Stale)' })
  stale: boolean;
}
