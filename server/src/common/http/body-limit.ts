import { RouteConfig } from '@nestjs/platform-fastify';
import type { RouteOptions } from 'fastify';

/**
 * A route's own request body limit, instead of the server-wide one: Fastify refuses a larger body
 * before reading it (413 problem+json). Takes effect through `applyRouteBodyLimit` (an onRoute hook).
 */
export const BodyLimit = (bytes: number): MethodDecorator => RouteConfig({ bodyLimit: bytes });

export function applyRouteBodyLimit(route: RouteOptions): void {
  const limit = (route.config as { bodyLimit?: unknown } | undefined)?.bodyLimit;
  if (typeof limit === 'number') route.bodyLimit = limit;
}
