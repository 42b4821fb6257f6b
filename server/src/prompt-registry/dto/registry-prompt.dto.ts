import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsObject, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { IntegerField, Optional, QueryIntegerField, TextField } from '../../common/validation/fields.js';

export const PROMPT_NAME = /^[a-z][a-z0-9_.-]{0,99}$/;
export const LABEL_NAME = /^[a-z][a-z0-9_-]{0,49}$/;
const VARIABLE_NAME = /^[a-z_][a-z0-9_]{0,99}$/i;
export const TEMPLATE_MAX_LENGTH = 200_000;

const TEMPLATE = {
  description: 'The prompt text; {name} is a declared variable, {{ and }} are literal braces (Python str.format)',
  example: 'Extract the parameters of this log line: {line}',
} as const;
const MODEL_PARAMETERS = { description: 'Model parameters this version is meant to run with (any JSON object)', example: { temperature: 0.2 } } as const;
const MESSAGE = { description: 'What changed and why, like a commit message (may span lines)', example: 'Ask for JSON output', maxLength: 500, line: false } as const;

export class DeclaredVariableDto {
  @TextField({ description: 'The placeholder name: letters, digits and _', example: 'line', maxLength: 100 })
  @Matches(VARIABLE_NAME, { message: 'name must be a placeholder name: letters, digits and _, not starting with a digit' })
  name: string;

  @TextField({ description: 'What the agent puts there', example: 'One log line', maxLength: 500, optional: true })
  description?: string;

  @ApiPropertyOptional({ description: 'Whether rendering needs a value for it (default true)', default: true })
  @Optional()
  @IsBoolean({ message: 'required must be true or false' })
  required?: boolean;

  @ApiPropertyOptional({ description: 'A value for previews', example: 'ERROR 2026-11-25 disk full', maxLength: 10_000 })
  @Optional()
  @IsString({ message: 'sample must be a string' })
  @MaxLength(10_000, { message: 'sample must be at most 10000 characters' })
  sample?: string;
}

function PromptNameField(description: string): PropertyDecorator {
  return applyDecorators(
    TextField({ description, example: 'analyze.parameters', maxLength: 100 }),
    Matches(PROMPT_NAME, { message: 'name must start with a-z and hold only a-z, 0-9, _, . and - (at most 100 characters)' }),
  );
}

function PromptDescriptionField(): PropertyDecorator {
  return TextField({ description: 'What the prompt is for', example: 'Extracts parameters from a log line', maxLength: 2000, line: false, optional: true });
}

/** An optional list of at most 100 declared variables, each checked as DeclaredVariableDto. */
function DeclaredVariablesField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [DeclaredVariableDto], description }),
    Optional(),
    IsArray({ message: 'variables must be a list' }),
    ArrayMaxSize(100, { message: 'variables must hold at most 100 entries' }),
    ValidateNested({ each: true }),
    Type(() => DeclaredVariableDto),
  );
}

export class VersionContentDto {
  @ApiProperty({ ...TEMPLATE, maxLength: TEMPLATE_MAX_LENGTH })
  @IsString({ message: 'template must be a string' })
  @MaxLength(TEMPLATE_MAX_LENGTH, { message: `template must be at most ${TEMPLATE_MAX_LENGTH} characters` })
  template: string;

  @ApiPropertyOptional({ ...MODEL_PARAMETERS, type: 'object', additionalProperties: true, nullable: true })
  @Optional({ nullable: true })
  @IsObject({ message: 'model_parameters must be a JSON object' })
  model_parameters?: Record<string, unknown> | null;

  @TextField({ ...MESSAGE, optional: true })
  message?: string;
}

export class CreateRegistryPromptDto extends VersionContentDto {
  @PromptNameField('Unique in the profile: a-z first, then a-z, 0-9, _, . and - (at most 100)')
  name: string;

  @PromptDescriptionField()
  description?: string;

  @DeclaredVariablesField('The variables its templates may use (at most 100)')
  variables?: DeclaredVariableDto[];
}

export class CreatePromptVersionDto extends VersionContentDto {
  @DeclaredVariablesField('Replaces the declared variables (left out: they stay)')
  variables?: DeclaredVariableDto[];
}

/** A prompt in an exported profile: every version, oldest first (numbered 1, 2, … again on import), and its labels. */
export class RegistryPromptDocumentDto {
  @PromptNameField('The prompt name')
  name: string;

  @PromptDescriptionField()
  description?: string;

  @DeclaredVariablesField('The declared variables (the newest version is checked against them)')
  variables?: DeclaredVariableDto[];

  @ApiProperty({ type: [VersionContentDto], description: 'Every version, oldest first' })
  @IsArray({ message: 'versions must be a list' })
  @ArrayMinSize(1, { message: 'versions must hold at least one version' })
  @ArrayMaxSize(1000, { message: 'versions must hold at most 1000 versions' })
  @ValidateNested({ each: true })
  @Type(() => VersionContentDto)
  versions: VersionContentDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' }, example: { production: 2 }, description: 'Label → version number (1 is the first in versions)' })
  @Optional()
  @IsObject({ message: 'labels must be an object of version numbers by label' })
  labels?: Record<string, number>;
}

export class SetPromptLabelDto {
  @IntegerField({ description: 'The version the label points at', example: 3, min: 1, max: 2_147_483_647 })
  version: number;
}

export class RenderPromptDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'A value per variable', example: { line: 'ERROR disk full' } })
  @IsObject({ message: 'variables must be a JSON object of strings' })
  variables: Record<string, string>;

  @ApiPropertyOptional({ description: 'The version to render (default: the one `label` names, else the latest)', example: 2 })
  @Optional()
  @IsInt({ message: 'version must be a whole number' })
  @Min(1, { message: 'version must be at least 1' })
  version?: number;

  @TextField({ description: 'The label whose version to render (`latest` for the newest)', example: 'production', maxLength: 50, optional: true })
  label?: string;
}

export class PromptVersionsQueryDto {
  @QueryIntegerField({ description: 'Page size', example: 20, default: 20, min: 1, max: 100 })
  limit?: number;

  @QueryIntegerField({ description: 'Versions to skip (newest first)', example: 0, default: 0, min: 0 })
  offset?: number;
}

export class PromptDiffQueryDto {
  @ApiProperty({ description: 'The version to compare from', example: 1, type: 'integer', minimum: 1 })
  @Type(() => Number)
  @IsInt({ message: 'from must be a whole number' })
  @Min(1, { message: 'from must be at least 1' })
  from: number;

  @ApiProperty({ description: 'The version to compare to', example: 2, type: 'integer', minimum: 1 })
  @Type(() => Number)
  @IsInt({ message: 'to must be a whole number' })
  @Min(1, { message: 'to must be at least 1' })
  to: number;
}

export class AgentPromptQueryDto {
  @QueryIntegerField({ description: 'The profile (default: the default profile)', example: 1, min: 1, max: 2_147_483_647 })
  profile_id?: number;

  @TextField({ description: 'The label to serve (default: production when it exists, else latest)', example: 'production', maxLength: 50, optional: true })
  label?: string;
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

export class DeclaredVariableOutDto {
  @ApiProperty({ example: 'line' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: 'One log line' })
  description: string | null;

  @ApiProperty({ example: true })
  required: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'ERROR disk full' })
  sample: string | null;
}

export class PromptVersionDto {
  @ApiProperty({ example: 'analyze.parameters' })
  prompt: string;

  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ example: TEMPLATE.example })
  template: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: MODEL_PARAMETERS.example })
  model_parameters: Record<string, unknown> | null;

  @ApiProperty({ example: MESSAGE.example })
  message: string;

  @ApiProperty({ example: 'alice@example.com' })
  created_by: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  created_at: string;
}

export class RegistryPromptDto {
  @ApiProperty({ example: 'analyze.parameters' })
  name: string;

  @ApiProperty({ example: 'Extracts parameters from a log line' })
  description: string;

  @ApiProperty({ type: [DeclaredVariableOutDto] })
  variables: DeclaredVariableOutDto[];

  @ApiProperty({ example: 3, description: 'The newest version (what `latest` means)' })
  latest_version: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { production: 2, staging: 3 } })
  labels: Record<string, number>;

  @ApiProperty({
    example: false,
    description: "A copy of the parent profile's prompt of the same name, versions and labels included, following it; adding a version or moving a label makes it this profile's own",
  })
  inherited: boolean;

  @ApiProperty({ example: 'alice@example.com' })
  created_by: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  updated_at: string;
}

export class RegistryPromptDetailDto extends RegistryPromptDto {
  @ApiProperty({ type: PromptVersionDto, description: 'The newest version' })
  latest: PromptVersionDto;

  @ApiProperty({ type: () => [TemplateIssueDto], description: 'Template warnings of the newest version (a required variable it never uses)', example: [] })
  warnings: TemplateIssueDto[];
}

/** A problem in a template, where it is (as the built-in prompts' issues, without their field). */
export class TemplateIssueDto {
  @ApiProperty({ enum: ['error', 'warning'] })
  severity: 'error' | 'warning';

  @ApiProperty({ example: 'unknown_placeholder' })
  code: string;

  @ApiProperty({ example: 'Unknown placeholder {customer}; the declared variables are {line} and {project}.' })
  message: string;

  @ApiProperty({ example: 17, description: '0-based, in UTF-16 code units' })
  offset: number;

  @ApiProperty({ example: 10 })
  length: number;

  @ApiProperty({ example: 2, description: '1-based' })
  line: number;

  @ApiProperty({ example: 5, description: '1-based, in UTF-16 code units' })
  column: number;
}

export class TemplateValidationDto {
  @ApiProperty({ example: false, description: 'No errors (warnings allowed): a version with this text would be accepted' })
  valid: boolean;

  @ApiProperty({ type: [TemplateIssueDto] })
  errors: TemplateIssueDto[];

  @ApiProperty({ type: [TemplateIssueDto] })
  warnings: TemplateIssueDto[];
}

export class RenderedPromptDto {
  @ApiProperty({ example: 'analyze.parameters' })
  prompt: string;

  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ example: 'Extract the parameters of this log line: ERROR disk full' })
  text: string;

  @ApiProperty({ example: 56, description: 'Characters (UTF-16 code units, as JavaScript counts)' })
  length: number;
}

export class PromptDiffLineDto {
  @ApiProperty({ enum: ['equal', 'added', 'removed'] })
  op: 'equal' | 'added' | 'removed';

  @ApiProperty({ example: 'Answer in JSON.' })
  text: string;
}

export class PromptDiffDto {
  @ApiProperty({ example: 1 })
  from: number;

  @ApiProperty({ example: 2 })
  to: number;

  @ApiProperty({ example: 1 })
  added: number;

  @ApiProperty({ example: 1 })
  removed: number;

  @ApiProperty({ type: [PromptDiffLineDto] })
  lines: PromptDiffLineDto[];
}

/** A prompt as `resolved` carries it: the version agents get without naming a label. */
export class ServedPromptDto {
  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ example: 'production', description: 'production when the prompt has that label, else latest' })
  label: string;

  @ApiProperty({ example: TEMPLATE.example })
  template: string;

  @ApiProperty({ type: [DeclaredVariableOutDto] })
  variables: DeclaredVariableOutDto[];

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  model_parameters: Record<string, unknown> | null;
}

export class AgentPromptDto {
  @ApiProperty({ example: 'analyze.parameters' })
  name: string;

  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ example: 'production', description: 'The label served, or latest' })
  label: string;

  @ApiProperty({ example: TEMPLATE.example })
  template: string;

  @ApiProperty({ type: [DeclaredVariableOutDto] })
  variables: DeclaredVariableOutDto[];

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  model_parameters: Record<string, unknown> | null;
}
