import path from 'node:path';
import { envFlag, envInteger } from './env.js';

export interface AppConfig {
  port: number;
  host: string;
  /** Unset: an embedded PostgreSQL is started with its data under `dataDir`. */
  databaseUrl?: string;
  /** DATABASE_LISTEN_URL: the primary itself, when DATABASE_URL goes through a pooler that drops LISTEN. */
  listenDatabaseUrl?: string;
  dataDir: string;
  embeddedPostgresPort: number;
  bodyLimitBytes: number;
  /** SWITCHBOARD_CORS_ORIGINS: comma-separated origins allowed to call the API from a browser. */
  corsOrigins: string[];
  /** SWITCHBOARD_HTTPS: clients reach the service over TLS (directly or through a proxy). */
  https: boolean;
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: envInteger(env, 'PORT', 3000, { min: 0 }),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    listenDatabaseUrl: env.DATABASE_LISTEN_URL || undefined,
    dataDir: path.resolve(env.SWITCHBOARD_DATA_DIR || '.data'),
    embeddedPostgresPort: envInteger(env, 'SWITCHBOARD_EMBEDDED_PG_PORT', 54329, { min: 0 }),
    bodyLimitBytes: envInteger(env, 'SWITCHBOARD_BODY_LIMIT_BYTES', 2 * 1024 * 1024, { min: 0 }),
    corsOrigins: origins(env.SWITCHBOARD_CORS_ORIGINS),
    https: envFlag(env, 'SWITCHBOARD_HTTPS'),
  };
}

function origins(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new Error(`SWITCHBOARD_CORS_ORIGINS: "${origin}" is not an origin such as https://console.example.com`);
      }
      if (url.origin !== origin.replace(/\/$/, '')) {
        throw new Error(`SWITCHBOARD_CORS_ORIGINS: "${origin}" must be an origin only (scheme, host, port), without a path`);
      }
      return url.origin;
    });
}
