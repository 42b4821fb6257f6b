import v8 from 'node:v8';
import vm from 'node:vm';
import { eventually } from '../support/eventually.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { reportFaults } from './support/fault-report.js';
import { compareDelivery } from './support/sse-event-parser.js';
import { RawSseClient } from './support/sse-raw-client.js';
import { ReconnectingStream } from './support/sse-reconnecting-client.js';

const MAX_BUFFER_BYTES = 65_536;
const SLOW_CLIENTS = 20;
/**
 * On loopback the kernel soaks up about 4 MB for each connection that stops reading before the
 * server's own buffer grows at all; the burst must be well past that for every subscriber
 * (an event is about 330 bytes): 30,000 events, about 10 MB.
 */
const EVENTS = 30_000;
const INSERTS_PER_STATEMENT = 5_000;
/** Slow clients that come back with Last-Event-ID to fetch what they missed. */
const RETURNING_SLOW_CLIENTS = 3;
/** Without back-pressure (no cut) the process held about 240 MB more after this burst, for the 20 slow subscribers. */
const ABSURD_GROWTH_MB = 100;
const MB = 1024 * 1024;

/**
 * A full garbage collection, so that what is measured is what the process holds on to: a burst
 * leaves garbage (buffers, notification payloads) that a sampled peak counts at random.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** JavaScript heap and Buffers held after a full collection, in MB. */
function retainedMb(): number {
  collectGarbage();
  const { heapUsed, external } = process.memoryUsage();
  return (heapUsed + external) / MB;
}

/** Samples the process's memory (the app runs in it) for the peak during a burst, garbage included. */
class MemoryPeak {
  readonly baseline = process.memoryUsage();
  private peakRss = this.baseline.rss;
  private peakHeap = this.baseline.heapUsed;
  private readonly timer = setInterval(() => this.sample(), 25);

  stop(): { rssDeltaMb: number; heapDeltaMb: number } {
    clearInterval(this.timer);
    this.sample();
    return { rssDeltaMb: round((this.peakRss - this.baseline.rss) / MB), heapDeltaMb: round((this.peakHeap - this.baseline.heapUsed) / MB) };
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, rss);
    this.peakHeap = Math.max(this.peakHeap, heapUsed);
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Twenty subscribers that stop reading, one that keeps up, and a burst of thousands of changes:
 * the server must cut the slow ones once their unsent bytes pass SWITCHBOARD_STREAM_MAX_BUFFER_BYTES
 * (instead of holding every event for them), and nobody may lose an event: the fast client gets
 * all of them live, a slow one gets the rest when it comes back with Last-Event-ID.
 */
describe('slow change-stream consumers', () => {
  let db: TestDatabase;
  let app: TestApp;
  let profileId: number;
  let slow: RawSseClient[] = [];
  const streams: ReconnectingStream[] = [];

  const streamUrl = () => `${app.baseUrl}/api/config/stream`;
  const subscribers = async () => {
    const metrics = await (await fetch(`${app.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).text();
    return Number(/^switchboard_stream_subscribers (\d+)$/m.exec(metrics)?.[1]);
  };
  const latestHistoryId = async () => Number((await db.sql.query('SELECT coalesce(max(id), 0) AS id FROM config_history')).rows[0].id);

  /** History entries written straight into the table: each one notifies, so each is one event. */
  const burst = async (count: number) => {
    for (let written = 0; written < count; written += INSERTS_PER_STATEMENT) {
      await db.sql.query(
        `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by)
         SELECT $1, rpad('slow-consumer burst ' || n, 100, '.'), 'mlflow', 'update', 'slow-consumers-spec'
           FROM generate_series(1, $2::int) AS n`,
        [profileId, Math.min(INSERTS_PER_STATEMENT, count - written)],
      );
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, { env: { SWITCHBOARD_STREAM_MAX_BUFFER_BYTES: String(MAX_BUFFER_BYTES) } });
    profileId = (await db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
  });
  afterAll(async () => {
    // Paused sockets first: an app cannot close while it still owes them megabytes.
    slow.forEach((client) => client.destroy());
    await Promise.all(streams.map((stream) => stream.close()));
    await app?.close();
    await db?.drop();
  });

  it('cuts subscribers that stop reading, stays within bounded memory, and loses no event for anyone', async () => {
    const before = await latestHistoryId();
    const fast = new ReconnectingStream(streamUrl(), { token: TEST_ADMIN_TOKEN, lastEventId: before });
    streams.push(fast);
    slow = await Promise.all(Array.from({ length: SLOW_CLIENTS }, () => RawSseClient.open(app.baseUrl, TEST_ADMIN_TOKEN, before)));
    expect(slow.map((client) => client.status)).toEqual(slow.map(() => 200));
    slow.forEach((client) => client.pause());
    await eventually(async () => expect(await subscribers()).toBe(SLOW_CLIENTS + 1));

    const retainedBefore = retainedMb();
    const memory = new MemoryPeak();
    const burstStarted = performance.now();
    await burst(EVENTS);
    const expected = (await db.sql.query('SELECT id FROM config_history WHERE id > $1 ORDER BY id', [before])).rows.map((row) => Number(row.id));
    expect(expected).toHaveLength(EVENTS);

    // The contract: a slow subscriber is cut, so only the fast one stays open. Waits that run out
    // are recorded rather than thrown, so that the figures are printed either way.
    const cutMs = await eventually(async () => expect(await subscribers()).toBe(1), 30_000).then(({ ms }) => Math.round(ms), () => 'never');
    const fastCaughtUp = await reached(fast, expected.at(-1)!);
    const fastCaughtUpMs = Math.round(performance.now() - burstStarted);
    const { rssDeltaMb, heapDeltaMb } = memory.stop();
    // Measured while the slow sockets are still paused: without back-pressure the server would
    // still hold what it owes them.
    const retainedDeltaMb = round(retainedMb() - retainedBefore);

    const closed = await Promise.all(slow.map((client) => client.drain(cutMs === 'never' ? 1000 : 30_000)));
    const disconnected = closed.filter(Boolean).length;
    const slowGaps = slow.filter((client) => !isPrefixOf(client.ids, expected)).length;

    const returning = slow.slice(0, RETURNING_SLOW_CLIENTS).map((client) => {
      const stream = new ReconnectingStream(streamUrl(), { token: TEST_ADMIN_TOKEN, lastEventId: client.ids.at(-1) ?? before });
      streams.push(stream);
      return { client, stream };
    });
    const returningCaughtUp = await Promise.all(returning.map(({ stream }) => reached(stream, expected.at(-1)!)));
    const fastDelivery = compareDelivery(expected, fast.ids);
    const returningDeliveries = returning.map(({ client, stream }) => compareDelivery(expected, [...client.ids, ...stream.ids]));

    reportFaults('slow-consumers', {
      slow_clients: SLOW_CLIENTS,
      events: EVENTS,
      max_buffer_bytes: MAX_BUFFER_BYTES,
      disconnected,
      cut_within_ms: cutMs,
      fast_caught_up_ms: fastCaughtUp ? fastCaughtUpMs : 'never',
      events_read_by_slow_before_cut: slow.map((client) => client.ids.length).join('/'),
      fast_client_reconnects: fast.attempts.total - 1,
      returning_attempts: returning.map(({ stream }) => stream.attempts),
      returning_last_error: returning.find(({ stream }) => stream.lastError)?.stream.lastError ?? 'none',
      events_lost: fastDelivery.lost + returningDeliveries.reduce((total, delivery) => total + delivery.lost, 0),
      duplicates: fastDelivery.duplicates + returningDeliveries.reduce((total, delivery) => total + delivery.duplicates, 0),
      rss_delta_mb: rssDeltaMb,
      heap_delta_mb: heapDeltaMb,
      retained_delta_mb: retainedDeltaMb,
    });

    expect(cutMs).not.toBe('never');
    expect(disconnected).toBe(SLOW_CLIENTS);
    expect(fastCaughtUp).toBe(true);
    expect(returningCaughtUp).toEqual(returning.map(() => true));
    expect(slow.map((client) => client.protocolError)).toEqual(slow.map(() => undefined));
    expect(slowGaps).toBe(0);
    expect(fastDelivery).toEqual({ lost: 0, duplicates: 0, outOfOrder: 0 });
    expect(returningDeliveries).toEqual(returning.map(() => ({ lost: 0, duplicates: 0, outOfOrder: 0 })));
    expect(retainedDeltaMb).toBeLessThan(ABSURD_GROWTH_MB);
  }, 180_000);
});

/** Whether the stream got as far as `id` within the time (the report says how far otherwise). */
function reached(stream: ReconnectingStream, id: number, timeoutMs = 30_000): Promise<boolean> {
  return stream.waitForId(id, timeoutMs).then(
    () => true,
    () => false,
  );
}

/** The ids a cut client read are the first ones of the burst, in order, with no gap. */
function isPrefixOf(ids: readonly number[], expected: readonly number[]): boolean {
  return ids.every((id, index) => id === expected[index]);
}
