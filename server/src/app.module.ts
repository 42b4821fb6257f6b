import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { AgentModule } from './agent/agent.module.js';
import { AiInfraModule } from './ai-infra/ai-infra.module.js';
import type { AuthConfig } from './auth/auth.config.js';
import { AuthModule } from './auth/auth.module.js';
import { BackupModule } from './backup/backup.module.js';
import { buildDataSourceOptions } from './common/database/database-options.js';
import { TransactionGate } from './common/database/transaction-gate.js';
import { ENTITIES } from './entities.js';
import { DomainsModule } from './domains/domains.module.js';
import { PromptRegistryModule } from './prompt-registry/prompt-registry.module.js';
import { GenieModule } from './genie/genie.module.js';
import { HealthModule } from './health/health.module.js';
import { HistoryModule } from './history/history.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MlflowModule } from './mlflow/mlflow.module.js';
import { ProfilesModule } from './profiles/profiles.module.js';
import { PromptsModule } from './prompts/prompts.module.js';
import { ProbeModule } from './probe/probe.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { ChangeRequestsModule } from './change-requests/change-requests.module.js';
import { ReloadModule } from './reload/reload.module.js';
import { StreamModule } from './stream/stream.module.js';

export interface AppModuleOptions {
  databaseUrl: string;
  listenDatabaseUrl?: string;
  auth: AuthConfig;
  /** Run due scheduled changes (the server); the command line does not. Default true. */
  runSchedules?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(buildDataSourceOptions(options.databaseUrl, ENTITIES, MIGRATIONS)),
        EventEmitterModule.forRoot(),
        AuthModule.forRoot(options.auth),
        HealthModule,
        MetricsModule,
        AiInfraModule,
        GenieModule,
        MlflowModule,
        PromptsModule,
        DomainsModule,
        PromptRegistryModule,
        ProfilesModule,
        ReloadModule.forRoot(options.listenDatabaseUrl ?? options.databaseUrl),
        HistoryModule,
        StreamModule,
        AgentModule,
        ProbeModule,
        SchedulesModule.forRoot({ run: options.runSchedules ?? true }),
        ChangeRequestsModule,
        BackupModule,
      ],
      providers: [TransactionGate],
    };
  }
}
