import { ApiProperty } from '@nestjs/swagger';

export class DefaultProfileRefDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: 'default' })
  name: string;
}

export class ConfigStatusDto {
  @ApiProperty({ example: 'ok', description: '"ok" when the database answers' })
  status: 'ok';

  @ApiProperty({ example: 'c3f2a9e4-0d7b-4b4e-9f5e-2f1f3f2b7a10', description: 'This server instance' })
  instance_id: string;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  started_at: string;

  @ApiProperty({ example: 3 })
  profiles: number;

  @ApiProperty({ type: DefaultProfileRefDto, nullable: true })
  default_profile: DefaultProfileRefDto | null;

  @ApiProperty({ example: 2, description: 'Agent sessions bound to a profile' })
  sessions: number;

  @ApiProperty({ example: '2026-11-23T12:03:10.000Z', nullable: true, description: 'Time of the newest audited change' })
  last_change: string | null;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'Time of the last POST /api/config/reload on this instance' })
  last_reload: string | null;
}
