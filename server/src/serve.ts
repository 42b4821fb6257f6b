import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { MIGRATIONS } from '../../migrations/index.js';
import { createApp } from './app.factory.js';
import { loadAppConfig } from './common/config/app-config.js';
import { buildDataSourceOptions } from './common/database/database-options.js';
import type { EmbeddedDatabase } from './common/database/embedded-postgres.js';
import { assertNoPendingMigrations, PendingMigrationsError, runPendingMigrations } from './common/database/migrations.js';
import { ENTITIES } from './entities.js';
import { releaseMemoryWhenIdle } from './common/process/idle-memory.js';
import { createAppLogger, PinoNestLogger } from './common/logging/app-logger.js';

const logger = new Logger('Switchboard');

/**
 * Without DATABASE_URL: start the embedded PostgreSQL (data under .data/), migrate, serve.
 * With DATABASE_URL: migrating is a deployment step, so refuse to start while any is pending.
 * Resolves once listening; the process then runs until SIGINT or SIGTERM.
 */
export async function serve(): Promise<void> {
  const config = loadAppConfig();
  const appLogger = createAppLogger();
  const nestLogger = new PinoNestLogger(appLogger);
  Logger.overrideLogger(nestLogger);
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;

  if (databaseUrl) {
    await assertNoPendingMigrations(buildDataSourceOptions(databaseUrl, ENTITIES, MIGRATIONS));
  } else {
    // Loaded only here: deployments with DATABASE_URL never touch the embedded binaries.
    const { startEmbeddedPostgres } = await import('./common/database/embedded-postgres.js');
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      preferredPort: config.embeddedPostgresPort,
      database: 'switchboard',
      log: (line) => logger.log(line),
    });
    logger.log(`Embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${config.dataDir}`);
    databaseUrl = embedded.url;
    await runPendingMigrations(buildDataSourceOptions(databaseUrl, ENTITIES, MIGRATIONS), (line) => logger.log(line));
  }

  const app = await createApp({
    databaseUrl,
    // Only with DATABASE_URL: the embedded database has no pooler in front of it.
    listenDatabaseUrl: config.databaseUrl ? config.listenDatabaseUrl : undefined,
    bodyLimitBytes: config.bodyLimitBytes,
    corsOrigins: config.corsOrigins,
    https: config.https,
    logger: nestLogger,
    accessLog: appLogger,
  });
  installShutdown(async () => {
    await app.close();
    await embedded?.stop();
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = address && typeof address === 'object' ? address.port : config.port; // PORT=0: the one the system chose
  logger.log(`Listening on http://${config.host}:${port}  (API /api/config, docs /docs)`);
  releaseMemoryWhenIdle();
}

/**
 * One ordered shutdown: stop serving and close the pool first, then stop PostgreSQL. The
 * embedded-postgres package registers its own signal handlers, which would stop the database
 * while requests are still in flight; ours replace them.
 */
function installShutdown(shutdown: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => {
      logger.log(`${signal} received, shutting down`);
      shutdown()
        .then(() => {
          logger.log('Stopped cleanly');
          process.exit(0);
        })
        .catch((error: unknown) => {
          logger.error(`Shutdown failed: ${String(error)}`);
          process.exit(1);
        });
    });
  }
}

/** A start-up failure, logged (without a stack when its message says all), then exit 1. */
export function failedToStart(error: unknown): never {
  if (error instanceof PendingMigrationsError || (error instanceof Error && error.name === 'EmbeddedPostgresAccessError')) {
    logger.error(error.message);
  } else {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(1);
}
