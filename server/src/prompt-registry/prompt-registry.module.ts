import { Module } from '@nestjs/common';
import { AgentPromptsController, PromptRegistryController } from './prompt-registry.controller.js';
import { PromptRegistryService } from './prompt-registry.service.js';

/** Named, versioned and labelled prompts per profile (see PromptRegistryService). */
@Module({
  controllers: [PromptRegistryController, AgentPromptsController],
  providers: [PromptRegistryService],
  exports: [PromptRegistryService],
})
export class PromptRegistryModule {}
