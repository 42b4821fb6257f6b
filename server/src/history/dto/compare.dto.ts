import { ApiProperty, type SchemaObject } from '@nestjs/swagger';
import { MAX_HISTORY_ID } from '../../common/http/id-param.js';
import { QueryIntegerField } from '../../common/validation/fields.js';
import type { SideBySide } from '../../genie/genie-space-diff.js';

const MAX_ID = 2_147_483_647;

/** Each side is a profile as it is now, or the snapshot of a history entry: exactly one id per side. */
export class CompareQueryDto {
  @QueryIntegerField({ description: 'Left side: this profile (or give left_entry_id)', example: 1, min: 1, max: MAX_ID })
  left_profile_id?: number;

  @QueryIntegerField({ description: "Left side: this history entry's snapshot (or give left_profile_id)", example: 42, min: 1, max: MAX_HISTORY_ID })
  left_entry_id?: number;

  @QueryIntegerField({ description: 'Right side: this profile (or give right_entry_id)', example: 2, min: 1, max: MAX_ID })
  right_profile_id?: number;

  @QueryIntegerField({ description: "Right side: this history entry's snapshot (or give right_profile_id)", example: 43, min: 1, max: MAX_HISTORY_ID })
  right_entry_id?: number;
}

export class ComparedSideDto {
  @ApiProperty({ example: 1, nullable: true, type: Number, description: "The profile (an entry's profile: null once deleted)" })
  profile_id: number | null;

  @ApiProperty({ example: null, nullable: true, type: Number, description: 'The history entry, when this side is a snapshot' })
  entry_id: number | null;

  @ApiProperty({ example: 'Production' })
  profile_name: string;
}

const FIELDS_DOC = 'Only the fields that differ, as {field: {left, right}}';
const SIDE_BY_SIDE: { type: 'object'; additionalProperties: SchemaObject } = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { left: { description: 'Any JSON value; null when absent' }, right: { description: 'Any JSON value; null when absent' } },
    required: ['left', 'right'],
  },
};

export class ProfileDifferencesDto {
  @ApiProperty({ ...SIDE_BY_SIDE, description: `${FIELDS_DOC}: name, description`, example: { name: { left: 'Production', right: 'Fast Mode' } } })
  profile: SideBySide;

  @ApiProperty({ ...SIDE_BY_SIDE, description: FIELDS_DOC, example: { llm_temperature: { left: 0.7, right: 0.2 } } })
  ai_infra: SideBySide;

  @ApiProperty({
    ...SIDE_BY_SIDE,
    description: 'Spaces matched by space_id: "<space_id>.<field>" for a space on both sides, "<space_id>" (null on the other side) for a space on one side only',
    example: {
      '01effebcc2781b6bbb749077a55d31e3.space_name': { left: 'Usage', right: 'Usage analytics' },
      bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb: { left: null, right: { space_name: 'Ops', description: null, is_default: false } },
    },
  })
  genie: SideBySide;

  @ApiProperty({ ...SIDE_BY_SIDE, description: FIELDS_DOC, example: { experiment_name: { left: '/Shared/prod', right: '/Shared/test' } } })
  mlflow: SideBySide;

  @ApiProperty({ ...SIDE_BY_SIDE, description: FIELDS_DOC, example: { system_prompt: { left: 'You are…', right: 'You are a…' } } })
  prompts: SideBySide;

  @ApiProperty({
    type: 'object',
    additionalProperties: SIDE_BY_SIDE,
    description: `Registered domains that differ, by name; in each, ${FIELDS_DOC.toLowerCase()} (top-level fields, as each side set them)`,
    example: { gateway_router: { strategy: { left: 'simple', right: 'least_latency' } } },
  })
  domains: Record<string, SideBySide>;
}

export class ProfileComparisonDto {
  @ApiProperty({ type: ComparedSideDto })
  left: ComparedSideDto;

  @ApiProperty({ type: ComparedSideDto })
  right: ComparedSideDto;

  @ApiProperty({ example: false, description: 'No domain differs (ids, versions, timestamps and authors are not compared)' })
  identical: boolean;

  @ApiProperty({ type: ProfileDifferencesDto })
  differences: ProfileDifferencesDto;
}
