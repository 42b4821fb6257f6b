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

/** Who is acting, as authentication put it on the request. */
export interface Principal {
  name: string;
  role: Role;
  /** How the caller proved who they are. */
  via: 'token' | 'environment' | 'proxy';
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

/** Public when SWITCHBOARD_METRICS_PUBLIC=true (a scraper on a private network), else `viewer`. */
export const MetricsAccess = () => SetMetadata(ACCESS_METADATA, 'metrics' satisfies Access);
