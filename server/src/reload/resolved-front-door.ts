import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Authenticator } from '../auth/authenticator.js';
import { seesSecrets } from '../common/http/access.js';
import { requestIdOf } from '../common/http/request-context.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import { answerResolved } from './resolved-answer.js';
import type { ResolvedConfigService, ResolveTarget } from './resolved-config.service.js';

const ROUTE = '/api/config/resolved';
/** The queries agents send, in forms that need no further validation; any other goes the long way. */
const QUERY = /^(?:profile_id=([1-9][0-9]{0,8})|session_id=([0-9A-Za-z-]{1,64}))$/;

export interface FrontDoorDependencies {
  authenticator: Authenticator;
  resolved: ResolvedConfigService;
  metrics: MetricsService;
  /** Helmet's headers, as every other response carries them. */
  securityHeaders: Readonly<Record<string, string>>;
}

/**
 * `GET /api/config/resolved`, the request every running agent repeats, answered by the HTTP
 * server before Fastify sees it, when everything it needs is in memory: a token this instance
 * has verified (authentication's cache), a plain query, and a current cached configuration. Then
 * no routing, hooks, validation or promises are involved, which doubles its throughput (see
 * docs/benchmarks.md). Anything else, refusals included, goes on to Fastify unchanged, where
 * resolved-fast-path.ts and the controller answer it: the headers and body come from the same
 * answerResolved(), and server/test/resolved-front-door.e2e-spec.ts holds both paths to one answer.
 */
export function openResolvedFrontDoor(server: Server, dependencies: FrontDoorDependencies): void {
  const listeners = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  if (listeners.length !== 1) throw new Error(`Expected Fastify's one request listener, found ${listeners.length}.`);
  const [fastify] = listeners;
  const answered = frontDoor(dependencies);
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!answered(request, response)) fastify!(request, response);
  });
}

/** Answers what it can and says so; leaves everything else untouched. */
function frontDoor({ authenticator, resolved, metrics, securityHeaders }: FrontDoorDependencies) {
  /** [name, value, name, value, …] of the security headers and an answer's, as writeHead takes them. */
  const linesByAnswer = new WeakMap<object, string[]>();
  const headerLines = (answer: Readonly<Record<string, string>>): string[] => {
    let lines = linesByAnswer.get(answer);
    if (!lines) linesByAnswer.set(answer, (lines = Object.entries({ ...securityHeaders, ...answer }).flat()));
    return lines;
  };

  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const started = performance.now();
    const { url = '', headers } = request;
    // Cross-origin callers need the CORS headers Fastify adds.
    if (request.method !== 'GET' || !url.startsWith(ROUTE) || headers.origin !== undefined) return false;
    const target = targetOf(url.slice(ROUTE.length));
    if (!target) return false;
    const principal = authenticator.knownBearer(headers.authorization);
    if (!principal) return false;
    const current = resolved.current(target, seesSecrets(principal.role));
    if (!current) return false;
    const { status, headers: answerHeaders, bytes } = answerResolved(current, headers['if-none-match'], headers['accept-encoding']);
    const lines = headerLines(answerHeaders).slice();
    lines.push('x-request-id', requestIdOf(headers));
    if (bytes) lines.push('content-length', String(bytes.length));
    response.writeHead(status, lines);
    response.end(bytes);
    metrics.observeRequest('GET', ROUTE, status, (performance.now() - started) / 1000);
    return true;
  };
}

/** Every principal may read resolved configurations, so the role plays no part here. */
function targetOf(search: string): ResolveTarget | undefined {
  if (search === '') return {};
  const query = search.startsWith('?') ? QUERY.exec(search.slice(1)) : null;
  if (!query) return undefined;
  return query[1] === undefined ? { sessionId: query[2] } : { profileId: Number(query[1]) };
}
