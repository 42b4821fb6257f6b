import { createHash } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { DataSource, QueryRunner } from 'typeorm';
import { readPackageInfo } from '../common/config/package-info.js';
import { ENVELOPE_PREFIX } from '../domains/secrets/secret-box.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BACKUP_TABLES,
  type BackupProgress,
  type ControlLine,
  controlLine,
  NO_PROGRESS,
  type SequenceState,
} from './backup-format.js';
import { latestMigration, tableColumns } from './backup-schema.js';

/** Rows fetched from the cursor at a time: memory stays flat whatever the size of the history. */
const FETCH_ROWS = 1000;

export interface BackupOptions {
  secretKeyId: string | null;
  progress?: BackupProgress;
}

/**
 * The whole database as a gzip stream of JSON lines (backup-format.ts), read in one REPEATABLE READ
 * snapshot so that it is consistent without stopping writers. Rows come from a cursor, a thousand
 * at a time. Destroying the stream (a client that goes away) ends the transaction and frees the connection.
 */
export function backupStream(dataSource: DataSource, options: BackupOptions): Readable {
  const gzip = createGzip();
  // pipeline, not pipe: a failure on either side destroys both, so a broken backup never looks finished.
  pipeline(Readable.from(backupLines(dataSource, options)), gzip, () => undefined);
  return gzip;
}

async function* backupLines(dataSource: DataSource, { secretKeyId, progress = NO_PROGRESS }: BackupOptions): AsyncGenerator<string> {
  const runner = dataSource.createQueryRunner();
  const checksum = createHash('sha256');
  let rows = 0;
  let committed = false;
  const emit = (line: string) => {
    checksum.update(line);
    return line;
  };
  try {
    await runner.connect();
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [{ encrypted }]: { encrypted: number }[] = await runner.query(
      `SELECT count(*)::int AS encrypted FROM config_domain_values WHERE "values"::text LIKE $1`,
      [`%"${ENVELOPE_PREFIX}%`],
    );
    yield emit(
      controlLine({
        '@header': {
          format: BACKUP_FORMAT,
          format_version: BACKUP_FORMAT_VERSION,
          schema: await latestMigration(runner),
          created_at: new Date().toISOString(),
          switchboard_version: readPackageInfo().version,
          secret_key_id: secretKeyId,
          encrypted_value_rows: encrypted,
        },
      }),
    );
    for (const table of BACKUP_TABLES) {
      const [{ count }]: { count: number }[] = await runner.query(`SELECT count(*)::int AS count FROM ${table.name}`);
      progress.table(table.name, count);
      yield emit(controlLine({ '@table': { name: table.name, columns: await tableColumns(runner, table.name), rows: count } }));
      for await (const batch of tableRows(runner, table.name, table.orderBy)) {
        rows += batch.length;
        progress.rows(batch.length);
        yield emit(batch.join(''));
      }
    }
    yield emit(controlLine({ '@sequences': await sequenceStates(runner) }));
    await runner.query('COMMIT');
    committed = true;
    yield controlLine({ '@end': { rows, sha256: checksum.digest('hex') } } satisfies ControlLine);
  } finally {
    if (!committed) await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}

/** One table's rows as lines. Raw newlines can only be whitespace of `json` columns: they become spaces. */
async function* tableRows(runner: QueryRunner, table: string, orderBy: string): AsyncGenerator<string[]> {
  await runner.query(`DECLARE backup_rows NO SCROLL CURSOR FOR SELECT translate(row_to_json(t)::text, E'\\n\\r', '  ') AS line FROM ${table} t ORDER BY ${orderBy}`);
  for (;;) {
    const batch: { line: string }[] = await runner.query(`FETCH ${FETCH_ROWS} FROM backup_rows`);
    if (!batch.length) break;
    yield batch.map(({ line }) => `${line}\n`);
  }
  await runner.query('CLOSE backup_rows');
}

async function sequenceStates(runner: QueryRunner): Promise<SequenceState[]> {
  const sequences: { name: string }[] = await runner.query(
    `SELECT sequencename AS name FROM pg_sequences WHERE schemaname = current_schema() AND sequencename <> 'typeorm_migrations_id_seq' ORDER BY 1`,
  );
  const states: SequenceState[] = [];
  for (const { name } of sequences) {
    const [state]: { last_value: string; is_called: boolean }[] = await runner.query(`SELECT last_value::text, is_called FROM ${name}`);
    states.push({ name, last_value: state!.last_value, is_called: state!.is_called });
  }
  return states;
}
