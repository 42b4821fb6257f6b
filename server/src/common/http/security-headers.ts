import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's security headers (Content-Security-Policy, X-Content-Type-Options, X-Frame-Options, …),
 * worked out once at start-up and set on every response: the same for every request, so nothing
 * is parsed or built per request (the Fastify plugin calls helmet() on each one).
 *
 * Helmet's default CSP, plus what the console's Monaco editor needs: its web workers may start
 * from blob: URLs. Upgrading requests to https, and HSTS, only when clients reach the service over
 * TLS: over plain HTTP on any host but localhost the upgrade leaves the console blank.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

export function securityHeaders(options: { https: boolean }): Record<string, string> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({
    contentSecurityPolicy: { directives: { 'worker-src': ["'self'", 'blob:'], 'upgrade-insecure-requests': options.https ? [] : null } },
    strictTransportSecurity: options.https ? undefined : false,
  })({} as IncomingMessage, collector as unknown as ServerResponse, () => undefined);
  return headers;
}
