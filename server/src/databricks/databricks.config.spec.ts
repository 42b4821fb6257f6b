import { DEFAULT_FALLBACK_ENDPOINTS, loadDatabricksConfig } from './databricks.config.js';

describe('loadDatabricksConfig', () => {
  it('is unconfigured by default, with a 5 s timeout and the built-in fallback endpoints', () => {
    expect(loadDatabricksConfig({})).toEqual({
      host: undefined,
      token: undefined,
      timeoutMs: 5000,
      fallbackEndpoints: DEFAULT_FALLBACK_ENDPOINTS,
    });
  });

  it.each([
    ['https://adb-1.2.azuredatabricks.net/', 'https://adb-1.2.azuredatabricks.net'],
    ['  https://Example.cloud.databricks.com//  ', 'https://example.cloud.databricks.com'],
    ['https://example.cloud.databricks.com/?o=1234#', 'https://example.cloud.databricks.com'],
    ['example.cloud.databricks.com', 'https://example.cloud.databricks.com'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['http://localhost:9000', 'http://localhost:9000'],
  ])('normalises DATABRICKS_HOST %j to %j', (raw, host) => {
    expect(loadDatabricksConfig({ DATABRICKS_HOST: raw }).host).toBe(host);
  });

  it.each(['http://example.cloud.databricks.com', 'http://10.0.0.5', 'ftp://example.com'])(
    'refuses %j: the token may only travel over https or to this machine',
    (raw) => {
      expect(() => loadDatabricksConfig({ DATABRICKS_HOST: raw })).toThrow(/DATABRICKS_HOST must use https:\/\//);
    },
  );

  it('refuses a host with a path or with credentials', () => {
    expect(() => loadDatabricksConfig({ DATABRICKS_HOST: 'https://h.example/api/2.0' })).toThrow('without a path');
    expect(() => loadDatabricksConfig({ DATABRICKS_HOST: 'https://u:p@h.example' })).toThrow('must not contain credentials');
  });

  it('reads the token, the timeout and the fallback list, ignoring blanks', () => {
    const config = loadDatabricksConfig({
      DATABRICKS_TOKEN: ' dapi123 ',
      DATABRICKS_TIMEOUT_MS: '250',
      SWITCHBOARD_FALLBACK_ENDPOINTS: ' my-endpoint , ,databricks-x ',
    });
    expect(config).toMatchObject({ token: 'dapi123', timeoutMs: 250, fallbackEndpoints: ['my-endpoint', 'databricks-x'] });
    expect(loadDatabricksConfig({ DATABRICKS_TOKEN: '  ', SWITCHBOARD_FALLBACK_ENDPOINTS: ' , ' })).toMatchObject({
      token: undefined,
      fallbackEndpoints: DEFAULT_FALLBACK_ENDPOINTS,
    });
  });

  it.each(['0', '-5', '1.5', 'soon'])('refuses DATABRICKS_TIMEOUT_MS=%j, naming the variable', (raw) => {
    expect(() => loadDatabricksConfig({ DATABRICKS_TIMEOUT_MS: raw })).toThrow(
      `DATABRICKS_TIMEOUT_MS must be a positive integer (milliseconds), got "${raw}"`,
    );
  });
});
