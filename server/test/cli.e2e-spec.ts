import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { MIGRATIONS } from '../../migrations/index.js';
import { REPO_ROOT, spawnServer } from './support/server-process.js';
import { countRows, historyAfter, lastHistoryId } from './support/stored-rows.js';
import { eventually } from './support/eventually.js';
import { startTestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const CLI = path.join(REPO_ROOT, 'dist/server/src/cli/main.js');
/** Each run starts Node and the server's modules (1–3 s on a busy 2-core machine): tests that run several get more time. */
const SEVERAL_RUNS_MS = 180_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `switchboard` command line, compiled, as a deployment script runs it: against a real
 * database (DATABASE_URL), reading its exit codes, stdout (with --json, one document) and stderr.
 */
describe('switchboard command line', () => {
  let db: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await mkdtemp(path.join(tmpdir(), 'switchboard-cli-'));
  });
  afterAll(() => db.drop());

  /** One run of the command line; `env` adds to (or overrides) the test database's, `stdin` is piped in. */
  const run = (args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}) =>
    new Promise<Run>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, NO_COLOR: '1', ...options.env };
      delete env.SWITCHBOARD_ADMIN_TOKEN;
      const child = execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end(options.stdin ?? '');
    });
  const cli = (...args: string[]) => run(args);
  const json = async (...args: string[]) => {
    const run = await cli('--json', ...args);
    return { ...run, body: JSON.parse(run.stdout) };
  };

  it('explains itself, and answers an unknown command with exit code 2', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const command of ['migrate', 'migrate:status', 'profiles', 'export', 'import', 'import-yaml', 'backup', 'restore', 'tokens', 'doctor']) expect(help.stdout).toContain(command);
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 failed, 2 usage');
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('reports the migrations as applied, and migrate has nothing left to do', async () => {
    const { code, body } = await json('migrate:status');
    expect(code).toBe(0);
    expect(body).toEqual({ applied: MIGRATIONS.map((migration) => migration.name), pending: [] });
    const migrated = await json('migrate');
    expect(migrated).toMatchObject({ code: 0, body: { applied: 0 } });
  });

  it('lists the profiles through the same services as the API, without creating a token', async () => {
    const tokens = await countRows(db.sql, 'api_tokens');
    const { code, body } = await json('profiles', 'list');
    expect(code).toBe(0);
    expect(body).toEqual([expect.objectContaining({ name: 'default', is_default: true })]);
    expect(await countRows(db.sql, 'api_tokens')).toBe(tokens);
    const text = await cli('profiles', 'list');
    expect(text.stdout).toMatch(/default\s+yes/);
    expect(text.stdout.trim().split('\n').at(-1)).toBe('1 profile(s).');
  });

  it('exports a profile, checks an import without writing, then imports it under another name, audited as the command-line user', async () => {
    const file = path.join(folder, 'default.json');
    const exported = await json('export', '-o', file);
    expect(exported).toMatchObject({ code: 0, body: { file, profiles: ['default'] } });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ format: 'switchboard.profile', profile: { name: 'default' } });

    const before = await lastHistoryId(db.sql);
    const taken = await json('import', file, '--dry-run');
    expect(taken.code).toBe(3);
    expect(taken.body.error).toContain('already exists');
    const dry = await json('import', file, '--rename', 'Copied by CLI', '--dry-run');
    expect(dry).toMatchObject({ code: 0, body: { dry_run: true, profiles: [{ id: null, name: 'Copied by CLI' }] } });
    expect(await countRows(db.sql, `config_profiles WHERE name = 'Copied by CLI'`)).toBe(0);
    expect(await lastHistoryId(db.sql)).toBe(before);

    const imported = await json('import', file, '--rename', 'Copied by CLI');
    expect(imported.code).toBe(0);
    const id = imported.body.profiles[0].id;
    expect(await countRows(db.sql, `config_profiles WHERE id = $1 AND name = 'Copied by CLI'`, [id])).toBe(1);
    expect(await historyAfter(db.sql, before)).toEqual([
      expect.objectContaining({ profile_id: id, domain: 'profile', action: 'import', changed_by: `cli:${userInfo().username}` }),
    ]);
  }, SEVERAL_RUNS_MS);

  it('exports every profile to one file and imports them back, showing progress as lines when stderr is not a terminal', async () => {
    const file = path.join(folder, 'all.json');
    const exported = await cli('export', '--all', '-o', file);
    expect(exported.code).toBe(0);
    const documents = JSON.parse(await readFile(file, 'utf8')) as { profile: { name: string } }[];
    expect(documents.length).toBeGreaterThan(1);
    expect(exported.stderr).toContain(`exporting 1/${documents.length}: `);
    expect(exported.stderr).not.toMatch(/\u001b|█|░/); // no bar, no cursor codes in a log
    await writeFile(file, JSON.stringify(documents.map((document) => ({ ...document, profile: { ...document.profile, name: `${document.profile.name} (bulk)` } }))));
    const imported = await cli('import', file);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(`importing ${documents.length}/${documents.length}: `);
    expect(await countRows(db.sql, `config_profiles WHERE name LIKE '% (bulk)'`)).toBe(documents.length);
  }, SEVERAL_RUNS_MS);

  it('refuses a document the API would refuse with exit code 3, naming the fields, and writes nothing', async () => {
    const file = path.join(folder, 'bad.json');
    await writeFile(file, JSON.stringify({ format: 'switchboard.profile', format_version: 3, profile: { name: 'Bad', ai_infra: { llm_temperature: 7 } } }));
    const profiles = await countRows(db.sql, 'config_profiles');
    const refused = await json('import', file);
    expect(refused.code).toBe(3);
    expect(refused.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining('llm_temperature') })]));
    const text = await cli('import', file);
    expect(text.code).toBe(3);
    expect(text.stderr).toMatch(/llm_temperature/);
    const document = JSON.parse(await readFile(path.join(folder, 'default.json'), 'utf8'));
    await writeFile(file, JSON.stringify([{ ...document, profile: { ...document.profile, name: 'Twice' } }, { ...document, profile: { ...document.profile, name: 'twice' } }]));
    const twice = await json('import', file);
    expect(twice.code).toBe(3);
    expect(twice.body.error).toContain('two profiles named');
    await writeFile(file, JSON.stringify([
      { ...document, profile: { ...document.profile, name: 'Fine first' } },
      { ...document, profile: { ...document.profile, name: 'Bad template', prompts: { ...document.profile.prompts, user_prompt_template: 'Q: {topic}' } } },
    ]));
    const template = await json('import', file);
    expect(template.code).toBe(3);
    expect(template.body.errors[0].field).toBe('[1].profile.prompts.user_prompt_template');
    expect(await countRows(db.sql, `config_profiles WHERE name = 'Fine first'`)).toBe(0);
    await writeFile(file, '{ not json');
    expect((await cli('import', file)).code).toBe(3);
    expect((await cli('import', path.join(folder, 'missing.json'))).code).toBe(1);
    expect(await countRows(db.sql, 'config_profiles')).toBe(profiles);
  }, SEVERAL_RUNS_MS);

  it('creates a token that a running server accepts, lists it, and revokes it everywhere', async () => {
    const server = await startTestApp(db.url);
    try {
      const created = await json('tokens', 'create', '--name', 'deployer', '--role', 'editor');
      expect(created).toMatchObject({ code: 0, body: { name: 'deployer', role: 'editor', token: expect.stringMatching(/^sb_/) } });
      const me = await server.api(created.body.token).get('/api/auth/me').expect(200);
      expect(me.body).toMatchObject({ name: 'deployer', role: 'editor', via: 'token' });
      const listed = await json('tokens', 'list');
      expect(listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.body.id, name: 'deployer', revoked_at: null })]));
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

      const revoked = await json('tokens', 'revoke', String(created.body.id));
      expect(revoked).toMatchObject({ code: 0, body: { id: created.body.id, revoked_at: expect.any(String) } });
      await eventually(() => server.api(created.body.token).get('/api/auth/me').expect(401));
      expect((await cli('tokens', 'revoke', 'abc')).code).toBe(2);
      expect((await cli('tokens', 'create', '--name', 'x')).code).toBe(2);
      const badRole = await json('tokens', 'create', '--name', 'x', '--role', 'owner');
      expect(badRole.code).toBe(3);
      expect(badRole.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
      expect((await json('tokens', 'revoke', '999999')).code).toBe(1);
    } finally {
      await server.close();
    }
  }, SEVERAL_RUNS_MS);

  it("imports the slide generator's YAML folder as a profile, made default, with warnings; a refused value exits 3", async () => {
    const yaml = path.join(folder, 'yaml');
    await mkdir(yaml);
    await writeFile(path.join(yaml, 'config.yaml'), 'llm:\n  endpoint: databricks-llama\n  temperature: 0.4\n  max_tokens: 2000\n  seed: 7\n');
    await writeFile(path.join(yaml, 'mlflow.yaml'), 'tracking:\n  experiment_name: /Shared/from-yaml\n');
    const dry = await json('import-yaml', yaml, '--dry-run');
    expect(dry).toMatchObject({ code: 0, body: { dry_run: true, profile: null } });
    expect(await countRows(db.sql, `config_profiles WHERE name = 'migrated_from_yaml'`)).toBe(0);

    const imported = await json('import-yaml', yaml, '--set-default');
    expect(imported).toMatchObject({ code: 0, body: { profile: { name: 'migrated_from_yaml', is_default: true } } });
    expect(imported.body.warnings.map((warning: { field: string }) => warning.field)).toEqual(['prompts.yaml', 'config.yaml:llm.seed']);
    const { rows } = await db.sql.query(`SELECT a.llm_endpoint, a.llm_temperature::float AS llm_temperature FROM config_ai_infra a JOIN config_profiles p ON p.id = a.profile_id WHERE p.is_default`);
    expect(rows).toEqual([{ llm_endpoint: 'databricks-llama', llm_temperature: 0.4 }]);

    await writeFile(path.join(yaml, 'config.yaml'), 'llm:\n  temperature: 9\n');
    const refused = await json('import-yaml', yaml, '--name', 'too hot');
    expect(refused.code).toBe(3);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'config.yaml:llm.temperature' })]);
  }, SEVERAL_RUNS_MS);

  it('deletes profiles by name, keeping (and naming) the default and any it does not know, with exit code 1', async () => {
    const file = path.join(folder, 'to-delete.json');
    expect((await cli('export', '-o', file)).code).toBe(0);
    for (const name of ['Doomed 1', 'Doomed 2']) expect((await cli('import', file, '--rename', name)).code).toBe(0);
    const defaultName = (await db.sql.query('SELECT name FROM config_profiles WHERE is_default')).rows[0].name as string;
    const run = await json('profiles', 'delete', 'Doomed 1', 'doomed 2', defaultName, 'Nobody');
    expect(run.code).toBe(1);
    expect(run.body).toMatchObject({ deleted: 2, refused: 2 });
    expect(run.body.results.map((result: { name: string; status: number }) => [result.name, result.status])).toEqual([
      ['Doomed 1', 204],
      ['Doomed 2', 204],
      [defaultName, 409],
      ['Nobody', 404],
    ]);
    expect(await countRows(db.sql, `config_profiles WHERE name LIKE 'Doomed %'`)).toBe(0);
  }, SEVERAL_RUNS_MS);

  it('serves the API as npm run start:prod does, and stops cleanly on SIGTERM', async () => {
    const server = spawnServer({ DATABASE_URL: db.url, PORT: '0', SWITCHBOARD_ADMIN_TOKEN: 'sb_cli-serve-token-of-the-cli-spec' }, [CLI, 'serve']);
    try {
      const [, url] = await server.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const response = await fetch(`${url}/health/ready`);
      expect(response.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited()).toBe(0);
    expect(server.output()).toContain('Stopped cleanly');
  }, SEVERAL_RUNS_MS);

  it('reads an import from stdin, and reports a bad environment variable as a failure, not a crash', async () => {
    const document = JSON.parse(await readFile(path.join(folder, 'default.json'), 'utf8'));
    const fromStdin = await run(['--json', 'import', '-', '--rename', 'From stdin'], { stdin: JSON.stringify(document) });
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout).profiles[0].name).toBe('From stdin');

    const badPort = await run(['--json', 'profiles', 'list'], { env: { PORT: 'abc' } });
    expect(badPort.code).toBe(1);
    expect(JSON.parse(badPort.stdout).error).toMatch(/PORT/);
  }, SEVERAL_RUNS_MS);

  it('checks the database, migrations and LISTEN/NOTIFY with doctor', async () => {
    const { code, body } = await json('doctor');
    expect(code).toBe(0);
    expect(body.ok).toBe(true);
    expect(body.checks.map((check: { check: string; ok: boolean }) => [check.check, check.ok])).toEqual([
      ['database', true],
      ['migrations', true],
      ['listen/notify', true],
      ['environment overrides', true],
      ['secret key', true],
    ]);
    const unreachable = await run(['doctor'], { env: { DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(/FAIL\s+database/);
  });
});
