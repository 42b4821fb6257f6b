import { Module } from '@nestjs/common';
import { AiInfraModule } from '../ai-infra/ai-infra.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { GenieModule } from '../genie/genie.module.js';
import { MlflowModule } from '../mlflow/mlflow.module.js';
import { PromptsModule } from '../prompts/prompts.module.js';
import { PromptRegistryModule } from '../prompt-registry/prompt-registry.module.js';
import { PresetsModule } from '../presets/presets.module.js';
import { RolloutsModule } from '../rollout/rollouts.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { RolloutController } from './rollout.controller.js';
import { DefaultProfileSeeder } from './default-profile.seeder.js';
import { LegacyYamlController } from './legacy-yaml.controller.js';
import { ProfileDocumentsController } from './profile-documents.controller.js';
import { ProfileDocumentsService } from './profile-documents.service.js';
import { ProfilesController } from './profiles.controller.js';
import { ProfilesService } from './profiles.service.js';

@Module({
  imports: [AiInfraModule, DomainsModule, GenieModule, MlflowModule, PromptsModule, PresetsModule, PromptRegistryModule, RolloutsModule, SessionsModule],
  controllers: [ProfilesController, ProfileDocumentsController, LegacyYamlController, RolloutController],
  providers: [ProfilesService, ProfileDocumentsService, DefaultProfileSeeder],
  exports: [ProfilesService, ProfileDocumentsService],
})
export class ProfilesModule {}
