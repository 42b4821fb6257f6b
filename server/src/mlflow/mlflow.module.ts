import { Module } from '@nestjs/common';
import { MlflowController } from './mlflow.controller.js';
import { MlflowService } from './mlflow.service.js';

@Module({
  controllers: [MlflowController],
  providers: [MlflowService],
  exports: [MlflowService],
})
export class MlflowModule {}
