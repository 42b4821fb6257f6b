import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';
import { numericTransformer } from '../../common/database/numeric.transformer.js';

/** LLM endpoint and sampling parameters; one row per profile. */
@Check('chk_config_ai_infra_endpoint_not_blank', `btrim(llm_endpoint) <> ''`)
@Check('chk_config_ai_infra_temperature_range', `llm_temperature BETWEEN 0 AND 1`)
@Check('chk_config_ai_infra_max_tokens_range', `llm_max_tokens BETWEEN 1 AND 1000000`)
@Check('chk_config_ai_infra_top_p_range', `llm_top_p BETWEEN 0 AND 1`)
@Check('chk_config_ai_infra_timeout_range', `llm_timeout_seconds BETWEEN 1 AND 3600`)
@Check('chk_config_ai_infra_inherited_fields', `inherited <@ ARRAY['llm_endpoint', 'llm_temperature', 'llm_max_tokens', 'llm_top_p', 'llm_timeout_seconds', 'require_probe']::text[]`)
@Entity('config_ai_infra')
export class AiInfraEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'config_ai_infra_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer', unique: true })
  profileId: number;

  @Column({ name: 'llm_endpoint', type: 'varchar', length: 255 })
  llmEndpoint: string;

  @Column({ name: 'llm_temperature', type: 'numeric', precision: 3, scale: 2, transformer: numericTransformer })
  llmTemperature: number;

  @Column({ name: 'llm_max_tokens', type: 'integer' })
  llmMaxTokens: number;

  @Column({ name: 'llm_top_p', type: 'numeric', precision: 3, scale: 2, default: 1, transformer: numericTransformer })
  llmTopP: number;

  @Column({ name: 'llm_timeout_seconds', type: 'integer', default: 120 })
  llmTimeoutSeconds: number;

  /** Changes to the LLM settings or prompts need a fresh passing probe (see the probe feature). */
  @Column({ name: 'require_probe', type: 'boolean', default: false })
  requireProbe: boolean;

  /** The fields this profile takes from its parent (their values are copies the database keeps equal); the others are its own. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  inherited: string[];

  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
