import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

/** A variable a prompt's templates may use, as the prompt declares it. */
export interface DeclaredVariable {
  name: string;
  description?: string;
  required: boolean;
  sample?: string;
}

/** A named prompt of a profile (migration PromptRegistry); its text lives in its versions. */
@Check('chk_config_registry_prompts_name', `name ~ '^[a-z][a-z0-9_.-]{0,99}$'`)
@Check('chk_config_registry_prompts_description_length', `char_length(description) <= 2000`)
@Check('chk_config_registry_prompts_variables_array', `jsonb_typeof(variables) = 'array'`)
@Check('chk_config_registry_prompts_latest_version', `latest_version >= 0`)
@Unique('uq_config_registry_prompts_profile_name', ['profileId', 'name'])
@Entity('config_registry_prompts')
export class RegistryPromptEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'config_registry_prompts_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'jsonb', default: [] })
  variables: DeclaredVariable[];

  /** The number of the newest version; counted by the database as versions are added. */
  @Column({ name: 'latest_version', type: 'integer', default: 0, insert: false, update: false })
  latestVersion: number;

  /** A copy of the parent's prompt of the same name, versions and labels kept equal to it by the database (InheritedItems). */
  @Column({ type: 'boolean', default: false })
  inherited: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 255 })
  createdBy: string;
}
