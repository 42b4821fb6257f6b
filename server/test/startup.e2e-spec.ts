import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { MIGRATIONS } from '../../migrations/index.js';
import { anyFreePort, isPortFree } from '../src/common/database/embedded-postgres.js';
import { REPO_ROOT, spawnServer } from './support/server-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const LISTENING = /Listening on http:\/\/127\.0\.0\.1:\d+/;
const TYPEORM_CLI = path.join(REPO_ROOT, 'node_modules/typeorm/cli.js');
const DATA_SOURCE = 'dist/server/src/data-source.js';

interface Status {
  profiles: number;
  default_profile: { name: string } | null;
}

async function status(port: number): Promise<Status> {
  const response = await fetch(`http://127.0.0.1:${port}/api/config/status`);
  expect(response.status).toBe(200);
  return (await response.json()) as Status;
}

async function publicTables(db: TestDatabase): Promise<number> {
  const { rows } = await db.sql.query(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'config_%'`,
  );
  return rows[0].n;
}

describe('start-up of the compiled service', () => {
  describe('without DATABASE_URL (embedded PostgreSQL)', () => {
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-data-'));
      await chmod(dataDir, 0o755);
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('seeds the default profile once, keeps data across restarts and moves off a taken port', async () => {
      const pgPort = await anyFreePort();
      const env = { SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_EMBEDDED_PG_PORT: String(pgPort) };

      const firstPort = await anyFreePort();
      const first = spawnServer({ ...env, PORT: String(firstPort) });
      await first.waitFor(LISTENING, 60_000);
      expect(first.output()).toMatch(/Initialising a new PostgreSQL cluster/);
      expect(first.output()).toMatch(`migrations: ${MIGRATIONS.length} applied`);
      expect(await status(firstPort)).toMatchObject({ profiles: 1, default_profile: { name: 'default' } });

      const password = readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
      const client = new pg.Client({ connectionString: `postgres://switchboard:${password}@127.0.0.1:${pgPort}/switchboard` });
      await client.connect();
      await client.query(`INSERT INTO config_profiles (name) VALUES ('written before restart')`);
      await client.end();

      first.child.kill('SIGTERM');
      expect(await first.exited()).toBe(0);
      expect(first.output()).toMatch(/Stopped cleanly/);
      expect(await isPortFree(pgPort)).toBe(true);

      const blocker = net.createServer().listen(pgPort, '127.0.0.1');
      try {
        const secondPort = await anyFreePort();
        const second = spawnServer({ ...env, PORT: String(secondPort) });
        const [, usedPort] = await second.waitFor(/Embedded PostgreSQL on 127\.0\.0\.1:(\d+)/, 60_000);
        expect(Number(usedPort)).not.toBe(pgPort);
        await second.waitFor(LISTENING);
        expect(second.output()).not.toMatch(/Initialising a new PostgreSQL cluster/);
        expect(second.output()).toMatch(/migrations: 0 applied/);
        expect(await status(secondPort)).toMatchObject({ profiles: 2, default_profile: { name: 'default' } });

        second.child.kill('SIGINT');
        expect(await second.exited()).toBe(0);
        expect(await isPortFree(Number(usedPort))).toBe(true);
      } finally {
        blocker.close();
      }
    });
  });

  describe('with DATABASE_URL', () => {
    let db: TestDatabase;
    afterEach(() => db.drop());

    it('refuses to start while migrations are pending and names the command to run', async () => {
      db = await createTestDatabase({ migrated: false });
      const server = spawnServer({ DATABASE_URL: db.url, PORT: String(await anyFreePort()) });
      expect(await server.exited()).toBe(1);
      expect(server.output()).toMatch(`${MIGRATIONS.length} pending migration(s): InitialSchema1763900000000`);
      expect(server.output()).toMatch(/npm run migration:run/);
      expect(await publicTables(db)).toBe(0);
    });

    it('is migrated by the TypeORM CLI (deployment path), then serves; migration:revert, once per migration, undoes it', async () => {
      db = await createTestDatabase({ migrated: false });
      const run = spawnServer({ DATABASE_URL: db.url }, [TYPEORM_CLI, 'migration:run', '-d', DATA_SOURCE]);
      expect(await run.exited()).toBe(0);
      expect(await publicTables(db)).toBe(6);

      const port = await anyFreePort();
      const server = spawnServer({ DATABASE_URL: db.url, PORT: String(port) });
      await server.waitFor(LISTENING);
      expect(await status(port)).toMatchObject({ profiles: 1, default_profile: { name: 'default' } });
      server.child.kill('SIGTERM');
      expect(await server.exited()).toBe(0);

      for (let i = 0; i < MIGRATIONS.length; i++) {
        const revert = spawnServer({ DATABASE_URL: db.url }, [TYPEORM_CLI, 'migration:revert', '-d', DATA_SOURCE]);
        expect(await revert.exited()).toBe(0);
      }
      expect(await publicTables(db)).toBe(0);
    });

    it('seeds one default profile when two instances start on one database at once', async () => {
      db = await createTestDatabase();
      const ports = [await anyFreePort(), await anyFreePort()];
      const servers = ports.map((port) => spawnServer({ DATABASE_URL: db.url, PORT: String(port) }));
      await Promise.all(servers.map((server) => server.waitFor(LISTENING)));

      const { rows } = await db.sql.query('SELECT name, is_default FROM config_profiles');
      expect(rows).toEqual([{ name: 'default', is_default: true }]);

      servers.forEach((server) => server.child.kill('SIGTERM'));
      expect(await Promise.all(servers.map((server) => server.exited()))).toEqual([0, 0]);
    });
  });
});
