import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

/** The agent's prompts; one row per profile. */
@Check('chk_config_prompts_system_length', `char_length(system_prompt) <= 200000`)
@Check('chk_config_prompts_editing_length', `char_length(slide_editing_instructions) <= 200000`)
@Check('chk_config_prompts_template_length', `char_length(user_prompt_template) <= 200000`)
@Check('chk_config_prompts_inherited_fields', `inherited <@ ARRAY['system_prompt', 'slide_editing_instructions', 'user_prompt_template']::text[]`)
@Entity('config_prompts')
export class PromptsEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'config_prompts_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer', unique: true })
  profileId: number;

  @Column({ name: 'system_prompt', type: 'text' })
  systemPrompt: string;

  @Column({ name: 'slide_editing_instructions', type: 'text' })
  slideEditingInstructions: string;

  @Column({ name: 'user_prompt_template', type: 'text' })
  userPromptTemplate: string;

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
