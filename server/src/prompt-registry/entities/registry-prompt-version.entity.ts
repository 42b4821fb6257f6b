import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { RegistryPromptEntity } from './registry-prompt.entity.js';

/** One immutable version of a prompt, numbered by the database (1, 2, … without gaps). */
@Check('chk_config_registry_prompt_versions_version', `version >= 1`)
@Check('chk_config_registry_prompt_versions_template_length', `char_length(template) <= 200000`)
@Check('chk_config_registry_prompt_versions_parameters_object', `jsonb_typeof(model_parameters) = 'object'`)
@Entity('config_registry_prompt_versions')
export class RegistryPromptVersionEntity {
  @ForeignKey(() => RegistryPromptEntity, { name: 'config_registry_prompt_versions_prompt_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'prompt_id', type: 'integer', primaryKeyConstraintName: 'pk_config_registry_prompt_versions' })
  promptId: number;

  /** Whatever an insert gives, the database sets the next number. */
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_config_registry_prompt_versions' })
  version: number;

  @Column({ type: 'text' })
  template: string;

  @Column({ name: 'model_parameters', type: 'jsonb', nullable: true })
  modelParameters: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 500, default: '' })
  message: string;

  @Column({ name: 'created_by', type: 'varchar', length: 255 })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
