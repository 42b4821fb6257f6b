import { Module } from '@nestjs/common';
import { DatabricksClient } from './databricks.client.js';
import { loadDatabricksConfig } from './databricks.config.js';

@Module({
  providers: [{ provide: DatabricksClient, useFactory: () => new DatabricksClient(loadDatabricksConfig()) }],
  exports: [DatabricksClient],
})
export class DatabricksModule {}
