import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ADMIN_URL_VAR, TEMPLATE_DATABASE, adminQuery, withDatabase } from './test-postgres.js';

export interface TestDatabase {
  name: string;
  url: string;
  /** A connected client for raw SQL; closed by drop(). */
  sql: pg.Client;
  drop(): Promise<void>;
}

/**
 * A database of its own for one spec file: a clone of the migrated template, or an empty one
 * (`{ migrated: false }`) for the migration tests. Files run in parallel without sharing state.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = process.env[ADMIN_URL_VAR];
  if (!adminUrl) throw new Error(`${ADMIN_URL_VAR} is not set: run the tests through jest's global setup (npm test)`);
  const name = `switchboard_test_${randomBytes(5).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : TEMPLATE_DATABASE;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabase(adminUrl, name);
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  return {
    name,
    url,
    sql,
    drop: async () => {
      await sql.end();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Runs a statement that must fail and returns the PostgreSQL error it failed with. */
export async function expectPgError(client: pg.Client, text: string, values: unknown[] = []): Promise<pg.DatabaseError> {
  try {
    await client.query(text, values);
  } catch (error) {
    if (error instanceof pg.DatabaseError) return error;
    throw error;
  }
  throw new Error(`expected the statement to fail: ${text}`);
}
