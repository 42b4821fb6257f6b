import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { lockProfile } from '../common/database/profile-guard.js';
import type { ReloadResultDto } from './reload.dto.js';

/**
 * Re-reads configuration from the database (after hand edits in SQL). Nothing is cached yet, so
 * a reload checks the profile exists and records when it happened; caches and running agents
 * will be refreshed here when they exist.
 */
@Injectable()
export class ReloadService {
  lastReload: Date | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async reload(profileId?: number): Promise<ReloadResultDto> {
    if (profileId !== undefined) await lockProfile(this.dataSource.manager, profileId);
    const [{ count }] = await this.dataSource.query(
      'SELECT count(*)::int AS count FROM config_profiles WHERE $1::int IS NULL OR id = $1',
      [profileId ?? null],
    );
    this.lastReload = new Date();
    return { status: 'reloaded', profile_id: profileId ?? null, profiles: count, reloaded_at: this.lastReload.toISOString() };
  }
}
