import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { requireProfile } from '../common/database/profile-guard.js';
import { assertMayChangeProfile } from '../common/http/profile-permission.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../common/errors/domain-errors.js';
import type { CreateScheduleDto, ScheduleDto, ScheduledValuesDto } from './dto/schedule.dto.js';
import { ChangeRequestsService } from '../change-requests/change-requests.service.js';
import { DomainValuesService } from '../domains/domain-values.service.js';
import { ScheduleEntity } from './entities/schedule.entity.js';

/** YYYY-MM-DDThh:mm[:ss[.fff]] and a zone: what `new Date` reads the same everywhere. */
const WITH_TIME_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A scheduled change must be this far ahead when it is made: time to cancel it, and no race with the clock. */
export const SCHEDULE_MIN_LEAD_MS = 2_000;

/** Scheduled changes: stored, listed, cancelled here; run by ScheduleRunner. */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly domainValues: DomainValuesService,
    private readonly changeRequests: ChangeRequestsService,
  ) {}

  async list(profileId?: number): Promise<ScheduleDto[]> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(ScheduleEntity, 's')
      .innerJoin('config_profiles', 'p', 'p.id = s.profile_id')
      .addSelect('p.name', 'profile_name')
      .where(profileId === undefined ? '1 = 1' : 's.profile_id = :profileId', { profileId })
      .orderBy('s.run_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(500)
      .getRawAndEntities();
    return rows.entities.map((row, index) => toDto(row, (rows.raw[index] as { profile_name: string }).profile_name));
  }

  async create(request: CreateScheduleDto, actor: string): Promise<ScheduleDto> {
    const runAt = new Date(request.run_at);
    if (!WITH_TIME_ZONE.test(request.run_at) || Number.isNaN(runAt.getTime())) {
      throw new UnprocessableError('run_at must be a date and time with its time zone, such as 2026-11-28T18:00:00Z.', [{ field: 'run_at', message: 'must be a date and time with its time zone (Z or ±hh:mm)' }]);
    }
    if (runAt.getTime() < Date.now() + SCHEDULE_MIN_LEAD_MS) {
      throw new UnprocessableError('run_at must be at least 2 seconds ahead.', [{ field: 'run_at', message: 'must be at least 2 seconds ahead' }]);
    }
    if ((request.action === 'apply') !== (request.values !== undefined)) {
      throw new UnprocessableError('values go with action apply, and only with it.', [{ field: 'values', message: request.action === 'apply' ? 'is required for apply' : 'applies only to action apply' }]);
    }
    if (request.values && !Object.values(request.values).some((value) => value !== undefined)) {
      throw new UnprocessableError('values must name at least one domain to write.', [{ field: 'values', message: 'names no domain' }]);
    }
    if (request.values?.domains) await this.domainValues.assertStorable(request.values.domains, 'values.domains');
    return this.dataSource.transaction(async (manager) => {
      const name = await requireProfile(manager, request.profile_id);
      await this.changeRequests.assertSchedulable(manager, request.profile_id, name);
      const row = await manager.save(
        manager.create(ScheduleEntity, { profileId: request.profile_id, action: request.action, values: (request.values as Record<string, unknown>) ?? null, runAt, createdBy: actor }),
      );
      return toDto(row, name);
    });
  }

  /** Until it runs: a change claimed by an instance meanwhile is running, and cannot be (409 after). */
  async cancel(id: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(ScheduleEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundError(`There is no scheduled change ${id}.`);
      assertMayChangeProfile(row.profileId);
      if (row.status !== 'pending') throw new ConflictError(`Scheduled change ${id} is ${row.status} already: only a pending one can be cancelled.`);
      await manager.update(ScheduleEntity, { id }, { status: 'cancelled', finishedAt: () => 'now()' });
    });
  }

  /** The next due change, locked for the caller's transaction; instances skip those another holds. */
  async claimDue(manager: EntityManager): Promise<ScheduleEntity | null> {
    const [due]: { id: number }[] = await manager.query(
      `SELECT id FROM config_schedules WHERE status = 'pending' AND run_at <= now() ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return due ? manager.findOneByOrFail(ScheduleEntity, { id: due.id }) : null;
  }
}

export function scheduledValues(row: ScheduleEntity): ScheduledValuesDto {
  return (row.values ?? {}) as ScheduledValuesDto;
}

function toDto(row: ScheduleEntity, profileName: string): ScheduleDto {
  return {
    schedule_id: row.id,
    profile_id: row.profileId,
    profile_name: profileName,
    action: row.action,
    values: row.values as ScheduledValuesDto | null,
    run_at: row.runAt.toISOString(),
    status: row.status,
    attempts: row.attempts,
    last_error: row.lastError,
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
