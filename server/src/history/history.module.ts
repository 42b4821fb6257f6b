import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { HistoryController } from './history.controller.js';
import { HistoryListener } from './history.listener.js';
import { HistoryService } from './history.service.js';

@Module({
  imports: [ProfilesModule],
  controllers: [HistoryController],
  providers: [HistoryListener, HistoryService],
})
export class HistoryModule {}
