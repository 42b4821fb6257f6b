import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

/** Where the agent's traces go; one row per profile. */
@Check('chk_config_mlflow_experiment_not_blank', `btrim(experiment_name) <> ''`)
@Check('chk_config_mlflow_inherited_fields', `inherited <@ ARRAY['experiment_name']::text[]`)
@Entity('config_mlflow')
export class MlflowEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'config_mlflow_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer', unique: true })
  profileId: number;

  @Column({ name: 'experiment_name', type: 'varchar', length: 255 })
  experimentName: string;

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
