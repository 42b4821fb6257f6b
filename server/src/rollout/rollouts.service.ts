import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { lockProfile, requireProfile } from '../common/database/profile-guard.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../common/errors/domain-errors.js';
import { type ConfigAction, ConfigChangedEvent, type FieldChanges, emitConfigChanged } from '../common/events/config-events.js';
import type { PutRolloutDto, RolloutDto } from './dto/rollout.dto.js';
import { ProfileRolloutEntity } from './entities/profile-rollout.entity.js';
import { type RolloutSplit, servesCandidate } from './rollout-split.js';

/** History entries of rollouts carry this domain; the change stream announces them like any change. */
export const ROLLOUT_DOMAIN = 'rollout';

/**
 * Gradual rollouts: one candidate profile per profile and the share of subjects sent to it.
 * Starting, raising or lowering, aborting and promoting are audited changes of the profile (domain
 * `rollout`), written under its lock like every other change of it, so that every instance hears
 * of them and re-reads its split. The database keeps rollouts one level deep (ProfileRollouts migration).
 */
@Injectable()
export class RolloutsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {}

  /** The profile's split, as resolution needs it; null without a rollout. */
  async splitOf(profileId: number, manager: EntityManager = this.dataSource.manager): Promise<RolloutSplit | null> {
    const row = await manager.findOneBy(ProfileRolloutEntity, { profileId });
    return row && { profileId, candidateProfileId: row.candidateProfileId, percentage: row.percentage };
  }

  async get(profileId: number): Promise<RolloutDto> {
    await requireProfile(this.dataSource.manager, profileId);
    return this.dto(this.dataSource.manager, await this.existing(this.dataSource.manager, profileId));
  }

  /** Starts a rollout, or moves its percentage (or candidate); audited. */
  async put(profileId: number, request: PutRolloutDto, actor: string): Promise<{ rollout: RolloutDto; created: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const candidate = request.candidate_profile_id;
      if (candidate === profileId) throw refused('candidate_profile_id', 'is this profile itself: a rollout needs another profile');
      await requireProfile(manager, candidate).catch((error: unknown) => {
        throw error instanceof NotFoundError ? new NotFoundError(`The candidate profile ${candidate} does not exist.`) : error;
      });
      if (await manager.existsBy(ProfileRolloutEntity, { profileId: candidate })) {
        throw refused('candidate_profile_id', `profile ${candidate} has a rollout of its own: promote or abort it first`);
      }
      if (await manager.existsBy(ProfileRolloutEntity, { candidateProfileId: profileId })) {
        throw refused('candidate_profile_id', `profile ${profileId} is the candidate of another rollout: it cannot have one`);
      }
      const before = await manager.findOne(ProfileRolloutEntity, { where: { profileId }, lock: { mode: 'pessimistic_write' } });
      const changes: FieldChanges = {};
      if (before?.candidateProfileId !== candidate) changes.candidate_profile_id = { old: before?.candidateProfileId ?? null, new: candidate };
      if (before?.percentage !== request.percentage) changes.percentage = { old: before?.percentage ?? null, new: request.percentage };
      if (before && !Object.keys(changes).length) return { rollout: await this.dto(manager, before), created: false };
      await manager.upsert(
        ProfileRolloutEntity,
        { profileId, candidateProfileId: candidate, percentage: request.percentage, startedBy: before?.startedBy ?? actor, updatedAt: () => 'now()' },
        ['profileId'],
      );
      await this.emit(manager, profileId, profileName, before ? 'update' : 'create', actor, changes);
      return { rollout: await this.dto(manager, await this.existing(manager, profileId)), created: !before };
    });
  }

  /**
   * Ends the rollout in the caller's transaction (which holds the profile's lock), audited;
   * `promoted`: the candidate's values were just copied onto the profile. Returns what it was.
   */
  async end(manager: EntityManager, profileId: number, profileName: string, actor: string, promoted: boolean): Promise<RolloutSplit> {
    const row = await this.existing(manager, profileId);
    await manager.delete(ProfileRolloutEntity, { profileId });
    await this.emit(manager, profileId, profileName, 'delete', actor, {
      candidate_profile_id: { old: row.candidateProfileId, new: null },
      percentage: { old: row.percentage, new: null },
      ...(promoted && { promoted: { old: false, new: true } }),
    });
    return { profileId, candidateProfileId: row.candidateProfileId, percentage: row.percentage };
  }

  /** 409 while the profile is another's candidate (the database refuses the delete too; this says it as a conflict of its own). */
  async refuseIfCandidate(manager: EntityManager, profileId: number, profileName: string): Promise<void> {
    const [owner]: { name: string }[] = await manager.query(
      `SELECT p.name FROM profile_rollouts r JOIN config_profiles p ON p.id = r.profile_id WHERE r.candidate_profile_id = $1 LIMIT 1`,
      [profileId],
    );
    if (owner) throw new ConflictError(`Profile "${profileName}" is the candidate of a rollout on profile "${owner.name}": promote or abort that rollout first.`);
  }

  async abort(profileId: number, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => this.end(manager, profileId, await lockProfile(manager, profileId), actor, false));
  }

  /** The profile a new session of `profileId` is bound to: the candidate for the subject's share, else the profile. */
  async sessionProfile(manager: EntityManager, profileId: number, subject: string): Promise<number> {
    const split = await this.splitOf(profileId, manager);
    return split && servesCandidate(split, subject) ? split.candidateProfileId : profileId;
  }

  private async existing(manager: EntityManager, profileId: number): Promise<ProfileRolloutEntity> {
    const row = await manager.findOneBy(ProfileRolloutEntity, { profileId });
    if (!row) throw new NotFoundError(`Profile ${profileId} has no rollout.`);
    return row;
  }

  private async dto(manager: EntityManager, row: ProfileRolloutEntity): Promise<RolloutDto> {
    return {
      profile_id: row.profileId,
      candidate_profile_id: row.candidateProfileId,
      candidate_name: await requireProfile(manager, row.candidateProfileId),
      percentage: row.percentage,
      started_by: row.startedBy,
      started_at: row.startedAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    };
  }

  private emit(manager: EntityManager, profileId: number, profileName: string, action: ConfigAction, actor: string, changes: FieldChanges) {
    return emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, ROLLOUT_DOMAIN, action, actor, changes));
  }
}

function refused(field: string, message: string): UnprocessableError {
  return new UnprocessableError(`${field} ${message}.`, [{ field, message }]);
}
