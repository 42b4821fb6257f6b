import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

/** Where the agent's traces go; one row per profile. */
@Check('chk_config_mlflow_experiment_not_blank', `btrim(experiment_name) <> ''`)
@Entity('config_mlflow')
export class MlflowEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'config_mlflow_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer', unique: true })
  profileId: number;

  @Column({ name: 'experiment_name', type: 'varchar', length: 255 })
  experimentName: string;

  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
