import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is acting, as authentication (when present) put it on the request. */
export interface Principal {
  name: string;
}

export const ANONYMOUS = 'anonymous';

/** The acting principal's name, recorded as created_by / updated_by / changed_by. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
  return request.principal?.name ?? ANONYMOUS;
});
