import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { TooManyRequestsError } from '../common/errors/domain-errors.js';
import { SAFE_METHODS } from '../common/http/access.js';
import type { AuthConfig } from './auth.config.js';
import { bearerHash } from './authenticator.js';

/**
 * Limits writes (every method but GET/HEAD/OPTIONS) per credential — one token, one proxy user —
 * before any work is done. Counts are kept per instance.
 */
export async function registerWriteRateLimit(app: NestFastifyApplication, config: AuthConfig): Promise<void> {
  await app.register(rateLimit, {
    max: config.writeLimit,
    timeWindow: config.writeWindowSeconds * 1000,
    allowList: (request: FastifyRequest) => SAFE_METHODS.has(request.method),
    keyGenerator: (request: FastifyRequest) => credentialKey(request, config),
    errorResponseBuilder: (_request, context) =>
      new TooManyRequestsError(
        `Too many changes: at most ${context.max} writes per ${config.writeWindowSeconds} s for one principal. Retry in ${Math.ceil(context.ttl / 1000)} s.`,
        Math.ceil(context.ttl / 1000),
      ),
  });
}

/** One bucket per secret however its header is spelt; malformed headers count against the address. */
function credentialKey(request: FastifyRequest, config: AuthConfig): string {
  if (SAFE_METHODS.has(request.method)) return 'read'; // not limited (allowList): spare reads the hash
  const hash = bearerHash(request);
  if (hash) return `bearer:${hash}`;
  if (request.headers.authorization !== undefined) return `ip:${request.ip}`;
  const email = request.headers['x-forwarded-email'];
  if (config.trustProxyAuth && typeof email === 'string' && email) return `proxy:${email.toLowerCase()}`;
  return `ip:${request.ip}`;
}
