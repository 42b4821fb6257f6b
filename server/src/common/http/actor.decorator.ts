import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './access.js';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** The acting principal's name, recorded as created_by / updated_by / changed_by. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // The global guard lets no request without a principal reach a handler that records an actor.
  if (!principal) throw new Error('@Actor() used on a route that is not authenticated');
  return principal.name;
});
