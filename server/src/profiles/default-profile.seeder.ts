import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ProfilesService } from './profiles.service.js';

/**
 * Creates the default profile, with every domain, when the database holds no profile at all.
 * Idempotent and safe when several instances start at once (advisory lock, one transaction).
 */
@Injectable()
export class DefaultProfileSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DefaultProfileSeeder.name);

  constructor(private readonly profiles: ProfilesService) {}

  async onApplicationBootstrap(): Promise<void> {
    const created = await this.profiles.seedDefault();
    if (created) this.logger.log(`Seeded the default profile "${created.name}" (id ${created.id})`);
  }
}
