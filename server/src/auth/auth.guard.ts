import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../common/errors/domain-errors.js';
import { type Access, ACCESS_METADATA, type Role, roleAllows, SAFE_METHODS } from '../common/http/access.js';
import type { AuthenticatedRequest } from '../common/http/actor.decorator.js';
import { AUTH_CONFIG } from './auth.constants.js';
import type { AuthConfig } from './auth.config.js';
import { Authenticator } from './authenticator.js';

/**
 * Global: every route needs a principal unless marked @Public(); reads need `viewer`, writes
 * `editor`, unless the route names its role with @RequiresRole().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (access === 'public' || (access === 'metrics' && this.config.publicMetrics)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticator.authenticate(request);
    request.principal = principal;
    const needed: Role = access === undefined || access === 'metrics' ? defaultRole(request.method) : access;
    if (!roleAllows(principal.role, needed)) {
      throw new ForbiddenError(`This needs the ${needed} role; ${principal.name} has the ${principal.role} role.`);
    }
    return true;
  }
}

function defaultRole(method: string): Role {
  return SAFE_METHODS.has(method) ? 'viewer' : 'editor';
}
