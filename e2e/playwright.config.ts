import { defineConfig } from '@playwright/test';
import { E2E_ADMIN_TOKEN, E2E_ENV_EXPERIMENT, E2E_SECRET_KEY } from './e2e-env.js';

const PORT = Number(process.env.E2E_PORT ?? 3100);

/**
 * Browser tests: Debian's Chromium (never a downloaded browser) against the compiled service,
 * started with a fresh embedded PostgreSQL in .data-e2e/, serving the built console at /. Build
 * first: `npm run build:server && npm run console:build` (npm run test:e2e does both).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-quic',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'rm -rf .data-e2e && node dist/server/src/main.js',
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/health/ready`,
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      SWITCHBOARD_DATA_DIR: '.data-e2e',
      SWITCHBOARD_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      SWITCHBOARD_SECRET_KEY: E2E_SECRET_KEY,
      NO_COLOR: '1',
      // One value set by the environment, so the console's locked-field display is tested for real.
      SWITCHBOARD__MLFLOW__EXPERIMENT_NAME: E2E_ENV_EXPERIMENT,
    },
    reuseExistingServer: false,
    timeout: 60_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
