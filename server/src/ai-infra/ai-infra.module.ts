import { Module } from '@nestjs/common';
import { DatabricksModule } from '../databricks/databricks.module.js';
import { AiInfraController } from './ai-infra.controller.js';
import { AiInfraService } from './ai-infra.service.js';

@Module({
  imports: [DatabricksModule],
  controllers: [AiInfraController],
  providers: [AiInfraService],
  exports: [AiInfraService],
})
export class AiInfraModule {}
