import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import type request from 'supertest';
import { MIGRATIONS } from '../../migrations/index.js';
import { BACKUP_TABLES, TABLES_NOT_BACKED_UP } from '../src/backup/backup-format.js';
import { eventually } from './support/eventually.js';
import { REPO_ROOT } from './support/server-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const CLI = path.join(REPO_ROOT, 'dist/server/src/cli/main.js');
const SECRET_KEY = randomBytes(32).toString('base64');
const PROVIDER_KEY = 'sk-live-PLAINTEXT-backup-0001';
/** The newest migration: the schema a backup of this database names. */
const SCHEMA = MIGRATIONS.at(-1)!.name;
const example = (name: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/domains', `${name}.json`), 'utf8'));

/** Every table's rows as PostgreSQL writes them, and every sequence's position: two databases are equal when these are. */
async function contents(sql: pg.Client): Promise<Record<string, string[]>> {
  const all: Record<string, string[]> = {};
  for (const { name, orderBy } of BACKUP_TABLES) {
    all[name] = (await sql.query(`SELECT row_to_json(t)::text AS row FROM ${name} t ORDER BY ${orderBy}`)).rows.map((row) => row.row);
  }
  const sequences = await sql.query(`SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' AND sequencename <> 'typeorm_migrations_id_seq' ORDER BY 1`);
  all.sequences = sequences.rows.map((row) => `${row.sequencename}=${row.last_value}`);
  return all;
}

/** The backup's lines, uncompressed. */
const linesOf = (file: Buffer) => gunzipSync(file).toString('utf8').trimEnd().split('\n');
const fileOf = (lines: string[]) => gzipSync(`${lines.join('\n')}\n`);
/** A file whose lines were changed, with its checksum made right again: only the checks of the content remain. */
function resealed(lines: string[]): Buffer {
  const body = lines.slice(0, -1);
  const sha256 = createHash('sha256').update(body.map((line) => `${line}\n`).join('')).digest('hex');
  const end = JSON.parse(lines.at(-1)!);
  return fileOf([...body, JSON.stringify({ '@end': { ...end['@end'], sha256 } })]);
}

const binary = (response: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Backup and restore of everything on real databases: a source filled through the API (profiles,
 * a registered domain with a secret, registry prompts with versions and labels, tokens, sessions,
 * a deleted profile's history), backed up by the admin route and the command line, restored into
 * other databases, and compared with the source table by table and sequence by sequence.
 */
describe('backup and restore', () => {
  let source: TestDatabase;
  let server: TestApp;
  let backup: Buffer;
  let folder: string;
  let viewerToken: string;
  const others: TestDatabase[] = [];
  const apps: TestApp[] = [];

  const cli = (args: string[], url: string, env: NodeJS.ProcessEnv = {}) =>
    new Promise<Run>((resolve) => {
      const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, SWITCHBOARD_SECRET_KEY: SECRET_KEY, ...env };
      execFile(process.execPath, [CLI, ...args], { env: childEnv, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const newDatabase = async () => {
    const db = await createTestDatabase();
    others.push(db);
    return db;
  };
  const newApp = async (db: TestDatabase, key = SECRET_KEY) => {
    const app = await startTestApp(db.url, { env: { SWITCHBOARD_SECRET_KEY: key } });
    apps.push(app);
    return app;
  };
  const restoreRequest = (app: TestApp, body: Buffer, query = '', token?: string) =>
    app.api(token).post(`/api/admin/restore${query}`).set('content-type', 'application/gzip').send(body);

  beforeAll(async () => {
    source = await createTestDatabase();
    folder = await mkdtemp(path.join(tmpdir(), 'switchboard-backup-'));
    server = await newApp(source);
    const api = () => server.api();
    const defaultId = (await source.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
    await api().put(`/api/config/ai-infra/${defaultId}`).send({ llm_temperature: 0.35, llm_max_tokens: 12345 }).expect(200);
    const analysis = (await api().post('/api/config/profiles').send({ name: 'Log analysis', description: 'Seed 002' }).expect(201)).body.id;
    const doomed = (await api().post('/api/config/profiles').send({ name: 'Short lived' }).expect(201)).body.id;
    await api().delete(`/api/config/profiles/${doomed}`).expect(204);
    await api().post(`/api/config/genie/${analysis}`).send({ space_id: '0123456789abcdef0123456789abcdef', space_name: 'Logs', description: 'Log tables' }).expect(201);
    await api().post('/api/config/domains').send(example('model_providers')).expect(201);
    await api()
      .put(`/api/config/domains/model_providers/profiles/${analysis}`)
      .send({ values: { providers: [{ name: 'openai-prod', kind: 'openai', api_key: PROVIDER_KEY }] } })
      .expect(200);
    const prompts = `/api/config/profiles/${analysis}/prompts`;
    await api().post(prompts).send({ name: 'analyze.line', variables: [{ name: 'line', required: true }], template: 'Parse {line}', message: 'v1' }).expect(201);
    await api().post(`${prompts}/analyze.line/versions`).send({ template: 'Parse this line: {line}', message: 'v2' }).expect(201);
    await api().put(`${prompts}/analyze.line/labels/production`).send({ version: 1 }).expect(200);
    const viewer = (await api().post('/api/auth/tokens').send({ name: 'dashboard', role: 'viewer' }).expect(201)).body;
    viewerToken = viewer.token;
    await api().put(`/api/config/profiles/${analysis}/grants`).send({ token_id: viewer.id, role: 'editor' }).expect(201);
    await api().put(`/api/config/profiles/${analysis}/grants`).send({ user: 'Carol@Example.com', role: 'viewer' }).expect(201);
    await api().put(`/api/config/profiles/${analysis}/approval`).expect(201);
    await api().post('/api/config/change-requests').send({ profile_id: analysis, values: { ai_infra: { llm_temperature: 0.15 } }, message: 'Calmer' }).expect(201);
    const revoked = (await api().post('/api/auth/tokens').send({ name: 'old-ci', role: 'editor' }).expect(201)).body.id;
    await api().delete(`/api/auth/tokens/${revoked}`).expect(200);
    const session = (await source.sql.query('INSERT INTO agent_sessions (profile_id) VALUES ($1) RETURNING id', [analysis])).rows[0].id;
    await source.sql.query(`INSERT INTO agent_messages (session_id, role, content) VALUES ($1, 'user', 'Why "disk full"?\nLine two'), ($1, 'assistant', 'Because.')`, [session]);
    const team = (await api().get(`/api/config/profiles/${analysis}/export`).expect(200)).body.profile;
    await api().post('/api/config/presets').send({ name: 'Team analysis', description: 'Saved by an admin', document: team }).expect(201);
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    await api().post('/api/config/schedules').send({ profile_id: analysis, action: 'apply', run_at: inAnHour, values: { ai_infra: { llm_temperature: 0.2 } } }).expect(201);
    await api().put(`/api/config/profiles/${defaultId}/rollout`).send({ candidate_profile_id: analysis, percentage: 10 }).expect(201);
    // Pinned: its key into the history is restored before the history it points into.
    await api().post(`/api/config/profiles/${analysis}/load`).send({ pin: true }).expect(200);

    backup = (await api().get('/api/admin/backup').buffer(true).parse(binary).expect(200)).body;
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const db of [source, ...others]) await db.drop();
  });

  it('backs up every table the schema has, each of them holding rows here', async () => {
    const tables = (await source.sql.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).rows.map((row) => row.table_name);
    const covered = new Set([...BACKUP_TABLES.map((table) => table.name), ...TABLES_NOT_BACKED_UP]);
    expect(tables.filter((table) => !covered.has(table))).toEqual([]);
    const empty = Object.entries(await contents(source.sql)).filter(([, rows]) => rows.length === 0);
    expect(empty).toEqual([]);
  });

  it('streams one versioned, checksummed gzip of JSON lines, without any secret in it', async () => {
    const response = await server.api().get('/api/admin/backup').buffer(true).parse(binary).expect(200);
    expect(response.headers['content-type']).toBe('application/gzip');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="switchboard-backup-.+\.jsonl\.gz"$/);
    const lines = linesOf(backup);
    const header = JSON.parse(lines[0]!)['@header'];
    expect(header).toMatchObject({ format: 'switchboard-backup', format_version: 1, schema: SCHEMA, encrypted_value_rows: 1, secret_key_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const end = JSON.parse(lines.at(-1)!)['@end'];
    expect(end.sha256).toBe(createHash('sha256').update(lines.slice(0, -1).map((line) => `${line}\n`).join('')).digest('hex'));
    const text = lines.join('\n');
    expect(text).not.toContain(PROVIDER_KEY);
    expect(text).not.toContain(viewerToken);
    expect(text).not.toContain(SECRET_KEY);
  });

  it('restores into an empty database exactly: every row of every table, and every sequence (command line)', async () => {
    const target = await newDatabase();
    const file = path.join(folder, 'from-route.jsonl.gz');
    await writeFile(file, backup);
    const run = await cli(['--json', 'restore', file], target.url);
    expect(run.stderr).toContain('restoring config_history:');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ dry_run: false, replaced_existing: false, rows: Object.values(await contents(source.sql)).flat().length - (await contents(source.sql)).sequences!.length });
    expect(await contents(target.sql)).toEqual(await contents(source.sql));

    // The restored database serves as the source did: its secret (in the clear for admins), its tokens, its next ids.
    const restored = await newApp(target);
    const resolved = async (app: TestApp) => (await app.api().get('/api/config/resolved?profile_id=2').expect(200)).body;
    expect(await resolved(restored)).toEqual(await resolved(server));
    expect(JSON.stringify(await resolved(restored))).toContain(PROVIDER_KEY);
    await restored.api(viewerToken).get('/api/config/profiles').expect(200);
    const next = async (app: TestApp) => (await app.api().post('/api/config/profiles').send({ name: `Next ${apps.indexOf(app)}` }).expect(201)).body.id;
    expect(await next(restored)).toBe(await next(server));
  }, 60_000);

  it('backs up through the command line to the same contents, with progress and a summary', async () => {
    const file = path.join(folder, 'from-cli.jsonl.gz');
    const run = await cli(['backup', '-o', file], source.url);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('backing up config_profiles:');
    expect(run.stdout).toMatch(/^backed up \d+ row\(s\) of \d+ tables to .+from-cli\.jsonl\.gz \(.+\) in .+ s\.\n$/);
    const target = await newDatabase();
    expect((await cli(['restore', file], target.url)).code).toBe(0);
    expect(await contents(target.sql)).toEqual(await contents(source.sql));
  }, 60_000);

  it('refuses a database that is not empty unless forced; forced, replaces it and every cache of the running instance', async () => {
    const target = await newDatabase();
    const app = await newApp(target);
    await app.api().get('/api/config/resolved').expect(200); // cached before the restore
    const before = await contents(target.sql);
    const refused = await restoreRequest(app, backup).expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/not empty \(1 profile\(s\), 1 history entries\).*force/);
    await restoreRequest(app, backup, '?dry_run=true').expect(409);
    const dryRun = await restoreRequest(app, backup, '?dry_run=true&force=true').expect(200);
    expect(dryRun.body).toMatchObject({ dry_run: true, replaced_existing: true, tables: { config_profiles: 2 } });
    expect(await contents(target.sql)).toEqual(before);

    const restored = await restoreRequest(app, backup, '?force=true').expect(200);
    expect(restored.body).toMatchObject({ dry_run: false, replaced_existing: true, backup: { schema: SCHEMA } });
    const expected = await contents(source.sql);
    const now = await contents(target.sql);
    // The source went on (a profile made by the test above): compare what the backup held.
    expect(now.config_history).toEqual(expected.config_history!.slice(0, now.config_history!.length));
    expect(now.config_domain_values).toEqual(expected.config_domain_values);
    const resolved = (await app.api().get('/api/config/resolved').expect(200)).body;
    expect(resolved.ai_infra.llm_temperature).toBe(0.35);
    await app.api(viewerToken).get('/api/config/profiles').expect(200);
    expect((await app.api().get('/api/config/profiles').expect(200)).body.map((profile: { name: string }) => profile.name)).toContain('Log analysis');
  }, 60_000);

  it('refuses damaged, foreign and unsupported bodies with a clear error, changing nothing', async () => {
    const target = await newDatabase();
    const app = await newApp(target);
    const before = await contents(target.sql);
    const lines = linesOf(backup);
    const rowLine = lines.findIndex((line) => line.includes('"Log analysis"') && !line.startsWith('{"@'));
    const edited = [...lines];
    edited[rowLine] = edited[rowLine]!.replace('Log analysis', 'Log analysiz');
    const otherSchema = [...lines];
    otherSchema[0] = otherSchema[0]!.replace(/"schema":"[^"]+"/, '"schema":"Future1899999999999"');
    const fewerRows = lines.filter((_line, index) => index !== rowLine);
    const cases: [string, Buffer, RegExp][] = [
      ['not gzip', Buffer.from('{"hello": 1}'), /not a complete gzip file/],
      ['cut short', backup.subarray(0, Math.floor(backup.length / 2)), /not a complete gzip file|ends early/],
      ['not a backup', gzipSync('{"name": "x"}\n'), /not a Switchboard backup/],
      ['a row changed', fileOf(edited), /checksum does not match/],
      ['another schema', resealed(otherSchema), new RegExp(`schema Future1899999999999.*this database is at ${SCHEMA}`)],
      ['a row missing', resealed(fewerRows), /config_profiles holds fewer rows than its section says/],
      ['something after the end', gzipSync(`${lines.join('\n')}\n{"x":1}\n`), /more after the end/],
    ];
    for (const [what, body, message] of cases) {
      const response = await restoreRequest(app, body, '?force=true');
      expect({ what, status: response.status, detail: response.body.detail }).toEqual({ what, status: 422, detail: expect.stringMatching(message) });
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'backup' })]);
    }
    await app.api().post('/api/admin/restore?force=true').send({ backup: 'x' }).expect(415);
    await app.api().post('/api/config/profiles').set('content-type', 'application/gzip').send(backup).expect(415);
    await app.api().post('/api/admin/restore?force=yes').set('content-type', 'application/gzip').send(backup).expect(400);
    await restoreRequest(app, backup, '?force=true', viewerToken).expect(401); // this database does not know the source's token
    const viewer = (await app.api().post('/api/auth/tokens').send({ name: 'viewer', role: 'viewer' }).expect(201)).body.token;
    await restoreRequest(app, backup, '?force=true', viewer).expect(403);
    await app.api(viewer).get('/api/admin/backup').expect(403);
    const after = await contents(target.sql);
    expect({ ...after, api_tokens: [], sequences: [] }).toEqual({ ...before, api_tokens: [], sequences: [] });
    expect(after.config_history).toEqual(before.config_history);
  }, 60_000);

  it('refuses secrets encrypted with another key, naming the key it needs', async () => {
    const target = await newDatabase();
    const app = await newApp(target, randomBytes(32).toString('hex'));
    const response = await restoreRequest(app, backup, '?force=true').expect(422);
    const keyId = JSON.parse(linesOf(backup)[0]!)['@header'].secret_key_id;
    expect(response.body.detail).toContain(`encrypted with the key whose id is ${keyId}`);
    expect(response.body.detail).toMatch(/SWITCHBOARD_SECRET_KEY is another key/);
    const withoutKey = await cli(['--json', 'restore', '--force', path.join(folder, 'from-route.jsonl.gz')], target.url, { SWITCHBOARD_SECRET_KEY: '' });
    expect(withoutKey.code).toBe(3);
    expect(JSON.parse(withoutKey.stdout).error).toMatch(/SWITCHBOARD_SECRET_KEY is not set/);
  }, 60_000);

  it('answers with exit codes: 1 for a database that is not empty, 3 for a damaged file, 0 for a dry run', async () => {
    const target = await newDatabase();
    const file = path.join(folder, 'from-route.jsonl.gz');
    await target.sql.query(`INSERT INTO config_profiles (name) VALUES ('Already here')`);
    const refused = await cli(['restore', file], target.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not empty \(1 profile\(s\)\)/);
    const damaged = path.join(folder, 'damaged.jsonl.gz');
    await writeFile(damaged, backup.subarray(0, 100));
    expect((await cli(['restore', '--force', damaged], target.url)).code).toBe(3);
    const dryRun = await cli(['restore', '--force', '--dry-run', file], target.url);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/is whole and fits this database: a restore would write \d+ row\(s\) of \d+ tables .* replacing what it holds \(dry run: nothing written\)\./);
    expect((await target.sql.query('SELECT name FROM config_profiles')).rows).toEqual([{ name: 'Already here' }]);
  }, 60_000);

  it('marks schedules whose time passed while they lay in a backup failed, saying why, instead of running them late', async () => {
    // A copy whose pending schedule is overdue (no server runs on it), backed up, then restored elsewhere.
    const stale = await newDatabase();
    const file = path.join(folder, 'overdue.jsonl.gz');
    await writeFile(file, backup);
    expect((await cli(['restore', file], stale.url)).code).toBe(0);
    await stale.sql.query(`UPDATE config_schedules SET run_at = now() - interval '1 hour' WHERE status = 'pending'`);
    const overdueFile = path.join(folder, 'overdue-2.jsonl.gz');
    expect((await cli(['backup', '-o', overdueFile], stale.url)).code).toBe(0);
    const target = await newDatabase();
    const run = await cli(['--json', 'restore', overdueFile], target.url);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ missed_schedules: 1 });
    expect((await target.sql.query('SELECT status, last_error, finished_at IS NOT NULL AS finished FROM config_schedules')).rows).toEqual([
      { status: 'failed', last_error: expect.stringMatching(/^Not run: its time passed while it was in a backup \(made .+\)/), finished: true },
    ]);
    const human = await cli(['restore', '--force', overdueFile], target.url);
    expect(human.stdout).toContain('1 schedule(s) whose time had passed marked failed, not run');
  });

  it('answers 503, changing nothing, when a transaction locking the same tables deadlocks with the restore', async () => {
    // PostgreSQL ends whichever transaction's deadlock check runs first: the restore's, unless the
    // other's lock request comes later than the restore's check (a slow machine). Then the other
    // transaction is the victim and the restore succeeds; the scenario is played again, fresh.
    let restoreWasTheVictim = false;
    for (let attempt = 1; attempt <= 4 && !restoreWasTheVictim; attempt++) {
      const target = await newDatabase();
      const app = await newApp(target);
      const profiles = async () => (await target.sql.query('SELECT name FROM config_profiles ORDER BY id')).rows;
      const before = await profiles();
      const other = new pg.Client({ connectionString: target.url });
      await other.connect();
      try {
        // Holds the restore's last table, so that it waits there holding the first; then asks for the first.
        await other.query('BEGIN');
        await other.query('LOCK TABLE config_history IN ROW EXCLUSIVE MODE');
        const restoring = restoreRequest(app, backup, '?force=true').then((response) => response);
        const waiting = async () => (await target.sql.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'config_history'::regclass`)).rows[0].n;
        await eventually(async () => expect(await waiting()).toBe(1));
        const blocked = other.query('LOCK TABLE config_domains IN ROW EXCLUSIVE MODE').then(() => 'locked', (error: { code?: string }) => error.code);
        const response = await restoring;
        if (response.status === 200) {
          expect(await blocked).toBe('40P01');
          continue;
        }
        restoreWasTheVictim = true;
        expect({ status: response.status, type: response.body.type, retry: response.headers['retry-after'] }).toEqual({ status: 503, type: 'urn:switchboard:problem:database-busy', retry: '1' });
        expect(await blocked).toBe('locked');
      } finally {
        await other.query('ROLLBACK').catch(() => undefined);
        await other.end();
      }
      expect(await profiles()).toEqual(before);
    }
    expect(restoreWasTheVictim).toBe(true);
  });

  it('restores a profile that comes, in id order, batches before the parent it inherits from', async () => {
    const wide = await newDatabase();
    // 600 profiles (more than one insert batch of 500); the first inherits from the last.
    await wide.sql.query(`INSERT INTO config_profiles (name) SELECT 'wide ' || n FROM generate_series(1, 600) AS n`);
    const [{ first, last }] = (await wide.sql.query('SELECT min(id) AS first, max(id) AS last FROM config_profiles')).rows;
    await wide.sql.query('UPDATE config_profiles SET parent_profile_id = $2 WHERE id = $1', [first, last]);
    const file = path.join(folder, 'wide.jsonl.gz');
    expect((await cli(['backup', '-o', file], wide.url)).code).toBe(0);
    const target = await newDatabase();
    const run = await cli(['restore', file], target.url);
    expect({ code: run.code, stderr: run.code ? run.stderr : '' }).toEqual({ code: 0, stderr: '' });
    expect((await target.sql.query('SELECT parent_profile_id AS parent FROM config_profiles WHERE id = $1', [first])).rows).toEqual([{ parent: last }]);
  });

  it('streams 100,000 history entries through a backup and a restore, a batch at a time', async () => {
    const big = await newDatabase();
    await big.sql.query(
      `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by, changes, snapshot, "timestamp", request_id)
       SELECT NULL, 'profile ' || n % 50, 'ai_infra', 'update', 'user' || n % 40,
              jsonb_build_object('llm_temperature', jsonb_build_object('old', 0.7, 'new', n / 100000.0)),
              jsonb_build_object('name', 'profile ' || n % 50, 'note', repeat('x', 200)),
              now() - make_interval(secs => n), 'seed-' || n
         FROM generate_series(1, 100000) AS n`,
    );
    const file = path.join(folder, 'big.jsonl.gz');
    // The peak memory of each run, printed by the child as it exits.
    const peak = { NODE_OPTIONS: `--import=data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss_kib='+process.resourceUsage().maxRSS))` };
    const backedUp = await cli(['backup', '-o', file], big.url, peak);
    expect(backedUp.code).toBe(0);
    const target = await newDatabase();
    const restored = await cli(['--json', 'restore', file], target.url, peak);
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout).tables.config_history).toBe(100_000);
    const digest = async (db: TestDatabase) =>
      (await db.sql.query(`SELECT count(*)::int AS n, md5(string_agg(row_to_json(h)::text, '|' ORDER BY id)) AS md5 FROM config_history h`)).rows[0];
    expect(await digest(target)).toEqual(await digest(big));
    const rss = (run: Run) => Math.round(Number(/maxrss_kib=(\d+)/.exec(run.stderr)?.[1]) / 1024);
    console.log(`100,000 history entries: backup ${backedUp.stdout.trim()} peak RSS ${rss(backedUp)} MiB; restore peak RSS ${rss(restored)} MiB`);
  }, 180_000);
});
