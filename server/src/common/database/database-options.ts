import { envInteger } from '../config/env.js';
import type { DataSourceOptions } from 'typeorm';

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/** Connections per instance (DATABASE_POOL_SIZE): the pool's size, and what the transaction gate leaves for reads. */
export function poolSize(env: NodeJS.ProcessEnv = process.env): number {
  return envInteger(env, 'DATABASE_POOL_SIZE', 10, { min: 1 });
}

/**
 * Options shared by the app, the TypeORM CLI and the tests. The schema changes only through
 * migrations: `synchronize` stays off and migrations never run implicitly.
 */
export function buildDataSourceOptions(
  url: string,
  entities: DataSourceOptions['entities'],
  migrations: DataSourceOptions['migrations'],
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // PostgreSQL 13+ has gen_random_uuid(); the app's role needs no right to create extensions.
    installExtensions: false,
    migrationsRun: false,
    // Not 'error': failed queries are logged with their parameters, and expected ones (a duplicate
    // name) become 409s. Unexpected failures reach the problem filter, which logs them with a stack.
    logging: ['warn', 'migration'],
    applicationName: 'switchboard',
    // A database that does not answer fails requests in seconds (503) instead of holding them.
    extra: { max: poolSize(), connectionTimeoutMillis: 5000 },
  };
}
