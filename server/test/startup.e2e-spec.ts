import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { MIGRATIONS } from '../../migrations/index.js';
import { anyFreePort, firstFolderOthersCannotEnter, isPortFree } from '../src/common/database/embedded-postgres.js';
import { REPO_ROOT, spawnServer } from './support/server-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const LISTENING = /Listening on http:\/\/127\.0\.0\.1:\d+/;
const TYPEORM_CLI = path.join(REPO_ROOT, 'node_modules/typeorm/cli.js');
const DATA_SOURCE = 'dist/server/src/data-source.js';

interface Status {
  profiles: number;
  default_profile: { name: string } | null;
}

const ADMIN_TOKEN = 'sb_startup-spec-admin-token-0123456789';
const BOOTSTRAP_TOKEN = /^ {6}(sb_[\w-]{43})$/m;

async function status(port: number, token: string): Promise<Status> {
  const response = await fetch(`http://127.0.0.1:${port}/api/config/status`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Status;
}

async function publicTables(db: TestDatabase): Promise<number> {
  const { rows } = await db.sql.query(
    `SELECT count(*)::int AS n FROM information_schema.tables
      WHERE table_schema = 'public' AND (table_name LIKE 'config_%' OR table_name IN ('agent_sessions', 'api_tokens', 'switchboard_instances', 'llm_probes', 'profile_rollouts', 'profile_grants'))`,
  );
  return rows[0].n;
}

describe('start-up of the compiled service', () => {
  describe('with its data in a folder other users cannot enter', () => {
    it('says in one sentence what to do when run as root, instead of failing on spawn EACCES', async () => {
      const privateDir = await mkdtemp(path.join(tmpdir(), 'switchboard-private-'));
      await chmod(privateDir, 0o700);
      try {
        const closed = await firstFolderOthersCannotEnter([path.join(privateDir, 'data', 'postgres')]);
        expect(closed).toEqual({ folder: privateDir, mode: '700' });
        if (process.getuid?.() !== 0) return; // PostgreSQL then runs as this very user: nothing to refuse
        const server = spawnServer({ SWITCHBOARD_DATA_DIR: path.join(privateDir, 'data'), PORT: String(await anyFreePort()) });
        expect(await server.exited()).toBe(1);
        const output = server.output();
        expect(output).toContain(`cannot enter ${privateDir} (mode 700): move the project to a folder every user can enter`);
        expect(output).not.toMatch(/EACCES|\n\s+at /);
      } finally {
        await rm(privateDir, { recursive: true, force: true });
      }
    });
  });

  describe('without DATABASE_URL (embedded PostgreSQL)', () => {
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-data-'));
      await chmod(dataDir, 0o755);
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('seeds the default profile and an admin token once, keeps data across restarts and moves off a taken port', async () => {
      const pgPort = await anyFreePort();
      const env = { SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_EMBEDDED_PG_PORT: String(pgPort) };

      const firstPort = await anyFreePort();
      const first = spawnServer({ ...env, PORT: String(firstPort) });
      await first.waitFor(LISTENING, 60_000);
      expect(first.output()).toMatch(/Initialising a new PostgreSQL cluster/);
      expect(first.output()).toMatch(`migrations: ${MIGRATIONS.length} applied`);
      const [, token] = first.output().match(BOOTSTRAP_TOKEN) ?? [];
      expect(first.output()).toMatch(/Authorization: Bearer <token>/);
      expect(await status(firstPort, token)).toMatchObject({ profiles: 1, default_profile: { name: 'default' } });
      expect((await fetch(`http://127.0.0.1:${firstPort}/api/config/status`)).status).toBe(401);

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
        expect(second.output()).not.toMatch(BOOTSTRAP_TOKEN);
        expect(await status(secondPort, token)).toMatchObject({ profiles: 2, default_profile: { name: 'default' } });

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
      expect(server.output()).toMatch(`${MIGRATIONS.length} pending migration(s): InitialSchema1763900000000, ApiTokens1764100000000`);
      expect(server.output()).toMatch(/npm run migration:run/);
      expect(await publicTables(db)).toBe(0);
    });

    it('is migrated by the TypeORM CLI (deployment path), then serves; migration:revert, once per migration, undoes it', async () => {
      db = await createTestDatabase({ migrated: false });
      const run = spawnServer({ DATABASE_URL: db.url }, [TYPEORM_CLI, 'migration:run', '-d', DATA_SOURCE]);
      expect(await run.exited()).toBe(0);
      expect(await publicTables(db)).toBe(22);

      const port = await anyFreePort();
      const server = spawnServer({ DATABASE_URL: db.url, PORT: String(port), SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN });
      await server.waitFor(LISTENING);
      expect(server.output()).not.toMatch(BOOTSTRAP_TOKEN);
      expect(await status(port, ADMIN_TOKEN)).toMatchObject({ profiles: 1, default_profile: { name: 'default' } });
      server.child.kill('SIGTERM');
      expect(await server.exited()).toBe(0);

      // migration:revert undoes the newest migration each time it runs.
      for (let reverted = 0; reverted < MIGRATIONS.length; reverted++) {
        const revert = spawnServer({ DATABASE_URL: db.url }, [TYPEORM_CLI, 'migration:revert', '-d', DATA_SOURCE]);
        expect(await revert.exited()).toBe(0);
      }
      expect(await publicTables(db)).toBe(0);
    });

    it('seeds one default profile and one admin token when two instances start on one database at once', async () => {
      db = await createTestDatabase();
      const ports = [await anyFreePort(), await anyFreePort()];
      const servers = ports.map((port) => spawnServer({ DATABASE_URL: db.url, PORT: String(port) }));
      await Promise.all(servers.map((server) => server.waitFor(LISTENING)));

      const { rows } = await db.sql.query('SELECT name, is_default FROM config_profiles');
      expect(rows).toEqual([{ name: 'default', is_default: true }]);
      const tokens = await db.sql.query('SELECT name, role, created_by FROM api_tokens');
      expect(tokens.rows).toEqual([{ name: 'bootstrap-admin', role: 'admin', created_by: 'system' }]);
      const printed = servers.map((server) => server.output().match(BOOTSTRAP_TOKEN)?.[1]).filter(Boolean);
      expect(printed).toHaveLength(1);
      expect(await status(ports[0], printed[0]!)).toMatchObject({ profiles: 1 });

      servers.forEach((server) => server.child.kill('SIGTERM'));
      expect(await Promise.all(servers.map((server) => server.exited()))).toEqual([0, 0]);
    });
  });
});
