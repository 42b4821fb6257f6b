import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { lockProfile, requireProfile } from '../common/database/profile-guard.js';
import { NotFoundError, UnprocessableError } from '../common/errors/domain-errors.js';
import { type ConfigAction, ConfigChangedEvent, emitConfigChanged } from '../common/events/config-events.js';
import type { Principal } from '../common/http/access.js';
import type { GrantDto, HeldGrantDto, PutGrantDto } from './dto/grant.dto.js';
import { ProfileGrantEntity } from './entities/profile-grant.entity.js';

/** History entries of grants carry this domain: who may change a profile is part of its record. */
export const PERMISSIONS_DOMAIN = 'permissions';

/**
 * Roles granted on single profiles. Granting, changing and revoking are audited changes of the
 * profile (domain `permissions`), written under its lock; the database announces every change of
 * grants, and each instance then forgets the principals it verified (Authenticator).
 */
@Injectable()
export class ProfileGrantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {}

  async list(profileId: number): Promise<GrantDto[]> {
    await requireProfile(this.dataSource.manager, profileId);
    return this.rows(this.dataSource.manager, 'g.profile_id = $1', [profileId]);
  }

  /** Grants the role, or changes the one already granted; `created` tells which. */
  async put(profileId: number, request: PutGrantDto, actor: string): Promise<{ grant: GrantDto; created: boolean }> {
    const principal = principalOf(request);
    return this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const label = 'token_id' in principal ? `token:${await this.activeTokenName(manager, principal.token_id)}` : `user:${principal.user}`;
      const key = 'token_id' in principal ? { profileId, tokenId: principal.token_id } : { profileId, userEmail: principal.user };
      const before = await manager.findOneBy(ProfileGrantEntity, key);
      if (before?.role === request.role) return { grant: await this.one(manager, before.id), created: false };
      let id: number;
      if (before) {
        await manager.update(ProfileGrantEntity, { id: before.id }, { role: request.role, grantedBy: actor, grantedAt: () => 'now()' });
        id = before.id;
      } else {
        id = (await manager.save(manager.create(ProfileGrantEntity, { ...key, role: request.role, grantedBy: actor }))).id;
      }
      await this.audit(manager, profileId, profileName, before ? 'update' : 'create', actor, label, before?.role ?? null, request.role);
      return { grant: await this.one(manager, id), created: !before };
    });
  }

  async revoke(profileId: number, grantId: number, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const [grant] = await this.rows(manager, 'g.profile_id = $1 AND g.id = $2', [profileId, grantId]);
      if (!grant) throw new NotFoundError(`Profile ${profileId} has no grant ${grantId}.`);
      await manager.delete(ProfileGrantEntity, { id: grantId });
      await this.audit(manager, profileId, profileName, 'delete', actor, grant.user ? `user:${grant.user}` : `token:${grant.token_name}`, grant.role, null);
    });
  }

  /** The roles the principal holds on single profiles, with the profiles' names (GET /api/auth/me). */
  async heldBy(principal: Principal): Promise<HeldGrantDto[]> {
    if (!principal.grants?.size) return [];
    const rows: { id: number; name: string }[] = await this.dataSource.query('SELECT id, name FROM config_profiles WHERE id = ANY($1::int[]) ORDER BY name, id', [
      [...principal.grants.keys()],
    ]);
    return rows.map((row) => ({ profile_id: row.id, profile_name: row.name, role: principal.grants!.get(row.id)! }));
  }

  private async activeTokenName(manager: EntityManager, tokenId: number): Promise<string> {
    const [token]: { name: string }[] = await manager.query('SELECT name FROM api_tokens WHERE id = $1 AND revoked_at IS NULL', [tokenId]);
    if (!token) throw new NotFoundError(`API token ${tokenId} does not exist or has been revoked.`);
    return token.name;
  }

  private async one(manager: EntityManager, id: number): Promise<GrantDto> {
    return (await this.rows(manager, 'g.id = $1', [id]))[0];
  }

  private rows(manager: EntityManager, where: string, values: unknown[]): Promise<GrantDto[]> {
    return manager.query(
      `SELECT g.id, g.profile_id, g.token_id, t.name AS token_name, g.user_email AS "user", g.role, g.granted_by,
              to_char(g.granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS granted_at
         FROM profile_grants g LEFT JOIN api_tokens t ON t.id = g.token_id
        WHERE ${where} ORDER BY g.id`,
      values,
    );
  }

  private async audit(manager: EntityManager, profileId: number, profileName: string, action: ConfigAction, actor: string, who: string, old: string | null, role: string | null) {
    await emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, PERMISSIONS_DOMAIN, action, actor, { [who]: { old, new: role } }));
  }
}

function principalOf(request: PutGrantDto): { token_id: number } | { user: string } {
  const hasToken = request.token_id !== undefined;
  const hasUser = request.user !== undefined;
  if (hasToken === hasUser) {
    const message = hasToken ? 'give token_id or user, not both' : 'give token_id (an API token) or user (a proxy user’s e-mail)';
    throw new UnprocessableError(`A grant names one principal: ${message}.`, [{ field: hasToken ? 'user' : 'token_id', message }]);
  }
  return hasToken ? { token_id: request.token_id! } : { user: request.user!.toLowerCase() };
}
