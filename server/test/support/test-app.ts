import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory.js';

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
