import type { DataSourceOptions } from 'typeorm';

export const MIGRATIONS_TABLE = 'typeorm_migrations';

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
    logging: ['error', 'warn', 'migration'],
    applicationName: 'switchboard',
    extra: { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) },
  };
}
