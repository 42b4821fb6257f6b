import { Module } from '@nestjs/common';
import { ReloadController } from './reload.controller.js';
import { ReloadService } from './reload.service.js';
import { StatusService } from './status.service.js';

@Module({
  controllers: [ReloadController],
  providers: [StatusService, ReloadService],
})
export class ReloadModule {}
