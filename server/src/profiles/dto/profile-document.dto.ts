import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsISO8601, IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { AiInfraValuesDto } from '../../ai-infra/dto/ai-infra.dto.js';
import { TextField, Optional } from '../../common/validation/fields.js';
import { CreateGenieSpaceDto } from '../../genie/dto/genie-space.dto.js';
import { MlflowValuesDto } from '../../mlflow/dto/mlflow.dto.js';
import { PromptsValuesDto } from '../../prompts/dto/prompts.dto.js';
import { RegistryPromptDocumentDto } from '../../prompt-registry/dto/registry-prompt.dto.js';
import { PROFILE_DESCRIPTION_FIELD, PROFILE_NAME_FIELD } from './profile-requests.dto.js';

export const PROFILE_DOCUMENT_FORMAT = 'switchboard.profile';
/** 2 added `domains` (registered domains' values), 3 `prompt_registry`, 4 `parent`; import still reads 1 to 3. */
export const PROFILE_DOCUMENT_VERSION = 4;
export const READABLE_DOCUMENT_VERSIONS = [1, 2, 3, 4];

/**
 * A required nested object, validated with its own class's rules (errors name `parent.field`);
 * in a document that names a parent, with those of `partial` (it holds only the overrides).
 */
export function Nested(type: new () => object, description: string, partial?: new () => object): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type, description }),
    IsDefined({ message: '$property is required' }),
    IsObject({ message: '$property must be an object' }),
    ValidateNested(),
    Type((options) => (partial && typeof (options?.object as { parent?: unknown } | undefined)?.parent === 'string' ? partial : type)),
  );
}

/**
 * A domain's values in a child's document: any field may be left out (it is inherited), and a
 * field given is checked as always (null included, unlike PartialType's IsOptional).
 */
function overridesOf(base: new () => object): new () => object {
  class Overrides extends base {}
  const names = (Reflect.getMetadata('swagger/apiModelPropertiesArray', base.prototype) as string[] | undefined) ?? [];
  for (const name of names.map((entry) => entry.replace(/^:/, ''))) ValidateIf((_, value) => value !== undefined)(Overrides.prototype, name);
  return Overrides;
}

const AiInfraOverridesDto = overridesOf(AiInfraValuesDto);
const MlflowOverridesDto = overridesOf(MlflowValuesDto);
const PromptsOverridesDto = overridesOf(PromptsValuesDto);

/** A profile's configuration without ids, versions, timestamps or secrets: what export writes and import reads. */
export class ProfileDocumentDto {
  @TextField(PROFILE_NAME_FIELD)
  name: string;

  @TextField({ ...PROFILE_DESCRIPTION_FIELD, optional: true, nullable: true })
  description?: string | null;

  @TextField({
    ...PROFILE_NAME_FIELD,
    description:
      'The profile this one inherits from, by name (format_version 4). Its ai_infra, mlflow, prompts and domains then hold only what the profile overrides; import finds the parent by name and takes the rest from it.',
    example: 'Global',
    optional: true,
  })
  parent?: string;

  @Nested(AiInfraValuesDto, 'LLM endpoint and sampling parameters', AiInfraOverridesDto)
  ai_infra: AiInfraValuesDto;

  @ApiProperty({ type: [CreateGenieSpaceDto], description: 'Every Genie space; the one with is_default (or else the first) is the default' })
  @IsArray({ message: 'genie_spaces must be an array' })
  @ValidateNested({ each: true })
  @Type(() => CreateGenieSpaceDto)
  genie_spaces: CreateGenieSpaceDto[];

  @Nested(MlflowValuesDto, 'Where traces go', MlflowOverridesDto)
  mlflow: MlflowValuesDto;

  @Nested(PromptsValuesDto, "The agent's prompts", PromptsOverridesDto)
  prompts: PromptsValuesDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: true },
    description: "Values of registered domains by domain name (format_version 2), each checked against its domain's schema",
    example: { gateway_router: { strategy: 'least_latency' } },
  })
  @Optional()
  @IsObject({ message: 'domains must be an object of values by domain name' })
  domains?: Record<string, Record<string, unknown>>;

  @ApiPropertyOptional({ type: [RegistryPromptDocumentDto], description: 'The prompt registry (format_version 3): every prompt with every version and its labels' })
  @Optional()
  @IsArray({ message: 'prompt_registry must be a list of prompts' })
  @ArrayMaxSize(1000, { message: 'prompt_registry must hold at most 1000 prompts' })
  @ValidateNested({ each: true })
  @Type(() => RegistryPromptDocumentDto)
  prompt_registry?: RegistryPromptDocumentDto[];
}

const isReadable = (document: ProfileExportDto) =>
  document.format === PROFILE_DOCUMENT_FORMAT && READABLE_DOCUMENT_VERSIONS.includes(document.format_version);

/** The exported file. Import reads it back; an unknown format or version is refused (422) before its content is read. */
export class ProfileExportDto {
  @ApiProperty({ enum: [PROFILE_DOCUMENT_FORMAT], example: PROFILE_DOCUMENT_FORMAT })
  @IsIn([PROFILE_DOCUMENT_FORMAT], { message: `format must be "${PROFILE_DOCUMENT_FORMAT}"` })
  format: typeof PROFILE_DOCUMENT_FORMAT;

  @ApiProperty({ type: 'integer', enum: READABLE_DOCUMENT_VERSIONS, example: PROFILE_DOCUMENT_VERSION, description: 'Bumped when the document changes shape; export writes the newest' })
  @IsIn(READABLE_DOCUMENT_VERSIONS, { message: `format_version must be one of ${READABLE_DOCUMENT_VERSIONS.join(', ')}, the versions this server reads` })
  format_version: number;

  @ApiPropertyOptional({ example: '2026-11-23T12:00:00.000Z', description: 'Written by export; import ignores it' })
  @Optional({ nullable: true })
  @IsISO8601({ strict: true }, { message: 'exported_at must be an ISO 8601 date-time' })
  exported_at?: string;

  @ValidateIf(isReadable)
  @Nested(ProfileDocumentDto, 'The profile')
  profile: ProfileDocumentDto;
}

export class ImportProfileQueryDto {
  @TextField({ ...PROFILE_NAME_FIELD, description: "Name for the imported profile instead of the document's (when that one is taken)", example: 'Production (staging copy)', optional: true })
  name?: string;
}
