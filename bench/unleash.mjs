// `npm run bench:unleash`: Switchboard's resolved configuration against the peer users would pick
// instead, Unleash's client API (GET /api/client/features, what its SDKs poll), on this machine in
// the same run: both in this process on one embedded PostgreSQL, a body of about the same size
// (12 flags with a gradual rollout: 4.6 KB; a profile's resolved configuration: 4.5 KB), each
// token stored in its database, autocannon from a worker thread, 200s and 304s, three rounds in
// turns, the median ratio. Unleash is not a dependency of Switchboard: it is installed on demand
// into .bench-peers/ (see below), so `npm ci` stays as it is. Printed, never asserted.
import { chmod, mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { MIGRATIONS } from '../dist/migrations/index.js';
import { createApp } from '../dist/server/src/app.factory.js';
import { loadAuthConfig } from '../dist/server/src/auth/auth.config.js';
import { buildDataSourceOptions } from '../dist/server/src/common/database/database-options.js';
import { anyFreePort, startEmbeddedPostgres } from '../dist/server/src/common/database/embedded-postgres.js';
import { runPendingMigrations } from '../dist/server/src/common/database/migrations.js';
import { ENTITIES } from '../dist/server/src/entities.js';

const UNLEASH_VERSION = '8.2.0';
const PEERS = fileURLToPath(new URL('../.bench-peers/', import.meta.url));
const FLAGS = 12;
const ROUNDS = 3;
const SECONDS = 5;
const CONNECTIONS = 50;
const ADMIN = 'sb_benchmark-admin-token-not-a-secret';
const UNLEASH_ADMIN = '*:*.bench-admin-token';
const UNLEASH_CLIENT = '*:development.bench-client-token';

const log = (line) => process.stdout.write(`${line}\n`);

async function main() {
  const started = performance.now();
  const startUnleash = await loadUnleash();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-unleash-'));
  await chmod(dataDir, 0o755);
  log('[1/4] starting an embedded PostgreSQL, Switchboard and Unleash on it');
  const database = await startEmbeddedPostgres({ dataDir, preferredPort: await anyFreePort(), database: 'switchboard', log: () => {}, logServerMessages: false });
  let app;
  let unleash;
  try {
    await runPendingMigrations(buildDataSourceOptions(database.url, ENTITIES, MIGRATIONS), () => {});
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('CREATE DATABASE unleash');
    await client.end();
    const switchboard = await startSwitchboard(database.url);
    app = switchboard.app;
    unleash = await startUnleash(database.url);

    log(`[2/4] ${FLAGS} Unleash flags with a gradual rollout, enabled in development`);
    await createFlags(unleash.base);
    const targets = {
      unleash: { url: `${unleash.base}/api/client/features`, headers: { authorization: UNLEASH_CLIENT } },
      switchboard: { url: switchboard.resolvedUrl, headers: { authorization: `Bearer ${switchboard.agentToken}` } },
    };
    for (const [name, target] of Object.entries(targets)) {
      const response = await fetch(target.url, { headers: { ...target.headers, 'accept-encoding': 'identity' } });
      const bytes = (await response.arrayBuffer()).byteLength;
      target.etag = response.headers.get('etag');
      if (response.status !== 200 || !target.etag) throw new Error(`${name} answered ${response.status} without an ETag`);
      log(`      ${name}: ${bytes} bytes, ETag ${target.etag}`);
      await autocannon({ url: target.url, headers: target.headers, connections: CONNECTIONS, duration: 1, workers: 1 }); // warm-up
    }

    log(`[3/4] ${ROUNDS} rounds in turns, ${SECONDS} s each, ${CONNECTIONS} connections (autocannon in a worker thread)`);
    const ratios = { ok: [], notModified: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const figures = {};
      for (const [kind, conditional] of [['ok', false], ['notModified', true]]) {
        for (const [name, target] of Object.entries(targets)) {
          figures[`${name} ${kind}`] = await rate(target.url, conditional ? { ...target.headers, 'if-none-match': target.etag } : target.headers, conditional ? 304 : 200);
        }
        ratios[kind].push(figures[`switchboard ${kind}`].perSecond / figures[`unleash ${kind}`].perSecond);
      }
      const figure = (key) => `${figures[key].perSecond.toFixed(0)}${figures[key].share < 1 ? ` (${(figures[key].share * 100).toFixed(0)} % of them ${key.endsWith('ok') ? 200 : 304})` : ''}`;
      log(
        `      round ${round + 1}: 200 Switchboard ${figure('switchboard ok')} req/s, Unleash ${figure('unleash ok')}; ` +
          `304 Switchboard ${figure('switchboard notModified')}, Unleash ${figure('unleash notModified')}`,
      );
    }
    const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
    log('[4/4] stopping');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log(
      `bench:unleash: resolved with an agent token serves ${median(ratios.ok).toFixed(1)}x the requests per second of Unleash ${UNLEASH_VERSION}'s client API ` +
        `(304: ${median(ratios.notModified).toFixed(1)}x; rounds ${ratios.ok.map((r) => r.toFixed(1)).join(', ')} / ${ratios.notModified.map((r) => r.toFixed(1)).join(', ')}); ${seconds} s`,
    );
  } finally {
    await app?.close();
    await unleash?.stop();
    await database.stop();
  }
}

/** unleash-server from .bench-peers/, or a message saying how to put it there. */
async function loadUnleash() {
  let entry;
  try {
    entry = createRequire(PEERS).resolve('unleash-server');
  } catch {
    log(`Unleash is not installed for this comparison. Once: npm install --prefix .bench-peers --no-save unleash-server@${UNLEASH_VERSION}`);
    process.exit(1);
  }
  const { start } = await import(pathToFileURL(entry).href);
  return async (url) => {
    const { hostname, port, username, password } = new URL(url);
    // Unleash reads its initial tokens and its rate limits from the environment when it starts. Its
    // SDK API allows 20,000 requests a minute by default: lifted, as Switchboard's reads have none.
    process.env.INIT_ADMIN_API_TOKENS = UNLEASH_ADMIN;
    process.env.INIT_CLIENT_API_TOKENS = UNLEASH_CLIENT;
    process.env.SDK_API_RATE_LIMIT_PER_MINUTE = String(1e9);
    process.env.TOKEN_AUTHENTICATION_RATE_LIMIT_PER_MINUTE = String(1e9);
    const quiet = { debug() {}, info() {}, warn() {}, error: (...args) => console.error(...args), fatal: (...args) => console.error(...args) };
    const unleashPort = await anyFreePort();
    const instance = await start({
      db: { user: decodeURIComponent(username), password: decodeURIComponent(password), host: hostname, port: Number(port), database: 'unleash', ssl: false },
      server: { port: unleashPort, host: '127.0.0.1' },
      getLogger: () => quiet,
    });
    return { base: `http://127.0.0.1:${unleashPort}`, stop: () => instance.stop() };
  };
}

async function startSwitchboard(url) {
  const app = await createApp({ databaseUrl: url, logger: ['error'], auth: { ...loadAuthConfig({}), adminToken: ADMIN, writeLimit: 1_000_000 }, consoleDir: null });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const profile = await (await fetch(`${base}/api/config/profiles/default`, { headers })).json();
  const token = await (await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench-agent', role: 'agent' }) })).json();
  return { app, resolvedUrl: `${base}/api/config/resolved?profile_id=${profile.id}`, agentToken: token.token };
}

async function createFlags(base) {
  const headers = { authorization: UNLEASH_ADMIN, 'content-type': 'application/json' };
  const post = async (path, body) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: body && JSON.stringify(body) });
    if (!response.ok) throw new Error(`Unleash ${path}: ${response.status} ${await response.text()}`);
  };
  for (let i = 0; i < FLAGS; i++) {
    const name = `agent.flag-${i}`;
    await post('/api/admin/projects/default/features', { name, description: 'A flag an agent reads on every call, with a gradual rollout.' });
    await post(`/api/admin/projects/default/features/${name}/environments/development/strategies`, {
      name: 'flexibleRollout',
      parameters: { rollout: '50', stickiness: 'default', groupId: name },
    });
    await post(`/api/admin/projects/default/features/${name}/environments/development/on`);
  }
}

/** Requests per second, every answer a success; how many were the expected status (Unleash answers some revalidations 200). */
async function rate(url, headers, expected) {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: SECONDS, workers: 1 });
  if (result.errors || result.timeouts || result['4xx'] || result['5xx']) {
    throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result['4xx']} 4xx, ${result['5xx']} 5xx`);
  }
  const right = expected === 200 ? result['2xx'] : result['3xx'];
  return { perSecond: result.requests.average, share: right / result.requests.total };
}

await main();
process.exit(0); // Unleash leaves timers behind
