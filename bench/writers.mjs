// Concurrent writers for `npm run bench`, run in a worker thread so that the load's own HTTP or
// pg client does not take CPU from the thread that serves the requests (as autocannon for reads).
import http from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';

/** What an audited one-field PUT amounts to in SQL: BEGIN; UPDATE; INSERT the audit row; COMMIT. */
export async function rawTransaction(client, profileId, value) {
  await client.query('BEGIN');
  await client.query('UPDATE config_ai_infra SET llm_max_tokens = $1 WHERE profile_id = $2', [value, profileId]);
  await client.query(
    `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by, changes) VALUES ($1, 'bench', 'ai_infra', 'update', 'bench', $2)`,
    [profileId, { llm_max_tokens: { old: 0, new: value } }],
  );
  await client.query('COMMIT');
}

/**
 * `total` writes shared by one writer per profile, from a worker thread: `kind` "put" sends
 * `PUT /api/config/ai-infra/{id}` to `base`, "raw" runs rawTransaction on a pg connection of its
 * own to `url`. Resolves to every write's latency (ms) and the seconds the whole took.
 */
export function writeInWorker(options) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: options });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/**
 * A PUT through node:http with a keep-alive agent: the lean client, as pg is for the baseline
 * (fetch spent 1.5 ms of CPU per PUT on this 2-core machine, CPU the service and PostgreSQL share).
 */
function put(agent, url, token, value) {
  const payload = JSON.stringify(value);
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'PUT',
      agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    request.once('error', reject);
    request.once('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.once('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString() }));
      response.once('error', reject);
    });
    request.end(payload);
  });
}

async function write({ kind, base, url, token, profileIds, total }) {
  const clients = new Map();
  const agent = new http.Agent({ keepAlive: true, maxSockets: profileIds.length });
  if (kind === 'raw') {
    for (const profileId of profileIds) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.set(profileId, client);
    }
  }
  const job = async (profileId, i) => {
    if (kind === 'raw') return rawTransaction(clients.get(profileId), profileId, 7000 + i);
    const { status, body } = await put(agent, `${base}/api/config/ai-infra/${profileId}`, token, { llm_max_tokens: 6000 + i });
    if (status !== 200) throw new Error(`PUT answered ${status}: ${body}`);
  };
  let next = 0;
  const latencies = [];
  const start = performance.now();
  try {
    await Promise.all(
      profileIds.map(async (profileId) => {
        while (next < total) {
          const i = next++;
          const t = performance.now();
          await job(profileId, i);
          latencies.push(performance.now() - t);
        }
      }),
    );
  } finally {
    agent.destroy();
    for (const client of clients.values()) await client.end();
  }
  return { latencies, seconds: (performance.now() - start) / 1000 };
}

if (!isMainThread) parentPort.postMessage(await write(workerData));
