// Concurrent writers for `npm run bench`, run in a worker thread so that the load's own HTTP or
// pg client does not take CPU from the thread that serves the requests (as autocannon for reads).
import { randomUUID } from 'node:crypto';
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
 * The statements a one-field PUT of ai-infra sends, in its order (the write pipeline of
 * server/src/common/database/row-domain.ts, then the audit entry of history.listener.ts), sent
 * by the client itself: the PUT without HTTP, Nest or the service's JavaScript. Between the raw
 * transaction and the PUT, it shows how much of the gap is the database's work: one statement
 * more, the triggers, and the entry's snapshot of the profile.
 */
export async function putStatements(client, profileId, value) {
  await client.query('START TRANSACTION');
  const {
    rows: [row],
  } = await client.query(
    `SELECT p.name AS "profile name", EXISTS (SELECT FROM config_profiles c WHERE c.parent_profile_id = p.id) AS "has children", d.*
       FROM config_profiles p JOIN config_ai_infra d ON d.profile_id = p.id
      WHERE p.id = $1 FOR NO KEY UPDATE OF p FOR UPDATE OF d`,
    [profileId],
  );
  await client.query('UPDATE config_ai_infra SET "llm_max_tokens" = $1 WHERE id = $2 RETURNING *', [value, row.id]);
  await client.query(
    `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by, changes, snapshot, request_id, item)
     VALUES ($1, $2, 'ai_infra', 'update', 'bench', $3, fn_profile_detail($1)::jsonb, $4, NULL)
     RETURNING id`,
    [profileId, row['profile name'], { llm_max_tokens: { old: row.llm_max_tokens, new: value } }, randomUUID()],
  );
  await client.query('COMMIT');
}

/**
 * `total` writes shared by one writer per profile, from a worker thread: `kind` "put" sends
 * `PUT /api/config/ai-infra/{id}` to `base`, "raw" runs rawTransaction and "statements"
 * putStatements on a pg connection of its own to `url`. Resolves to every write's latency (ms) and the seconds the whole took.
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
  if (kind !== 'put') {
    for (const profileId of profileIds) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.set(profileId, client);
    }
  }
  const job = async (profileId, i) => {
    if (kind === 'raw') return rawTransaction(clients.get(profileId), profileId, 7000 + i);
    if (kind === 'statements') return putStatements(clients.get(profileId), profileId, 8000 + i);
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
