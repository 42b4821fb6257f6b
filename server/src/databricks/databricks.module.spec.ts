import { Test } from '@nestjs/testing';
import { DatabricksClient } from './databricks.client.js';
import { DatabricksModule } from './databricks.module.js';

describe('DatabricksModule', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('provides a DatabricksClient built from the environment', async () => {
    process.env.DATABRICKS_HOST = 'https://example.cloud.databricks.com/';
    process.env.DATABRICKS_TOKEN = 'dapi-test';
    const moduleRef = await Test.createTestingModule({ imports: [DatabricksModule] }).compile();
    expect(moduleRef.get(DatabricksClient).isConfigured()).toBe(true);
  });

  it('fails to start on a host that would send the token in clear', async () => {
    process.env.DATABRICKS_HOST = 'http://example.cloud.databricks.com';
    await expect(Test.createTestingModule({ imports: [DatabricksModule] }).compile()).rejects.toThrow(
      'DATABRICKS_HOST must use https://',
    );
  });
});
