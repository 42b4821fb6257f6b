import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { GrantRole } from '../../common/http/access.js';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';
import { ApiTokenEntity } from './api-token.entity.js';

/** A role on one profile, held by a token or a proxy user besides its global role. */
@Check('chk_profile_grants_role', `role IN ('viewer', 'editor')`)
@Check('chk_profile_grants_one_principal', `num_nonnulls(token_id, user_email) = 1`)
@Check('chk_profile_grants_user_email', `user_email = lower(user_email) AND user_email ~ '^[^@\\s]+@[^@\\s]+$'`)
@Index('uq_profile_grants_token', { synchronize: false })
@Index('uq_profile_grants_user', { synchronize: false })
@Index('idx_profile_grants_profile', { synchronize: false })
@Entity('profile_grants')
export class ProfileGrantEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'profile_grants_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @ForeignKey(() => ApiTokenEntity, { name: 'profile_grants_token_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'token_id', type: 'integer', nullable: true })
  tokenId: number | null;

  @Column({ name: 'user_email', type: 'varchar', length: 254, nullable: true })
  userEmail: string | null;

  @Column({ type: 'varchar', length: 10 })
  role: GrantRole;

  @Column({ name: 'granted_by', type: 'varchar', length: 255 })
  grantedBy: string;

  @CreateDateColumn({ name: 'granted_at', type: 'timestamptz' })
  grantedAt: Date;
}
