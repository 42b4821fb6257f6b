import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INHERITED_FIELDS } from '../../common/validation/fields.js';
import { IsBoolean } from 'class-validator';
import { IntegerField, NumberField, Optional, TextField } from '../../common/validation/fields.js';

/** The values of the domain, as PUT changes them and a profile document carries them. */
/** What an LLM call is made with: what a probe tries. */
export const LLM_SETTINGS_FIELDS = ['llm_endpoint', 'llm_temperature', 'llm_max_tokens', 'llm_top_p', 'llm_timeout_seconds'] as const;

export const AI_INFRA_FIELDS = [...LLM_SETTINGS_FIELDS, 'require_probe'] as const;

export const AI_INFRA_LIMITS = {
  maxTokens: 1_000_000,
  timeoutSeconds: 3600,
} as const;

const ENDPOINT = { description: 'Serving endpoint name', example: 'databricks-claude-sonnet-4-5', maxLength: 255 } as const;
const TEMPERATURE = { description: 'Sampling temperature', example: 0.7, min: 0, max: 1 } as const;
const MAX_TOKENS = { description: 'Largest completion, in tokens', example: 60000, min: 1, max: AI_INFRA_LIMITS.maxTokens } as const;
const TOP_P = { description: 'Nucleus sampling', example: 1, min: 0, max: 1 } as const;
const TIMEOUT = { description: 'Seconds before an LLM call is abandoned', example: 120, min: 1, max: AI_INFRA_LIMITS.timeoutSeconds } as const;
const REQUIRE_PROBE = {
  description: 'Changes to the LLM settings or the prompts need a fresh passing probe of the settings (POST /api/config/ai-infra/{profile_id}/probe) first',
  example: false,
  default: false,
} as const;

/** PUT body: only the fields given change. */
export class UpdateAiInfraDto {
  @TextField({ ...ENDPOINT, optional: true })
  llm_endpoint?: string;

  @NumberField({ ...TEMPERATURE, optional: true })
  llm_temperature?: number;

  @IntegerField({ ...MAX_TOKENS, optional: true })
  llm_max_tokens?: number;

  @NumberField({ ...TOP_P, optional: true })
  llm_top_p?: number;

  @IntegerField({ ...TIMEOUT, optional: true })
  llm_timeout_seconds?: number;

  @ApiPropertyOptional(REQUIRE_PROBE)
  @Optional()
  @IsBoolean({ message: 'require_probe must be true or false' })
  require_probe?: boolean;
}

/** Every value, as a profile document (export, import, restore) carries them; the same rules as PUT. */
export class AiInfraValuesDto {
  @TextField(ENDPOINT)
  llm_endpoint: string;

  @NumberField(TEMPERATURE)
  llm_temperature: number;

  @IntegerField(MAX_TOKENS)
  llm_max_tokens: number;

  @NumberField(TOP_P)
  llm_top_p: number;

  @IntegerField(TIMEOUT)
  llm_timeout_seconds: number;

  /** Optional: documents written before it existed leave the profile's as it is. */
  @ApiPropertyOptional(REQUIRE_PROBE)
  @Optional()
  @IsBoolean({ message: 'require_probe must be true or false' })
  require_probe?: boolean;
}

export class AiInfraConfigDto {
  @ApiProperty({ example: 1 })
  profile_id: number;

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

  @ApiProperty(REQUIRE_PROBE)
  require_probe: boolean;

  @ApiProperty(INHERITED_FIELDS)
  inherited: string[];

  @ApiProperty({ example: 3, description: 'Moves on every change; sent as ETag, expected in If-Match' })
  version: number;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  updated_at: string;
}

export class AiInfraValidationDto {
  @ApiProperty({ example: true, description: 'The values are acceptable (value errors answer 422 instead)' })
  valid: boolean;

  @ApiProperty({ example: true, nullable: true, type: Boolean, description: 'The endpoint is among the listed serving endpoints; null when no endpoint was given' })
  endpoint_known: boolean | null;

  @ApiProperty({ example: 'workspace', enum: ['workspace', 'fallback'], description: 'Where the endpoint list came from' })
  endpoints_source: 'workspace' | 'fallback';

  @ApiProperty({ example: [], type: [String] })
  warnings: string[];
}
