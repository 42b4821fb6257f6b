import { Module } from '@nestjs/common';
import { AiInfraController } from './ai-infra.controller.js';
import { AiInfraService } from './ai-infra.service.js';

@Module({
  controllers: [AiInfraController],
  providers: [AiInfraService],
  exports: [AiInfraService],
})
export class AiInfraModule {}
