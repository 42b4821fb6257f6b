import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

/** A Databricks Genie space a profile's agent may query; one per profile is the default. */
@Check('chk_config_genie_spaces_space_id_not_blank', `btrim(space_id) <> ''`)
@Check('chk_config_genie_spaces_name_not_blank', `btrim(space_name) <> ''`)
@Check('chk_config_genie_spaces_description_length', `char_length(description) <= 2000`)
@Check('chk_config_genie_spaces_default_inherited', `is_default OR NOT default_inherited`)
@Index('uq_config_genie_spaces_single_default', { synchronize: false })
@Unique('uq_config_genie_spaces_profile_space', ['profileId', 'spaceId'])
@Entity('config_genie_spaces')
export class GenieSpaceEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'config_genie_spaces_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @Column({ name: 'space_id', type: 'varchar', length: 255 })
  spaceId: string;

  @Column({ name: 'space_name', type: 'varchar', length: 255 })
  spaceName: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  /** A copy of the parent's space of the same space_id, kept equal to it by the database (InheritedItems). */
  @Column({ type: 'boolean', default: false })
  inherited: boolean;

  /** This default is the parent's default space, and moves when the parent's does. */
  @Column({ name: 'default_inherited', type: 'boolean', default: false, insert: false, update: false })
  defaultInherited: boolean;

  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
