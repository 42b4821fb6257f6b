import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { isConnectionError } from '../common/database/connection-errors.js';
import { DomainError, NotFoundError, ServiceUnavailableError } from '../common/errors/domain-errors.js';
import { EncodedJson } from '../common/http/encoded-json.js';
import {
  CONFIG_CHANGED,
  CONFIG_COMMITTED,
  CONFIG_RESYNC,
  type ConfigChangedEvent,
  type ConfigCommittedEvent,
  type ConfigResyncEvent,
  SESSION_ENDED,
  type SessionEndedEvent,
  SESSION_MOVED,
  type SessionMovedEvent,
} from '../common/events/config-events.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { DomainValuesService } from '../domains/domain-values.service.js';
import { type CustomDomain, DomainsService } from '../domains/domains.service.js';
import type { ProfileDetailDto } from '../profiles/dto/profile-responses.dto.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { PromptRegistryService } from '../prompt-registry/prompt-registry.service.js';
import { type RolloutSplit, servesCandidate } from '../rollout/rollout-split.js';
import { RolloutsService } from '../rollout/rollouts.service.js';
import { HistoryService } from '../history/history.service.js';
import { type SessionPin, type SessionTarget, SessionsService } from '../sessions/sessions.service.js';
import { ConfigListener } from './config-listener.service.js';
import type { ResolvedConfigDto } from './dto/resolved.dto.js';
import type { EnvOverrides, RegisteredOverrides } from './env-overrides.js';
import { ENV_OVERRIDES, REGISTERED_OVERRIDES } from './reload.constants.js';
import { type CustomDomainDefaults, type ResolvedBody, resolveConfig } from './resolve-config.js';

export interface Resolved {
  body: ResolvedConfigDto;
  /** The body as served: serialised and compressed once, not per request. */
  json: EncodedJson;
  /** Strong: a digest of the body. */
  etag: string;
}

/**
 * Which profile a request asks for: by id, through a session, or (neither) the default one.
 * `subject` (not with a session): a stable key a profile's rollout may send to its candidate.
 */
export interface ResolveTarget {
  profileId?: number;
  sessionId?: string;
  subject?: string;
}

/** A resolved configuration, and when the profile asked for is in a rollout, which side served it. */
export type ResolvedAnswer = Resolved & { rollout?: { split: RolloutSplit; served: 'candidate' | 'profile' } };

/** A configuration as most readers see it, and as agents and admins do: with its secrets. */
interface Audiences {
  concealed: Resolved;
  /** The same object when no domain has secrets; the error when they cannot be decrypted (wrong key). */
  revealed: Resolved | DomainError;
}

interface CacheEntry {
  resolved: Audiences;
  profileId: number;
  /** False once a change may have overtaken it: the next read refreshes it, a failed refresh still serves it (stale). */
  fresh: boolean;
}

/**
 * Resolved configurations, cached per profile. A change (a notification through ConfigListener)
 * marks the profile's entry old and refreshes it at once, so the burst of agents that re-read
 * after a change finds it ready; concurrent refreshes of one profile share one database read.
 * An old entry is kept until a newer one replaces it: while the database is unreachable it is
 * what the instance serves, marked stale. While the listener is disconnected no entry is fresh.
 */
@Injectable()
export class ResolvedConfigService {
  private readonly logger = new Logger(ResolvedConfigService.name);
  private readonly byProfile = new Map<number, CacheEntry>();
  private readonly refreshing = new Map<number, { generation: number; read: Promise<Audiences> }>();
  private readonly sessionTargets = new Map<string, SessionTarget>();
  /** Pinned sessions' configurations, by the history entry each is pinned to. */
  private readonly byPin = new Map<number, CacheEntry>();
  /** Profiles' rollouts, read when a request with a subject first needs one (not on every refresh). */
  private readonly splits = new Map<number, RolloutSplit | null>();
  /** undefined: not known; null: there is no profile at all. */
  private defaultProfileId: number | null | undefined;
  /** Kept through invalidations: what a stale answer falls back on while the database is away. */
  private lastKnownDefaultId: number | null = null;
  /** Moves on every invalidation, so a read that overlapped one does not pass for fresh. */
  private generation = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfilesService,
    private readonly domains: DomainsService,
    private readonly domainValues: DomainValuesService,
    private readonly sessions: SessionsService,
    private readonly promptRegistry: PromptRegistryService,
    private readonly history: HistoryService,
    private readonly rollouts: RolloutsService,
    private readonly listener: ConfigListener,
    @Inject(ENV_OVERRIDES) private readonly overrides: EnvOverrides,
    @Inject(REGISTERED_OVERRIDES) private readonly registeredOverrides: RegisteredOverrides,
    metrics: MetricsService,
  ) {
    metrics.gauge('switchboard_resolved_cached_profiles', 'Profiles whose resolved configuration this instance holds', () => this.byProfile.size);
  }

  get cachedProfiles(): number {
    return this.byProfile.size;
  }

  /** `withSecrets`: for agents and admins; everyone else sees each secret as {"set": true}. */
  async resolve(target: ResolveTarget, withSecrets = false): Promise<ResolvedAnswer> {
    const audience = withSecrets ? 'revealed' : 'concealed';
    const trustCache = this.listener.connected;
    let resolved: Resolved | DomainError;
    try {
      const audiences = await this.load(target, trustCache);
      const profileId = audiences.concealed.body.profile?.id;
      const split = target.subject === undefined || target.sessionId !== undefined || profileId === undefined ? null : await this.splitOf(profileId, trustCache);
      if (split) {
        const served = servesCandidate(split, target.subject!) ? 'candidate' : 'profile';
        const answer = served === 'candidate' ? (await this.load({ profileId: split.candidateProfileId }, trustCache))[audience] : audiences[audience];
        if (answer instanceof DomainError) throw answer;
        return { ...answer, rollout: { split, served } };
      }
      resolved = audiences[audience];
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      const known = this.cachedFor(target)?.[audience];
      if (!known) throw new ServiceUnavailableError('The database is unreachable and this instance holds no earlier copy of this configuration.');
      resolved = known instanceof DomainError ? known : finish(bodyOf(known.body), true, known.body.pinned_version);
    }
    if (resolved instanceof DomainError) throw resolved;
    return resolved;
  }

  /**
   * The ETag of a profile's configuration as the database holds it now, as `withSecrets` callers
   * get it: read afresh, neither from the cache nor joining a read already under way (either may
   * be a notification behind). An agent's acknowledgement is checked against it.
   */
  async etagNow(session: SessionTarget, withSecrets: boolean): Promise<string | null> {
    const audiences = session.pin ? await this.readPinned(session.profileId, session.pin) : await this.read(session.profileId);
    const resolved = audiences[withSecrets ? 'revealed' : 'concealed'];
    return resolved instanceof DomainError ? null : resolved.etag;
  }

  /**
   * The answer resolve() would give from memory alone, or undefined when it would have to read,
   * refresh or fail: what the front door (resolved-front-door.ts) serves without I/O.
   */
  current(target: ResolveTarget, withSecrets: boolean): Resolved | undefined {
    if (!this.listener.connected) return undefined;
    const entry = this.knownEntry(target, this.defaultProfileId);
    if (!entry?.fresh) return undefined;
    const resolved = entry.resolved[withSecrets ? 'revealed' : 'concealed'];
    return resolved instanceof DomainError ? undefined : resolved;
  }

  /**
   * A change of this instance, still inside its transaction: marking the entry old now lets the
   * writer read its own write at once, unless a read between this and the commit caches the old
   * value again; the notification after commit refreshes it once more, so that lasts milliseconds.
   */
  @OnEvent(CONFIG_CHANGED)
  onChanging(event: ConfigChangedEvent): void {
    this.invalidate(event.profileId);
    if (event.domain === 'profile') this.defaultProfileId = undefined;
    // A session that loads another profile must read it at once, not after the notification.
    const movedSession = event.action === 'load' ? event.changes.session_id?.new : undefined;
    if (typeof movedSession === 'string') this.sessionTargets.delete(movedSession);
  }

  @OnEvent(CONFIG_COMMITTED)
  onCommitted(event: ConfigCommittedEvent): void {
    if (event.sessionId) this.sessionTargets.delete(event.sessionId);
    // Creating, deleting or setting a default may move the default; a deleted profile's sessions go.
    if (event.domain === 'profile') this.defaultProfileId = undefined;
    if (event.profileId === null) return;
    if (event.domain === 'profile' && event.action === 'delete') {
      this.generation++;
      this.byProfile.delete(event.profileId);
      this.splits.delete(event.profileId);
      for (const [session, { profileId }] of this.sessionTargets) if (profileId === event.profileId) this.sessionTargets.delete(session);
      return;
    }
    this.invalidate(event.profileId);
    this.refreshAhead(event.profileId);
  }

  /**
   * A read that began before the move committed may have cached the old profile again after
   * onChanging forgot it: forget it once more now, and let no read still in flight store it.
   */
  @OnEvent(SESSION_MOVED)
  onSessionMoved(event: SessionMovedEvent): void {
    this.generation++;
    this.sessionTargets.delete(event.sessionId);
  }

  @OnEvent(SESSION_ENDED)
  onSessionEnded(event: SessionEndedEvent): void {
    this.generation++;
    this.sessionTargets.delete(event.sessionId);
  }

  /** Rows changed without an audit entry to say how (reload, SQL by hand, a reconnect): re-read. */
  @OnEvent(CONFIG_RESYNC)
  onResync(event: ConfigResyncEvent): void {
    this.defaultProfileId = undefined;
    if (event.profileId !== null) {
      this.invalidate(event.profileId);
      this.refreshAhead(event.profileId);
      return;
    }
    this.generation++;
    for (const entry of [...this.byProfile.values(), ...this.byPin.values()]) entry.fresh = false;
    this.sessionTargets.clear();
    this.splits.clear();
  }

  /**
   * Pinned configurations of the profile go old too: they keep their snapshot, but take the
   * profile's secrets as stored now (the audit holds none in the clear), and prompts deleted since drop out.
   */
  private invalidate(profileId: number): void {
    this.generation++;
    this.splits.delete(profileId);
    const entry = this.byProfile.get(profileId);
    if (entry) entry.fresh = false;
    for (const pinned of this.byPin.values()) if (pinned.profileId === profileId) pinned.fresh = false;
  }

  /** Only for profiles this instance serves: the others are read when first asked for. */
  private refreshAhead(profileId: number): void {
    if (!this.byProfile.has(profileId)) return;
    this.refresh(profileId).catch((error: unknown) => {
      if (error instanceof NotFoundError) this.byProfile.delete(profileId);
      else this.logger.debug(`Refreshing profile ${profileId} ahead of its readers failed: ${String(error)}`);
    });
  }

  private async load(target: ResolveTarget, trustCache: boolean): Promise<Audiences> {
    const session = target.sessionId === undefined ? undefined : await this.sessionTargetOf(target.sessionId, trustCache);
    if (session?.pin) return this.loadPinned(session.profileId, session.pin, trustCache);
    const profileId = session ? session.profileId : await this.profileIdOf(target, trustCache);
    if (profileId === null) return this.resolveWithoutProfile();
    const cached = this.byProfile.get(profileId);
    if (trustCache && cached?.fresh) return cached.resolved;
    try {
      return await this.refresh(profileId);
    } catch (error) {
      // A default id remembered from before someone deleted or replaced that profile: ask again.
      if (!(error instanceof NotFoundError) || target.profileId !== undefined || target.sessionId !== undefined) throw error;
      this.defaultProfileId = undefined;
      const current = await this.profileIdOf(target, false);
      if (current === null) return this.resolveWithoutProfile();
      return this.refresh(current);
    }
  }

  /**
   * One database read per profile at a time; whoever asks meanwhile gets its result, unless an
   * invalidation came after the read began: then a new read starts.
   */
  private refresh(profileId: number): Promise<Audiences> {
    const running = this.refreshing.get(profileId);
    if (running && running.generation === this.generation) return running.read;
    const generation = this.generation;
    const read = this.read(profileId).then((resolved) => {
      // Overlapped by an invalidation: keep it as the last good copy, but not as current.
      const fresh = generation === this.generation && this.listener.connected;
      const known = this.byProfile.get(profileId);
      if (fresh || !known?.fresh) this.byProfile.set(profileId, { resolved, profileId, fresh });
      return resolved;
    });
    const entry = { generation, read };
    this.refreshing.set(profileId, entry);
    const done = () => {
      if (this.refreshing.get(profileId) === entry) this.refreshing.delete(profileId);
    };
    read.then(done, done);
    return read;
  }

  /** A pinned session's configuration: read once per pin (and again after a change of its profile), not shared. */
  private async loadPinned(profileId: number, pin: SessionPin, trustCache: boolean): Promise<Audiences> {
    const cached = this.byPin.get(pin.historyId);
    if (trustCache && cached?.fresh) return cached.resolved;
    const generation = this.generation;
    const resolved = await this.readPinned(profileId, pin);
    remember(this.byPin, pin.historyId, { resolved, profileId, fresh: generation === this.generation && this.listener.connected });
    return resolved;
  }

  /** The snapshot the session is pinned to, its prompt versions, and the profile's secrets as stored now. */
  private async readPinned(profileId: number, pin: SessionPin): Promise<Audiences> {
    const [entry, domains, prompts] = await Promise.all([
      this.history.findEntry(pin.historyId),
      this.domains.customDomains(),
      this.promptRegistry.served(profileId, pin.prompts),
    ]);
    const snapshot = entry.snapshot as unknown as ProfileDetailDto;
    const secrets = await this.domainValues.revealedSecrets(profileId, domains, snapshot.domains ?? {}).catch(unreadable);
    return this.audiences(snapshot, domains, secrets, prompts, pin.historyId);
  }

  /** The profile's configuration as the database holds it now, for both audiences (no cache, no shared read). */
  private async read(profileId: number): Promise<Audiences> {
    const [profile, domains, prompts] = await Promise.all([this.profiles.get(profileId), this.domains.customDomains(), this.promptRegistry.served(profileId)]);
    const secrets = await this.domainValues.revealedSecrets(profileId, domains).catch(unreadable);
    return this.audiences(profile, domains, secrets, prompts);
  }

  /** No profile exists yet: the built-in and registered domains' defaults, with the environment's overrides. */
  private async resolveWithoutProfile(): Promise<Audiences> {
    return this.audiences(null, await this.domains.customDomains(), {}, {});
  }

  /** `secrets`: the profile's values of each domain with secrets, decrypted. */
  private audiences(
    profile: ProfileDetailDto | null,
    domains: CustomDomain[],
    secrets: Record<string, Record<string, unknown>> | DomainError,
    prompts: ResolvedConfigDto['prompt_registry'],
    pinnedVersion: number | null = null,
  ): Audiences {
    const defaults = domains.map(({ name, compiled }): CustomDomainDefaults => ({ name, withDefaults: compiled.withDefaults, overrides: this.registeredOverrides[name] }));
    const withConcealed = domains.map((domain, index): CustomDomainDefaults => ({
      ...defaults[index],
      ...(domain.compiled.hasSecrets && { conceal: (values: Record<string, unknown>) => this.domainValues.conceal(domain.compiled, values) }),
    }));
    const concealed = finish(resolveConfig(profile, this.overrides, process.env, withConcealed, prompts), false, pinnedVersion);
    if (!domains.some((domain) => domain.compiled.hasSecrets)) return { concealed, revealed: concealed };
    if (secrets instanceof DomainError) return { concealed, revealed: secrets };
    const revealedProfile = profile && {
      ...profile,
      domains: Object.fromEntries(Object.entries(profile.domains).map(([name, stored]) => [name, { ...stored, values: secrets[name] ?? stored.values }])),
    };
    return { concealed, revealed: finish(resolveConfig(revealedProfile, this.overrides, process.env, defaults, prompts), false, pinnedVersion) };
  }

  /** The profile's rollout; remembered until a change of the profile (or a resync) says it may have moved. */
  private async splitOf(profileId: number, trustCache: boolean): Promise<RolloutSplit | null> {
    if (trustCache && this.splits.has(profileId)) return this.splits.get(profileId)!;
    const generation = this.generation;
    const split = await this.rollouts.splitOf(profileId);
    if (generation === this.generation && this.listener.connected) remember(this.splits, profileId, split);
    return split;
  }

  /** The default profile's id, or the one the target names. */
  private async profileIdOf(target: ResolveTarget, trustCache: boolean): Promise<number | null> {
    if (target.profileId !== undefined) return target.profileId;
    if (trustCache && this.defaultProfileId !== undefined) return this.defaultProfileId;
    const generation = this.generation;
    const defaultId = await this.profiles.defaultProfileId();
    if (generation === this.generation) this.defaultProfileId = defaultId;
    this.lastKnownDefaultId = defaultId;
    return defaultId;
  }

  private async sessionTargetOf(sessionId: string, trustCache: boolean): Promise<SessionTarget> {
    const known = trustCache ? this.sessionTargets.get(sessionId) : undefined;
    if (known !== undefined) return known;
    const generation = this.generation;
    const session = await this.sessions.targetOf(this.dataSource.manager, sessionId);
    if (generation === this.generation) remember(this.sessionTargets, sessionId, session);
    return session;
  }

  /** The last value this instance resolved for the target, whatever its age. */
  private cachedFor(target: ResolveTarget): Audiences | undefined {
    return this.knownEntry(target, this.defaultProfileId ?? this.lastKnownDefaultId)?.resolved;
  }

  /** The cache entry a target names, as far as this instance knows without asking: the profile `defaultId` when it names none. */
  private knownEntry(target: ResolveTarget, defaultId: number | null | undefined): CacheEntry | undefined {
    if (target.profileId !== undefined) return this.byProfile.get(target.profileId);
    if (target.sessionId === undefined) return defaultId === undefined || defaultId === null ? undefined : this.byProfile.get(defaultId);
    const session = this.sessionTargets.get(target.sessionId);
    if (!session) return undefined;
    return session.pin ? this.byPin.get(session.pin.historyId) : this.byProfile.get(session.profileId);
  }
}

/** Secrets this instance cannot decrypt deny the revealed configuration, not the concealed one. */
function unreadable(error: unknown): DomainError {
  if (error instanceof ServiceUnavailableError) return error;
  throw error;
}

function finish(body: ResolvedBody, stale: boolean, pinnedVersion: number | null): Resolved {
  const { profile, ...domains } = body;
  const full: ResolvedConfigDto = { profile, pinned_version: pinnedVersion, ...domains, stale };
  const json = new EncodedJson(JSON.stringify(full));
  const digest = createHash('sha256').update(json.text).digest('base64url').slice(0, 32);
  return { body: full, json, etag: `"${digest}"` };
}

/** A served body without what finish() adds. */
function bodyOf(body: ResolvedConfigDto): ResolvedBody {
  const { stale: _stale, pinned_version: _pinned, ...rest } = body;
  return rest;
}

/** Sessions whose target, and pins whose configuration, an instance keeps in memory. */
const MAX_SESSIONS_REMEMBERED = 10_000;

/** Map insertion order is age order: past the cap, the oldest entry goes. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_SESSIONS_REMEMBERED) map.delete(map.keys().next().value as K);
}
