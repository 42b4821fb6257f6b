import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgentSessionEntity } from '../../sessions/entities/agent-session.entity.js';

/** One turn of a session's conversation: what the user asked (rendered) or what the LLM answered. */
@Check('chk_agent_messages_role', `role IN ('user', 'assistant')`)
@Check('chk_agent_messages_content_length', `char_length(content) <= 1000000`)
@Index('idx_agent_messages_session', { synchronize: false })
@Entity('agent_messages')
export class AgentMessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @ForeignKey(() => AgentSessionEntity, { name: 'agent_messages_session_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @Column({ type: 'varchar', length: 10 })
  role: 'user' | 'assistant';

  @Column({ type: 'text' })
  content: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
