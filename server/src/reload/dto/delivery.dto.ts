import { ApiProperty } from '@nestjs/swagger';
import { TextField } from '../../common/validation/fields.js';

export class InstanceDto {
  @ApiProperty({ example: 'c3f2a9e4-0d7b-4b4e-9f5e-2f1f3f2b7a10' })
  instance_id: string;

  @ApiProperty({ example: 'web-1' })
  host: string;

  @ApiProperty({ example: 4242 })
  pid: number;

  @ApiProperty({ example: '0.1.0', description: "The instance's Switchboard version" })
  version: string;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  started_at: string;

  @ApiProperty({ example: '2026-11-26T12:05:00.000Z', description: 'Its last heartbeat (every SWITCHBOARD_HEARTBEAT_SECONDS; missing three, it is no longer listed)' })
  heartbeat_at: string;

  @ApiProperty({ example: true, description: 'Whether it LISTENed for changes at its last heartbeat' })
  listener_connected: boolean;

  @ApiProperty({ example: 1234, nullable: true, type: Number, description: 'The newest change (history id) it has applied' })
  last_applied_history_id: number | null;

  @ApiProperty({ example: true, description: 'This is the instance answering' })
  current: boolean;
}

export class InstanceDeliveryDto {
  @ApiProperty({ example: 'c3f2a9e4-0d7b-4b4e-9f5e-2f1f3f2b7a10' })
  instance_id: string;

  @ApiProperty({ example: 'web-1' })
  host: string;

  @ApiProperty({ enum: ['applied', 'pending'] })
  status: 'applied' | 'pending';

  @ApiProperty({ example: '2026-11-26T12:00:00.018Z', nullable: true, type: String, description: 'When its caches took the change; an instance started after the change counts from its start' })
  applied_at: string | null;

  @ApiProperty({ example: 18, nullable: true, type: Number, description: 'Milliseconds from the change to applied_at' })
  after_ms: number | null;
}

export class SessionDeliveryDto {
  @ApiProperty({ example: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c' })
  session_id: string;

  @ApiProperty({
    enum: ['applied', 'pending', 'pinned'],
    description: 'applied: the agent acknowledged a configuration that includes the change; pinned: the session was pinned before the change and keeps its configuration',
  })
  status: 'applied' | 'pending' | 'pinned';

  @ApiProperty({ example: '2026-11-26T12:00:00.250Z', nullable: true, type: String })
  acked_at: string | null;

  @ApiProperty({ example: null, nullable: true, type: Number, description: 'The history entry a pinned session keeps; null: it follows its profile' })
  pinned_version: number | null;
}

export class DeliveryCountDto {
  @ApiProperty({ example: 3 })
  applied: number;

  @ApiProperty({ example: 3 })
  total: number;
}

export class ChangeDeliveryDto {
  @ApiProperty({ example: 1234 })
  history_id: number;

  @ApiProperty({ example: 1, nullable: true, type: Number })
  profile_id: number | null;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  timestamp: string;

  @ApiProperty({ type: [InstanceDeliveryDto], description: 'Every live instance' })
  instances: InstanceDeliveryDto[];

  @ApiProperty({ type: [SessionDeliveryDto], description: "The change's profile's live agent sessions" })
  sessions: SessionDeliveryDto[];

  @ApiProperty({ type: DeliveryCountDto })
  instances_applied: DeliveryCountDto;

  @ApiProperty({ type: DeliveryCountDto, description: 'Sessions that take the change (pinned ones do not)' })
  sessions_applied: DeliveryCountDto;

  @ApiProperty({ example: 0, description: 'Live sessions pinned before the change: they keep their configuration' })
  sessions_pinned: number;

  @ApiProperty({ example: 18, nullable: true, type: Number, description: 'Milliseconds until the last live instance applied it; null while one is pending' })
  all_instances_after_ms: number | null;
}

export class SessionAckDto {
  @TextField({ description: 'The ETag of the resolved configuration the agent applied (as GET /api/config/resolved sent it)', example: '"5d41402abc4b2a76"', maxLength: 100 })
  etag: string;
}

export class SessionAckResultDto {
  @ApiProperty({ example: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c' })
  session_id: string;

  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({ example: true, description: "false: the ETag is not the profile's configuration now (a newer change exists): the agent should read it again" })
  current: boolean;

  @ApiProperty({ example: 1234, nullable: true, type: Number, description: 'Every change of the profile up to this history id is applied by the session' })
  acked_history_id: number | null;

  @ApiProperty({ example: '2026-11-26T12:00:00.250Z' })
  acked_at: string;
}
