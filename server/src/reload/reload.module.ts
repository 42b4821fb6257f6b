import { Module } from '@nestjs/common';
import { ReloadController } from './reload.controller.js';
import { StatusService } from './status.service.js';

@Module({
  controllers: [ReloadController],
  providers: [StatusService],
})
export class ReloadModule {}
