import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** http://127.0.0.1:<port> of the running app. */
  baseUrl: string;
  close(): Promise<void>;
}

/** The real application on a real port (127.0.0.1 only), against the given database. */
export async function startTestApp(databaseUrl: string, options: { bodyLimitBytes?: number } = {}): Promise<TestApp> {
  const app = await createApp({ databaseUrl, logger: ['error', 'warn'], ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('the test app has no TCP address');
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
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
