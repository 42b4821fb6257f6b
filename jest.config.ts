import Module from 'node:module';
import type { Config } from 'jest';

// Jest loads globalSetup/globalTeardown through Node's CommonJS resolver, which ignores
// moduleNameMapper: give it the same './x.js' -> './x.ts' mapping for our own sources.
type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve };
const resolveFilename = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = function (this: unknown, request, ...rest) {
  try {
    return resolveFilename.call(this, request, ...rest);
  } catch (error) {
    if (!/^\.{1,2}\/.*\.js$/.test(request)) throw error;
    return resolveFilename.call(this, request.replace(/\.js$/, '.ts'), ...rest);
  }
};

// Native ESM (NestJS 12 is ESM-only): run through `node --experimental-vm-modules`.
const config: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'server/tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
    // @fastify/static (CommonJS, serves Swagger UI) requires the ESM-only content-disposition 3;
    // Node 20 can, but Jest's module system cannot require() ESM before Node 24.9: compile it.
    '/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  testMatch: ['<rootDir>/server/src/**/*.spec.ts', '<rootDir>/server/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/server/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/server/test/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};

export default config;
