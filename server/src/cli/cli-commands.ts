import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { MIGRATIONS } from '../../../migrations/index.js';
import { AppModule } from '../app.module.js';
import { loadAuthConfig } from '../auth/auth.config.js';
import type { AppConfig } from '../common/config/app-config.js';
import { CONFIG_CHANNEL } from '../common/events/config-events.js';
import { buildDataSourceOptions } from '../common/database/database-options.js';
import { assertNoPendingMigrations, migrationStatus, runPendingMigrations } from '../common/database/migrations.js';
import { createValidationPipe } from '../common/validation/validation-pipe.js';
import { SECRET_KEY_VARIABLE } from '../domains/secrets/secret-box.js';
import { ENTITIES } from '../entities.js';
import { ProfileExportDto } from '../profiles/dto/profile-document.dto.js';
import type { ProfileListItemDto } from '../profiles/dto/profile-responses.dto.js';
import { ProfileDocumentsService } from '../profiles/profile-documents.service.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { ConflictError, withFieldPrefix } from '../common/errors/domain-errors.js';
import { type CliDatabase, openCliDatabase } from './cli-database.js';
import { CliFailure, type CliOutput, EXIT } from './cli-output.js';

/** Who a command's writes are audited as: `cli:<operating-system user>`. */
export function cliActor(): string {
  return `cli:${userInfo().username}`;
}

/** Runs `work` on the database the environment names (see openCliDatabase), releasing it after. */
export async function withDatabase<T>(config: AppConfig, out: CliOutput, work: (database: CliDatabase) => Promise<T>): Promise<T> {
  const database = await openCliDatabase(config, (line) => out.progress(line));
  try {
    return await work(database);
  } finally {
    await database.release();
  }
}

/**
 * The server's own services, without its HTTP side: commands change profiles exactly as the API
 * does (same validation, same audit). Pending migrations are refused first, with the server's own refusal.
 */
export async function withServices<T>(config: AppConfig, out: CliOutput, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  return withDatabase(config, out, async (database) => {
    await assertNoPendingMigrations(buildDataSourceOptions(database.url, ENTITIES, MIGRATIONS));
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ databaseUrl: database.url, auth: { ...loadAuthConfig(), createFirstToken: false }, runSchedules: false }), { logger: false, abortOnError: false });
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  });
}

export async function migrate(config: AppConfig, out: CliOutput): Promise<void> {
  const applied = await withDatabase(config, out, (database) =>
    runPendingMigrations(buildDataSourceOptions(database.url, ENTITIES, MIGRATIONS), (line) => out.progress(line)),
  );
  out.result({ applied }, [`${applied} migration(s) applied; the schema is up to date.`]);
}

export async function migrateStatus(config: AppConfig, out: CliOutput): Promise<void> {
  const status = await withDatabase(config, out, (database) => migrationStatus(buildDataSourceOptions(database.url, ENTITIES, MIGRATIONS)));
  out.result(status, [
    ...status.applied.map((name) => `applied  ${name}`),
    ...status.pending.map((name) => `pending  ${name}`),
    `${status.applied.length} applied, ${status.pending.length} pending.`,
  ]);
}

export async function listProfiles(config: AppConfig, out: CliOutput): Promise<void> {
  const profiles = await withServices(config, out, (app) => allProfiles(app.get(ProfilesService)));
  const width = Math.max(4, ...profiles.map((profile) => profile.name.length));
  out.result(
    profiles.map(({ id, name, description, is_default, version, updated_at }) => ({ id, name, description, is_default, version, updated_at })),
    [
      `${'id'.padStart(5)}  ${'name'.padEnd(width)}  default  updated`,
      ...profiles.map((profile) => `${String(profile.id).padStart(5)}  ${profile.name.padEnd(width)}  ${profile.is_default ? 'yes    ' : '       '}  ${profile.updated_at}`),
      `${profiles.length} profile(s).`,
    ],
  );
}

/** Profiles by name, each deleted as the API deletes one (POST …/profiles/bulk-delete); exit 1 when any is left. */
export async function deleteProfiles(config: AppConfig, out: CliOutput, names: string[]): Promise<void> {
  const results = await withServices(config, out, async (app) => {
    const service = app.get(ProfilesService);
    const byName = new Map((await allProfiles(service)).map((profile) => [profile.name.toLowerCase(), profile]));
    const found = names.flatMap((name) => byName.get(name.toLowerCase()) ?? []);
    const { results } = await service.removeMany([...new Set(found.map((profile) => profile.id))], cliActor());
    const byId = new Map(results.map((result) => [result.id, result]));
    return names.map((name) => {
      const profile = byName.get(name.toLowerCase());
      if (!profile) return { name, id: null, status: 404, detail: `There is no profile named "${name}".` };
      const { status, detail } = byId.get(profile.id)!;
      return { name: profile.name, id: profile.id, status, detail };
    });
  });
  const deleted = results.filter((result) => result.status === 204).length;
  out.result({ deleted, refused: results.length - deleted, results }, [
    ...results.map((result) => (result.status === 204 ? `deleted  ${result.name}` : `kept     ${result.name}: ${result.detail}`)),
    `${deleted} of ${results.length} profile(s) deleted.`,
  ]);
  if (deleted < results.length) process.exitCode = EXIT.failed;
}

/** `--profile NAME`, `--all`, or (neither) the default profile; to a file or to stdout. */
export async function exportProfiles(config: AppConfig, out: CliOutput, options: { profile?: string; all?: boolean; output?: string }): Promise<void> {
  if (options.profile && options.all) throw new CliFailure('--profile and --all exclude each other.', EXIT.usage);
  const documents = await withServices(config, out, async (app) => {
    const profiles = await allProfiles(app.get(ProfilesService));
    const chosen = options.all ? profiles : profiles.filter((profile) => (options.profile ? profile.name.toLowerCase() === options.profile.toLowerCase() : profile.is_default));
    if (!chosen.length) throw new CliFailure(options.profile ? `There is no profile named "${options.profile}".` : 'There is no profile yet.');
    const exporter = app.get(ProfileDocumentsService);
    const exported = [];
    const steps = out.steps(chosen.length, 'exporting');
    for (const profile of chosen) {
      steps.next(profile.name);
      exported.push(await exporter.export(profile.id));
    }
    steps.done();
    return exported;
  });
  const text = `${JSON.stringify(options.all ? documents : documents[0], null, 2)}\n`;
  const names = documents.map((document) => document.profile.name);
  if (!options.output) {
    process.stdout.write(text);
    out.progress(`exported ${names.length} profile(s).`);
    return;
  }
  await writeFile(options.output, text);
  out.result({ file: options.output, profiles: names }, [`exported ${names.length} profile(s) to ${options.output}: ${names.join(', ')}.`]);
}

/**
 * A document `export` wrote (one profile, or the array of --all), checked exactly as
 * `POST /api/config/profiles/import` checks it. `--dry-run` stops after the checks and the names.
 */
export async function importProfiles(config: AppConfig, out: CliOutput, file: string, options: { rename?: string; dryRun?: boolean }): Promise<void> {
  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8').catch(() => Promise.reject(new CliFailure(`Cannot read ${file}.`)));
  const parsed = parseJson(text, file === '-' ? 'stdin' : file);
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (options.rename && items.length > 1) throw new CliFailure('--rename applies to a file of one profile.', EXIT.usage);
  const pipe = createValidationPipe(false);
  const documents: ProfileExportDto[] = [];
  for (const [index, item] of items.entries()) {
    try {
      documents.push((await pipe.transform(item, { type: 'body', metatype: ProfileExportDto })) as ProfileExportDto);
    } catch (error) {
      if (items.length > 1 && error instanceof Error && 'errors' in error) {
        for (const fieldError of (error as { errors: { field: string }[] }).errors) fieldError.field = `[${index}].${fieldError.field}`;
      }
      throw error;
    }
  }
  const imported = await withServices(config, out, async (app) => {
    const taken = new Set((await allProfiles(app.get(ProfilesService))).map((profile) => profile.name.toLowerCase()));
    const names = documents.map((document) => options.rename ?? document.profile.name);
    const clash = names.find((name) => taken.has(name.toLowerCase()));
    if (clash) throw new CliFailure(`A profile named "${clash}" already exists; import it under another name (--rename).`, EXIT.invalid, [{ field: 'name', message: 'is taken' }]);
    const twice = names.find((name, index) => names.findIndex((other) => other.toLowerCase() === name.toLowerCase()) !== index);
    if (twice) throw new CliFailure(`The file holds two profiles named "${twice}" (names are case-insensitive).`, EXIT.invalid, [{ field: 'name', message: 'appears twice' }]);
    const documentsService = app.get(ProfileDocumentsService);
    for (const [index, document] of documents.entries()) {
      await withFieldPrefix(documents.length > 1 ? `[${index}].` : '', () => documentsService.checkPromptTemplates(document));
    }
    if (options.dryRun) return names.map((name) => ({ id: null, name }));
    const importer = app.get(ProfileDocumentsService);
    const created = [];
    const steps = out.steps(documents.length, 'importing');
    for (const [index, document] of documents.entries()) {
      steps.next(names[index]!);
      const profile = await importer.import(document, options.rename, cliActor());
      created.push({ id: profile.id as number | null, name: profile.name });
    }
    steps.done();
    return created;
  });
  const verb = options.dryRun ? 'would import' : 'imported';
  out.result({ dry_run: !!options.dryRun, profiles: imported }, [`${verb} ${imported.length} profile(s): ${imported.map((profile) => profile.name).join(', ')}${options.dryRun ? ' (dry run: nothing written)' : ''}.`]);
}

/** config.yaml, mlflow.yaml and prompts.yaml of a folder (those there are) as a new profile: POST /api/config/import/yaml. */
export async function importLegacyYaml(config: AppConfig, out: CliOutput, folder: string, options: { name?: string; setDefault?: boolean; dryRun?: boolean }): Promise<void> {
  const read = (file: string) => readFile(path.join(folder, file), 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
  const files = { config_yaml: await read('config.yaml'), mlflow_yaml: await read('mlflow.yaml'), prompts_yaml: await read('prompts.yaml') };
  if (!files.config_yaml && !files.mlflow_yaml && !files.prompts_yaml) throw new CliFailure(`${folder} holds none of config.yaml, mlflow.yaml and prompts.yaml.`, EXIT.invalid);
  const result = await withServices(config, out, (app) => app.get(ProfileDocumentsService).importLegacyYaml(files, options, cliActor())).catch((error: unknown) => {
    // A taken name is input to change (--name), as for import; nothing was written.
    throw error instanceof ConflictError ? new CliFailure(error.message.replace('(name)', '(--name)'), EXIT.invalid, [{ field: 'name', message: 'is taken' }]) : error;
  });
  const name = result.profile?.name ?? result.document.profile.name;
  out.result({ dry_run: !!options.dryRun, profile: result.profile && { id: result.profile.id, name, is_default: result.profile.is_default }, warnings: result.warnings }, [
    ...result.warnings.map((warning) => `warning  ${warning.field}: ${warning.message}`),
    options.dryRun
      ? `would import profile "${name}" (dry run: nothing written); ${result.warnings.length} warning(s).`
      : `imported profile "${name}" (id ${result.profile!.id}${result.profile!.is_default ? ', now the default' : ''}); ${result.warnings.length} warning(s).`,
  ]);
}

interface DoctorCheck {
  check: string;
  ok: boolean;
  detail: string;
}

/** What an operator checks first: the database, its migrations, LISTEN/NOTIFY, overrides, the secret key. */
export async function doctor(config: AppConfig, out: CliOutput): Promise<void> {
  const checks: DoctorCheck[] = [];
  await withDatabase(config, out, async (database) => {
    const client = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined); // a connection lost meanwhile fails the query in progress, reported below
    try {
      await client.connect();
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      checks.push({ check: 'database', ok: true, detail: `PostgreSQL ${rows[0]!.server_version} via ${database.source}` });
      const { pending } = await migrationStatus(buildDataSourceOptions(database.url, ENTITIES, MIGRATIONS));
      checks.push({ check: 'migrations', ok: pending.length === 0, detail: pending.length ? `${pending.length} pending: run switchboard migrate` : 'none pending' });
      checks.push(await listenCheck(client, config.listenDatabaseUrl ?? database.url));
    } catch (error) {
      checks.push({ check: 'database', ok: false, detail: `${database.source}: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      await client.end().catch(() => undefined);
    }
  });
  const overrides = Object.keys(process.env).filter((name) => name.startsWith('SWITCHBOARD__')).sort();
  checks.push({ check: 'environment overrides', ok: true, detail: overrides.length ? `in effect: ${overrides.join(', ')}` : 'none' });
  const key = process.env[SECRET_KEY_VARIABLE]?.trim();
  checks.push({
    check: 'secret key',
    ok: true,
    detail: key ? `${SECRET_KEY_VARIABLE} is set` : `${SECRET_KEY_VARIABLE} is not set: registered domains cannot store secrets`,
  });
  const failed = checks.filter((check) => !check.ok);
  out.result({ ok: failed.length === 0, checks }, [
    ...checks.map((check) => `${check.ok ? 'ok  ' : 'FAIL'}  ${check.check}: ${check.detail}`),
    failed.length ? `${failed.length} check(s) failed.` : 'all checks passed.',
  ]);
  if (failed.length) process.exitCode = EXIT.failed;
}

/** A NOTIFY on the change channel must come back to a LISTEN on the URL the server listens with. */
async function listenCheck(sender: pg.Client, listenUrl: string): Promise<DoctorCheck> {
  const listener = new pg.Client({ connectionString: listenUrl, connectionTimeoutMillis: 5000 });
  let lost: Error | undefined;
  listener.on('error', (error) => (lost = error));
  try {
    await listener.connect();
    await listener.query(`LISTEN ${CONFIG_CHANNEL}`);
    const probe = JSON.stringify({ kind: 'probe', id: randomUUID() });
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 3000);
      listener.on('notification', (message) => {
        if (message.payload === probe) {
          clearTimeout(timer);
          resolve(true);
        }
      });
    });
    // Instances count a probe as heard and do nothing with it (config-listener.service.ts).
    await sender.query('SELECT pg_notify($1, $2)', [CONFIG_CHANNEL, probe]);
    const ok = await heard;
    if (lost) return { check: 'listen/notify', ok: false, detail: `the listening connection was lost: ${lost.message}` };
    return { check: 'listen/notify', ok, detail: ok ? 'a notification came back' : 'no notification within 3 s: instances would not hear changes' };
  } catch (error) {
    return { check: 'listen/notify', ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    await listener.end().catch(() => undefined);
  }
}

async function allProfiles(profiles: ProfilesService): Promise<ProfileListItemDto[]> {
  const all: ProfileListItemDto[] = [];
  for (;;) {
    const { items, total } = await profiles.list({ limit: 500, offset: all.length });
    all.push(...items);
    if (!items.length || all.length >= total) return all;
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliFailure(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`, EXIT.invalid);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
