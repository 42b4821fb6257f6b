import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

/** A profile's gradual rollout: the candidate profile and the percentage of subjects sent to it. */
@Check('chk_profile_rollouts_percentage', `percentage BETWEEN 0 AND 100`)
@Check('chk_profile_rollouts_not_self', `candidate_profile_id <> profile_id`)
@Index('idx_profile_rollouts_candidate', { synchronize: false })
@Entity('profile_rollouts')
export class ProfileRolloutEntity {
  @ForeignKey(() => ProfileEntity, { name: 'profile_rollouts_profile_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @ForeignKey(() => ProfileEntity, { name: 'profile_rollouts_candidate_profile_id_fkey', onDelete: 'NO ACTION' })
  @Column({ name: 'candidate_profile_id', type: 'integer' })
  candidateProfileId: number;

  @Column({ type: 'smallint' })
  percentage: number;

  @Column({ name: 'started_by', type: 'varchar', length: 255 })
  startedBy: string;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
