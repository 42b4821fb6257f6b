import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../common/errors/domain-errors.js';
import type { Principal } from '../common/http/access.js';
import { AUTH_CONFIG } from './auth.constants.js';
import { type AuthConfig, proxyRoleFor } from './auth.config.js';
import { sameSecret } from './token-secret.js';
import { TokensService } from './tokens.service.js';

/** The principal name of SWITCHBOARD_ADMIN_TOKEN, as the history records it. */
export const ENVIRONMENT_ADMIN = 'environment-admin';

const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;
const EMAIL = /^[^@\s]{1,200}@[^@\s]{1,200}$/;

/** Works out who sent a request: a bearer token first, then (when trusted) the SSO proxy's header. */
@Injectable()
export class Authenticator {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly tokens: TokensService,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return this.fromBearer(authorization);
    const email = request.headers['x-forwarded-email'];
    if (this.config.trustProxyAuth && typeof email === 'string' && email) return this.fromProxy(email);
    throw new UnauthorizedError(
      this.config.trustProxyAuth
        ? 'Sign in through the proxy, or send "Authorization: Bearer <token>".'
        : 'Send "Authorization: Bearer <token>". The README explains how to get the first token.',
    );
  }

  private async fromBearer(header: string): Promise<Principal> {
    const secret = BEARER.exec(header)?.[1];
    if (!secret) throw new UnauthorizedError('The Authorization header must be "Bearer <token>".');
    if (this.config.adminToken && sameSecret(secret, this.config.adminToken)) {
      return { name: ENVIRONMENT_ADMIN, role: 'admin', via: 'environment' };
    }
    const token = await this.tokens.findActive(secret);
    if (!token) throw new UnauthorizedError('The token is unknown or has been revoked.');
    return { name: token.name, role: token.role, via: 'token' };
  }

  private fromProxy(email: string): Principal {
    if (!EMAIL.test(email)) throw new UnauthorizedError('X-Forwarded-Email is not an e-mail address.');
    const role = proxyRoleFor(this.config, email);
    if (!role) {
      throw new ForbiddenError(`${email} has no role here; an operator can grant one with SWITCHBOARD_PROXY_ROLES.`);
    }
    return { name: email.toLowerCase(), role, via: 'proxy' };
  }
}
