import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../common/errors/domain-errors.js';
import {
  type Access,
  ACCESS_METADATA,
  holdsEditorGrant,
  PROFILE_SCOPE_METADATA,
  type ProfileScope,
  type Role,
  roleAllows,
  SAFE_METHODS,
} from '../common/http/access.js';
import type { AuthenticatedRequest } from '../common/http/actor.decorator.js';
import { assertRoleOnProfile } from '../common/http/profile-permission.js';
import { enterPrincipal } from '../common/http/request-context.js';
import { AUTH_CONFIG } from './auth.constants.js';
import type { AuthConfig } from './auth.config.js';
import { Authenticator } from './authenticator.js';

/**
 * Global: every route needs a principal unless marked @Public(); reads need `viewer`, writes
 * `editor`, unless the route names its role with @RequiresRole(). On a route marked
 * @ProfileScoped() the role is the one the principal holds on that profile (its grant there, else
 * its global role); changes whose profile only the service knows are checked by PermissionGate.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, targets);
    if (access === 'public' || (access === 'metrics' && this.config.publicMetrics)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticator.authenticate(request);
    request.principal = principal;
    enterPrincipal(principal);
    const needed: Role = access === undefined || access === 'metrics' ? defaultRole(request.method) : access;
    const scope = this.reflector.get<ProfileScope | undefined>(PROFILE_SCOPE_METADATA, context.getHandler());
    const profileId = scope && profileOf(scope, request);
    if (profileId !== undefined) {
      assertRoleOnProfile(principal, needed, profileId);
    } else if (!roleAllows(principal.role, needed) && !(scope === 'service' && needed === 'editor' && holdsEditorGrant(principal))) {
      throw new ForbiddenError(`This needs the ${needed} role; ${principal.name} has the ${principal.role} role.`);
    }
    return true;
  }
}

function defaultRole(method: string): Role {
  return SAFE_METHODS.has(method) ? 'viewer' : 'editor';
}

/**
 * The profile a scoped request names, read as the route's own pipe reads it (`05` is profile 5).
 * Without one (no body field, not a number) only the global role counts; the route then answers
 * the malformed or missing id itself.
 */
function profileOf(scope: ProfileScope, request: AuthenticatedRequest): number | undefined {
  if (scope === 'service') return undefined;
  const raw =
    'param' in scope
      ? (request.params as Record<string, unknown> | undefined)?.[scope.param]
      : (request.body as Record<string, unknown> | null | undefined)?.[scope.body];
  const id = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : raw;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
