import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal, Role } from './access.js';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** The acting principal's name, recorded as created_by / updated_by / changed_by. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // The global guard lets no request without a principal reach a handler that records an actor.
  if (!principal) throw new Error('@Actor() used on a route that is not authenticated');
  return principal.name;
});

/** The acting principal's role, for answers that depend on it (secrets in resolved configurations). */
export const CallerRole = createParamDecorator((_data: unknown, context: ExecutionContext): Role => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('@CallerRole() used on a route that is not authenticated');
  return principal.role;
});
