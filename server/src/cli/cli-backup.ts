import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import type { RestoreReport } from '../backup/backup-format.js';
import { restoreBackup } from '../backup/backup-restore.js';
import { RESTORE_MAX_BYTES } from '../backup/backup.service.js';
import { backupStream } from '../backup/backup-writer.js';
import type { AppConfig } from '../common/config/app-config.js';
import { buildDataSourceOptions } from '../common/database/database-options.js';
import { SecretBox } from '../domains/secrets/secret-box.js';
import { ENTITIES } from '../entities.js';
import { cliActor, withDatabase } from './cli-commands.js';
import { CliFailure, type CliOutput } from './cli-output.js';

/**
 * Backup and restore work on the tables, not through the application: a restore into a new
 * database must find it empty, and starting the services would seed a default profile first.
 * They run the same code as GET /api/admin/backup and POST /api/admin/restore.
 */
async function withDataSource<T>(config: AppConfig, out: CliOutput, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  return withDatabase(config, out, async (database) => {
    const dataSource = await new DataSource({ ...buildDataSourceOptions(database.url, ENTITIES, MIGRATIONS), logging: ['error'] }).initialize();
    try {
      return await work(dataSource);
    } finally {
      await dataSource.destroy();
    }
  });
}

/** Written next to the file and renamed at the end: a backup that failed half-way never looks whole. */
export async function backup(config: AppConfig, out: CliOutput, file: string): Promise<void> {
  const started = performance.now();
  const partial = `${file}.partial`;
  const progress = out.rows('backing up');
  const tables: Record<string, number> = {};
  const secretKeyId = SecretBox.fromEnv().keyId;
  await withDataSource(config, out, async (dataSource) => {
    try {
      await pipeline(backupStream(dataSource, { secretKeyId, progress: { ...progress, table: (name, rows) => progress.table(name, (tables[name] = rows)) } }), createWriteStream(partial));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    } finally {
      progress.done();
    }
  });
  const rows = Object.values(tables).reduce((sum, count) => sum + count, 0);
  const { size } = await stat(file);
  const seconds = (performance.now() - started) / 1000;
  out.result({ file, bytes: size, rows, tables, secret_key_id: secretKeyId, duration_ms: Math.round(seconds * 1000) }, [
    `backed up ${rows} row(s) of ${Object.keys(tables).length} tables to ${file} (${formatBytes(size)}) in ${seconds.toFixed(1)} s.`,
  ]);
}

export async function restore(config: AppConfig, out: CliOutput, file: string, options: { dryRun?: boolean; force?: boolean }): Promise<void> {
  const source = file === '-' ? process.stdin : await openFile(file);
  const progress = out.rows(options.dryRun ? 'checking' : 'restoring');
  const report = await withDataSource(config, out, async (dataSource) => {
    try {
      return await restoreBackup(dataSource, source, {
        force: !!options.force,
        dryRun: !!options.dryRun,
        secretKeyId: SecretBox.fromEnv().keyId,
        maxBytes: RESTORE_MAX_BYTES,
        progress,
      });
    } finally {
      progress.done();
    }
  });
  out.result(report, [summary(report, file)]);
}

function summary(report: RestoreReport, file: string): string {
  const what = `${report.rows} row(s) of ${Object.keys(report.tables).length} tables from the backup of ${report.backup.created_at}`;
  if (report.dry_run) return `${file} is whole and fits this database: a restore would write ${what}${report.replaced_existing ? ', replacing what it holds' : ''} (dry run: nothing written).`;
  const missed = report.missed_schedules ? `; ${report.missed_schedules} schedule(s) whose time had passed marked failed, not run` : '';
  return `restored ${what}${report.replaced_existing ? ', replacing what the database held,' : ''} in ${(report.duration_ms / 1000).toFixed(1)} s by ${cliActor()}${missed}.`;
}

async function openFile(file: string): Promise<Readable> {
  await stat(file).catch(() => Promise.reject(new CliFailure(`Cannot read ${file}.`)));
  return createReadStream(file);
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
