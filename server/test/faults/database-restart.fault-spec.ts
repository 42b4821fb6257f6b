import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { anyFreePort, type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/common/database/embedded-postgres.js';
import { eventually } from '../support/eventually.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { createMigratedTemplate, TEMPLATE_DATABASE, withDatabase } from '../support/test-postgres.js';
import { reportFaults } from './support/fault-report.js';
import { PhaseClock, probeLoop, ProbeLog } from './support/restart-probes.js';
import { compareDelivery } from './support/sse-event-parser.js';
import { ReconnectingStream } from './support/sse-reconnecting-client.js';

const STREAMS_PER_INSTANCE = 3;
/** Concurrent writer loops: more transactions in flight at the moment the database goes. */
const WRITERS = 4;
const OUTAGES = 2;
const UP_BEFORE_MS = 1500;
const DOWN_MS = 2500;
const UP_AFTER_RECOVERY_MS = 1000;
const PROBLEM = /^application\/problem\+json/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A PostgreSQL of its own, stopped and started again under two running instances while a writer
 * keeps writing, readers keep reading `resolved` and six change-stream clients listen. Nothing
 * committed may be lost or repeated on any stream, and the instances recover by themselves.
 */
describe('a database restart under writes and change streams', () => {
  let dataDir: string;
  let port: number;
  let database: EmbeddedDatabase | undefined;
  let url: string;
  let apps: TestApp[] = [];
  let streams: ReconnectingStream[] = [];

  const startDatabase = async () => {
    database = await startEmbeddedPostgres({ dataDir, preferredPort: port, database: 'postgres', log: () => undefined, logServerMessages: false });
    if (database.port !== port) throw new Error(`port ${port} was taken while the database was down`);
  };
  const query = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-restart-'));
    await chmod(dataDir, 0o755);
    port = await anyFreePort();
    await startDatabase();
    await createMigratedTemplate(database!.url);
    url = withDatabase(database!.url, TEMPLATE_DATABASE);
    apps = [await startTestApp(url), await startTestApp(url)];
  }, 60_000);
  afterAll(async () => {
    await Promise.all(streams.map((stream) => stream.close()));
    for (const app of apps) await app.close();
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses and repeats no change on any stream, answers writes 503 only while down, and recovers by itself', async () => {
    const [{ id: profileId }] = await query<{ id: number }>('SELECT id FROM config_profiles WHERE is_default');
    for (const app of apps) expect((await fetch(`${app.baseUrl}/api/config/resolved`, { headers: auth })).status).toBe(200);
    // From id 0: every entry ever committed, the seeded profile's included, is expected on every stream.
    streams = apps.flatMap((app) =>
      Array.from({ length: STREAMS_PER_INSTANCE }, () => new ReconnectingStream(`${app.baseUrl}/api/config/stream`, { token: TEST_ADMIN_TOKEN, lastEventId: 0, retryMs: 200 })),
    );

    const clock = new PhaseClock();
    const writes = new ProbeLog();
    const resolved = new ProbeLog();
    const ready = new ProbeLog();
    let finished = false;
    const done = () => finished;
    const loops = Promise.all([
      ...Array.from({ length: WRITERS }, (_, writer) =>
        probeLoop(clock, writes, done, 10, (n) => {
          const [domain, body] = n % 2 ? ['mlflow', { experiment_name: `/Shared/restart/${writer}-${n}` }] : ['ai-infra', { llm_max_tokens: 1000 + n * WRITERS + writer }];
          return fetch(`${apps[writer % 2].baseUrl}/api/config/${domain}/${profileId}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        }),
      ),
      probeLoop(clock, resolved, done, 25, (n) => fetch(`${apps[n % 2].baseUrl}/api/config/resolved`, { headers: auth })),
      probeLoop(clock, ready, done, 50, (n) => fetch(`${apps[n % 2].baseUrl}/health/ready`)),
    ]);

    /** Stops the database, keeps it down for a while, starts it again; resolves how long the instances took to recover. */
    const outage = async (index: number): Promise<number> => {
      clock.phase = 'stopping';
      await database!.stop();
      database = undefined;
      clock.phase = 'down';
      // Half the clients (the other half next time) lose their connection during the outage: they must come back with Last-Event-ID.
      streams.filter((_, position) => position % 2 === index % 2).forEach((stream) => stream.interrupt());
      await sleep(DOWN_MS);
      clock.phase = 'restarting';
      await startDatabase();
      clock.phase = 'up';
      const startedAt = performance.now();
      const { ms } = await eventually(async () => {
        for (const app of apps) expect((await fetch(`${app.baseUrl}/health/ready`)).status).toBe(200);
        expect(writes.where((answer) => answer.label === 'up' && answer.at > startedAt && answer.status === 200).length).toBeGreaterThan(0);
      }, 30_000);
      return Math.round(ms);
    };
    const recoveries: number[] = [];
    for (let index = 0; index < OUTAGES; index++) {
      await sleep(UP_BEFORE_MS);
      recoveries.push(await outage(index));
    }
    await sleep(UP_AFTER_RECOVERY_MS);
    finished = true;
    await loops;

    const expected = (await query<{ id: string }>('SELECT id FROM config_history ORDER BY id')).map((row) => Number(row.id));
    // A stream that never gets there is reported (and fails below) rather than thrown here.
    const caughtUp = await Promise.all(streams.map((stream) => stream.waitForId(expected.at(-1)!, 30_000).then(() => true, () => false)));
    const deliveries = streams.map((stream) => compareDelivery(expected, stream.ids));
    const sum = (key: keyof (typeof deliveries)[number]) => deliveries.reduce((total, delivery) => total + delivery[key], 0);

    reportFaults('database-restart', {
      writes: writes.answers.length,
      statuses: writes.byLabel(),
      resolved_statuses: resolved.byLabel(),
      ready_statuses: ready.byLabel(),
      events_expected: expected.length,
      streams: streams.length,
      events_lost: sum('lost'),
      lost_by_stream: deliveries.map((delivery) => delivery.lost).join('/'),
      duplicates: sum('duplicates'),
      out_of_order: sum('outOfOrder'),
      stream_drops: streams.reduce((total, stream) => total + stream.drops, 0),
      stream_attempts: streams.reduce((tally, stream) => mergeTallies(tally, stream.attempts.toJSON()), {} as Record<string, number>),
      recovery_ms: recoveries,
    });

    // Every stream saw exactly the committed entries, in order.
    expect(caughtUp).toEqual(streams.map(() => true));
    expect(deliveries).toEqual(streams.map(() => ({ lost: 0, duplicates: 0, outOfOrder: 0 })));
    expect(streams.map((stream) => stream.ids.length)).toEqual(streams.map(() => expected.length));
    // Each client was cut once and came back.
    expect(streams.map((stream) => stream.attempts.count((status) => status === 200) >= 2)).toEqual(streams.map(() => true));

    // Writes: 503 problem+json while the database is away, never another 5xx, never "unreachable" while it is up.
    const brief = ProbeLog.brief;
    expect(brief(writes.where((answer) => answer.status >= 500 && answer.status !== 503))).toEqual([]);
    expect(brief(writes.where((answer) => answer.status >= 400 && !PROBLEM.test(answer.contentType)))).toEqual([]);
    expect(brief(writes.where((answer) => answer.label === 'up' && (answer.status !== 200 || /unreachable/i.test(answer.body))))).toEqual([]);
    expect(writes.tally('down').count((status) => status === 503)).toBeGreaterThan(0);
    expect(writes.tally('down').count((status) => status === 200)).toBe(0);

    // resolved keeps answering, stale while the database is down; readiness follows the database.
    expect(brief(resolved.where((answer) => answer.status !== 200))).toEqual([]);
    expect(brief(resolved.where((answer) => answer.label === 'down' && JSON.parse(answer.body).stale !== true))).toEqual([]);
    expect(brief(ready.where((answer) => answer.label === 'down' && answer.status !== 503))).toEqual([]);
    expect(ready.where((answer) => answer.label === 'up').at(-1)?.status).toBe(200);
  }, 120_000);
});

function mergeTallies(into: Record<string, number>, add: Record<string, number>): Record<string, number> {
  for (const [status, count] of Object.entries(add)) into[status] = (into[status] ?? 0) + count;
  return into;
}
