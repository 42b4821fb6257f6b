import type { Config } from 'jest';

// Native ESM (NestJS 12 is ESM-only): run through `node --experimental-vm-modules`.
const config: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'server/tsconfig.json' }],
  },
  testMatch: ['<rootDir>/server/src/**/*.spec.ts', '<rootDir>/server/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/server/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/server/test/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};

export default config;
