import { Module } from '@nestjs/common';
import { DatabricksModule } from '../databricks/databricks.module.js';
import { GenieController } from './genie.controller.js';
import { GenieService } from './genie.service.js';

@Module({
  imports: [DatabricksModule],
  controllers: [GenieController],
  providers: [GenieService],
  exports: [GenieService],
})
export class GenieModule {}
