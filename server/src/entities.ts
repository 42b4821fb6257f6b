import { RegistryPromptEntity } from './prompt-registry/entities/registry-prompt.entity.js';
import { RegistryPromptLabelEntity } from './prompt-registry/entities/registry-prompt-label.entity.js';
import { RegistryPromptVersionEntity } from './prompt-registry/entities/registry-prompt-version.entity.js';
import { AgentMessageEntity } from './agent/entities/agent-message.entity.js';
import { AgentSessionEntity } from './sessions/entities/agent-session.entity.js';
import { ApiTokenEntity } from './auth/entities/api-token.entity.js';
import { ProfileGrantEntity } from './auth/entities/profile-grant.entity.js';
import { ApprovalRuleEntity } from './change-requests/entities/approval-rule.entity.js';
import { ChangeRequestEntity } from './change-requests/entities/change-request.entity.js';
import { AiInfraEntity } from './ai-infra/entities/ai-infra.entity.js';
import { GenieSpaceEntity } from './genie/entities/genie-space.entity.js';
import { DomainValueEntity } from './domains/entities/domain-value.entity.js';
import { DomainEntity } from './domains/entities/domain.entity.js';
import { ConfigHistoryEntity } from './history/entities/config-history.entity.js';
import { MlflowEntity } from './mlflow/entities/mlflow.entity.js';
import { ProfileEntity } from './profiles/entities/profile.entity.js';
import { PromptsEntity } from './prompts/entities/prompts.entity.js';
import { ChangeAppliedEntity } from './reload/entities/change-applied.entity.js';
import { InstanceEntity } from './reload/entities/instance.entity.js';
import { LlmProbeEntity } from './probe/entities/llm-probe.entity.js';
import { ProfileRolloutEntity } from './rollout/entities/profile-rollout.entity.js';
import { PresetEntity } from './presets/entities/preset.entity.js';
import { ScheduleEntity } from './schedules/entities/schedule.entity.js';

/** Every entity, registered once for the app, the TypeORM CLI and the tests. */
export const ENTITIES = [
  ProfileEntity,
  AiInfraEntity,
  GenieSpaceEntity,
  MlflowEntity,
  PromptsEntity,
  ConfigHistoryEntity,
  AgentSessionEntity,
  ApiTokenEntity,
  AgentMessageEntity,
  DomainEntity,
  DomainValueEntity,
  RegistryPromptEntity,
  RegistryPromptVersionEntity,
  RegistryPromptLabelEntity,
  InstanceEntity,
  ChangeAppliedEntity,
  LlmProbeEntity,
  ProfileRolloutEntity,
  PresetEntity,
  ScheduleEntity,
  ProfileGrantEntity,
  ApprovalRuleEntity,
  ChangeRequestEntity,
];
