import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AiInfraEntity } from '../ai-infra/entities/ai-infra.entity.js';
import {
  DEFAULT_AI_INFRA,
  DEFAULT_MLFLOW,
  DEFAULT_PROFILE,
  DEFAULT_PROMPTS,
  defaultGenieSpace,
} from '../common/defaults/default-config.js';
import { GenieSpaceEntity } from '../genie/entities/genie-space.entity.js';
import { MlflowEntity } from '../mlflow/entities/mlflow.entity.js';
import { PromptsEntity } from '../prompts/entities/prompts.entity.js';
import { ProfileEntity } from './entities/profile.entity.js';

export const SYSTEM_PRINCIPAL = 'system';

/**
 * Creates the default profile, with every domain, when the database holds no profile at all.
 * Idempotent and safe when several instances start at once (advisory lock, one transaction).
 */
@Injectable()
export class DefaultProfileSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DefaultProfileSeeder.name);

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    const created = await this.seed();
    if (created) this.logger.log(`Seeded the default profile "${created.name}" (id ${created.id})`);
  }

  async seed(): Promise<ProfileEntity | undefined> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['switchboard.seed-default-profile']);
      if (await manager.exists(ProfileEntity)) return undefined;

      const profile = await manager.save(
        manager.create(ProfileEntity, {
          name: DEFAULT_PROFILE.name,
          description: DEFAULT_PROFILE.description,
          isDefault: true,
          createdBy: SYSTEM_PRINCIPAL,
          updatedBy: SYSTEM_PRINCIPAL,
        }),
      );
      const profileId = profile.id;
      const genie = defaultGenieSpace();
      await manager.insert(AiInfraEntity, {
        profileId,
        llmEndpoint: DEFAULT_AI_INFRA.llm_endpoint,
        llmTemperature: DEFAULT_AI_INFRA.llm_temperature,
        llmMaxTokens: DEFAULT_AI_INFRA.llm_max_tokens,
        llmTopP: DEFAULT_AI_INFRA.llm_top_p,
        llmTimeoutSeconds: DEFAULT_AI_INFRA.llm_timeout_seconds,
      });
      await manager.insert(GenieSpaceEntity, {
        profileId,
        spaceId: genie.space_id,
        spaceName: genie.space_name,
        description: genie.description,
        isDefault: genie.is_default,
      });
      await manager.insert(MlflowEntity, { profileId, experimentName: DEFAULT_MLFLOW.experiment_name });
      await manager.insert(PromptsEntity, {
        profileId,
        systemPrompt: DEFAULT_PROMPTS.system_prompt,
        slideEditingInstructions: DEFAULT_PROMPTS.slide_editing_instructions,
        userPromptTemplate: DEFAULT_PROMPTS.user_prompt_template,
      });
      return profile;
    });
  }
}
