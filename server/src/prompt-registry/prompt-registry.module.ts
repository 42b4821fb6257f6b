import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { AgentPromptsController, PromptRegistryController } from './prompt-registry.controller.js';
import { PromptRegistryService } from './prompt-registry.service.js';

/** Named, versioned and labelled prompts per profile (see PromptRegistryService). */
@Module({
  imports: [ProfilesModule],
  controllers: [PromptRegistryController, AgentPromptsController],
  providers: [PromptRegistryService],
  exports: [PromptRegistryService],
})
export class PromptRegistryModule {}
