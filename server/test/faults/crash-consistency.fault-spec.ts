import { randomInt } from 'node:crypto';
import { anyFreePort } from '../../src/common/database/embedded-postgres.js';
import { eventually } from '../support/eventually.js';
import { type ServerProcess, spawnServer } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { inspectAfterCrash } from './support/crash-invariants.js';
import { CrashWorkload } from './support/crash-workload.js';
import { reportFaults, StatusTally } from './support/fault-report.js';

const ADMIN_TOKEN = 'sb_crash-consistency-admin-token-0123456789';
const LISTENING = /Listening on http:\/\/127\.0\.0\.1:\d+/;
const CYCLES = 3;
const CLIENTS = 8;
/** The kill comes after a random number of acknowledged writes in this range. */
const KILL_AFTER = [150, 400] as const;

interface RunningServer {
  process: ServerProcess;
  baseUrl: string;
}

async function startServer(databaseUrl: string): Promise<RunningServer> {
  const port = await anyFreePort();
  const process = spawnServer({
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
    SWITCHBOARD_WRITE_RATE_LIMIT: '1000000',
  });
  await process.waitFor(LISTENING, 60_000);
  return { process, baseUrl: `http://127.0.0.1:${port}` };
}

/** A killed client's transactions end when PostgreSQL notices its sockets closed: inspect only after. */
async function waitForItsSessionsToEnd(db: TestDatabase): Promise<void> {
  await eventually(async () => {
    const { rows } = await db.sql.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    expect(rows[0].n).toBe(0);
  }, 15_000);
}

async function expectServesAndWrites(server: RunningServer, db: TestDatabase, requestId: string): Promise<void> {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'x-request-id': requestId };
  const resolved = await fetch(`${server.baseUrl}/api/config/resolved`, { headers });
  expect(resolved.status).toBe(200);
  const { profile, stale } = (await resolved.json()) as { profile: { id: number }; stale: boolean };
  expect(stale).toBe(false);
  const write = await fetch(`${server.baseUrl}/api/config/mlflow/${profile.id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ experiment_name: `/Shared/crash/${requestId}` }),
  });
  expect(write.status).toBe(200);
  const { rows } = await db.sql.query(`SELECT count(*)::int AS n FROM config_history WHERE request_id = $1 AND domain = 'mlflow'`, [requestId]);
  expect(rows[0].n).toBe(1);
}

/**
 * The compiled server killed with SIGKILL while eight clients write every kind of change: the
 * database must hold every acknowledged write with its audit entries, versions that the audit
 * accounts for exactly, no half-made profile, and the server must start again on it.
 */
describe('kill -9 of the server under concurrent writes', () => {
  let db: TestDatabase;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    server?.process.child.kill('SIGKILL');
    await server?.process.exited();
    await db?.drop();
  });

  it('keeps acknowledged writes and their audit, leaves nothing half-made, and starts again', async () => {
    const statuses = new StatusTally();
    const figures = { writes: 0, acknowledged: 0, inFlightAtKill: 0, committedUnanswered: 0, staleSnapshots: 0 };
    const halfMade: string[] = [];
    const auditMismatches: string[] = [];
    const lostWrites: string[] = [];

    server = await startServer(db.url);
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const workload = await CrashWorkload.create({ baseUrl: server.baseUrl, token: ADMIN_TOKEN, sql: db.sql, cycle });
      const killAfter = randomInt(KILL_AFTER[0], KILL_AFTER[1] + 1);
      const dying = server;
      await workload.run(CLIENTS, {
        when: () => workload.acknowledged >= killAfter,
        onStop: () => dying.process.child.kill('SIGKILL'),
      });
      await dying.process.exited();
      server = undefined;
      await waitForItsSessionsToEnd(db);

      const findings = await inspectAfterCrash(db.sql, workload.records);
      halfMade.push(...findings.halfMadeProfiles.map((problem) => `cycle ${cycle}: ${problem}`));
      auditMismatches.push(...findings.auditMismatches.map((problem) => `cycle ${cycle}: ${problem}`));
      lostWrites.push(...findings.lostWrites.map((problem) => `cycle ${cycle}: ${problem}`));
      for (const record of workload.records) if (record.status !== undefined) statuses.add(record.status);
      figures.writes += workload.records.length;
      figures.acknowledged += workload.acknowledged;
      figures.inFlightAtKill += workload.inFlightAtStop;
      figures.committedUnanswered += findings.committedUnanswered;
      figures.staleSnapshots = findings.staleSnapshots; // over the whole history so far

      server = await startServer(db.url);
      await expectServesAndWrites(server, db, `crash-c${cycle}-after-restart`);
    }

    reportFaults('crash', {
      cycles: CYCLES,
      writes: figures.writes,
      writes_acknowledged: figures.acknowledged,
      writes_in_flight_at_kill: figures.inFlightAtKill,
      in_flight_committed: figures.committedUnanswered,
      statuses,
      audit_mismatches: auditMismatches.length,
      half_made_profiles: halfMade.length,
      lost_writes: lostWrites.length,
      stale_snapshots: figures.staleSnapshots,
    });
    expect(halfMade).toEqual([]);
    expect(auditMismatches).toEqual([]);
    expect(lostWrites).toEqual([]);
    // Writes to one profile take turns (lockProfile), so each snapshot includes every earlier change.
    expect(figures.staleSnapshots).toBe(0);
    expect(statuses.count((status) => status >= 500)).toBe(0);
    expect(figures.acknowledged).toBeGreaterThanOrEqual(CYCLES * KILL_AFTER[0]);
  }, 240_000);
});
