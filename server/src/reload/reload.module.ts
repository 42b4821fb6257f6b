import { type DynamicModule, Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { HistoryModule } from '../history/history.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { PromptRegistryModule } from '../prompt-registry/prompt-registry.module.js';
import { RolloutsModule } from '../rollout/rollouts.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ConfigListener } from './config-listener.service.js';
import { DomainsService } from '../domains/domains.service.js';
import { loadEnvOverrides, registeredOverrides } from './env-overrides.js';
import { ENV_OVERRIDES, LISTEN_DATABASE_URL, REGISTERED_OVERRIDES } from './reload.constants.js';
import { ReloadController } from './reload.controller.js';
import { ReloadService } from './reload.service.js';
import { ResolvedConfigService } from './resolved-config.service.js';
import { ResolvedController } from './resolved.controller.js';
import { StatusService } from './status.service.js';
import { DeliveryController } from './delivery.controller.js';
import { DeliveryService } from './delivery.service.js';
import { InstanceRegistry } from './instance-registry.service.js';

/**
 * Committed changes reaching this instance (LISTEN), the resolved-configuration cache they
 * invalidate, reloads and status. Global: health, the change stream and the agents read it.
 */
@Module({})
export class ReloadModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: ReloadModule,
      global: true,
      imports: [DomainsModule, HistoryModule, ProfilesModule, PromptRegistryModule, RolloutsModule, SessionsModule],
      controllers: [ReloadController, ResolvedController, DeliveryController],
      providers: [
        { provide: LISTEN_DATABASE_URL, useValue: databaseUrl },
        { provide: ENV_OVERRIDES, useFactory: () => loadEnvOverrides() },
        {
          provide: REGISTERED_OVERRIDES,
          inject: [DomainsService],
          useFactory: async (domains: DomainsService) => registeredOverrides(process.env, await domains.customDomains()),
        },
        ConfigListener,
        ResolvedConfigService,
        ReloadService,
        StatusService,
        InstanceRegistry,
        DeliveryService,
      ],
      exports: [ConfigListener, ResolvedConfigService, DeliveryService],
    };
  }
}
