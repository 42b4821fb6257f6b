import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ConfigHistoryEntity } from '../../history/entities/config-history.entity.js';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';
import type { PinnedPrompts } from '../../prompt-registry/prompt-registry.service.js';

/** A running agent's session and the profile it uses; a referenced profile cannot be deleted. */
@Check('chk_agent_sessions_acked_history_id', `acked_history_id > 0`)
@Check('chk_agent_sessions_pin_whole', `(pinned_history_id IS NULL) = (pinned_prompts IS NULL)`)
@Check('chk_agent_sessions_pinned_prompts', `jsonb_typeof(pinned_prompts) = 'object'`)
@Check('chk_agent_sessions_ack_whole', `(acked_etag IS NULL) = (acked_at IS NULL)`)
@Index('idx_agent_sessions_profile', { synchronize: false })
@Entity('agent_sessions')
export class AgentSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => ProfileEntity, { name: 'agent_sessions_profile_id_fkey', onDelete: 'NO ACTION' })
  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' })
  lastSeenAt: Date;

  /** The resolved configuration's ETag the agent last said it applied (POST …/sessions/{id}/ack). */
  @Column({ name: 'acked_etag', type: 'varchar', length: 100, nullable: true })
  ackedEtag: string | null;

  /** The profile's newest history entry when that ETag was current: every change up to it is applied. */
  @Column({ name: 'acked_history_id', type: 'bigint', nullable: true })
  ackedHistoryId: string | null;

  @Column({ name: 'acked_at', type: 'timestamptz', nullable: true })
  ackedAt: Date | null;

  /** Pinned: the history entry (of this profile) whose snapshot the session keeps resolving. Null: it follows its profile. */
  @ForeignKey(() => ConfigHistoryEntity, { name: 'agent_sessions_pinned_history_id_fkey', deferrable: 'INITIALLY DEFERRED' })
  @Column({ name: 'pinned_history_id', type: 'bigint', nullable: true })
  pinnedHistoryId: string | null;

  /** Pinned: each prompt of the registry (id) and the version it served when the session was pinned, by name. */
  @Column({ name: 'pinned_prompts', type: 'jsonb', nullable: true })
  pinnedPrompts: PinnedPrompts | null;
}
