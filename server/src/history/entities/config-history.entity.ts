import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';
import type { ConfigAction, ConfigDomain, FieldChanges, HistorySubject } from '../../common/events/config-events.js';

/**
 * One audited change. Append-only; keeps the profile's name after the profile is deleted.
 * `subject` is `domain` for a change to the domain registry itself (no profile).
 */
@Check('chk_config_history_subject', `subject IN ('profile', 'domain')`)
@Check('chk_config_history_domain_subject_has_no_profile', `subject = 'profile' OR profile_id IS NULL`)
@Check('chk_config_history_domain', `domain ~ '^[a-z][a-z0-9_]{1,62}$'`)
@Check('chk_config_history_action', `action IN ('create', 'update', 'delete', 'set_default', 'duplicate', 'load', 'restore', 'import', 'inherit')`)
@Index('idx_config_history_time', { synchronize: false })
@Index('idx_config_history_profile_time', { synchronize: false })
@Index('idx_config_history_domain_time', { synchronize: false })
@Index('idx_config_history_changed_by_time', { synchronize: false })
@Index('idx_config_history_action_time', { synchronize: false })
@Index('idx_config_history_profile_domain_time', { synchronize: false })
@Index('idx_config_history_profile_domain_item_time', { synchronize: false })
@Index('idx_config_history_domain_item_time', { synchronize: false })
@Entity('config_history')
export class ConfigHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @ForeignKey(() => ProfileEntity, { name: 'config_history_profile_id_fkey', onDelete: 'SET NULL' })
  @Column({ name: 'profile_id', type: 'integer', nullable: true })
  profileId: number | null;

  @Column({ name: 'profile_name', type: 'varchar', length: 100 })
  profileName: string;

  @Column({ type: 'varchar', length: 63 })
  domain: ConfigDomain;

  @Column({ type: 'varchar', length: 20 })
  action: ConfigAction;

  @Column({ type: 'varchar', length: 7, default: 'profile' })
  subject: HistorySubject;

  /** The named item of the domain the entry is about: a prompt's name for `prompt_registry`. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  item: string | null;

  @Column({ name: 'changed_by', type: 'varchar', length: 255 })
  changedBy: string;

  @Column({ type: 'jsonb', default: {} })
  changes: FieldChanges;

  @Column({ type: 'jsonb', nullable: true })
  snapshot: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  timestamp: Date;

  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true })
  requestId: string | null;
}
