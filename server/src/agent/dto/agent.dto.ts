import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Min } from 'class-validator';
import { IntegerField, QueryIntegerField, TextField, Optional } from '../../common/validation/fields.js';

export class StartSessionDto {
  @ApiPropertyOptional({ description: 'Profile the session uses; omitted or null: the default profile', example: 1, type: 'integer', nullable: true })
  @Optional({ nullable: true })
  @IsInt({ message: 'profile_id must be a whole number' })
  @Min(1, { message: 'profile_id must be a profile id' })
  profile_id?: number | null;

  @ApiPropertyOptional({ description: 'true: the session keeps the profile as it is now (pinned); false (default): it follows every change', example: false, default: false })
  @Optional()
  @IsBoolean({ message: 'pin must be true or false' })
  pin?: boolean;
}

export class SendMessageDto {
  @TextField({ description: 'What the user asks; fills {question} of the user template', example: 'How did usage grow last quarter?', maxLength: 100_000, minLength: 1, line: false })
  question: string;

  @IntegerField({ description: 'Fills {max_slides} of the user template (default 10)', example: 5, min: 1, max: 100, optional: true })
  max_slides?: number;
}

export class AgentMessageDto {
  @ApiProperty({ enum: ['user', 'assistant'], example: 'assistant' })
  role: 'user' | 'assistant';

  @ApiProperty({ description: 'For the user: the rendered user template', example: 'Here are 3 slides…' })
  content: string;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  created_at: string;
}

export class ListSessionsQueryDto {
  @QueryIntegerField({ description: "Only this profile's sessions", example: 1, min: 1 })
  profile_id?: number;

  @QueryIntegerField({ description: 'Page size', example: 50, default: 100, min: 1, max: 500 })
  limit?: number;

  @QueryIntegerField({ description: 'Sessions to skip', example: 0, default: 0, min: 0 })
  offset?: number;
}

/** What every view of a session says about it. */
class AgentSessionBaseDto {
  @ApiProperty({ example: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c' })
  session_id: string;

  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-11-23T12:05:00.000Z' })
  last_seen_at: string;

  @ApiProperty({ example: null, nullable: true, type: Number, description: 'Pinned: the history entry whose snapshot of the profile the session keeps; null: it follows its profile' })
  pinned_version: number | null;
}

export class AgentSessionSummaryDto extends AgentSessionBaseDto {
  @ApiProperty({ example: 'default' })
  profile_name: string;

  @ApiProperty({ example: true, description: 'Seen within SWITCHBOARD_SESSION_TTL_SECONDS: it holds its profile (which cannot be deleted meanwhile)' })
  live: boolean;

  @ApiProperty({ example: 4, description: 'Turns of its conversation' })
  messages: number;
}

export class AgentSessionDto extends AgentSessionBaseDto {
  @ApiProperty({ type: [AgentMessageDto], description: 'The conversation, oldest first' })
  messages: AgentMessageDto[];
}

export class LlmSettingsDto {
  @ApiProperty({ example: 'databricks-claude-sonnet-4-5' })
  endpoint: string;

  @ApiProperty({ example: 0.7 })
  temperature: number;

  @ApiProperty({ example: 60000 })
  max_tokens: number;

  @ApiProperty({ example: 1 })
  top_p: number;
}

export class AgentReplyDto {
  @ApiProperty({ example: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c' })
  session_id: string;

  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({ example: 'default' })
  profile_name: string;

  @ApiProperty({ type: AgentMessageDto })
  message: AgentMessageDto;

  @ApiProperty({ type: LlmSettingsDto, description: 'What the LLM was called with' })
  llm: LlmSettingsDto;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, nullable: true, example: { prompt_tokens: 812, completion_tokens: 240 } })
  usage: Record<string, number> | null;
}
