import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { DOMAIN_NAME } from '../../domains/dto/domain.dto.js';
import type { ConfigAction, ConfigDomain, FieldChanges, HistorySubject } from '../../common/events/config-events.js';
import { QueryIntegerField, TextField } from '../../common/validation/fields.js';
import { PROMPT_NAME } from '../../prompt-registry/dto/registry-prompt.dto.js';

export const DOMAINS: ConfigDomain[] = ['profile', 'ai_infra', 'genie', 'mlflow', 'prompts'];
export const ACTIONS: ConfigAction[] = ['create', 'update', 'delete', 'set_default', 'duplicate', 'load', 'restore', 'import', 'inherit'];

export class HistoryQueryDto {
  @ApiPropertyOptional({ description: `${DOMAINS.join(', ')}, or a registered domain's name (also one deleted since)`, example: 'ai_infra' })
  @IsOptional()
  @Matches(DOMAIN_NAME, { message: `domain must be one of ${DOMAINS.join(', ')} or a registered domain's name` })
  domain?: ConfigDomain;

  @ApiPropertyOptional({ enum: ACTIONS })
  @IsOptional()
  @IsIn(ACTIONS, { message: `action must be one of ${ACTIONS.join(', ')}` })
  action?: ConfigAction;

  @ApiPropertyOptional({ description: "Only changes to this prompt of the profiles' prompt registries (implies domain prompt_registry)", example: 'verify.answer' })
  @IsOptional()
  @Matches(PROMPT_NAME, { message: 'prompt must start with a-z and hold only a-z, 0-9, _, . and - (at most 100 characters)' })
  prompt?: string;

  @TextField({ description: 'Only changes by this principal', example: 'alice', maxLength: 255, optional: true })
  changed_by?: string;

  @ApiPropertyOptional({ description: 'Only changes at or after this time (ISO 8601)', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({ description: 'Only changes before this time (ISO 8601)', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;

  @QueryIntegerField({ description: 'Page size', example: 50, default: 100, min: 1, max: 500 })
  limit?: number;

  @TextField({ description: 'Opaque cursor from the Link header\'s rel="next"', example: 'MjAyNi0xMS0yM1QxMjowMDowMC4xMjM0NTZafDQy', maxLength: 200, optional: true })
  cursor?: string;
}

export class ConfigHistoryEntryDto {
  @ApiProperty({ example: 42 })
  id: number;

  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'null once the profile is deleted' })
  profile_id: number | null;

  @ApiProperty({ example: 'Production', description: 'Kept after the profile is deleted' })
  profile_name: string;

  @ApiProperty({ example: 'ai_infra', description: `${DOMAINS.join(', ')}, prompt_registry (the prompt library), or a registered domain's name` })
  domain: ConfigDomain;

  @ApiProperty({ enum: ACTIONS })
  action: ConfigAction;

  @ApiProperty({
    enum: ['profile', 'domain'],
    description: "profile: a change to a profile's configuration; domain: a change to the domain registry itself (register, change, delete), with profile_id null",
  })
  subject: HistorySubject;

  @ApiProperty({ example: 'verify.answer', nullable: true, type: String, description: "The named item of the domain the change is about: the prompt's name for prompt_registry, else null" })
  item: string | null;

  @ApiProperty({ example: 'alice' })
  changed_by: string;

  @ApiProperty({ example: { llm_temperature: { old: 0.7, new: 0.2 } }, description: 'Only the fields that changed' })
  changes: FieldChanges;

  @ApiProperty({ example: '2026-11-23T12:00:00.123Z' })
  timestamp: string;

  @ApiProperty({ example: 'b1f0c3de-2a7e-4a57-9a43-8f5e0f1c2d3e', nullable: true, type: String })
  request_id: string | null;
}
