import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, Min, ValidateNested } from 'class-validator';
import { UpdateAiInfraDto } from '../../ai-infra/dto/ai-infra.dto.js';
import { CreateGenieSpaceDto } from '../../genie/dto/genie-space.dto.js';
import { UpdateMlflowDto } from '../../mlflow/dto/mlflow.dto.js';
import { UpdatePromptsDto } from '../../prompts/dto/prompts.dto.js';
import { QueryIntegerField } from '../../common/validation/fields.js';
import { SCHEDULE_ACTIONS, SCHEDULE_STATUSES, type ScheduleAction, type ScheduleStatus } from '../entities/schedule.entity.js';

/** Values a scheduled `apply` writes: any domains of a profile document; built-in fields left out keep theirs. */
export class ScheduledValuesDto {
  @ApiPropertyOptional({ type: UpdateAiInfraDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdateAiInfraDto)
  ai_infra?: UpdateAiInfraDto;

  @ApiPropertyOptional({ type: UpdateMlflowDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdateMlflowDto)
  mlflow?: UpdateMlflowDto;

  @ApiPropertyOptional({ type: UpdatePromptsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdatePromptsDto)
  prompts?: UpdatePromptsDto;

  @ApiPropertyOptional({ type: [CreateGenieSpaceDto], description: 'Every Genie space the profile then has' })
  @IsOptional()
  @IsArray({ message: 'genie_spaces must be an array' })
  @ValidateNested({ each: true })
  @Type(() => CreateGenieSpaceDto)
  genie_spaces?: CreateGenieSpaceDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object', additionalProperties: true }, description: "Registered domains' values by name, each replacing that domain's values (checked against its schema when the change runs); secrets only as {\"set\": true}" })
  @IsOptional()
  @IsObject({ message: 'domains must be an object of values by domain name' })
  domains?: Record<string, Record<string, unknown>>;
}

export class CreateScheduleDto {
  @ApiProperty({ example: 2, description: 'The profile the change is made to' })
  @IsInt({ message: 'profile_id must be a whole number' })
  @Min(1, { message: 'profile_id must be a profile id' })
  profile_id: number;

  @ApiProperty({ enum: SCHEDULE_ACTIONS, description: 'set_default: make the profile the default; apply: write `values` to it' })
  @IsIn(SCHEDULE_ACTIONS, { message: `action must be one of ${SCHEDULE_ACTIONS.join(', ')}` })
  action: ScheduleAction;

  @ApiProperty({ example: '2026-11-26T18:00:00Z', description: 'When (ISO 8601 with a time zone), at least 2 seconds ahead' })
  @IsISO8601({ strict: true }, { message: 'run_at must be an ISO 8601 date and time' })
  run_at: string;

  @ApiPropertyOptional({ type: ScheduledValuesDto, description: 'For apply: the values to write' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScheduledValuesDto)
  values?: ScheduledValuesDto;
}

export class ListSchedulesQueryDto {
  @QueryIntegerField({ description: "Only this profile's", example: 1, min: 1 })
  profile_id?: number;
}

export class ScheduleDto {
  @ApiProperty({ example: 7 })
  schedule_id: number;

  @ApiProperty({ example: 2 })
  profile_id: number;

  @ApiProperty({ example: 'Weekend' })
  profile_name: string;

  @ApiProperty({ enum: SCHEDULE_ACTIONS })
  action: ScheduleAction;

  @ApiProperty({ type: ScheduledValuesDto, nullable: true })
  values: ScheduledValuesDto | null;

  @ApiProperty({ example: '2026-11-26T18:00:00.000Z' })
  run_at: string;

  @ApiProperty({ enum: SCHEDULE_STATUSES, description: 'pending until it runs (or is cancelled); done, or failed with last_error' })
  status: ScheduleStatus;

  @ApiProperty({ example: 1 })
  attempts: number;

  @ApiProperty({ example: null, nullable: true, type: String })
  last_error: string | null;

  @ApiProperty({ example: 'alice', description: 'Who scheduled it: the change is audited as theirs, with request id schedule-<id>' })
  created_by: string;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  finished_at: string | null;
}
