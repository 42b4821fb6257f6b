import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class ReloadQueryDto {
  @ApiPropertyOptional({ description: 'Reload only this profile', example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'profile_id must be a whole number' })
  @Min(1, { message: 'profile_id must be a profile id' })
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
