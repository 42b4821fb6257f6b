import { Check, Column, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { RegistryPromptVersionEntity } from './registry-prompt-version.entity.js';

/** A label (`production`, `staging`, …) pointing at one version of its own prompt; `latest` is implicit. */
@Check('chk_config_registry_prompt_labels_label', `label ~ '^[a-z][a-z0-9_-]{0,49}$' AND label <> 'latest'`)
@ForeignKey(() => RegistryPromptVersionEntity, ['promptId', 'version'], ['promptId', 'version'], {
  name: 'fk_config_registry_prompt_labels_version',
  onDelete: 'CASCADE',
})
@Entity('config_registry_prompt_labels')
export class RegistryPromptLabelEntity {
  @PrimaryColumn({ name: 'prompt_id', type: 'integer', primaryKeyConstraintName: 'pk_config_registry_prompt_labels' })
  promptId: number;

  @PrimaryColumn({ type: 'varchar', length: 50, primaryKeyConstraintName: 'pk_config_registry_prompt_labels' })
  label: string;

  @Column({ type: 'integer' })
  version: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 255 })
  updatedBy: string;
}
