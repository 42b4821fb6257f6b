import path from 'node:path';

export interface AppConfig {
  port: number;
  host: string;
  /** Unset: an embedded PostgreSQL is started with its data under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  embeddedPostgresPort: number;
  bodyLimitBytes: number;
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: integer(env, 'PORT', 3000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.SWITCHBOARD_DATA_DIR || '.data'),
    embeddedPostgresPort: integer(env, 'SWITCHBOARD_EMBEDDED_PG_PORT', 54329),
    bodyLimitBytes: integer(env, 'SWITCHBOARD_BODY_LIMIT_BYTES', 2 * 1024 * 1024),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}
