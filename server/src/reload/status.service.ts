import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigListener } from './config-listener.service.js';
import { ReloadService } from './reload.service.js';
import { ResolvedConfigService } from './resolved-config.service.js';
import type { ConfigStatusDto } from './dto/status.dto.js';
import { DeliveryService } from './delivery.service.js';
import { InstanceRegistry } from './instance-registry.service.js';

@Injectable()
export class StatusService {
  constructor(
    private readonly registry: InstanceRegistry,
    private readonly delivery: DeliveryService,
    private readonly dataSource: DataSource,
    private readonly reloads: ReloadService,
    private readonly listener: ConfigListener,
    private readonly resolved: ResolvedConfigService,
  ) {}

  async getStatus(): Promise<ConfigStatusDto> {
    const [instances, [row]] = await Promise.all([
      this.delivery.instances(),
      this.dataSource.query(`
        SELECT (SELECT count(*)::int FROM config_profiles) AS profiles,
               (SELECT count(*)::int FROM agent_sessions) AS sessions,
               (SELECT json_build_object('id', id, 'name', name) FROM config_profiles WHERE is_default) AS default_profile,
               (SELECT max("timestamp") FROM config_history) AS last_change`),
    ]);
    return {
      status: 'ok',
      instance_id: this.registry.id,
      started_at: this.registry.startedAt.toISOString(),
      profiles: row.profiles,
      default_profile: row.default_profile,
      sessions: row.sessions,
      last_change: row.last_change ? new Date(row.last_change).toISOString() : null,
      last_reload: this.reloads.lastReload?.toISOString() ?? null,
      listener: this.listener.state,
      cached_profiles: this.resolved.cachedProfiles,
      instances,
    };
  }
}
