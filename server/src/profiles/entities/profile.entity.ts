import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A named configuration; exactly one is the default (enforced by the database, see InitialSchema). */
@Check('chk_config_profiles_name_not_blank', `btrim(name) <> ''`)
@Check('chk_config_profiles_description_length', `char_length(description) <= 2000`)
@Check('chk_config_profiles_parent_not_self', `parent_profile_id <> id`)
@Index('idx_config_profiles_parent', { synchronize: false })
@Index('uq_config_profiles_name_ci', { synchronize: false })
@Index('uq_config_profiles_single_default', { synchronize: false })
@Entity('config_profiles')
export class ProfileEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  /** The profile this one inherits from (ProfileParents: a tree, chains of at most five); not used by the API yet. */
  @ForeignKey(() => ProfileEntity, { name: 'config_profiles_parent_profile_id_fkey', deferrable: 'INITIALLY IMMEDIATE' })
  @Column({ name: 'parent_profile_id', type: 'integer', nullable: true })
  parentProfileId: number | null;

  /** Moved on by a trigger on every update; never written by the application. */
  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 255, nullable: true })
  createdBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 255, nullable: true })
  updatedBy: string | null;
}
