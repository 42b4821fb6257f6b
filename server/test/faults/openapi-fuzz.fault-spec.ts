import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { TEST_ADMIN_TOKEN } from '../support/test-app.js';
import { reportFaults, StatusTally } from './support/fault-report.js';
import { nestedText } from './support/openapi-bodies.js';
import { describeExchange, excerpt, problemShapeViolations, prototypePollution } from './support/openapi-checks.js';
import { FailureLog, type FailureInput, formatFailures } from './support/openapi-failures.js';
import { type HttpAnswer, type HttpCall, sendHttp } from './support/openapi-http.js';
import { isHealthProbe, label, listOperations, type Operation, readCommittedSpec } from './support/openapi-operations.js';
import { renderCall, type RequestCase, requestCaseArbitrary, sweepRequests } from './support/openapi-requests.js';
import { capturingServerLog } from './support/openapi-server-log.js';
import { startOpenApiTarget, type OpenApiTarget } from './support/openapi-target.js';

/**
 * Property-based fuzzing of every operation in openapi.json, on the real app with a healthy fake
 * Databricks workspace and a healthy fake LLM. Because no upstream is failing, no answer may be a
 * 5xx, not even the 502/503/504 that Databricks and agent routes document.
 *
 * Properties, for every request: status < 500; every 4xx is problem+json with type, title, detail
 * and the HTTP status; a refused (4xx) non-GET request changes no stored row; Object.prototype stays
 * clean (the app runs in this process).
 *
 * Each operation with a body first gets a sweep (every field null, every text field with a NUL,
 * 2,000 nested arrays), then random runs: a valid-ish body from the schema, mostly damaged
 * (openapi-bodies.ts), real ids in the path mostly, query and header parameters odd or not.
 *
 * Properties never throw: a run records every distinct failure with the smallest reproduction seen
 * and keeps going, so that one run lists all of an operation's bugs rather than stopping at the
 * first (shrinking over HTTP would also spend the request budget). Replay with FUZZ_SEED=<seed>.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_122);
const operations = listOperations(readCommittedSpec());
const ADMIN = `Bearer ${TEST_ADMIN_TOKEN}`;

/** About 3,000 requests in all: bodies get the most runs, because most of the damage goes there. */
function runsFor(operation: Operation): number {
  if (isHealthProbe(operation)) return 10;
  if (operation.body) return 110;
  if (operation.method !== 'get') return 45;
  return operation.parameters.length ? 50 : 20;
}

/** A seed per operation, so that operations do not all draw the same sequence. */
function seedOf(operation: Operation): number {
  return [...label(operation)].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) | 0, SEED);
}

/** What in the request is not as documented, e.g. `null at description + odd-query-param at ?limit`. */
function damageOf(request: RequestCase): string {
  const parts: string[] = [];
  const oddPath = Object.entries(request.path).filter(([, value]) => 'text' in value && value.mutated);
  if (oddPath.length) parts.push(`odd-path-param at ${oddPath.map(([name]) => `{${name}}`).join(' ')}`);
  const oddQuery = request.query.filter((entry) => entry.odd);
  if (oddQuery.length) parts.push(`odd-query-param at ${oddQuery.map((entry) => `?${entry.name || '(empty name)'}`).join(' ')}`);
  const mutation = request.body?.mutation;
  if (mutation && mutation.kind !== 'valid' && mutation.kind !== 'no-body') parts.push(mutation.at ? `${mutation.kind} at ${mutation.at}` : mutation.kind);
  return parts.join(' + ') || 'as documented';
}

describe('OpenAPI fuzzing', () => {
  let target: OpenApiTarget;
  const tally = new StatusTally();
  const failures = new FailureLog();
  const started = performance.now();
  let serverErrors = 0;

  beforeAll(async () => {
    target = await startOpenApiTarget();
    await target.ensureFixtures();
    process.stdout.write(`[faults] fuzz: seed=${SEED} operations=${operations.length} (replay with FUZZ_SEED=${SEED})\n`);
  });
  afterAll(async () => {
    reportFaults('fuzz', {
      seed: SEED,
      requests: tally.total,
      operations: operations.length,
      statuses: tally,
      server_errors: serverErrors,
      distinct_failures: failures.count,
      seconds: ((performance.now() - started) / 1000).toFixed(1),
    });
    await target?.close();
  });

  /** Sends one generated request and records whatever breaks a property. */
  async function exercise(operation: Operation, request: RequestCase): Promise<void> {
    const call = renderCall(operation, request, await target.fixtureIds(), ADMIN);
    const before = operation.method === 'get' ? undefined : await target.stateFingerprint();
    const { result, log } = await capturingServerLog(() => sendHttp(target.baseUrl, call).then((answer) => ({ answer }), (error: Error) => ({ error })));
    const fail = (violation: string, answer?: HttpAnswer, details?: string) =>
      failures.record({ operation: label(operation), violation, details, input: damageOf(request), call, answer, serverLog: log } satisfies FailureInput);
    if ('error' in result) return fail('no answer', undefined, result.error.message);

    const { answer } = result;
    tally.add(answer.status);
    if (answer.status >= 500) {
      serverErrors++;
      fail(`answered ${answer.status} (no upstream is failing: nothing may answer 5xx)`, answer);
    }
    const shape = problemShapeViolations(answer);
    if (shape.length) fail(`answered ${answer.status} without a well-formed problem+json`, answer, shape.join('; '));
    if (before !== undefined && answer.status >= 400 && answer.status < 500 && (await target.stateFingerprint()) !== before) {
      fail(`refused with ${answer.status}, yet stored rows changed`, answer);
    }
    const pollution = prototypePollution();
    if (pollution) fail(pollution, answer);
  }

  it('fuzzes what the running app documents (the committed openapi.json)', async () => {
    const served = listOperations((await target.server.api().get('/docs-json').expect(200)).body);
    expect(served.map(label).sort()).toEqual(operations.map(label).sort());
    expect(operations.length).toBeGreaterThan(40);
  });

  it('notices a stored change, so that "refused and unchanged" means something', async () => {
    const before = await target.stateFingerprint();
    await target.server.api().put(`/api/config/mlflow/${(await target.fixtureIds()).profile[0]}`).send({ experiment_name: '/Shared/fingerprint-check' }).expect(200);
    expect(await target.stateFingerprint()).not.toBe(before);
  });

  it.each(operations.map((operation) => [label(operation), operation] as const))(
    '%s',
    async (_name, operation) => {
      await target.ensureFixtures();
      const property = fc.asyncProperty(requestCaseArbitrary(operation), (request) => exercise(operation, request));
      const sweep = sweepRequests(operation).map((request): [RequestCase] => [request]);
      await fc.assert(property, { seed: seedOf(operation), numRuns: runsFor(operation), examples: sweep });
      const found = failures.of(label(operation));
      if (found.length) throw new Error(formatFailures(found, `seed ${seedOf(operation)}, FUZZ_SEED=${SEED}`));
    },
    120_000,
  );

  describe('liveness under nesting', () => {
    const BODY_LIMIT = 2 * 1024 * 1024;

    /** Sends the body and probes /health/live back to back until it is answered; the slowest probe counts. */
    async function probeWhileSending(call: HttpCall): Promise<{ answer: HttpAnswer; probes: number[] }> {
      const { result } = await capturingServerLog(async () => {
        let done = false;
        // Settles either way, so that a failed send cannot become an unhandled rejection while probing.
        const sent = sendHttp(target.baseUrl, call, 60_000).then(
          (answer) => ({ answer }),
          (error: Error) => ({ error }),
        );
        void sent.then(() => (done = true));
        const probes: number[] = [];
        while (!done) {
          const probe = await sendHttp(target.baseUrl, { method: 'GET', path: '/health/live', headers: {} }, 60_000);
          probes.push(probe.ms);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return { outcome: await sent, probes };
      });
      if ('error' in result.outcome) throw new Error(`the nested body got no answer: ${result.outcome.error.message}`);
      return { answer: result.outcome.answer, probes: result.probes };
    }

    it.each([
      ['arrays', 'POST', '/api/config/profiles', (depth: number) => `{"name":"Deep arrays","description":${nestedText(depth, 'array')}}`, 2],
      ['objects', 'PUT', '/api/config/prompts/{profile_id}', (depth: number) => `{"system_prompt":${nestedText(depth, 'object')}}`, 6],
    ] as const)('keeps /health/live answering while a 2 MB body nested as %s is processed, and refuses the body with a 4xx', async (shape, method, path, build, bytesPerLevel) => {
      const depth = Math.floor((BODY_LIMIT - 1024) / bytesPerLevel);
      const profile = (await target.fixtureIds()).profile[0];
      const call: HttpCall = { method, path: path.replace('{profile_id}', String(profile)), headers: { authorization: ADMIN, 'content-type': 'application/json' }, body: build(depth) };
      const { answer, probes } = await probeWhileSending(call);
      tally.add(answer.status);
      reportFaults(`fuzz-liveness-${shape}`, {
        body_bytes: Buffer.byteLength(call.body!),
        depth,
        status: answer.status,
        body_ms: answer.ms.toFixed(0),
        live_probes: probes.length,
        live_max_ms: Math.max(...probes).toFixed(1),
        live_over_1s: probes.filter((ms) => ms > 1000).length,
        answer: excerpt(answer.text, 200),
      });
      const refusedCleanly = answer.status >= 400 && answer.status < 500 && problemShapeViolations(answer).length === 0;
      if (!refusedCleanly) throw new Error(`expected a 4xx problem+json for the nested body, got:\n      ${describeExchange(call, answer)}`);
    });
  });
});

