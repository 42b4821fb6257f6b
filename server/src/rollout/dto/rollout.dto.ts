import { ApiProperty } from '@nestjs/swagger';
import { IntegerField } from '../../common/validation/fields.js';

export class PutRolloutDto {
  @IntegerField({ description: 'The profile new sessions and subjects are sent to, in part', example: 2, min: 1, max: 2_147_483_647 })
  candidate_profile_id: number;

  @IntegerField({ description: 'Percentage of subjects (and new sessions) sent to the candidate', example: 10, min: 0, max: 100 })
  percentage: number;
}

export class RolloutDto {
  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({ example: 2 })
  candidate_profile_id: number;

  @ApiProperty({ example: 'default (candidate)' })
  candidate_name: string;

  @ApiProperty({ example: 10 })
  percentage: number;

  @ApiProperty({ example: 'alice' })
  started_by: string;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  started_at: string;

  @ApiProperty({ example: '2026-11-26T12:30:00.000Z' })
  updated_at: string;
}
