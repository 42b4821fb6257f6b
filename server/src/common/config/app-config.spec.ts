import path from 'node:path';
import { loadAppConfig } from './app-config.js';

describe('loadAppConfig', () => {
  it('defaults to 127.0.0.1:3000 with the embedded database under .data/', () => {
    expect(loadAppConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      listenDatabaseUrl: undefined,
      dataDir: path.resolve('.data'),
      embeddedPostgresPort: 54329,
      bodyLimitBytes: 2 * 1024 * 1024,
      corsOrigins: [],
      https: false,
    });
  });

  it('reads SWITCHBOARD_HTTPS as a flag', () => {
    expect(loadAppConfig({ SWITCHBOARD_HTTPS: 'true' }).https).toBe(true);
    expect(() => loadAppConfig({ SWITCHBOARD_HTTPS: 'yes' })).toThrow('SWITCHBOARD_HTTPS must be true or false, got "yes"');
  });

  it('reads PORT, HOST and DATABASE_URL', () => {
    expect(loadAppConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://h/db' })).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://h/db',
    });
  });

  it('refuses a port that is not a number, naming the variable', () => {
    expect(() => loadAppConfig({ PORT: 'eighty' })).toThrow('PORT must be a non-negative integer, got "eighty"');
  });
});
