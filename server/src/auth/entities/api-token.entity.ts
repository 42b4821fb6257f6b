import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../../common/http/access.js';

/** An API token. Only the SHA-256 hash of its secret is kept; revoked tokens stay for the record. */
@Check('chk_api_tokens_name_not_blank', `btrim(name) <> ''`)
@Check('chk_api_tokens_role', `role IN ('viewer', 'agent', 'editor', 'admin')`)
@Check('chk_api_tokens_token_hash', `token_hash ~ '^[0-9a-f]{64}$'`)
@Index('uq_api_tokens_token_hash', { synchronize: false })
@Index('uq_api_tokens_active_name_ci', { synchronize: false })
@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 10 })
  role: Role;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'token_prefix', type: 'varchar', length: 16 })
  tokenPrefix: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 255, nullable: true })
  createdBy: string | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_by', type: 'varchar', length: 255, nullable: true })
  revokedBy: string | null;
}
