import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigListener } from './config-listener.service.js';
import { ReloadService } from './reload.service.js';
import { ResolvedConfigService } from './resolved-config.service.js';
import type { ConfigStatusDto } from './dto/status.dto.js';

@Injectable()
export class StatusService {
  readonly instanceId = process.env.SWITCHBOARD_INSTANCE_ID || randomUUID();
  private readonly startedAt = new Date();

  constructor(
    private readonly dataSource: DataSource,
    private readonly reloads: ReloadService,
    private readonly listener: ConfigListener,
    private readonly resolved: ResolvedConfigService,
  ) {}

  async getStatus(): Promise<ConfigStatusDto> {
    const [row] = await this.dataSource.query(`
      SELECT (SELECT count(*)::int FROM config_profiles) AS profiles,
             (SELECT count(*)::int FROM agent_sessions) AS sessions,
             (SELECT json_build_object('id', id, 'name', name) FROM config_profiles WHERE is_default) AS default_profile,
             (SELECT max("timestamp") FROM config_history) AS last_change`);
    return {
      status: 'ok',
      instance_id: this.instanceId,
      started_at: this.startedAt.toISOString(),
      profiles: row.profiles,
      default_profile: row.default_profile,
      sessions: row.sessions,
      last_change: row.last_change ? new Date(row.last_change).toISOString() : null,
      last_reload: this.reloads.lastReload?.toISOString() ?? null,
      listener: this.listener.state,
      cached_profiles: this.resolved.cachedProfiles,
    };
  }
}
