import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import { buildDataSourceOptions } from '../../src/common/database/database-options.js';
import { anyFreePort, startEmbeddedPostgres } from '../../src/common/database/embedded-postgres.js';
import { ENTITIES } from '../../src/entities.js';

/** Environment variables through which global setup tells the test files where PostgreSQL is. */
export const ADMIN_URL_VAR = 'SWITCHBOARD_TEST_ADMIN_URL';
export const TEMPLATE_DATABASE = 'switchboard_test_template';

export interface TestServer {
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * The PostgreSQL server of a test run: the one behind DATABASE_URL when it is set (its role needs
 * CREATEDB), otherwise a throw-away embedded one in a temporary folder.
 */
export async function startTestServer(log: (line: string) => void): Promise<TestServer> {
  if (process.env.DATABASE_URL) {
    const adminUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
    log(`tests use the PostgreSQL server of DATABASE_URL (${new URL(adminUrl).host})`);
    return { adminUrl, stop: async () => undefined };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-test-pg-'));
  await chmod(dataDir, 0o755); // as root, PostgreSQL runs as the `postgres` user and must enter it
  // Tests drop databases with FORCE on purpose: the server's FATAL lines about it are noise here.
  const embedded = await startEmbeddedPostgres({
    dataDir,
    preferredPort: await anyFreePort(),
    database: 'postgres',
    log,
    logServerMessages: false,
  });
  log(`tests use an embedded PostgreSQL on 127.0.0.1:${embedded.port}`);
  return {
    adminUrl: embedded.url,
    stop: async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates the template every test database is cloned from, with every migration applied. */
export async function createMigratedTemplate(adminUrl: string): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${TEMPLATE_DATABASE}`);
  const dataSource = await new DataSource({
    ...buildDataSourceOptions(withDatabase(adminUrl, TEMPLATE_DATABASE), ENTITIES, MIGRATIONS),
    logging: ['error'],
  }).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
