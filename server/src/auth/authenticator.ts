import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { isConnectionError } from '../common/database/connection-errors.js';
import { ForbiddenError, UnauthorizedError } from '../common/errors/domain-errors.js';
import { type Principal, SAFE_METHODS } from '../common/http/access.js';
import { AUTH_CONFIG } from './auth.constants.js';
import { type AuthConfig, proxyRoleFor } from './auth.config.js';
import { hashTokenSecret, sameSecret } from './token-secret.js';
import { TokensService } from './tokens.service.js';

/** The principal name of SWITCHBOARD_ADMIN_TOKEN, as the history records it. */
export const ENVIRONMENT_ADMIN = 'environment-admin';

const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined when it is not one. */
export function bearerSecret(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/** How long a token checked against the database is still accepted for reads while the database is down. */
const OUTAGE_GRACE_MS = 15 * 60 * 1000;
/** At most 254 characters (RFC 5321), which the 255-character *_by columns always hold. */
const EMAIL = /^(?=.{3,254}$)[^@\s]{1,64}@[^@\s]{1,253}$/;

/** Works out who sent a request: a bearer token first, then (when trusted) the SSO proxy's header. */
@Injectable()
export class Authenticator {
  /** Tokens this instance recently found valid, by hash: lets readers through a database outage. */
  private readonly recentlyValid = new Map<string, { principal: Principal; at: number }>();

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly tokens: TokensService,
  ) {}

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return this.fromBearer(authorization, request.method);
    const email = request.headers['x-forwarded-email'];
    if (this.config.trustProxyAuth && typeof email === 'string' && email) return this.fromProxy(email);
    throw new UnauthorizedError(
      this.config.trustProxyAuth
        ? 'Sign in through the proxy, or send "Authorization: Bearer <token>".'
        : 'Send "Authorization: Bearer <token>". The README explains how to get the first token.',
    );
  }

  private async fromBearer(header: string, method: string): Promise<Principal> {
    const secret = bearerSecret(header);
    if (!secret) throw new UnauthorizedError('The Authorization header must be "Bearer <token>".');
    if (this.config.adminToken && sameSecret(secret, this.config.adminToken)) {
      return { name: ENVIRONMENT_ADMIN, role: 'admin', via: 'environment' };
    }
    const hash = hashTokenSecret(secret);
    let token: Awaited<ReturnType<TokensService['findActive']>>;
    try {
      token = await this.tokens.findActive(hash);
    } catch (error) {
      // Only reads: a token revoked elsewhere during the outage must not change anything.
      const recent = this.recentlyValid.get(hash);
      if (SAFE_METHODS.has(method) && isConnectionError(error) && recent && Date.now() - recent.at < OUTAGE_GRACE_MS) return recent.principal;
      throw error;
    }
    if (!token) {
      this.recentlyValid.delete(hash);
      throw new UnauthorizedError('The token is unknown or has been revoked.');
    }
    const principal: Principal = { name: token.name, role: token.role, via: 'token' };
    this.recentlyValid.set(hash, { principal, at: Date.now() });
    return principal;
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
