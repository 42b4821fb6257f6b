import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { PromptsModule } from '../prompts/prompts.module.js';
import { PresetsController } from './presets.controller.js';
import { PresetsService } from './presets.service.js';

/** Named read-only profile documents to create profiles from. */
@Module({
  imports: [DomainsModule, PromptsModule],
  controllers: [PresetsController],
  providers: [PresetsService],
  exports: [PresetsService],
})
export class PresetsModule {}
