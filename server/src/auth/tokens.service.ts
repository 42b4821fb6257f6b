import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors.js';
import type { GrantRole, Role } from '../common/http/access.js';
import type { ApiTokenDto, CreatedApiTokenDto, CreateApiTokenDto } from './dto/token.dto.js';
import { ApiTokenEntity } from './entities/api-token.entity.js';
import { generateTokenSecret, hashTokenSecret, tokenSecretPrefix } from './token-secret.js';

export const BOOTSTRAP_TOKEN_NAME = 'bootstrap-admin';

export interface GrantRow {
  profile_id: number;
  role: GrantRole;
}

export interface ActiveToken {
  id: number;
  name: string;
  role: Role;
  grants: GrantRow[];
}

/**
 * API tokens in the database, by the hash of their secret. Instances keep the tokens they verified
 * in memory (Authenticator); the database announces every revocation or change to all of them.
 */
@Injectable()
export class TokensService {
  constructor(private readonly dataSource: DataSource) {}

  async create(request: CreateApiTokenDto, actor: string): Promise<CreatedApiTokenDto> {
    const { row, secret } = await insertToken(this.dataSource.manager, request.name, request.role, actor);
    return { ...toDto(row), token: secret };
  }

  async list(): Promise<ApiTokenDto[]> {
    const rows = await this.dataSource.manager.find(ApiTokenEntity, { order: { id: 'ASC' } });
    return rows.map(toDto);
  }

  /** Revoking twice is not an error: the token stays revoked as it was. */
  async revoke(id: number, actor: string): Promise<ApiTokenDto> {
    await this.dataSource.manager.update(ApiTokenEntity, { id, revokedAt: IsNull() }, { revokedAt: () => 'now()', revokedBy: actor });
    const row = await this.dataSource.manager.findOneBy(ApiTokenEntity, { id });
    if (!row) throw new NotFoundError(`API token ${id} does not exist.`);
    return toDto(row);
  }

  /**
   * The active token whose secret has this hash, with the roles granted to it on single profiles;
   * its last use noted (at most once a minute, to spare writes).
   */
  async findActive(tokenHash: string): Promise<ActiveToken | undefined> {
    const rows: ActiveToken[] = await this.dataSource.query(
      `WITH hit AS (
         SELECT id, name, role, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL
       ), touched AS (
         UPDATE api_tokens SET last_used_at = now() FROM hit
          WHERE api_tokens.id = hit.id AND (hit.last_used_at IS NULL OR hit.last_used_at < now() - interval '1 minute')
       )
       SELECT id, name, role,
              (SELECT coalesce(json_agg(json_build_object('profile_id', g.profile_id, 'role', g.role)), '[]')
                 FROM profile_grants g WHERE g.token_id = hit.id) AS grants
         FROM hit`,
      [tokenHash],
    );
    return rows[0];
  }

  /** The roles a proxy user (by lower-case e-mail) holds on single profiles. */
  async grantsOfUser(email: string): Promise<GrantRow[]> {
    return this.dataSource.query('SELECT profile_id, role FROM profile_grants WHERE user_email = $1', [email]);
  }

  /** Notes the last use of tokens verified from memory, in one statement for all (at most once a minute per token). */
  async touch(ids: readonly number[]): Promise<void> {
    if (!ids.length) return;
    await this.dataSource.query(
      `UPDATE api_tokens SET last_used_at = now()
        WHERE id = ANY($1::int[]) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [ids],
    );
  }

  /**
   * On a first start with no admin token configured: an admin token, created once even when
   * several instances start together. Returns its secret, or undefined when any token exists
   * (revoked ones too: revoking every token must not mint a new one on the next restart).
   */
  async createBootstrapToken(): Promise<string | undefined> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['switchboard.bootstrap-token']);
      if (await manager.exists(ApiTokenEntity)) return undefined;
      return (await insertToken(manager, BOOTSTRAP_TOKEN_NAME, 'admin', 'system')).secret;
    });
  }
}

/** A new token row; the secret is returned to be shown once, and only its hash is stored. */
async function insertToken(manager: EntityManager, name: string, role: Role, createdBy: string): Promise<{ row: ApiTokenEntity; secret: string }> {
  const secret = generateTokenSecret();
  const row = await manager.save(
    manager.create(ApiTokenEntity, { name, role, tokenHash: hashTokenSecret(secret), tokenPrefix: tokenSecretPrefix(secret), createdBy }),
  );
  return { row, secret };
}

function toDto(row: ApiTokenEntity): ApiTokenDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    token_prefix: row.tokenPrefix,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    revoked_by: row.revokedBy,
  };
}
