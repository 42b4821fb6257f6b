import type { QueryRunner } from 'typeorm';

/** The newest migration applied to the database: what a backup's rows are shaped by. */
export async function latestMigration(runner: QueryRunner): Promise<string> {
  const [latest]: { name: string }[] = await runner.query('SELECT name FROM typeorm_migrations ORDER BY "timestamp" DESC LIMIT 1');
  return latest?.name ?? '(none)';
}

/** A table's columns in their order, as row_to_json writes them and `INSERT … SELECT *` expects them. */
export async function tableColumns(runner: QueryRunner, table: string): Promise<string[]> {
  const rows: { name: string }[] = await runner.query(
    'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
    [table],
  );
  return rows.map((row) => row.name);
}

