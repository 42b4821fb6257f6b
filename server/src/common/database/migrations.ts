import { DataSource, type DataSourceOptions } from 'typeorm';

export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database has ${pending.length} pending migration(s): ${pending.join(', ')}.\n` +
        `Apply them first, with the same DATABASE_URL:\n` +
        `  npm run migration:run   or   npx switchboard migrate      (from a checkout)\n` +
        `  node dist/server/src/cli/main.js migrate                   (in the container image)`,
    );
  }
}

/** Applies every pending migration, logging each one, and ends with a one-line summary. */
export async function runPendingMigrations(options: DataSourceOptions, log: (line: string) => void): Promise<number> {
  const dataSource = await new DataSource({ ...options, logging: false }).initialize();
  try {
    const started = Date.now();
    const pending = await pendingMigrationNames(dataSource);
    pending.forEach((name, index) => log(`migration ${index + 1}/${pending.length}: ${name}`));
    await dataSource.runMigrations({ transaction: 'each' });
    log(`migrations: ${pending.length} applied, schema up to date (${Date.now() - started} ms)`);
    return pending.length;
  } finally {
    await dataSource.destroy();
  }
}

/** Refuses to go on while migrations are pending (the DATABASE_URL path: migrating is a deploy step). */
export async function assertNoPendingMigrations(options: DataSourceOptions): Promise<void> {
  const dataSource = await new DataSource({ ...options, logging: false }).initialize();
  try {
    const pending = await pendingMigrationNames(dataSource);
    if (pending.length) throw new PendingMigrationsError(pending);
  } finally {
    await dataSource.destroy();
  }
}

/** Every migration this build knows, applied or pending, oldest first. */
export async function migrationStatus(options: DataSourceOptions): Promise<{ applied: string[]; pending: string[] }> {
  const dataSource = await new DataSource({ ...options, logging: false }).initialize();
  try {
    const applied = await appliedMigrationNames(dataSource);
    const names = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
    return { applied: names.filter((name) => applied.has(name)), pending: names.filter((name) => !applied.has(name)) };
  } finally {
    await dataSource.destroy();
  }
}

async function pendingMigrationNames(dataSource: DataSource): Promise<string[]> {
  const applied = await appliedMigrationNames(dataSource);
  return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
}

async function appliedMigrationNames(dataSource: DataSource): Promise<Set<string>> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const exists = await dataSource.query(`SELECT to_regclass($1) AS t`, [table]);
  return new Set<string>(exists[0].t ? (await dataSource.query(`SELECT name FROM ${table}`)).map((r: { name: string }) => r.name) : []);
}
