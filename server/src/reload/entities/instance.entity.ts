import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A running Switchboard process, as it registered itself; live while its heartbeat is recent. */
@Check('chk_instances_host', `host <> ''`)
@Check('chk_instances_pid', `pid > 0`)
@Check('chk_instances_heartbeat_seconds', `heartbeat_seconds BETWEEN 1 AND 3600`)
@Check('chk_instances_heartbeat_after_start', `heartbeat_at >= started_at`)
@Index('idx_instances_heartbeat', { synchronize: false })
@Entity('switchboard_instances')
export class InstanceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 255 })
  host: string;

  @Column({ type: 'integer' })
  pid: number;

  @Column({ type: 'varchar', length: 50 })
  version: string;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', default: () => 'now()' })
  heartbeatAt: Date;

  /** Its own heartbeat interval: missing three, it is gone. */
  @Column({ name: 'heartbeat_seconds', type: 'integer', default: 5 })
  heartbeatSeconds: number;

  /** When it last re-read everything (a reconnected listener): it has every change from before. */
  @Column({ name: 'resynced_at', type: 'timestamptz', nullable: true })
  resyncedAt: Date | null;

  @Column({ name: 'listener_connected', type: 'boolean', default: false })
  listenerConnected: boolean;
}
