import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ConfigAction, ConfigDomain, FieldChanges } from '../../common/events/config-events.js';

/** One audited change. Append-only; keeps the profile's name after the profile is deleted. */
@Entity('config_history')
export class ConfigHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'profile_id', type: 'integer', nullable: true })
  profileId: number | null;

  @Column({ name: 'profile_name', type: 'varchar', length: 100 })
  profileName: string;

  @Column({ type: 'varchar', length: 20 })
  domain: ConfigDomain;

  @Column({ type: 'varchar', length: 20 })
  action: ConfigAction;

  @Column({ name: 'changed_by', type: 'varchar', length: 255 })
  changedBy: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  changes: FieldChanges;

  @Column({ type: 'jsonb', nullable: true })
  snapshot: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  timestamp: Date;

  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true })
  requestId: string | null;
}
