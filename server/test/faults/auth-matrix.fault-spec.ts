import { randomBytes } from 'node:crypto';
import { TEST_ADMIN_TOKEN } from '../support/test-app.js';
import { reportFaults, StatusTally } from './support/fault-report.js';
import { problemShapeViolations } from './support/openapi-checks.js';
import { FailureLog, formatFailures } from './support/openapi-failures.js';
import { type HttpAnswer, parseJson, sendHttp } from './support/openapi-http.js';
import { label, listOperations, type Operation, readCommittedSpec } from './support/openapi-operations.js';
import { documentedRequest, renderCall } from './support/openapi-requests.js';
import { capturingServerLog } from './support/openapi-server-log.js';
import { startOpenApiTarget, type OpenApiTarget } from './support/openapi-target.js';

/**
 * The authentication and role matrix, generated from openapi.json: every operation × every kind of
 * caller. Callers without valid credentials get 401 (with WWW-Authenticate), roles below what an
 * operation needs get 403, both as problem+json and without changing a stored row; everyone else
 * gets past authorization (anything but 401/403) and never a 5xx. Requests carry the documented
 * example body and real ids, so that only authorization stands between them and success.
 */

type Role = 'viewer' | 'agent' | 'editor' | 'admin';
const ROLES: Role[] = ['viewer', 'agent', 'editor', 'admin'];
/** agent reads what viewer reads (and gets secrets in resolved configurations): the same rank. */
const RANK: Record<Role, number> = { viewer: 0, agent: 0, editor: 1, admin: 2 };
/** A route that needs `agent` (an agent's acknowledgement) is for agents and those who change configuration: not viewers. */
const allows = (held: Role, required: Role) => (required === 'agent' ? held !== 'viewer' : RANK[held] >= RANK[required]);

interface Principal {
  name: string;
  /** The Authorization header, undefined for none; read when sent, once tokens exist. */
  authorization: () => string | undefined;
  role?: Role;
}

const MALFORMED_HEADERS = ['Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${'x'.repeat(600)}`, 'Token sb_abc', 'sb_no-scheme-at-all', 'Bearer sb_one sb_two', ''];

const operations = listOperations(readCommittedSpec());
const tokens: Record<Role | 'revoked', string> = { viewer: '', agent: '', editor: '', admin: '', revoked: '' };
const unknownToken = `sb_${randomBytes(32).toString('base64url')}`;

const PRINCIPALS: Principal[] = [
  { name: 'no token', authorization: () => undefined },
  ...MALFORMED_HEADERS.map((header) => ({ name: `malformed header ${JSON.stringify(header.length > 30 ? `${header.slice(0, 20)}…` : header)}`, authorization: () => header })),
  { name: 'unknown token', authorization: () => `Bearer ${unknownToken}` },
  { name: 'revoked token', authorization: () => `Bearer ${tokens.revoked}` },
  ...ROLES.map((role) => ({ name: role, role, authorization: () => `Bearer ${tokens[role]}` })),
];

/** What an operation asks of its caller, as the spec states it (`x-switchboard-role`). */
function requiredRole(operation: Operation): Role | 'public' {
  if (operation.isPublic) return 'public';
  if (!operation.requiredRole) throw new Error(`${label(operation)} does not state the role it needs (x-switchboard-role)`);
  return operation.requiredRole;
}

function expectedStatus(operation: Operation, principal: Principal): 401 | 403 | 'allowed' {
  const required = requiredRole(operation);
  if (required === 'public') return 'allowed';
  if (!principal.role) return 401;
  return allows(principal.role, required) ? 'allowed' : 403;
}

/** Refused and allowed callers both: the refused ones first, while the rows they must not touch are there. */
const callersInOrder = (operation: Operation): Principal[] =>
  [...PRINCIPALS].sort((a, b) => Number(expectedStatus(operation, a) === 'allowed') - Number(expectedStatus(operation, b) === 'allowed'));

describe('authentication and roles, every operation × every caller', () => {
  let target: OpenApiTarget;
  const tally = new StatusTally();
  const failures = new FailureLog();

  beforeAll(async () => {
    target = await startOpenApiTarget();
    for (const role of ROLES) {
      tokens[role] = (await target.server.api().post('/api/auth/tokens').send({ name: `matrix-${role}`, role }).expect(201)).body.token;
    }
    const revoked = (await target.server.api().post('/api/auth/tokens').send({ name: 'matrix-revoked', role: 'admin' }).expect(201)).body;
    await target.server.api().delete(`/api/auth/tokens/${revoked.id}`).expect(200);
    tokens.revoked = revoked.token;
  });
  afterAll(async () => {
    reportFaults('auth-matrix', { requests: tally.total, operations: operations.length, principals: PRINCIPALS.length, statuses: tally, distinct_failures: failures.count });
    await target?.close();
  });

  /** What is wrong with the answer to `principal`, if anything. */
  function violationsOf(answer: HttpAnswer, expected: 401 | 403 | 'allowed', unchanged: boolean): { violation: string; details?: string }[] {
    if (expected === 'allowed') {
      const found: { violation: string; details?: string }[] = [];
      if (answer.status === 401 || answer.status === 403) found.push({ violation: `refused with ${answer.status}, though the role suffices` });
      if (answer.status >= 500) found.push({ violation: `answered ${answer.status}` });
      const shape = problemShapeViolations(answer);
      if (shape.length) found.push({ violation: `answered ${answer.status} without a well-formed problem+json`, details: shape.join('; ') });
      return found;
    }
    const found: { violation: string; details?: string }[] = [];
    if (answer.status !== expected) found.push({ violation: `answered ${answer.status} instead of ${expected}` });
    const shape = problemShapeViolations(answer);
    if (shape.length) found.push({ violation: `answered ${answer.status} without a well-formed problem+json`, details: shape.join('; ') });
    const type = (parseJson(answer.text) as { type?: unknown } | undefined)?.type;
    const expectedType = `urn:switchboard:problem:${expected === 401 ? 'unauthorized' : 'forbidden'}`;
    if (answer.status === expected && type !== expectedType) found.push({ violation: `problem type is ${JSON.stringify(type)}, not ${expectedType}` });
    if (expected === 401 && answer.headers['www-authenticate'] !== 'Bearer realm="switchboard"') {
      found.push({ violation: 'a 401 without WWW-Authenticate: Bearer realm="switchboard"', details: `got ${JSON.stringify(answer.headers['www-authenticate'])}` });
    }
    if (!unchanged) found.push({ violation: `refused with ${answer.status}, yet stored rows changed` });
    return found;
  }

  async function tryAs(operation: Operation, principal: Principal): Promise<void> {
    const call = renderCall(operation, documentedRequest(operation), await target.fixtureIds(), principal.authorization());
    const expected = expectedStatus(operation, principal);
    const before = await target.stateFingerprint();
    const { result, log } = await capturingServerLog(() => sendHttp(target.baseUrl, call).then((answer) => ({ answer }), (error: Error) => ({ error })));
    const record = (violation: string, answer?: HttpAnswer, details?: string) =>
      failures.record({ operation: label(operation), violation, details, input: `${principal.name} (expects ${expected})`, call, answer, serverLog: log });
    if ('error' in result) return record('no answer', undefined, result.error.message);
    tally.add(result.answer.status);
    const unchanged = expected === 'allowed' || (await target.stateFingerprint()) === before;
    for (const { violation, details } of violationsOf(result.answer, expected, unchanged)) record(violation, result.answer, details);
  }

  it('covers every operation of the committed spec: token management, grants, approval rules, the domain registry, presets, backup and restore admin-only, changes for editors', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.filter((operation) => requiredRole(operation) === 'admin').map(label).sort()).toEqual([
      'DELETE /api/auth/tokens/{id}',
      'DELETE /api/config/domains/{name}',
      'DELETE /api/config/presets/{name}',
      'DELETE /api/config/profiles/{id}/approval',
      'DELETE /api/config/profiles/{id}/grants/{grant_id}',
      'GET /api/admin/backup',
      'GET /api/auth/tokens',
      'GET /api/config/profiles/{id}/grants',
      'POST /api/admin/restore',
      'POST /api/auth/tokens',
      'POST /api/config/domains',
      'POST /api/config/presets',
      'PUT /api/config/domains/{name}',
      'PUT /api/config/profiles/{id}/approval',
      'PUT /api/config/profiles/{id}/grants',
    ]);
    // Agents acknowledge what their sessions applied: the one write an agent token may send.
    expect(operations.filter((operation) => requiredRole(operation) === 'agent').map(label)).toEqual(['POST /api/config/sessions/{session_id}/ack']);
    const changes = operations.filter(
      (operation) =>
        operation.method !== 'get' &&
        requiredRole(operation) !== 'agent' &&
        !/\/(validate|render)$/.test(operation.path) &&
        !operation.path.startsWith('/api/auth/tokens') &&
        !operation.path.startsWith('/api/admin/') &&
        !/^\/api\/config\/(domains|presets)(\/\{name\})?$/.test(operation.path) &&
        !operation.path.startsWith('/api/config/profiles/{id}/grants') &&
        operation.path !== '/api/config/profiles/{id}/approval',
    );
    for (const operation of changes) expect({ operation: label(operation), role: requiredRole(operation) }).toEqual({ operation: label(operation), role: 'editor' });
    expect(operations.filter((operation) => requiredRole(operation) === 'public').map(label)).toEqual(['GET /health/live', 'GET /health/ready']);
  });

  it.each(operations.map((operation) => [`${label(operation)} (needs ${requiredRole(operation)})`, operation] as const))('%s', async (_name, operation) => {
    await target.ensureFixtures();
    for (const principal of callersInOrder(operation)) await tryAs(operation, principal);
    const found = failures.of(label(operation));
    if (found.length) throw new Error(formatFailures(found, 'auth matrix'));
  });

  it("revokes only fixture tokens on the way: the callers' own tokens still work afterwards", async () => {
    await target.server.api(TEST_ADMIN_TOKEN).get('/api/auth/me').expect(200);
    for (const role of ROLES) expect((await target.server.api(tokens[role]).get('/api/auth/me').expect(200)).body).toMatchObject({ role });
  });
});
