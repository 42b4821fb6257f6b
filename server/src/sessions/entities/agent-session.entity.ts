import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';

/** A running agent's session and the profile it uses; a referenced profile cannot be deleted. */
@Index('idx_agent_sessions_profile', { synchronize: false })
@Entity('agent_sessions')
export class AgentSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey(() => ProfileEntity, { name: 'agent_sessions_profile_id_fkey', onDelete: 'NO ACTION' })
  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' })
  lastSeenAt: Date;
}
