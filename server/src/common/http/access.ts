import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';

/**
 * viewer reads; editor also changes configuration; admin also manages domains and API tokens.
 * agent (a running agent's token) reads like a viewer, and is given the secrets in resolved
 * configurations, which only admins see otherwise.
 */
export const ROLES = ['viewer', 'agent', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, agent: 0, editor: 1, admin: 2 };

/** `agent` as the role a route needs means a running agent, or anyone who may change configuration: not a viewer. */
export function roleAllows(held: Role, needed: Role): boolean {
  if (needed === 'agent') return held !== 'viewer';
  return RANK[held] >= RANK[needed];
}

/** Whether resolved configurations given to this role carry the secrets of domain values. */
export function seesSecrets(role: Role): boolean {
  return role === 'agent' || role === 'admin';
}

/** The role a token or proxy user may hold on one profile, besides its global role. */
export const GRANT_ROLES = ['viewer', 'editor'] as const;
export type GrantRole = (typeof GRANT_ROLES)[number];

/** Who is acting, as authentication put it on the request. */
export interface Principal {
  name: string;
  role: Role;
  /** How the caller proved who they are. */
  via: 'token' | 'environment' | 'proxy';
  /** The API token's id, for a token. */
  tokenId?: number;
  /** Roles held on single profiles (profile id → role), in place of the global role there. */
  grants?: ReadonlyMap<number, GrantRole>;
}

/**
 * The role a principal has on one profile: the one granted there, else its global role. An
 * `editor` grant lets a viewer change that profile; a `viewer` grant makes it read-only to an
 * editor. Admins keep their role everywhere (they manage the grants).
 */
export function roleOn(principal: Principal, profileId: number): Role {
  if (principal.role === 'admin') return 'admin';
  return principal.grants?.get(profileId) ?? principal.role;
}

/** Whether the principal may change some profile it could not change with its global role alone. */
export function holdsEditorGrant(principal: Principal): boolean {
  for (const role of principal.grants?.values() ?? []) if (role === 'editor') return true;
  return false;
}

/** Methods that change nothing: `viewer` may send them, and they are never rate-limited. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export const ACCESS_METADATA = 'switchboard:access';
export type Access = Role | 'public' | 'metrics';

/**
 * No authentication at all (health probes). Everything else requires a principal. `security: [{}]`
 * overrides the document's global bearer requirement for the operation.
 */
export const Public = () => applyDecorators(SetMetadata(ACCESS_METADATA, 'public' satisfies Access), ApiSecurity({}));

/** The OpenAPI extension that states the least role an operation needs (clients and tests read it). */
export const REQUIRED_ROLE_EXTENSION = 'x-switchboard-role';

/**
 * The least role a route needs. Without it, reads (GET, HEAD) need `viewer` and every other
 * method needs `editor`, so a new route is protected by default. Documented in the spec too.
 */
export const RequiresRole = (role: Role) => applyDecorators(SetMetadata(ACCESS_METADATA, role satisfies Access), ApiExtension(REQUIRED_ROLE_EXTENSION, role));

export const PROFILE_SCOPE_METADATA = 'switchboard:profile-scope';
/** The OpenAPI extension naming where an operation finds the profile it changes (tests and the console read it). */
export const PROFILE_SCOPE_EXTENSION = 'x-switchboard-profile';

/**
 * Where a route finds the one profile it acts on, so that grants on that profile count:
 * `{ param }` a path parameter, `{ body }` a field of the JSON body (both checked by the guard
 * before the handler runs), `'service'` a profile only the service can tell (a Genie space's, a
 * history entry's): the guard lets in anyone holding an editor grant, and the permission gate
 * checks every change the service then makes (PermissionGate).
 */
export type ProfileScope = { param: string } | { body: string } | 'service';

export const ProfileScoped = (scope: ProfileScope) =>
  applyDecorators(
    SetMetadata(PROFILE_SCOPE_METADATA, scope),
    ApiExtension(PROFILE_SCOPE_EXTENSION, typeof scope === 'string' ? scope : 'param' in scope ? `path:${scope.param}` : `body:${scope.body}`),
  );

/** Public when SWITCHBOARD_METRICS_PUBLIC=true (a scraper on a private network), else `viewer`. */
export const MetricsAccess = () => SetMetadata(ACCESS_METADATA, 'metrics' satisfies Access);
