import type { TestServer } from './test-postgres.js';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __switchboardTestServer?: TestServer }).__switchboardTestServer?.stop();
}
