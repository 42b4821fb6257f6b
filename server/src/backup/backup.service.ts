import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { CONFIG_RESYNC, ConfigResyncEvent, TOKENS_CHANGED } from '../common/events/config-events.js';
import { SecretBox } from '../domains/secrets/secret-box.js';
import type { RestoreReport } from './backup-format.js';
import { restoreBackup } from './backup-restore.js';
import { backupStream } from './backup-writer.js';

/** Largest backup a restore reads (compressed): far above 100 000 history entries (~10 MiB). */
export const RESTORE_MAX_BYTES = 1024 * 1024 * 1024;

/**
 * Backup and restore of everything, for the admin routes and the `switchboard` command alike.
 * A restore is not audited in the history it replaces (that would make the round trip inexact):
 * it is logged, with who asked for it.
 */
@Injectable()
export class BackupService {
  private readonly logger = new Logger(BackupService.name);
  private readonly secretKeyId = SecretBox.fromEnv().keyId;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {}

  backup(): Readable {
    return backupStream(this.dataSource, { secretKeyId: this.secretKeyId });
  }

  async restore(source: Readable, options: { force: boolean; dryRun: boolean }, actor: string): Promise<RestoreReport> {
    const report = await restoreBackup(this.dataSource, source, { ...options, secretKeyId: this.secretKeyId, maxBytes: RESTORE_MAX_BYTES });
    if (report.dry_run) return report;
    // The notification reaches every instance; this one forgets at once, before it answers.
    this.events.emit(TOKENS_CHANGED);
    this.events.emit(CONFIG_RESYNC, new ConfigResyncEvent('external', null, false));
    this.logger.warn(
      `${actor} restored the backup of ${report.backup.created_at} (${report.rows} rows${report.replaced_existing ? ', replacing what the database held' : ''}) in ${report.duration_ms} ms`,
    );
    return report;
  }
}
