import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module.js';
import { StreamController } from './stream.controller.js';
import { StreamService } from './stream.service.js';

@Module({
  imports: [HistoryModule],
  controllers: [StreamController],
  providers: [StreamService],
})
export class StreamModule {}
