import { Module } from '@nestjs/common';
import { GenieController } from './genie.controller.js';
import { GenieService } from './genie.service.js';

@Module({
  controllers: [GenieController],
  providers: [GenieService],
  exports: [GenieService],
})
export class GenieModule {}
