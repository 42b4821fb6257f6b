import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { isConnectionError } from '../common/database/connection-errors.js';
import { ServiceUnavailableError } from '../common/errors/domain-errors.js';
import {
  CONFIG_CHANGED,
  CONFIG_COMMITTED,
  CONFIG_RESYNC,
  type ConfigChangedEvent,
  type ConfigCommittedEvent,
  type ConfigResyncEvent,
  SESSION_ENDED,
  type SessionEndedEvent,
} from '../common/events/config-events.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ConfigListener } from './config-listener.service.js';
import type { ResolvedConfigDto } from './dto/resolved.dto.js';
import type { EnvOverrides } from './env-overrides.js';
import { ENV_OVERRIDES } from './reload.constants.js';
import { type ResolvedBody, resolveConfig } from './resolve-config.js';

export interface Resolved {
  body: ResolvedConfigDto;
  /** Strong: a digest of the body. */
  etag: string;
}

/** Which profile a request asks for: by id, through a session, or (neither) the default one. */
export interface ResolveTarget {
  profileId?: number;
  sessionId?: string;
}

/**
 * Resolved configurations, cached per profile. Notifications (through ConfigListener) drop what
 * changed; while the listener is disconnected nothing cached can be trusted, so every request
 * reads the database, and only when that fails too is the last known good value served, marked
 * stale.
 */
@Injectable()
export class ResolvedConfigService {
  private readonly byProfile = new Map<number, Resolved>();
  private readonly sessionProfiles = new Map<string, number>();
  /** undefined: not known; null: there is no profile at all. */
  private defaultProfileId: number | null | undefined;
  /** Kept through invalidations: what a stale answer falls back on while the database is away. */
  private lastKnownDefaultId: number | null = null;
  /** Moves on every invalidation, so a read that overlapped one does not store what it read. */
  private generation = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfilesService,
    private readonly sessions: SessionsService,
    private readonly listener: ConfigListener,
    @Inject(ENV_OVERRIDES) private readonly overrides: EnvOverrides,
    metrics: MetricsService,
  ) {
    metrics.gauge('switchboard_resolved_cached_profiles', 'Profiles whose resolved configuration this instance holds', () => this.byProfile.size);
  }

  get cachedProfiles(): number {
    return this.byProfile.size;
  }

  async resolve(target: ResolveTarget): Promise<Resolved> {
    const trustCache = this.listener.connected;
    try {
      return await this.load(target, trustCache);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      const known = this.cachedFor(target);
      if (!known) throw new ServiceUnavailableError('The database is unreachable and this instance holds no earlier copy of this configuration.');
      return finish(stripStale(known.body), true);
    }
  }

  /**
   * A change of this instance, still inside its transaction: dropping the entry now lets the
   * writer read its own write at once, unless a read between this and the commit cached the old
   * value again; the notification after commit drops it once more, so that lasts milliseconds.
   */
  @OnEvent(CONFIG_CHANGED)
  onChanging(event: ConfigChangedEvent): void {
    this.generation++;
    this.byProfile.delete(event.profileId);
    if (event.domain === 'profile') this.defaultProfileId = undefined;
  }

  @OnEvent(CONFIG_COMMITTED)
  onCommitted(event: ConfigCommittedEvent): void {
    this.generation++;
    if (event.profileId !== null) this.byProfile.delete(event.profileId);
    if (event.sessionId) this.sessionProfiles.delete(event.sessionId);
    // Creating, deleting or setting a default may move the default; a deleted profile's sessions go.
    if (event.domain === 'profile') this.defaultProfileId = undefined;
    if (event.action === 'delete') {
      for (const [session, profile] of this.sessionProfiles) if (profile === event.profileId) this.sessionProfiles.delete(session);
    }
  }

  @OnEvent(SESSION_ENDED)
  onSessionEnded(event: SessionEndedEvent): void {
    this.generation++;
    this.sessionProfiles.delete(event.sessionId);
  }

  @OnEvent(CONFIG_RESYNC)
  onResync(event: ConfigResyncEvent): void {
    this.generation++;
    if (event.profileId !== null) {
      this.byProfile.delete(event.profileId);
      return;
    }
    this.byProfile.clear();
    this.sessionProfiles.clear();
    this.defaultProfileId = undefined;
  }

  private async load(target: ResolveTarget, trustCache: boolean): Promise<Resolved> {
    const generation = this.generation;
    const profileId = await this.profileIdOf(target, trustCache);
    if (profileId === null) return finish(resolveConfig(null, this.overrides), false);
    const cached = trustCache ? this.byProfile.get(profileId) : undefined;
    if (cached) return cached;
    const resolved = finish(resolveConfig(await this.profiles.get(profileId), this.overrides), false);
    if (generation === this.generation) this.byProfile.set(profileId, resolved);
    return resolved;
  }

  private async profileIdOf(target: ResolveTarget, trustCache: boolean): Promise<number | null> {
    if (target.profileId !== undefined) return target.profileId;
    const generation = this.generation;
    if (target.sessionId !== undefined) {
      const known = trustCache ? this.sessionProfiles.get(target.sessionId) : undefined;
      if (known !== undefined) return known;
      const profileId = await this.sessions.profileOf(this.dataSource.manager, target.sessionId);
      if (generation === this.generation) remember(this.sessionProfiles, target.sessionId, profileId);
      return profileId;
    }
    if (trustCache && this.defaultProfileId !== undefined) return this.defaultProfileId;
    const defaultId = await this.profiles.defaultProfileId();
    if (generation === this.generation) this.defaultProfileId = defaultId;
    this.lastKnownDefaultId = defaultId;
    return defaultId;
  }

  /** The last value this instance resolved for the target, whatever its age. */
  private cachedFor(target: ResolveTarget): Resolved | undefined {
    const profileId =
      target.profileId ?? (target.sessionId !== undefined ? this.sessionProfiles.get(target.sessionId) : (this.defaultProfileId ?? this.lastKnownDefaultId));
    return profileId === undefined || profileId === null ? undefined : this.byProfile.get(profileId);
  }
}

function finish(body: ResolvedBody, stale: boolean): Resolved {
  const full: ResolvedConfigDto = { ...body, stale };
  const digest = createHash('sha256').update(JSON.stringify(full)).digest('base64url').slice(0, 32);
  return { body: full, etag: `"${digest}"` };
}

function stripStale(body: ResolvedConfigDto): ResolvedBody {
  const { stale: _stale, ...rest } = body;
  return rest;
}

const MAX_SESSIONS_REMEMBERED = 10_000;

/** Map insertion order is age order: past the cap, the oldest entry goes. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_SESSIONS_REMEMBERED) map.delete(map.keys().next().value as K);
}
