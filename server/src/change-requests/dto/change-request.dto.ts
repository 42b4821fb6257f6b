import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Min, Validate, ValidateNested, type ValidatorConstraintInterface, ValidatorConstraint } from 'class-validator';
import { QueryIntegerField, TextField } from '../../common/validation/fields.js';
import { ScheduledValuesDto } from '../../schedules/dto/schedule.dto.js';
import { CHANGE_REQUEST_STATUSES, type ChangeRequestStatus } from '../entities/change-request.entity.js';

/** {domain: version}: each a whole number from 0 (a registered domain the profile has no values of yet). */
@ValidatorConstraint({ name: 'versionsByDomain' })
class VersionsByDomain implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'object' && value !== null && Object.values(value).every((version) => Number.isSafeInteger(version) && (version as number) >= 0);
  }

  defaultMessage(): string {
    return 'base_versions must map each domain to its version (a whole number)';
  }
}

export class CreateChangeRequestDto {
  @ApiProperty({ example: 2, description: 'The profile the change is proposed for' })
  @IsInt({ message: 'profile_id must be a whole number' })
  @Min(1, { message: 'profile_id must be a profile id' })
  profile_id: number;

  @ApiProperty({
    type: ScheduledValuesDto,
    description: 'The proposed values: ai_infra, mlflow, prompts (the fields to change), genie_spaces (every space the profile is to have; approval applies the differences) and registered domains (their values, secrets only as {"set": true})',
  })
  @IsObject({ message: 'values must be an object of values by domain' })
  @ValidateNested()
  @Type(() => ScheduledValuesDto)
  values: ScheduledValuesDto;

  @TextField({ description: 'Why: shown to whoever decides', example: 'Lower the temperature for the quarterly report', maxLength: 2000, optional: true, line: false })
  message?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { ai_infra: 4 },
    description: 'The version of each domain the values were made against (as read): 412 when one has moved since',
  })
  @IsOptional()
  @IsObject({ message: 'base_versions must be an object of versions by domain' })
  @Validate(VersionsByDomain)
  base_versions?: Record<string, number>;
}

export class DecideChangeRequestDto {
  @TextField({ description: 'A note on the decision (required to reject)', example: 'Too creative for the board deck', maxLength: 2000, optional: true, line: false })
  comment?: string;
}

export class ChangeRequestDto {
  @ApiProperty({ example: 12 })
  change_request_id: number;

  @ApiProperty({ example: 2 })
  profile_id: number;

  @ApiProperty({ example: 'Quarterly report' })
  profile_name: string;

  @ApiProperty({ enum: CHANGE_REQUEST_STATUSES, example: 'open' })
  status: ChangeRequestStatus;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { ai_infra: { llm_temperature: 0.2 } }, description: 'The proposed values, by domain' })
  values: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: true },
    example: { ai_infra: { llm_temperature: { old: 0.7, new: 0.2 } } },
    description: 'By domain, each field that changes, {old, new} as it was when the request was made',
  })
  changes: Record<string, Record<string, { old: unknown; new: unknown }>>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { ai_infra: 4 }, description: "Each domain's version the request was made against: approving it refuses (412) once one has moved" })
  base_versions: Record<string, number>;

  @ApiProperty({ type: String, nullable: true, example: 'Lower the temperature for the quarterly report' })
  message: string | null;

  @ApiProperty({ example: 'alice@corp.com' })
  created_by: string;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  created_at: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  decided_by: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  decided_at: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  comment: string | null;
}

export class ListChangeRequestsQueryDto {
  @ApiPropertyOptional({ enum: CHANGE_REQUEST_STATUSES, description: 'Only requests in this state (default: all, newest first)' })
  @IsOptional()
  @IsIn(CHANGE_REQUEST_STATUSES, { message: `status must be one of ${CHANGE_REQUEST_STATUSES.join(', ')}` })
  status?: ChangeRequestStatus;

  @QueryIntegerField({ description: 'Only requests for this profile', example: 2, min: 1, max: 2_147_483_647 })
  profile_id?: number;
}

export class ApprovalRuleDto {
  @ApiProperty({ example: 2 })
  profile_id: number;

  @ApiProperty({ description: 'Whether changes editors make to the profile become change requests', example: true })
  required: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'environment-admin' })
  required_by: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-26T12:00:00.000Z' })
  required_at: string | null;
}
