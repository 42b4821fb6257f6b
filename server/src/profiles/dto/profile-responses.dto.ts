import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { AiInfraConfigDto } from '../../ai-infra/dto/ai-infra.dto.js';
import { StoredDomainValuesDto } from '../../domains/dto/domain.dto.js';
import { GenieSpaceDto } from '../../genie/dto/genie-space.dto.js';
import { MlflowConfigDto } from '../../mlflow/dto/mlflow.dto.js';
import { PromptsConfigDto } from '../../prompts/dto/prompts.dto.js';

export class ProfileSummaryDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: 'Production' })
  name: string;

  @ApiProperty({ example: 'What production agents run with', nullable: true, type: String })
  description: string | null;

  @ApiProperty({ example: true })
  is_default: boolean;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: null,
    description: 'The profile this one inherits from: it keeps only the values that differ (overrides) and takes the others from it',
  })
  parent_profile_id: number | null;

  @ApiProperty({ example: 2, description: "The profile row's version (name, description, default); sent as ETag" })
  version: number;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  updated_at: string;
}

/** A row of the profile list: the summary, and whether live agent sessions hold the profile. */
export class ProfileListItemDto extends ProfileSummaryDto {
  @ApiProperty({ example: '2026-11-23T12:00:00.000Z', description: 'When the profile or any of its domains last changed (its newest history entry)' })
  last_changed_at: string;

  @ApiProperty({ example: 'alice', nullable: true, type: String, description: 'Who made that change' })
  last_changed_by: string | null;

  @ApiProperty({ example: 0, description: 'Agent sessions seen within SWITCHBOARD_SESSION_TTL_SECONDS; a profile they use cannot be deleted' })
  live_sessions: number;
}

@ApiExtraModels(StoredDomainValuesDto)
export class ProfileDetailDto extends ProfileSummaryDto {
  @ApiProperty({ example: 'alice', nullable: true, type: String })
  created_by: string | null;

  @ApiProperty({ example: 'bob', nullable: true, type: String })
  updated_by: string | null;

  @ApiProperty({ type: AiInfraConfigDto })
  ai_infra: AiInfraConfigDto;

  @ApiProperty({ type: [GenieSpaceDto], description: 'The default space first' })
  genie_spaces: GenieSpaceDto[];

  @ApiProperty({ type: MlflowConfigDto })
  mlflow: MlflowConfigDto;

  @ApiProperty({ type: PromptsConfigDto })
  prompts: PromptsConfigDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(StoredDomainValuesDto) },
    description: 'Values of registered domains the profile has set, by domain name (see /api/config/domains)',
  })
  domains: Record<string, StoredDomainValuesDto>;

  @ApiProperty({ type: String, nullable: true, example: null, description: "The parent profile's name (parent_profile_id)" })
  parent_profile_name: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
    example: { ai_infra: { llm_endpoint: 'global' }, genie: { '01effebcc2781b6bbb749077a55d31e3': 'global' }, prompt_registry: { triage: 'global' } },
    description:
      'For a profile with a parent: each inherited field, by domain, with the name of the profile its value comes from (the nearest ancestor that sets it); inherited Genie spaces by space_id (`genie`) and registry prompts by name (`prompt_registry`) likewise. Empty otherwise.',
  })
  inherited_from: Record<string, Record<string, string>>;
}

export class LoadedProfileDto extends ProfileDetailDto {
  @ApiProperty({ example: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c', description: 'The session now bound to this profile' })
  session_id: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: null,
    description: "Pinned: the id of this load's history entry, whose snapshot the session keeps resolving (GET /api/config/history/{id}); null: the session follows the profile",
  })
  pinned_version: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: null,
    description: "The profile asked for, when its rollout sent this new session to its candidate (this profile); null otherwise",
  })
  rollout_of: number | null;
}
