import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';
import type { LlmSettings } from '../llm-settings.js';

/** One probe of a profile's LLM settings: what was tried, by whom, when, and how it went. */
@Check('chk_llm_probes_settings', `jsonb_typeof(settings) = 'object'`)
@Check('chk_llm_probes_latency', `latency_ms >= 0`)
@Check('chk_llm_probes_outcome', `CASE WHEN ok THEN reply_chars >= 0 AND error IS NULL ELSE reply_chars IS NULL AND error <> '' END`)
@Index('idx_llm_probes_profile_time', { synchronize: false })
@Entity('llm_probes')
export class LlmProbeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @ForeignKey(() => ProfileEntity, { name: 'llm_probes_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @Column({ type: 'jsonb' })
  settings: LlmSettings;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  /** Characters of the model's reply (passing probes). */
  @Column({ name: 'reply_chars', type: 'integer', nullable: true })
  replyChars: number | null;

  /** The upstream's answer or the reason it could not be reached (failed probes): never a key. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'probed_by', type: 'varchar', length: 255 })
  probedBy: string;

  @Column({ name: 'probed_at', type: 'timestamptz', default: () => 'now()' })
  probedAt: Date;
}
