import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { type AuthConfig, loadAuthConfig } from '../../src/auth/auth.config.js';
import { ENVIRONMENT_ADMIN } from '../../src/auth/authenticator.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** The admin token every test app accepts (as SWITCHBOARD_ADMIN_TOKEN), and the name it records. */
export const TEST_ADMIN_TOKEN = 'sb_test-admin-token-of-the-e2e-specs';
export const TEST_ADMIN_NAME = ENVIRONMENT_ADMIN;

export interface TestApp {
  app: NestFastifyApplication;
  /** http://127.0.0.1:<port> of the running app. */
  baseUrl: string;
  /** Requests to the app carrying `Authorization: Bearer <token>` (the admin token by default). */
  api(token?: string): request.Agent;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Variables the app reads while it starts (LLM, Databricks, overrides), set for that time only. */
  env?: Record<string, string>;
  bodyLimitBytes?: number;
  corsOrigins?: string[];
  https?: boolean;
  auth?: Partial<AuthConfig>;
  /** A built admin console to serve at `/`; none by default. */
  consoleDir?: string;
  /** The connection that LISTENs for changes, when it should differ from the pool's. */
  listenDatabaseUrl?: string;
}

/**
 * The real application on a real port (127.0.0.1 only), against the given database. Writes are
 * not rate-limited unless a test sets `auth.writeLimit`.
 */
export async function startTestApp(databaseUrl: string, options: TestAppOptions = {}): Promise<TestApp> {
  // The defaults of an empty environment, whatever the test process's own environment holds.
  const auth: AuthConfig = { ...loadAuthConfig({}), adminToken: TEST_ADMIN_TOKEN, writeLimit: 1_000_000, ...options.auth };
  const app = await withEnv(options.env ?? {}, () =>
    createApp({
      databaseUrl,
      listenDatabaseUrl: options.listenDatabaseUrl,
      logger: ['error', 'warn'],
      bodyLimitBytes: options.bodyLimitBytes,
      corsOrigins: options.corsOrigins,
      https: options.https,
      auth,
      consoleDir: options.consoleDir ?? null,
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('the test app has no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    api: (token = TEST_ADMIN_TOKEN) => request.agent(baseUrl).set('Authorization', `Bearer ${token}`),
    close: () => app.close(),
  };
}

export interface AppWithDatabase {
  db: TestDatabase;
  server: TestApp;
  /** Id of the seeded default profile. */
  defaultProfileId: number;
}

/**
 * The usual spec set-up: a database of its own, the app on it, and the seeded default profile's
 * id, filled in by beforeAll and torn down by afterAll.
 */
export function useAppWithDatabase(): AppWithDatabase {
  const context = {} as AppWithDatabase;
  beforeAll(async () => {
    context.db = await createTestDatabase();
    context.server = await startTestApp(context.db.url);
    context.defaultProfileId = (await context.db.sql.query('SELECT id FROM config_profiles WHERE is_default')).rows[0].id;
  });
  afterAll(async () => {
    await context.server.close();
    await context.db.drop();
  });
  return context;
}

async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    process.env = saved;
  }
}
