import { ApiProperty } from '@nestjs/swagger';
import { InstanceDto } from './delivery.dto.js';

export class DefaultProfileRefDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: 'default' })
  name: string;
}

export class ListenerStateDto {
  @ApiProperty({ example: true, description: 'LISTENing on switchboard_config right now' })
  connected: boolean;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-23T12:00:00.000Z' })
  connected_since: string | null;

  @ApiProperty({ example: 0, description: 'Reconnections after a lost connection (each one refreshes everything)' })
  reconnects: number;

  @ApiProperty({ example: 12, description: 'Notifications received since start' })
  notifications: number;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-23T12:03:10.000Z' })
  last_notification_at: string | null;
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

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-23T12:03:10.000Z', nullable: true, description: 'Time of the newest audited change' })
  last_change: string | null;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'Time of the last POST /api/config/reload on this instance' })
  last_reload: string | null;

  @ApiProperty({ type: ListenerStateDto, description: "This instance's change listener" })
  listener: ListenerStateDto;

  @ApiProperty({ example: 2, description: 'Profiles whose resolved configuration this instance holds in memory' })
  cached_profiles: number;

  @ApiProperty({ type: [InstanceDto], description: 'Every live instance, this one included (the instance registry)' })
  instances: InstanceDto[];
}
