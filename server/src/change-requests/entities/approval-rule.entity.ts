import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

/** The profile requires approval: changes editors make to it become change requests. */
@Entity('config_approval_rules')
export class ApprovalRuleEntity {
  @ForeignKey(() => ProfileEntity, { name: 'config_approval_rules_profile_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @Column({ name: 'required_by', type: 'varchar', length: 255 })
  requiredBy: string;

  @CreateDateColumn({ name: 'required_at', type: 'timestamptz' })
  requiredAt: Date;
}
