import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { FieldChanges } from '../../common/events/config-events.js';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

export const CHANGE_REQUEST_STATUSES = ['open', 'approved', 'rejected'] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];

/** A proposed change of a profile that requires approval, and what became of it. */
@Check('chk_config_change_requests_status', `status IN ('open', 'approved', 'rejected')`)
@Check('chk_config_change_requests_documents', `jsonb_typeof("values") = 'object' AND jsonb_typeof(base_versions) = 'object' AND jsonb_typeof(changes) = 'object'`)
@Check('chk_config_change_requests_decided', `(status = 'open') = (decided_by IS NULL) AND (decided_by IS NULL) = (decided_at IS NULL)`)
@Check('chk_config_change_requests_not_own', `decided_by IS NULL OR lower(decided_by) <> lower(created_by)`)
@Check('chk_config_change_requests_rejection_says_why', `status <> 'rejected' OR btrim(coalesce(comment, '')) <> ''`)
@Index('idx_config_change_requests_status', { synchronize: false })
@Index('idx_config_change_requests_profile', { synchronize: false })
@Entity('config_change_requests')
export class ChangeRequestEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'config_change_requests_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  /** Domains of a profile document with the proposed values (the fields that change; every Genie space the profile is to have). */
  @Column({ type: 'jsonb' })
  values: Record<string, unknown>;

  /** Each proposed domain's version when the request was made: approval refuses (412) if it moved. */
  @Column({ name: 'base_versions', type: 'jsonb' })
  baseVersions: Record<string, number>;

  /** By domain, the fields that change, {old, new} as they were when the request was made. */
  @Column({ type: 'jsonb' })
  changes: Record<string, FieldChanges>;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  message: string | null;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status: ChangeRequestStatus;

  @Column({ name: 'created_by', type: 'varchar', length: 255 })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'decided_by', type: 'varchar', length: 255, nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  comment: string | null;
}
