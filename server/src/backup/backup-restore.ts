import type { Readable } from 'node:stream';
import type { DataSource, QueryRunner } from 'typeorm';
import { CONFIG_CHANNEL } from '../common/events/config-events.js';
import { ConflictError, DatabaseBusyError, DomainError, ForbiddenError, UnprocessableError } from '../common/errors/domain-errors.js';
import { SECRET_KEY_VARIABLE } from '../domains/secrets/secret-box.js';
import { BackupFile } from './backup-file.js';
import { BACKUP_TABLES, type BackupHeader, type BackupProgress, NO_PROGRESS, type RestoreReport, type SequenceState } from './backup-format.js';
import { latestMigration, tableColumns } from './backup-schema.js';

const INSERT_BATCH_ROWS = 500;
const INSERT_BATCH_CHARS = 4 * 1024 * 1024;
/** How long a restore waits for running transactions to let go of the tables. */
const LOCK_TIMEOUT = '10s';

export interface RestoreOptions {
  /** Replace what the database holds; without it a non-empty database is refused (409). */
  force: boolean;
  /** Read and check the whole file, and whether the database would take it; write nothing. */
  dryRun: boolean;
  /** This server's key (SecretBox.keyId): the backup's secrets must have been encrypted with it. */
  secretKeyId: string | null;
  maxBytes: number;
  progress?: BackupProgress;
}

/**
 * Restores a backup in one transaction: the tables are locked, emptied when `force` allows it,
 * filled with the backup's rows as they were (ids, versions, timestamps, history) and the sequences
 * set where they were. Triggers are off meanwhile, because they exist to audit, number and announce
 * new writes and these are not new; one notification at the commit tells every instance to reload.
 * The checksum is checked at the end of the file, before the commit: a damaged file changes nothing.
 */
export async function restoreBackup(dataSource: DataSource, source: Readable, options: RestoreOptions): Promise<RestoreReport> {
  const started = performance.now();
  const progress = options.progress ?? NO_PROGRESS;
  const file = new BackupFile(source, options.maxBytes);
  const runner = dataSource.createQueryRunner();
  let inTransaction = false;
  try {
    const header = await file.header();
    await runner.connect();
    await checkHeader(runner, header, options.secretKeyId);
    if (!options.dryRun) {
      await runner.query('BEGIN');
      inTransaction = true;
      await runner.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      await runner.query(`LOCK TABLE ${tableList()} IN ACCESS EXCLUSIVE MODE`);
      // Rows come in id order: a profile may come before the parent it inherits from (checked at the end).
      await runner.query('SET CONSTRAINTS config_profiles_parent_profile_id_fkey DEFERRED');
    }
    const existing = await existingContents(runner);
    if (existing && !options.force) {
      throw new ConflictError(`The database is not empty (${existing}). A restore replaces everything in it: ask for it with force (switchboard restore --force, or ?force=true).`);
    }
    if (!options.dryRun) {
      // Triggers off first: their TRUNCATE notifications would announce a second reload at the commit.
      for (const { name } of BACKUP_TABLES) await runner.query(`ALTER TABLE ${name} DISABLE TRIGGER USER`);
      // Probes are not backed up, but name the profiles being replaced: they go with them.
      if (existing) await runner.query(`TRUNCATE ${tableList()}, llm_probes`);
      // Delivery records name history ids the restore is about to hand out again.
      await runner.query('TRUNCATE config_change_applied');
    }
    const tables: Record<string, number> = {};
    for (const { name } of BACKUP_TABLES) tables[name] = await restoreTable(runner, file, name, options.dryRun, progress);
    const sequences = await file.control('@sequences');
    const end = await file.end();
    let missedSchedules = 0;
    if (!options.dryRun) {
      await restoreSequences(runner, file, sequences);
      missedSchedules = await failMissedSchedules(runner, header.created_at);
      // Deferred keys (a pinned session's into the history) are checked now: their pending checks would block ALTER TABLE.
      await runner.query('SET CONSTRAINTS ALL IMMEDIATE');
      for (const { name } of BACKUP_TABLES) await runner.query(`ALTER TABLE ${name} ENABLE TRIGGER USER`);
      // Delivered at the commit: every instance drops what it cached (profiles, tokens, sessions).
      await runner.query('SELECT pg_notify($1, $2), pg_notify($1, $3)', [CONFIG_CHANNEL, JSON.stringify({ kind: 'external', profile_id: null }), JSON.stringify({ kind: 'tokens' })]);
      await runner.query('COMMIT');
      inTransaction = false;
    }
    return {
      dry_run: options.dryRun,
      replaced_existing: !!existing,
      backup: { schema: header.schema, created_at: header.created_at, switchboard_version: header.switchboard_version },
      tables,
      rows: end.rows,
      missed_schedules: missedSchedules,
      duration_ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    throw restoreError(error);
  } finally {
    if (inTransaction) await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
    file.close();
  }
}

async function checkHeader(runner: QueryRunner, header: BackupHeader, secretKeyId: string | null): Promise<void> {
  const schema = await latestMigration(runner);
  if (header.schema !== schema) {
    throw new UnprocessableError(
      `The backup was made at schema ${header.schema} (Switchboard ${header.switchboard_version}); this database is at ${schema}. ` +
        'Restore it with the Switchboard version that made it, then upgrade with switchboard migrate.',
      [{ field: 'backup', message: `schema ${header.schema} differs from the database's ${schema}` }],
    );
  }
  if (header.encrypted_value_rows === 0) return;
  // A backup made without the key in its environment cannot say which key: then any key is taken.
  const needed = header.secret_key_id ? `the key whose id is ${header.secret_key_id}` : 'the key of the server it was made from';
  if (!secretKeyId || (header.secret_key_id && header.secret_key_id !== secretKeyId)) {
    const here = secretKeyId ? `is another key (id ${secretKeyId})` : 'is not set';
    throw new UnprocessableError(
      `The backup holds secrets encrypted with ${needed}; this server's ${SECRET_KEY_VARIABLE} ${here}. Set the key the backup was made with, then restore.`,
      [{ field: 'backup', message: `needs ${SECRET_KEY_VARIABLE}: ${needed}` }],
    );
  }
}

/** What the database holds, for people ("3 profiles, 120 history entries"), or '' when it is empty. */
async function existingContents(runner: QueryRunner): Promise<string> {
  const [counts]: Record<string, number>[] = await runner.query(`
    SELECT (SELECT count(*) FROM config_profiles)::int AS "profile(s)",
           (SELECT count(*) FROM config_domains)::int AS "registered domain(s)",
           (SELECT count(*) FROM config_history)::int AS "history entries",
           (SELECT count(*) FROM api_tokens)::int AS "API token(s)",
           (SELECT count(*) FROM agent_sessions)::int AS "agent session(s)"`);
  return Object.entries(counts!)
    .filter(([, count]) => count > 0)
    .map(([what, count]) => `${count} ${what}`)
    .join(', ');
}

async function restoreTable(runner: QueryRunner, file: BackupFile, name: string, dryRun: boolean, progress: BackupProgress): Promise<number> {
  const section = await file.control('@table');
  if (section.name !== name) throw file.invalid(`expected the rows of ${name}, found ${section.name}`);
  const columns = await tableColumns(runner, name);
  if (section.columns.join() !== columns.join()) throw file.invalid(`the columns of ${name} (${section.columns.join(', ')}) are not this database's (${columns.join(', ')})`);
  progress.table(name, section.rows);
  let batch: string[] = [];
  let chars = 0;
  const flush = async () => {
    if (!batch.length) return;
    if (dryRun) batch.forEach((row) => checkRowJson(file, row));
    else await insertRows(runner, file, name, batch);
    progress.rows(batch.length);
    batch = [];
    chars = 0;
  };
  for (let index = 0; index < section.rows; index++) {
    const row = await file.row(name);
    batch.push(row);
    chars += row.length;
    if (batch.length >= INSERT_BATCH_ROWS || chars >= INSERT_BATCH_CHARS) await flush();
  }
  await flush();
  return section.rows;
}

/** The rows' text straight into PostgreSQL, which reads each back into the table's own types. */
async function insertRows(runner: QueryRunner, file: BackupFile, table: string, rows: string[]): Promise<void> {
  try {
    await runner.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`, [`[${rows.join(',')}]`]);
  } catch (error) {
    if (error instanceof Error && 'code' in error && /^(22|23)/.test(String(error.code))) {
      throw file.invalid(`a row of ${table} in lines ${file.line - rows.length + 1}–${file.line} does not fit the table: ${error.message}`);
    }
    throw error;
  }
}

function checkRowJson(file: BackupFile, row: string): void {
  try {
    JSON.parse(row);
  } catch {
    throw file.invalid('a row is not JSON');
  }
}

async function restoreSequences(runner: QueryRunner, file: BackupFile, sequences: SequenceState[]): Promise<void> {
  for (const sequence of sequences) {
    const [known]: unknown[] = await runner.query('SELECT 1 FROM pg_sequences WHERE schemaname = current_schema() AND sequencename = $1', [sequence.name]);
    if (!known) throw file.invalid(`this database has no sequence ${sequence.name}`);
    await runner.query('SELECT setval($1::regclass, $2::bigint, $3)', [sequence.name, sequence.last_value, sequence.is_called]);
  }
}

function tableList(): string {
  return BACKUP_TABLES.map((table) => table.name).join(', ');
}

/**
 * A schedule the backup holds as pending whose time passed while the backup lay on disk would run
 * at once, late and unasked, on a database that has moved on: it is marked failed, saying why, and
 * can be scheduled again. Returns how many.
 */
async function failMissedSchedules(runner: QueryRunner, backupCreatedAt: string): Promise<number> {
  const [, count]: [unknown, number] = await runner.query(
    `UPDATE config_schedules SET status = 'failed', finished_at = now(), last_error = $1 WHERE status = 'pending' AND run_at <= now()`,
    [`Not run: its time passed while it was in a backup (made ${backupCreatedAt}, restored later). Schedule it again if it still applies.`],
  );
  return count;
}

function restoreError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === '55P03') return new DatabaseBusyError('other transactions held the tables a restore replaces');
  // PostgreSQL broke a deadlock with a transaction that locked these tables meanwhile (a scheduled change running) by ending the restore.
  if (code === '40P01') return new DatabaseBusyError('a change running meanwhile locked the same tables');
  if (code === '42501') {
    return new ForbiddenError('The database user may not replace the tables (a restore disables their triggers): restore as the user that owns them, the one migrations run as.');
  }
  return error;
}
