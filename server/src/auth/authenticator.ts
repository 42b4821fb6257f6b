import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { isConnectionError } from '../common/database/connection-errors.js';
import { ForbiddenError, UnauthorizedError } from '../common/errors/domain-errors.js';
import { CONFIG_RESYNC, type ConfigResyncEvent, TOKENS_CHANGED } from '../common/events/config-events.js';
import { type Principal, SAFE_METHODS } from '../common/http/access.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ConfigListener } from '../reload/config-listener.service.js';
import { AUTH_CONFIG } from './auth.constants.js';
import { type AuthConfig, proxyRoleFor } from './auth.config.js';
import { hashTokenSecret } from './token-secret.js';
import { type ActiveToken, type GrantRow, TokensService } from './tokens.service.js';
import { VerifiedTokens } from './verified-tokens.js';

/** The principal name of SWITCHBOARD_ADMIN_TOKEN, as the history records it. */
export const ENVIRONMENT_ADMIN = 'environment-admin';

const ENVIRONMENT_PRINCIPAL: Principal = Object.freeze({ name: ENVIRONMENT_ADMIN, role: 'admin', via: 'environment' });

const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined when it is not one. */
export function bearerSecret(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

const BEARER_HASH = Symbol('bearer secret hash');

/**
 * The hash of the request's bearer token (undefined when the header is not one), computed once
 * per request: the write rate limit keys on it before the guard looks the token up by it.
 */
export function bearerHash(request: FastifyRequest): string | undefined {
  const memo = request as FastifyRequest & { [BEARER_HASH]?: string | null };
  if (memo[BEARER_HASH] === undefined) {
    const secret = bearerSecret(request.headers.authorization);
    memo[BEARER_HASH] = secret ? hashTokenSecret(secret) : null;
  }
  return memo[BEARER_HASH] ?? undefined;
}

/** How long a token checked against the database is still accepted for reads while the database is down. */
const OUTAGE_GRACE_MS = 15 * 60 * 1000;
/** How often the last use of tokens verified from memory is written (one statement for all). */
const LAST_USED_FLUSH_MS = 60 * 1000;
/** At most 254 characters (RFC 5321), which the 255-character *_by columns always hold. */
const EMAIL = /^(?=.{3,254}$)[^@\s]{1,64}@[^@\s]{1,253}$/;

/**
 * Works out who sent a request: a bearer token first, then (when trusted) the SSO proxy's header.
 * A token's secret is hashed once per request. Tokens verified in the database are kept in memory
 * while this instance hears of changes: the database announces every revocation or change of a
 * token to every instance, which then forgets them all (so a revocation holds everywhere within
 * a notification's latency). While the listener is disconnected every request asks the database.
 */
@Injectable()
export class Authenticator implements BeforeApplicationShutdown {
  private readonly logger = new Logger(Authenticator.name);
  private readonly verified = new VerifiedTokens<Principal>();
  /** Proxy users whose grants were read, by lower-case e-mail; forgotten with the tokens. */
  private readonly users = new VerifiedTokens<Principal>();
  /** Tokens verified from memory since the last write of `last_used_at`. */
  private readonly used = new Set<number>();
  private readonly adminHash: Buffer | null;
  private readonly flushTimer: NodeJS.Timeout;

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly tokens: TokensService,
    private readonly listener: ConfigListener,
    metrics: MetricsService,
  ) {
    this.adminHash = config.adminToken ? Buffer.from(hashTokenSecret(config.adminToken), 'hex') : null;
    this.flushTimer = setInterval(() => void this.flushLastUsed(), LAST_USED_FLUSH_MS).unref();
    metrics.gauge('switchboard_auth_verified_tokens', 'API tokens this instance holds as verified', () => this.verified.size);
  }

  async authenticate(request: FastifyRequest): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return this.fromBearer(request);
    const email = request.headers['x-forwarded-email'];
    if (this.config.trustProxyAuth && typeof email === 'string' && email) return this.fromProxy(email, request.method);
    throw new UnauthorizedError(
      this.config.trustProxyAuth
        ? 'Sign in through the proxy, or send "Authorization: Bearer <token>".'
        : 'Send "Authorization: Bearer <token>". The README explains how to get the first token.',
    );
  }

  /**
   * The principal of a bearer token known without asking the database (the environment's admin
   * token, or one verified while this instance hears of token changes); undefined when only
   * authenticate() can tell, including for every refusal.
   */
  knownBearer(authorization: string | undefined): Principal | undefined {
    const secret = bearerSecret(authorization);
    return secret === undefined ? undefined : this.fromMemory(hashTokenSecret(secret));
  }

  @OnEvent(TOKENS_CHANGED)
  forgetTokens(): void {
    this.verified.clear();
    this.users.clear();
  }

  /** Notifications may have been missed while the listener was away: start over. */
  @OnEvent(CONFIG_RESYNC)
  onResync(event: ConfigResyncEvent): void {
    if (event.reason === 'reconnected') this.forgetTokens();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
  }

  private async fromBearer(request: FastifyRequest): Promise<Principal> {
    const hash = bearerHash(request);
    if (!hash) throw new UnauthorizedError('The Authorization header must be "Bearer <token>".');
    const method = request.method;
    const inMemory = this.fromMemory(hash);
    if (inMemory) return inMemory;
    const known = this.verified.get(hash);
    const lookup = this.verified.startLookup();
    let token: ActiveToken | undefined;
    try {
      token = await this.tokens.findActive(hash);
    } catch (error) {
      // Only reads: a token revoked elsewhere during the outage must not change anything.
      if (SAFE_METHODS.has(method) && isConnectionError(error) && known && Date.now() - known.at < OUTAGE_GRACE_MS) return known.principal;
      throw error;
    }
    if (!token) {
      this.verified.forget(hash);
      throw new UnauthorizedError('The token is unknown or has been revoked.');
    }
    const principal: Principal = { name: token.name, role: token.role, via: 'token', tokenId: token.id, ...grantsOf(token.grants) };
    this.verified.remember(hash, { id: token.id, principal, at: Date.now() }, lookup);
    return principal;
  }

  /** Stored tokens first: agents call far more often than the environment's admin token is used. */
  private fromMemory(hash: string): Principal | undefined {
    const known = this.verified.get(hash);
    if (known && this.listener.connected) {
      this.used.add(known.id);
      return known.principal;
    }
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) return ENVIRONMENT_PRINCIPAL;
    return undefined;
  }

  private async flushLastUsed(): Promise<void> {
    const ids = [...this.used];
    this.used.clear();
    try {
      await this.tokens.touch(ids);
    } catch (error) {
      for (const id of ids) this.used.add(id); // the next round tries again
      this.logger.debug(`Noting the last use of ${ids.length} token(s) failed: ${String(error)}`);
    }
  }

  /**
   * A proxy user's role comes from the configuration, and its grants from the database (kept like
   * verified tokens). While the database is away, reads go on without grants (they only ever
   * widen or narrow what a user may change).
   */
  private async fromProxy(email: string, method: string): Promise<Principal> {
    if (!EMAIL.test(email)) throw new UnauthorizedError('X-Forwarded-Email is not an e-mail address.');
    const role = proxyRoleFor(this.config, email);
    if (!role) {
      throw new ForbiddenError(`${email} has no role here; an operator can grant one with SWITCHBOARD_PROXY_ROLES.`);
    }
    const name = email.toLowerCase();
    const known = this.users.get(name);
    if (known && this.listener.connected) return known.principal;
    const lookup = this.users.startLookup();
    let grants: GrantRow[];
    try {
      grants = await this.tokens.grantsOfUser(name);
    } catch (error) {
      if (SAFE_METHODS.has(method) && isConnectionError(error)) return known?.principal ?? { name, role, via: 'proxy' };
      throw error;
    }
    const principal: Principal = { name, role, via: 'proxy', ...grantsOf(grants) };
    this.users.remember(name, { id: 0, principal, at: Date.now() }, lookup);
    return principal;
  }
}

function grantsOf(rows: GrantRow[]): Pick<Principal, 'grants'> {
  return rows.length ? { grants: new Map(rows.map((row) => [row.profile_id, row.role])) } : {};
}
