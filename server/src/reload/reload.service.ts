import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { requireProfile } from '../common/database/profile-guard.js';
import { CONFIG_CHANNEL, CONFIG_RESYNC, ConfigResyncEvent } from '../common/events/config-events.js';
import type { ReloadResultDto } from './dto/reload.dto.js';

/**
 * Re-reads configuration from the database after hand edits in SQL: this instance drops its
 * cache (and its agents rebuild) at once, and a notification tells every other instance to do
 * the same.
 */
@Injectable()
export class ReloadService {
  lastReload: Date | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {}

  async reload(profileId?: number): Promise<ReloadResultDto> {
    if (profileId !== undefined) await requireProfile(this.dataSource.manager, profileId);
    const [{ count }] = await this.dataSource.query(
      'SELECT count(*)::int AS count FROM config_profiles WHERE $1::int IS NULL OR id = $1',
      [profileId ?? null],
    );
    await this.dataSource.query('SELECT pg_notify($1, $2)', [CONFIG_CHANNEL, JSON.stringify({ reload: true, profile_id: profileId ?? null })]);
    await this.events.emitAsync(CONFIG_RESYNC, new ConfigResyncEvent('reload', profileId ?? null, false));
    this.lastReload = new Date();
    return { status: 'reloaded', profile_id: profileId ?? null, profiles: count, reloaded_at: this.lastReload.toISOString() };
  }
}
