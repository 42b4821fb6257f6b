import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numericTransformer } from '../../common/database/numeric.transformer.js';

/** LLM endpoint and sampling parameters; one row per profile. */
@Entity('config_ai_infra')
export class AiInfraEntity {
  @PrimaryGeneratedColumn()
  id: number;

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

  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
