import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { QueryIntegerField } from '../../common/validation/fields.js';

export const VALUE_SOURCES = ['default', 'database', 'env'] as const;
export type ValueSource = (typeof VALUE_SOURCES)[number];

export class ResolvedQueryDto {
  @QueryIntegerField({ description: 'Profile to resolve; with neither this nor session_id, the default profile', example: 1, min: 1 })
  profile_id?: number;

  @ApiPropertyOptional({ description: 'Resolve the profile this agent session uses', example: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c' })
  @IsOptional()
  @IsUUID('all', { message: 'session_id must be a UUID' })
  session_id?: string;
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

export class ResolvedAiInfraDto {
  @ApiProperty({ example: 'databricks-claude-sonnet-4-5' })
  llm_endpoint: string;

  @ApiProperty({ example: 0.7 })
  llm_temperature: number;

  @ApiProperty({ example: 60000 })
  llm_max_tokens: number;

  @ApiProperty({ example: 1 })
  llm_top_p: number;

  @ApiProperty({ example: 120 })
  llm_timeout_seconds: number;
}

export class ResolvedGenieSpaceDto {
  @ApiProperty({ example: '01effebcc2781b6bbb749077a55d31e3' })
  space_id: string;

  @ApiProperty({ example: 'Databricks Usage Analytics' })
  space_name: string;

  @ApiProperty({ type: String, nullable: true, example: 'Databricks usage data space' })
  description: string | null;
}

export class ResolvedMlflowDto {
  @ApiProperty({ example: '/Workspace/Users/{username}/ai-slide-generator' })
  experiment_name: string;
}

export class ResolvedPromptsDto {
  @ApiProperty({ example: 'You are a senior data analyst…' })
  system_prompt: string;

  @ApiProperty({ example: 'Change only what the user asked for…' })
  slide_editing_instructions: string;

  @ApiProperty({ example: '{question}\n\nUse at most {max_slides} slides.' })
  user_prompt_template: string;
}

const SOURCE_MAP = { type: 'object' as const, additionalProperties: { type: 'string', enum: [...VALUE_SOURCES] } };

export class ResolvedSourcesDto {
  @ApiProperty({ ...SOURCE_MAP, description: 'Where each value came from', example: { llm_temperature: 'env', llm_endpoint: 'database' } })
  ai_infra: Record<string, ValueSource>;

  @ApiProperty({ ...SOURCE_MAP, example: { space_id: 'database' } })
  genie_space: Record<string, ValueSource>;

  @ApiProperty({ ...SOURCE_MAP, example: { experiment_name: 'database' } })
  mlflow: Record<string, ValueSource>;

  @ApiProperty({ ...SOURCE_MAP, example: { system_prompt: 'database' } })
  prompts: Record<string, ValueSource>;
}

export class ResolvedConfigDto {
  @ApiProperty({ type: ResolvedProfileRefDto, nullable: true, description: 'null when no profile exists yet (built-in defaults)' })
  profile: ResolvedProfileRefDto | null;

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

  @ApiProperty({ type: ResolvedSourcesDto, description: 'Precedence: env > database > default' })
  sources: ResolvedSourcesDto;

  @ApiProperty({ example: false, description: 'true: the database is unreachable and this is the last known good value (also in X-Config-Stale)' })
  stale: boolean;
}
