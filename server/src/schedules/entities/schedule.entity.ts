import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

export const SCHEDULE_ACTIONS = ['set_default', 'apply'] as const;
export type ScheduleAction = (typeof SCHEDULE_ACTIONS)[number];
export const SCHEDULE_STATUSES = ['pending', 'done', 'failed', 'cancelled'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

/** A change to make at a time: run once, by whichever instance claims it first. */
@Check('chk_config_schedules_action', `action IN ('set_default', 'apply')`)
@Check('chk_config_schedules_values', `(action = 'apply') = ("values" IS NOT NULL) AND ("values" IS NULL OR jsonb_typeof("values") = 'object')`)
@Check('chk_config_schedules_status', `status IN ('pending', 'done', 'failed', 'cancelled')`)
@Check('chk_config_schedules_attempts', `attempts >= 0`)
@Check('chk_config_schedules_finished', `(status = 'pending') = (finished_at IS NULL)`)
@Index('idx_config_schedules_due', { synchronize: false })
@Index('idx_config_schedules_profile', { synchronize: false })
@Entity('config_schedules')
export class ScheduleEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'config_schedules_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @Column({ type: 'varchar', length: 20 })
  action: ScheduleAction;

  /** `apply`: the values to write (domains of a profile document). */
  @Column({ type: 'jsonb', nullable: true })
  values: Record<string, unknown> | null;

  @Column({ name: 'run_at', type: 'timestamptz' })
  runAt: Date;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: ScheduleStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'varchar', length: 2000, nullable: true })
  lastError: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 255 })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
