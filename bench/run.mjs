// Benchmarks of the paths agents depend on, each against a baseline measured in the same run:
//   1. reading configuration: GET /api/config/resolved (served from the instance's cache) against
//      GET /api/config/profiles/{id} (the same data read from PostgreSQL on every request), and,
//      called with a database-stored agent token as agents call it, against a bare node:http
//      server replaying the same answers (status, headers, body) to the same client;
//      GET /api/prompts/{name} (a registry prompt, read from the database) against resolved;
//   2. propagation: how long after a write is sent to instance A its event reaches instance B's
//      stream and B's resolved configuration, against the write's own round trip on A;
//   3. writes: an audited one-field PUT of ai-infra against the raw transaction it amounts to
//      (BEGIN; UPDATE; INSERT the audit row; COMMIT) sent through pg at the same pace, and a PUT of
//      a registered domain (examples/domains/gateway_router.json, JSON Schema) against ai-infra;
//      then 8 writers on 8 profiles at once (the client in a worker thread), with and without the
//      lock that makes history entries commit in id order, against the raw transactions likewise,
//      and against the service in its own process, with the PUT's own statements sent through pg
//      to show the database's part; throughput ratios are the median of three rounds in turns;
//   4. history pages at 1,000,000 entries against their SQL; 5. the service's resident memory.
// The figures go to stdout and to docs/benchmarks.md.
// Everything runs on 127.0.0.1: an embedded PostgreSQL in a temporary folder and two instances of
// the compiled app (`npm run bench` builds it first), in this one process with the client, so the
// figures compare paths rather than measure a deployment. They are printed, never asserted.
import { mkdtemp, readFile, rm, chmod, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { MIGRATIONS } from '../dist/migrations/index.js';
import { createApp } from '../dist/server/src/app.factory.js';
import { loadAuthConfig } from '../dist/server/src/auth/auth.config.js';
import { buildDataSourceOptions } from '../dist/server/src/common/database/database-options.js';
import { anyFreePort, startEmbeddedPostgres } from '../dist/server/src/common/database/embedded-postgres.js';
import { runPendingMigrations } from '../dist/server/src/common/database/migrations.js';
import { ENTITIES } from '../dist/server/src/entities.js';
import { rawTransaction, writeInWorker } from './writers.mjs';

const READS = Number(process.env.BENCH_READS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WRITES = Number(process.env.BENCH_WRITES ?? 100);
const TOKEN = 'sb_benchmark-admin-token-not-a-secret';
const AUTH = { authorization: `Bearer ${TOKEN}` };

const log = (line) => process.stdout.write(`${line}\n`);
/** Every table printed, for docs/benchmarks.md. */
const report = [];

async function main() {
  const started = performance.now();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-'));
  await chmod(dataDir, 0o755);
  log('[1/10] starting an embedded PostgreSQL');
  const database = await startEmbeddedPostgres({ dataDir, preferredPort: await anyFreePort(), database: 'switchboard', log: () => {}, logServerMessages: false });
  const apps = [];
  try {
    log('[2/10] applying migrations');
    await runPendingMigrations(buildDataSourceOptions(database.url, ENTITIES, MIGRATIONS), () => {});
    log('[3/10] starting two instances on the same database');
    const auth = { ...loadAuthConfig({}), adminToken: TOKEN, writeLimit: 1_000_000 };
    for (let i = 0; i < 2; i++) {
      const app = await createApp({ databaseUrl: database.url, logger: ['error'], auth, consoleDir: null });
      await app.listen({ port: 0, host: '127.0.0.1' });
      apps.push({ app, base: `http://127.0.0.1:${app.getHttpServer().address().port}` });
    }
    const [a, b] = apps;
    const profileId = (await json(`${a.base}/api/config/profiles/default`)).id;

    log(`[4/10] reads: ${READS} requests per path, ${CONCURRENCY} at a time`);
    const baseline = await load(`${a.base}/api/config/profiles/${profileId}`, {});
    const etag = (await fetch(`${a.base}/api/config/resolved?profile_id=${profileId}`, { headers: AUTH })).headers.get('etag');
    const cached = await load(`${a.base}/api/config/resolved?profile_id=${profileId}`, {});
    const revalidated = await load(`${a.base}/api/config/resolved?profile_id=${profileId}`, { 'if-none-match': etag }, 304);
    const prompt = await registryPrompt(a.base, profileId);
    const promptEtag = (await fetch(prompt, { headers: AUTH })).headers.get('etag');
    const agentPrompt = await load(prompt, {});
    const agentPromptRevalidated = await load(prompt, { 'if-none-match': promptEtag }, 304);
    table('Reads', [
      ['GET /profiles/{id} (database, baseline)', baseline],
      ['GET /resolved (cache)', cached],
      ['GET /resolved + If-None-Match (304)', revalidated],
      ['GET /api/prompts/{name} (database)', agentPrompt],
      ['GET /api/prompts/{name} + If-None-Match (304)', agentPromptRevalidated],
    ]);
    log(`      resolved serves ${(cached.perSecond / baseline.perSecond).toFixed(1)}x the baseline's requests per second`);
    ratios.promptVsResolved = agentPrompt.perSecond / cached.perSecond;
    log(`      a registry prompt for agents serves ${ratios.promptVsResolved.toFixed(2)}x resolved's requests per second (304: ${(agentPromptRevalidated.perSecond / revalidated.perSecond).toFixed(2)}x)`);

    log(`[5/10] resolved as agents call it (a token stored in the database) against a bare node:http server replaying its answers: autocannon in a worker thread, ${CANNON_CONNECTIONS} connections, ${CANNON_SECONDS} s each`);
    const agent = (await json(`${a.base}/api/auth/tokens`, { method: 'POST', body: JSON.stringify({ name: 'bench-agent', role: 'agent' }) })).token;
    const asAgent = { authorization: `Bearer ${agent}` };
    // Switchboard's own answers to autocannon's requests (no Accept-Encoding): what the bare server replays.
    const sample = await fetch(`${a.base}/api/config/resolved?profile_id=${profileId}`, { headers: { ...asAgent, 'accept-encoding': 'identity' } });
    const body = Buffer.from(await sample.arrayBuffer());
    const notModified = await fetch(`${a.base}/api/config/resolved?profile_id=${profileId}`, { headers: { ...asAgent, 'if-none-match': sample.headers.get('etag') } });
    const bare = await startBareServer({ headers: sample.headers, body }, { headers: notModified.headers });
    try {
      const path = `/api/config/resolved?profile_id=${profileId}`;
      const revalidating = { ...asAgent, 'if-none-match': bare.etag };
      const ok = await inTurns(
        (round) => cannon(bare.base + path, asAgent, 200, round === 0),
        (round) => cannon(a.base + path, asAgent, 200, round === 0),
      );
      const notModified = await inTurns(
        (round) => cannon(bare.base + path, revalidating, 304, round === 0),
        (round) => cannon(a.base + path, revalidating, 304, round === 0),
      );
      table(`Resolved with a database-stored token (autocannon: whole milliseconds, p97.5 in the p95 column; the median of ${ROUNDS} runs in turns)`, [
        ['bare node:http, same answer (baseline)', ok.baseline],
        ['GET /resolved, agent token', ok.subject],
        ['bare node:http 304 (baseline)', notModified.baseline],
        ['GET /resolved 304, agent token', notModified.subject],
      ]);
      ratios.resolvedVsBare = ok.ratio;
      ratios.notModifiedVsBare = notModified.ratio;
      log(`      resolved: ${pct(ok.ratio)} of the bare server's requests per second (rounds: ${ok.ratios.map(pct).join(', ')}); 304: ${pct(notModified.ratio)} (${notModified.ratios.map(pct).join(', ')})`);
    } finally {
      await bare.close();
    }

    log(`[6/10] propagation: ${WRITES} writes on instance A, observed on instance B`);
    const propagation = await propagate(a.base, b.base, profileId);
    table('Propagation to another instance', [
      ['PUT on A: sent to answered (baseline)', propagation.write],
      ["PUT on A sent to B's stream event", propagation.stream],
      ["PUT on A sent to B's resolved showing it", propagation.resolved],
      ['change to applied on every instance (recorded)', propagation.applied],
    ]);
    ratios.appliedVsPut = propagation.applied.p50 / propagation.write.p50;
    log(`      every instance applied a change p50 ${ms(propagation.applied.p50)}, p99 ${ms(propagation.applied.p99)} after it: ${ratios.appliedVsPut.toFixed(2)}x the PUT's own round trip (p50 ${ms(propagation.write.p50)})`);

    log(`[7/10] writes: ${WRITES} one-field PUTs each, one at a time`);
    const router = JSON.parse(await readFile(new URL('../examples/domains/gateway_router.json', import.meta.url), 'utf8'));
    await json(`${a.base}/api/config/domains`, { method: 'POST', body: JSON.stringify(router) });
    const raw = await rawTransactions(database.url, profileId);
    const builtIn = await writes((i) => [`${a.base}/api/config/ai-infra/${profileId}`, { llm_max_tokens: 2000 + i }]);
    const custom = await writes((i) => [`${a.base}/api/config/domains/gateway_router/profiles/${profileId}`, { values: { max_retries: i % 10 } }]);
    table('Writes, one at a time', [
      ['raw BEGIN; UPDATE; INSERT; COMMIT (baseline)', raw],
      ['PUT /ai-infra/{id} (built-in)', builtIn],
      ['PUT /domains/{name}/profiles/{id} (schema)', custom],
    ]);
    ratios.putVsRaw = builtIn.perSecond / raw.perSecond;
    log(`      an audited PUT runs at ${ratios.putVsRaw.toFixed(2)}x the raw transactions' rate`);

    log(`[8/10] writes: ${WRITERS} writers on ${WRITERS} profiles at once, ${CONCURRENT_WRITES} PUTs, with and without the lock that makes history entries commit in id order`);
    const writerProfiles = [];
    for (let i = 0; i < WRITERS; i++) writerProfiles.push((await json(`${a.base}/api/config/profiles`, { method: 'POST', body: JSON.stringify({ name: `Writer ${i}` }) })).id);
    const concurrent = {};
    for (const lock of ['with', 'without']) {
      await setCommitOrderLock(database.url, lock === 'with');
      const runs = await inTurns(
        () => concurrentWrites('raw', { url: database.url, profileIds: writerProfiles }),
        () => concurrentWrites('put', { base: a.base, profileIds: writerProfiles }),
      );
      concurrent[`raw ${lock}`] = runs.baseline;
      concurrent[`put ${lock}`] = runs.subject;
      concurrent[`ratio ${lock}`] = runs.ratio;
    }
    await setCommitOrderLock(database.url, true);
    table(`Writes, ${WRITERS} at once on ${WRITERS} profiles`, [
      ['raw transactions, commit-order lock (baseline)', concurrent['raw with']],
      ['PUT /ai-infra/{id}, commit-order lock', concurrent['put with']],
      ['raw transactions, no commit-order lock', concurrent['raw without']],
      ['PUT /ai-infra/{id}, no commit-order lock', concurrent['put without']],
    ]);
    ratios.concurrentPutVsRaw = concurrent['ratio with'];
    ratios.commitOrderLockCost = 1 - concurrent['put with'].perSecond / concurrent['put without'].perSecond;
    log(`      ${WRITERS} writers: PUT at ${ratios.concurrentPutVsRaw.toFixed(2)}x the raw rate; the commit-order lock costs ${pct(ratios.commitOrderLockCost)} of the PUTs' rate`);

    log(`[9/10] history at ${HISTORY_ROWS.toLocaleString('en')} entries (${(HISTORY_ROWS / 10).toLocaleString('en')} of them a burst on one profile): ${HISTORY_PAGES} pages per listing, one at a time`);
    const history = await historyPages(a, database.url, profileId);
    table(`History at ${HISTORY_ROWS.toLocaleString('en')} entries`, history.rows);
    ratios.historyP95 = Math.max(...history.rows.filter(([name]) => !name.includes('SQL')).map(([, r]) => r.p95));
    log(`      slowest listing p95 ${ms(ratios.historyP95)}`);

    log(`[10/10] memory: the compiled service started as its own process on the same database; RSS 5 s and 15 s after it listens, under ${CANNON_SECONDS} s of reads and ${WRITES} writes, and after ${IDLE_SECONDS} s idle`);
    // The two in-process instances would hear every write of the service and refresh their caches from this thread: stop them first.
    for (const { app } of apps.splice(0)) await app.close();
    const memory = await serviceMemory(database.url, profileId, writerProfiles);
    ratios.rss = memory;
    log(`      RSS ${mib(memory.started5)} 5 s after start, ${mib(memory.started15)} at 15 s, ${mib(memory.loaded)} under load, ${mib(memory.idle)} after ${IDLE_SECONDS} s idle (PostgreSQL aside)`);
    table(`Writes, ${WRITERS} at once on ${WRITERS} profiles, the service in its own process as deployed (commit-order lock)`, [
      ['raw transactions (baseline)', memory.raw],
      ['PUT /ai-infra/{id}', memory.put],
      ["the PUT's five statements through pg, no HTTP", memory.statements],
    ]);
    ratios.deployedPutVsRaw = memory.ratio;
    log(`      ${WRITERS} writers against the service in its own process: PUT at ${memory.ratio.toFixed(2)}x the raw rate (rounds: ${memory.ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`);
    log(`      the PUT's own statements sent through pg run at ${memory.statementsRatio.toFixed(2)}x the raw rate: the database's part of the gap`);
    log(`      CPU per write: ${cpuLine(memory.put.cpu)} for a PUT; ${cpuLine(memory.raw.cpu)} for a raw transaction`);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log(
      `bench: resolved p50 ${ms(cached.p50)} vs database ${ms(baseline.p50)} (${(cached.perSecond / baseline.perSecond).toFixed(1)}x throughput); ` +
        `change reaches the other instance's stream in p50 ${ms(propagation.stream.p50)}, p95 ${ms(propagation.stream.p95)}, applied on every instance p50 ${ms(propagation.applied.p50)} p99 ${ms(propagation.applied.p99)} (${ratios.appliedVsPut.toFixed(2)}x the PUT round trip); ` +
        `registered-domain PUT p50 ${ms(custom.p50)} vs ai-infra ${ms(builtIn.p50)} (${(custom.perSecond / builtIn.perSecond).toFixed(2)}x throughput); ` +
        `agent-token resolved ${pct(ratios.resolvedVsBare)} of bare node:http (304: ${pct(ratios.notModifiedVsBare)}); PUT ${ratios.putVsRaw.toFixed(2)}x raw pg (${WRITERS} writers: ${ratios.deployedPutVsRaw.toFixed(2)}x against the service in its own process, ${ratios.concurrentPutVsRaw.toFixed(2)}x in this one; commit-order lock ${pct(ratios.commitOrderLockCost)}); ` +
        `history p95 ${ms(ratios.historyP95)} at ${HISTORY_ROWS.toLocaleString('en')} entries; RSS 5 s after start ${mib(ratios.rss.started5)} (15 s: ${mib(ratios.rss.started15)}), after load and idle ${mib(ratios.rss.idle)}; ${seconds} s`,
    );
    await writeReport(seconds, memory);
  } finally {
    for (const { app } of apps) await app.close();
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const HISTORY_ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 1_000_000);
const HISTORY_PAGES = Number(process.env.BENCH_HISTORY_PAGES ?? 200);

/**
 * Seeds the history to HISTORY_ROWS entries over a year and eight profiles, a tenth of them a
 * recent burst on one profile, then reads first pages of the listings the console uses, against
 * the same SQL sent straight to PostgreSQL (the baseline: what the route adds).
 */
async function historyPages(app, url, profileId) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < 7; i++) await json(`${app.base}/api/config/profiles`, { method: 'POST', body: JSON.stringify({ name: `History ${i}` }) });
    const ids = (await client.query('SELECT id FROM config_profiles ORDER BY id')).rows.map((row) => row.id);
    const burst = Math.floor(HISTORY_ROWS / 10);
    // Seeded rows are history, not news: no change notifications for them (the triggers stay off in this session only).
    await client.query(`SET session_replication_role = replica`);
    await client.query(
      `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by, changes, "timestamp")
       SELECT CASE WHEN n <= $2 THEN $3 ELSE ids[1 + n % cardinality(ids)] END, 'bench',
              CASE WHEN n <= $2 THEN 'ai_infra' ELSE (ARRAY['profile', 'ai_infra', 'genie', 'mlflow', 'prompts'])[1 + n % 5] END,
              'update', 'user' || n % 40, '{"llm_max_tokens": {"old": 1, "new": 2}}',
              now() - make_interval(secs => CASE WHEN n <= $2 THEN n ELSE n * 30 END)
         FROM generate_series(1, $1::int) AS n, (SELECT array_agg(id) AS ids FROM config_profiles) AS p`,
      [HISTORY_ROWS, burst, profileId],
    );
    await client.query(`SET session_replication_role = DEFAULT`);
    // As autovacuum leaves a table that grew over months: visibility map and hint bits set, statistics fresh.
    await client.query('VACUUM (ANALYZE) config_history');
    const listings = [
      ['one profile', `/api/config/history/${profileId}?limit=50`],
      ['one profile, a domain it rarely changes', `/api/config/history/${profileId}?domain=mlflow&limit=50`],
      ['one domain, every profile', `/api/config/history?domain=genie&limit=50`],
      ['everything', `/api/config/history?limit=50`],
    ];
    const rows = [];
    for (const [name, path] of listings) {
      const latencies = [];
      // Warm-up, not measured, as for every other path: the first pages compile the listing's code.
      for (let i = 0; i < 20; i++) await (await fetch(app.base + path, { headers: AUTH })).arrayBuffer();
      for (let i = 0; i < HISTORY_PAGES; i++) {
        const t = performance.now();
        const response = await fetch(app.base + path, { headers: AUTH });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
        latencies.push(performance.now() - t);
      }
      rows.push([`GET ${name}`, percentiles(latencies)]);
    }
    const sqlLatencies = [];
    for (let i = 0; i < HISTORY_PAGES; i++) {
      const t = performance.now();
      await client.query(
        `SELECT id, profile_id, profile_name, domain, action, subject, changed_by, changes, "timestamp", request_id FROM config_history
          WHERE profile_id = $1 AND domain = 'mlflow' ORDER BY "timestamp" DESC, id DESC LIMIT 51`,
        [profileId],
      );
      sqlLatencies.push(performance.now() - t);
    }
    rows.push(['SQL: one profile, rare domain (baseline)', percentiles(sqlLatencies)]);
    return { rows };
  } finally {
    await client.end();
  }
}

const CANNON_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CANNON_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** autocannon from a worker thread (the servers keep this one): latency percentiles, throughput, and every answer checked. */
async function cannon(url, headers, expected, warmUp = true) {
  if (warmUp) await autocannon({ url, headers, connections: CANNON_CONNECTIONS, duration: 1, workers: 1 });
  const result = await autocannon({ url, headers, connections: CANNON_CONNECTIONS, duration: CANNON_SECONDS, workers: 1, expectBody: undefined });
  const wrong = expected === 200 ? result['2xx'] !== result.requests.total - result.non2xx || result.non2xx > 0 : result['3xx'] === 0 || result['2xx'] > 0;
  if (result.errors || result.timeouts || wrong) throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, 2xx ${result['2xx']}, 3xx ${result['3xx']}, non-2xx ${result.non2xx}`);
  return { p50: result.latency.p50, p95: result.latency.p97_5, p99: result.latency.p99, perSecond: result.requests.average };
}

const ratios = {};
const pct = (ratio) => `${(ratio * 100).toFixed(0)} %`;

/**
 * Switchboard's answers replayed by node:http with nothing else to do: the same status, headers and
 * body (node adds Date and Connection to both; a new X-Request-Id each time, as Switchboard makes).
 */
async function startBareServer(ok, notModified) {
  const etag = ok.headers.get('etag');
  const replayed = (headers) => [...headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding', 'x-request-id'].includes(name)).flat();
  const okLines = replayed(ok.headers);
  const notModifiedLines = replayed(notModified.headers);
  const server = http.createServer((request, response) => {
    const fresh = request.headers['if-none-match'] === etag;
    response.writeHead(fresh ? 304 : 200, [...(fresh ? notModifiedLines : okLines), 'x-request-id', randomUUID()]);
    response.end(fresh ? undefined : ok.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, etag, close: () => new Promise((resolve) => server.close(resolve)) };
}

const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const CONCURRENT_WRITES = Number(process.env.BENCH_CONCURRENT_WRITES ?? 400);

/** The trigger that queues history inserts until the previous writer commits (migration ConfigChangeNotify). */
async function setCommitOrderLock(url, enabled) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`ALTER TABLE config_history ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER trg_config_history_commit_order`);
  await client.end();
}

/** A registry prompt with two versions and production on the first: the URL agents read it at. */
async function registryPrompt(base, profileId) {
  const prompts = `${base}/api/config/profiles/${profileId}/prompts`;
  const template = 'Extract the parameters of this log line as JSON: {line}\n'.repeat(40);
  await json(prompts, { method: 'POST', body: JSON.stringify({ name: 'analyze.parameters', variables: [{ name: 'line' }], template }) });
  await json(`${prompts}/analyze.parameters/versions`, { method: 'POST', body: JSON.stringify({ template: `${template}Answer briefly.` }) });
  await json(`${prompts}/analyze.parameters/labels/production`, { method: 'PUT', body: JSON.stringify({ version: 1 }) });
  return `${base}/api/prompts/analyze.parameters?profile_id=${profileId}`;
}

/** WRITERS writers on as many profiles, from a worker thread (bench/writers.mjs). */
async function concurrentWrites(kind, options) {
  const { latencies, seconds } = await writeInWorker({ kind, token: TOKEN, total: CONCURRENT_WRITES, ...options });
  return { ...percentiles(latencies), perSecond: CONCURRENT_WRITES / seconds };
}

/** What an audited one-field PUT amounts to in SQL, sent through pg one at a time: the writes' baseline. */
async function rawTransactions(url, profileId) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const latencies = [];
  try {
    const start = performance.now();
    for (let i = 0; i < WRITES; i++) {
      const t = performance.now();
      await rawTransaction(client, profileId, 3000 + i);
      latencies.push(performance.now() - t);
    }
    return { ...percentiles(latencies), perSecond: (WRITES / (performance.now() - start)) * 1000 };
  } finally {
    await client.end();
  }
}

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const mib = (value) => `${value.toFixed(0)} MiB`;

/**
 * The compiled service as `npm run start:prod` runs it (the same Node flags), on the bench's
 * database: its resident memory idle after start (5 s and 15 s), then 8 writers against it with
 * the raw transactions as their baseline (a deployment's shape: the service has its thread to
 * itself, not shared with a second instance and the benchmark as in step 8), under load, and
 * after a spell of idleness, when it should be back near the start's figure.
 */
async function serviceMemory(url, profileId, writerProfiles) {
  const port = await anyFreePort();
  const child = spawn(process.execPath, [...(await startFlags()), fileURLToPath(new URL('../dist/server/src/main.js', import.meta.url))], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', SWITCHBOARD_ADMIN_TOKEN: TOKEN, SWITCHBOARD_WRITE_RATE_LIMIT: '1000000', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const rss = async () => Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
  try {
    await new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`the service did not start: ${output.slice(-500)}`)), 60_000);
      const read = (chunk) => {
        output += chunk;
        if (!/Listening on/.test(output)) return;
        clearTimeout(timer);
        // From here on its log lines (one per request) are read and dropped: kept, this process would
        // search an ever longer string for every chunk, taking CPU from the service it measures.
        child.stdout.off('data', read);
        child.stdout.resume();
        resolve();
      };
      child.stdout.on('data', read);
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('exit', (code) => reject(new Error(`the service exited with ${code}: ${output.slice(-500)}`)));
    });
    await sleep(5000);
    const started5 = await rss();
    await sleep(10_000);
    const started15 = await rss();
    const base = `http://127.0.0.1:${port}`;
    // Warm-up, not measured: a process a few seconds old spends its first writes compiling them (on V8's background threads, in its CPU time).
    await concurrentWrites('put', { base, profileIds: writerProfiles });
    const cpu = { raw: [], put: [] };
    const measured = (kind, options) => async () => {
      const before = await cpuTimes(child.pid);
      const result = await concurrentWrites(kind, options);
      cpu[kind].push(cpuPerWrite(before, await cpuTimes(child.pid)));
      return result;
    };
    const { baseline: raw, subject: put, ratio, ratios } = await inTurns(measured('raw', { url, profileIds: writerProfiles }), measured('put', { base, profileIds: writerProfiles }));
    raw.cpu = medianCpu(cpu.raw);
    put.cpu = medianCpu(cpu.put);
    // The PUT's own statements through pg, against the raw transactions again: the database's part of the gap.
    const statements = await inTurns(
      () => concurrentWrites('raw', { url, profileIds: writerProfiles }),
      () => concurrentWrites('statements', { url, profileIds: writerProfiles }),
    );
    await Promise.all([
      cannon(`${base}/api/config/resolved?profile_id=${profileId}`, AUTH, 200),
      writes((i) => [`${base}/api/config/ai-infra/${profileId}`, { llm_max_tokens: 5000 + i }]),
    ]);
    const loaded = await rss();
    await sleep(IDLE_SECONDS * 1000);
    return { started5, started15, loaded, idle: await rss(), raw, put, ratio, ratios, statements: statements.subject, statementsRatio: statements.ratio };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/**
 * CPU time used so far (ms): by the whole machine (every process: PostgreSQL, the service, the
 * benchmark's writers, and anything else running), by the service's process, and by this one.
 */
async function cpuTimes(pid) {
  const jiffies = 1000 / 100; // USER_HZ
  const [, ...machine] = (await readFile('/proc/stat', 'utf8')).split('\n')[0].trim().split(/\s+/).map(Number);
  const [idle, iowait] = [machine[3], machine[4]];
  const service = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  const own = process.cpuUsage();
  return {
    machine: (machine.reduce((sum, value) => sum + value, 0) - idle - iowait) * jiffies,
    service: (Number(service[11]) + Number(service[12])) * jiffies,
    bench: (own.user + own.system) / 1000,
  };
}

/** The run whose machine CPU per write is the median of the rounds'. */
function medianCpu(runs) {
  return [...runs].sort((x, y) => x.machine - y.machine)[Math.floor(runs.length / 2)];
}

/** CPU milliseconds per write between two cpuTimes: the machine's, the service's, the writers', and the rest (PostgreSQL, mostly). */
function cpuPerWrite(before, after) {
  const per = (key) => (after[key] - before[key]) / CONCURRENT_WRITES;
  return { machine: per('machine'), service: per('service'), bench: per('bench'), rest: per('machine') - per('service') - per('bench') };
}

/** The Node flags of package.json's start:prod (`node <flags> dist/server/src/main.js`). */
async function startFlags() {
  const { scripts } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  return scripts['start:prod'].split(' ').filter((word) => word.startsWith('--'));
}

async function writeReport(seconds, memory) {
  const cpus = os.cpus();
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
      `an embedded PostgreSQL and two instances in one process with the client (${READS} reads per path, ${CONCURRENCY} at a time; ${WRITES} writes). ` +
      `Each figure is compared with a baseline measured in the same run; throughput ratios (resolved against the bare server, 8 writers against the raw transactions) are the median of ${ROUNDS} rounds, figure and baseline in turns. None is asserted by a test.`,
    '',
    ...report.flatMap(({ title, rows }) => [
      `## ${title}`,
      '',
      '| path | p50 | p95 | p99 | req/s |',
      '|---|---|---|---|---|',
      ...rows.map(([name, r]) => `| ${name} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.perSecond ? r.perSecond.toFixed(0) : '-'} |`),
      '',
    ]),
    '## Ratios',
    '',
    `- resolved with an agent token: ${pct(ratios.resolvedVsBare)} of a bare node:http server replaying the same answers; 304: ${pct(ratios.notModifiedVsBare)}`,
    `- a registry prompt for agents (GET /api/prompts/{name}, read from the database): ${ratios.promptVsResolved.toFixed(2)}x resolved's requests per second`,
    `- audited one-field PUT: ${ratios.putVsRaw.toFixed(2)}x the rate of the raw transaction it amounts to, one at a time; ` +
      `with ${WRITERS} writers on ${WRITERS} profiles ${ratios.deployedPutVsRaw.toFixed(2)}x against the service in its own process, as deployed ` +
      `(${ratios.concurrentPutVsRaw.toFixed(2)}x against an instance sharing its thread with a second one and the benchmark), where the commit-order lock costs ${pct(ratios.commitOrderLockCost)} of the PUTs' rate; ` +
      `the PUT's own five statements sent through pg, without HTTP or the service, run at ${memory.statementsRatio.toFixed(2)}x the raw rate`,
    `- CPU per write with ${WRITERS} writers, all processes on this machine's ${os.cpus().length} cores together: ${cpuLine(memory.put.cpu)} for a PUT; ` +
      `${cpuLine(memory.raw.cpu)} for a raw transaction. The cores are the bound: the PUT's rate is at most ${(memory.raw.cpu.machine / memory.put.cpu.machine).toFixed(2)}x the raw one's for that alone`,
    `- history at ${HISTORY_ROWS.toLocaleString('en')} entries: the slowest first page p95 ${ms(ratios.historyP95)}`,
    `- RSS of the service after it started listening: ${mib(memory.started5)} at 5 s, ${mib(memory.started15)} at 15 s; ${mib(memory.loaded)} after ` +
      `${CANNON_SECONDS} s of reads and ${WRITES} writes, ${mib(memory.idle)} after ${IDLE_SECONDS} s idle; total time ${seconds} s`,
    '',
  ];
  await writeFile(new URL('../docs/benchmarks.md', import.meta.url), lines.join('\n'));
}

function cpuLine(cpu) {
  return `${cpu.machine.toFixed(2)} ms (service ${cpu.service.toFixed(2)}, writers ${cpu.bench.toFixed(2)}, PostgreSQL and the rest ${cpu.rest.toFixed(2)})`;
}

async function json(url, init = {}) {
  const response = await fetch(url, { ...init, headers: { ...AUTH, 'content-type': 'application/json', ...init.headers } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** READS requests, CONCURRENCY at a time, after a warm-up; latency percentiles and throughput. */
async function load(url, headers, expected = 200) {
  const request = async () => {
    const response = await fetch(url, { headers: { ...AUTH, ...headers } });
    await response.arrayBuffer();
    if (response.status !== expected) throw new Error(`${url} answered ${response.status}, expected ${expected}`);
  };
  for (let i = 0; i < 100; i++) await request();
  const latencies = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < READS) {
        const t = performance.now();
        await request();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { ...percentiles(latencies), perSecond: (READS / (performance.now() - start)) * 1000 };
}

/** WRITES sequential PUTs, each changing one field; latency percentiles and throughput. */
async function writes(request) {
  const latencies = [];
  const start = performance.now();
  for (let i = 0; i < WRITES; i++) {
    const [url, body] = request(i);
    const t = performance.now();
    await json(url, { method: 'PUT', body: JSON.stringify(body) });
    latencies.push(performance.now() - t);
  }
  return { ...percentiles(latencies), perSecond: (WRITES / (performance.now() - start)) * 1000 };
}

async function propagate(aBase, bBase, profileId) {
  const events = [];
  const stream = await openStream(`${bBase}/api/config/stream?profile_id=${profileId}`, (id) => events.push({ id, at: performance.now() }));
  const write = [];
  const onStream = [];
  const onResolved = [];
  const applied = [];
  try {
    for (let i = 0; i < WRITES; i++) {
      const temperature = i % 2 ? 0.3 : 0.6;
      const seen = events.length; // B's event may arrive before A's answer does
      const t0 = performance.now();
      await json(`${aBase}/api/config/ai-infra/${profileId}`, { method: 'PUT', body: JSON.stringify({ llm_temperature: temperature, llm_max_tokens: 1000 + i }) });
      const answered = performance.now();
      write.push(answered - t0);
      while (events.length === seen) await sleep(0.2);
      onStream.push(events.at(-1).at - t0);
      while ((await json(`${bBase}/api/config/resolved?profile_id=${profileId}`)).ai_infra.llm_max_tokens !== 1000 + i) await sleep(0.2);
      onResolved.push(performance.now() - t0);
      // What the registry recorded: from the change (its transaction) to the last instance applying it.
      let delivery;
      while ((delivery = await json(`${aBase}/api/config/changes/${events.at(-1).id}/delivery`)).all_instances_after_ms === null) await sleep(1);
      applied.push(delivery.all_instances_after_ms);
    }
  } finally {
    stream.close();
  }
  return { write: percentiles(write), stream: percentiles(onStream), resolved: percentiles(onResolved), applied: percentiles(applied) };
}

async function openStream(url, onEvent) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: AUTH, signal: controller.signal });
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end; (end = buffer.indexOf('\n\n')) >= 0; buffer = buffer.slice(end + 2)) {
          const id = /^id: (\d+)$/m.exec(buffer.slice(0, end))?.[1];
          if (id) onEvent(Number(id));
        }
      }
    } catch {
      // closed
    }
  })();
  return { close: () => controller.abort() };
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * A figure and its baseline measured in turns, ROUNDS times (`run(round)` resolves to a row with
 * perSecond). One run of a few seconds swings by up to ±30 % on this machine, with whatever else
 * it is doing: the ratio is the median of the rounds' ratios, and each row is its median run.
 */
async function inTurns(baseline, subject) {
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const base = await baseline(round);
    const measured = await subject(round);
    rounds.push({ base, measured, ratio: measured.perSecond / base.perSecond });
  }
  const middle = (runs) => [...runs].sort((x, y) => x.perSecond - y.perSecond)[Math.floor(runs.length / 2)];
  const ratios = rounds.map((round) => round.ratio);
  return {
    baseline: middle(rounds.map((round) => round.base)),
    subject: middle(rounds.map((round) => round.measured)),
    ratio: [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)],
    ratios,
  };
}

function percentiles(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

function table(title, rows) {
  report.push({ title, rows });
  log(`      ${'path'.padEnd(42)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'p99'.padStart(9)} ${'req/s'.padStart(9)}`);
  for (const [name, r] of rows) {
    log(`      ${name.padEnd(42)} ${ms(r.p50).padStart(9)} ${ms(r.p95).padStart(9)} ${ms(r.p99).padStart(9)} ${(r.perSecond ? r.perSecond.toFixed(0) : '-').padStart(9)}`);
  }
}

const ms = (value) => `${value.toFixed(2)} ms`;
const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
