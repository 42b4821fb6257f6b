import type { FastifyInstance } from 'fastify';
import type { Logger as Pino } from 'pino';
import type { AuthenticatedRequest } from '../http/actor.decorator.js';

/**
 * Routes agents poll many times a second, and probes: logged at debug, not info, so that the log
 * shows changes and failures rather than thousands of reads. (Resolved reads served from memory
 * before Fastify, by resolved-front-door.ts, are not logged at all: they are counted in /metrics.)
 */
const QUIET_ROUTES = new Set(['/api/config/resolved', '/api/prompts/:name', '/health/live', '/health/ready', '/metrics', '/api/config/stream']);

/** One line per request Fastify answered: request id, method, route, status, duration, principal. */
export function registerAccessLog(fastify: FastifyInstance, logger: Pino): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const quiet = reply.statusCode < 400 && QUIET_ROUTES.has(route);
    const level = quiet ? 'debug' : reply.statusCode >= 500 ? 'error' : 'info';
    // Nothing is built for a line the level leaves out (the polled routes, at the default level).
    if (!logger.isLevelEnabled(level)) return done();
    logger[level](
      {
        req_id: String(request.id),
        method: request.method,
        route,
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 10) / 10,
        principal: (request as AuthenticatedRequest).principal?.name ?? null,
      },
      'request',
    );
    done();
  });
}
