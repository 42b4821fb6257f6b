import type { ArgumentsHost, INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/authenticator.js';
import { ForbiddenError } from '../common/errors/domain-errors.js';
import type { ProblemDetailsFilter } from '../common/errors/problem-details.filter.js';
import { roleAllows } from '../common/http/access.js';
import type { AuthenticatedRequest } from '../common/http/actor.decorator.js';
import type { ResolvedQueryDto } from './dto/resolved.dto.js';
import { ResolvedController } from './resolved.controller.js';

const ROUTE = '/api/config/resolved';

/**
 * `GET /api/config/resolved` when the front door (resolved-front-door.ts) could not answer it from
 * memory alone (a token to look up, a configuration to read, a query to validate, a refusal):
 * answered from Fastify's onRequest hook, ahead of Nest's guard, pipe and interceptor chain. Same
 * authentication, role rule (any principal may read), query rules, answers and problem+json as
 * through Nest: it calls the same ResolvedController method and renders errors with the same
 * ProblemDetailsFilter. The controller still documents the route (OpenAPI) and would answer it if
 * this hook were not registered.
 */
export function registerResolvedFastPath(fastify: FastifyInstance, app: INestApplication, filter: ProblemDetailsFilter): void {
  const authenticator = app.get(Authenticator);
  const controller = app.get(ResolvedController);
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET' || request.routeOptions.url !== ROUTE) return;
    try {
      const principal = await authenticator.authenticate(request);
      (request as AuthenticatedRequest).principal = principal;
      if (!roleAllows(principal.role, 'viewer')) throw new ForbiddenError(`This needs the viewer role; ${principal.name} has the ${principal.role} role.`);
      const { 'if-none-match': ifNoneMatch, 'accept-encoding': acceptEncoding } = request.headers;
      await controller.getResolvedConfig(request.query as ResolvedQueryDto, ifNoneMatch, acceptEncoding, principal.role, reply);
    } catch (error) {
      filter.catch(error, httpHost(request, reply));
    }
    return reply;
  });
}

function httpHost(request: FastifyRequest, reply: FastifyReply): ArgumentsHost {
  return { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
}
