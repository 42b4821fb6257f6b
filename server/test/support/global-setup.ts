import { ADMIN_URL_VAR, createMigratedTemplate, startTestServer } from './test-postgres.js';

/** One PostgreSQL server and one migrated template for the whole run; workers inherit the URL. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const server = await startTestServer((line) => process.stdout.write(`\n[test-db] ${line}`));
  await createMigratedTemplate(server.adminUrl);
  process.env[ADMIN_URL_VAR] = server.adminUrl;
  (globalThis as { __switchboardTestServer?: typeof server }).__switchboardTestServer = server;
  process.stdout.write(`\n[test-db] template migrated (${Date.now() - started} ms)\n`);
}
