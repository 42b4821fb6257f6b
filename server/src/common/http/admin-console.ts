import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Serving the built admin console (`npm run console:build`) at `/`, on the API's own port.
 *
 * Files are served as they are; any other GET outside the server's own prefixes gets index.html,
 * so a reload on a console URL such as /profiles/3/prompts works (the Angular router takes over).
 * Under /api, /docs, /health and /metrics an unknown path still reaches Nest's 404 handler and
 * answers problem+json.
 */

/** Paths that belong to the server and never fall back to the console. */
const SERVER_PREFIXES = ['/api', '/docs', '/docs-json', '/health', '/metrics'];

/** Angular's hashed output (`main-ABCD1234.js`): the name changes with the content. */
const HASHED = /-[A-Z0-9]{8}\.(?:js|css|woff2?|ttf|svg|png)$/;

/** `dist/admin-console/browser` above the package root (found by its package.json), whether running from server/src or dist/server/src. */
export function defaultConsoleDir(from = import.meta.dirname): string {
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'admin-console'))) {
      return path.join(dir, 'dist', 'admin-console', 'browser');
    }
  }
  return path.resolve('dist', 'admin-console', 'browser');
}

/**
 * Whether a path must not fall back to the console: the server's own prefixes in any case and
 * with any run of slashes (`/API/config`, `//metrics`), and any path with an empty segment, which
 * no console route has.
 */
export function isServerPath(url: string): boolean {
  const pathname = url.split('?')[0]!;
  if (pathname.includes('//')) return true;
  const lower = pathname.toLowerCase();
  return SERVER_PREFIXES.some((prefix) => lower === prefix || lower.startsWith(`${prefix}/`));
}

/**
 * Registers the console when `dir` holds an index.html; returns whether it did. Call before the
 * app is initialised (the routes join Nest's on the same Fastify instance).
 */
export async function registerAdminConsole(app: NestFastifyApplication, dir: string): Promise<boolean> {
  if (!existsSync(path.join(dir, 'index.html'))) return false;
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    // One route per file found now, rather than a catch-all: the fallback below is the catch-all.
    wildcard: false,
    index: false,
    setHeaders: (reply, file) => {
      reply.header('cache-control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  fastify.get('/', (_request, reply) => reply.sendFile('index.html'));
  fastify.get('/*', (request, reply) => {
    if (isServerPath(request.url)) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
  return true;
}
