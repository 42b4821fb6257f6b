import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INHERITED_FIELDS } from '../../common/validation/fields.js';
import { IsString } from 'class-validator';
import { PROMPT_ISSUE_CODES } from '../prompt-template.validator.js';
import { Optional } from '../../common/validation/fields.js';

const TEMPLATE_HELP = 'Placeholders: {question}, {max_slides}; write {{ and }} for literal braces. At most 200,000 characters.';

/** PUT and validate body: only the fields given are changed (and checked). */
export class UpdatePromptsDto {
  @ApiPropertyOptional({ description: `The agent's system prompt. ${TEMPLATE_HELP}`, example: 'You are a senior data analyst…' })
  @Optional()
  @IsString({ message: '$property must be a string' })
  system_prompt?: string;

  @ApiPropertyOptional({ description: `Instructions when editing existing slides. ${TEMPLATE_HELP}`, example: 'Change only what the user asked for…' })
  @Optional()
  @IsString({ message: '$property must be a string' })
  slide_editing_instructions?: string;

  @ApiPropertyOptional({ description: `Template of each user message; must contain {question} and {max_slides}. ${TEMPLATE_HELP}`, example: 'Question: {question}\nUse at most {max_slides} slides.' })
  @Optional()
  @IsString({ message: '$property must be a string' })
  user_prompt_template?: string;
}

/** Every prompt, as a profile document (export, import, restore) carries them; checked like PUT. */
export class PromptsValuesDto {
  @ApiProperty({ description: `The agent's system prompt. ${TEMPLATE_HELP}`, example: 'You are a senior data analyst…' })
  @IsString({ message: '$property must be a string' })
  system_prompt: string;

  @ApiProperty({ description: `Instructions when editing existing slides. ${TEMPLATE_HELP}`, example: 'Change only what the user asked for…' })
  @IsString({ message: '$property must be a string' })
  slide_editing_instructions: string;

  @ApiProperty({ description: `Template of each user message; must contain {question} and {max_slides}. ${TEMPLATE_HELP}`, example: 'Question: {question}\nUse at most {max_slides} slides.' })
  @IsString({ message: '$property must be a string' })
  user_prompt_template: string;
}

export class PromptsConfigDto {
  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({ example: 'You are a senior data analyst…' })
  system_prompt: string;

  @ApiProperty({ example: 'Change only what the user asked for…' })
  slide_editing_instructions: string;

  @ApiProperty({ example: 'Question: {question}\nUse at most {max_slides} slides.' })
  user_prompt_template: string;

  @ApiProperty(INHERITED_FIELDS)
  inherited: string[];

  @ApiProperty({ example: 4 })
  version: number;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  updated_at: string;
}

export class PromptIssueDto {
  @ApiProperty({ enum: ['system_prompt', 'slide_editing_instructions', 'user_prompt_template'] })
  field: string;

  @ApiProperty({ enum: ['error', 'warning'] })
  severity: 'error' | 'warning';

  @ApiProperty({ enum: PROMPT_ISSUE_CODES, example: 'unknown_placeholder' })
  code: string;

  @ApiProperty({ example: 'Unknown placeholder {topic}; known placeholders are {question} and {max_slides}.' })
  message: string;

  @ApiProperty({ example: 120, description: '0-based, in UTF-16 code units' })
  offset: number;

  @ApiProperty({ example: 7 })
  length: number;

  @ApiProperty({ example: 3, description: '1-based' })
  line: number;

  @ApiProperty({ example: 14, description: '1-based, in UTF-16 code units' })
  column: number;
}

export class PromptValidationDto {
  @ApiProperty({ example: false, description: 'No errors (warnings allowed)' })
  valid: boolean;

  @ApiProperty({ type: [PromptIssueDto] })
  errors: PromptIssueDto[];

  @ApiProperty({ type: [PromptIssueDto] })
  warnings: PromptIssueDto[];

  @ApiProperty({ example: { system_prompt: [], slide_editing_instructions: [], user_prompt_template: ['question', 'max_slides'] }, description: 'Placeholders found, per field checked' })
  placeholders: Record<string, string[]>;
}
