import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { PromptRegistryModule } from '../prompt-registry/prompt-registry.module.js';
import { CompareController } from './compare.controller.js';
import { CompareService } from './compare.service.js';
import { HistoryController } from './history.controller.js';
import { HistoryListener } from './history.listener.js';
import { HistoryService } from './history.service.js';
import { HistoryRestoreService } from './restore.service.js';

@Module({
  imports: [ProfilesModule, PromptRegistryModule],
  controllers: [HistoryController, CompareController],
  providers: [HistoryListener, HistoryService, HistoryRestoreService, CompareService],
  exports: [HistoryService],
})
export class HistoryModule {}
