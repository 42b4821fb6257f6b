import { ApiProperty } from '@nestjs/swagger';
import { QueryIntegerField } from '../../common/validation/fields.js';

export class ReloadQueryDto {
  @QueryIntegerField({ description: 'Reload only this profile', example: 1, min: 1 })
  profile_id?: number;
}

export class ReloadResultDto {
  @ApiProperty({ example: 'reloaded' })
  status: 'reloaded';

  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'The profile reloaded; null: every profile' })
  profile_id: number | null;

  @ApiProperty({ example: 3, description: 'Profiles re-read from the database' })
  profiles: number;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  reloaded_at: string;
}
