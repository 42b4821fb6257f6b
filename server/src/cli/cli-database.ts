import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../common/config/app-config.js';
import { embeddedDatabaseUrl } from '../common/database/embedded-url.js';

/** The database a command works on, and what to do when it is done with it. */
export interface CliDatabase {
  url: string;
  /** Where it came from, for people: "DATABASE_URL", "the running server's embedded PostgreSQL", … */
  source: string;
  release(): Promise<void>;
}

/**
 * DATABASE_URL when set. Otherwise the embedded PostgreSQL of SWITCHBOARD_DATA_DIR: the one a
 * running server started (its port is in postmaster.pid), or, when none runs, one started for this
 * command and stopped after it. `log` is told when a database is started (it takes a few seconds).
 */
export async function openCliDatabase(config: AppConfig, log: (line: string) => void): Promise<CliDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, source: 'DATABASE_URL', release: async () => undefined };
  const running = await runningEmbedded(config.dataDir);
  if (running) return { ...running, release: async () => undefined };
  const { startEmbeddedPostgres } = await import('../common/database/embedded-postgres.js');
  log(`starting the embedded PostgreSQL of ${config.dataDir}`);
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    preferredPort: config.embeddedPostgresPort,
    database: 'switchboard',
    log,
    logServerMessages: false,
  });
  return { url: embedded.url, source: `an embedded PostgreSQL started for this command (${config.dataDir})`, release: () => embedded.stop() };
}

/** The embedded server a running Switchboard started on this data folder, if one runs. */
async function runningEmbedded(dataDir: string): Promise<Omit<CliDatabase, 'release'> | undefined> {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  const passwordFile = path.join(dataDir, 'postgres.password');
  if (!existsSync(pidFile) || !existsSync(passwordFile)) return undefined;
  // postmaster.pid: pid, data folder, start time, port, … (one per line).
  const [pidLine, , , portLine] = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || !isAlive(pid)) return undefined;
  const password = (await readFile(passwordFile, 'utf8')).trim();
  return {
    url: embeddedDatabaseUrl(password, Number(portLine), 'switchboard'),
    source: `the embedded PostgreSQL a running server started (${dataDir})`,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
