import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { isConnectionError } from '../common/database/connection-errors.js';
import { envInteger } from '../common/config/env.js';
import { DomainError } from '../common/errors/domain-errors.js';
import { postgresErrorToProblem } from '../common/errors/postgres-errors.js';
import { runWithRequestId } from '../common/http/request-context.js';
import { ProfileDocumentsService } from '../profiles/profile-documents.service.js';
import type { ProfileDocumentDto } from '../profiles/dto/profile-document.dto.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { ScheduleEntity } from './entities/schedule.entity.js';
import { scheduledValues, SchedulesService } from './schedules.service.js';

const POLL_MS = envInteger(process.env, 'SWITCHBOARD_SCHEDULE_POLL_MS', 500, { min: 1, unit: 'milliseconds' });
/** What last_error keeps of a reason. */
const REASON_MAX = 2000;
/** A change refused for a passing reason (a concurrent change, the server too busy) is tried this often in all. */
const MAX_ATTEMPTS = 3;
const RETRY_AFTER_MS = 5_000;

/**
 * Runs due scheduled changes. Each is claimed with FOR UPDATE SKIP LOCKED in the transaction that
 * makes the change and marks it done, so it runs exactly once however many instances poll. The
 * change runs in a savepoint under its creator's name (audit request id `schedule-<id>`):
 * refused for good (a value the checks refuse, a probe the profile requires) it is marked failed
 * with the reason; refused for a passing reason it is tried again 5 s later, three times in all.
 * While the database is away nothing is claimed: what is due runs once it is back.
 * A scheduled apply writes the values as they are when it runs: there is no base version to
 * conflict with (412), by decision: it was scheduled to win.
 */
@Injectable()
export class ScheduleRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ScheduleRunner.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schedules: SchedulesService,
    private readonly profiles: ProfilesService,
    private readonly documents: ProfileDocumentsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.runDue().finally(() => (this.running = undefined));
    }, POLL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Every change due now, one transaction each. */
  async runDue(): Promise<void> {
    try {
      while (!this.stopping && (await this.dataSource.transaction((manager) => this.runOne(manager))));
    } catch (error) {
      // The database may be away: what was due stays pending, for the next poll.
      if (!isConnectionError(error)) this.logger.error(`Scheduled changes could not be run: ${String(error)}`);
    }
  }

  private async runOne(manager: EntityManager): Promise<boolean> {
    const schedule = await this.schedules.claimDue(manager);
    if (!schedule) return false;
    const attempts = schedule.attempts + 1;
    try {
      await manager.transaction((savepoint) => runWithRequestId(`schedule-${schedule.id}`, () => this.execute(savepoint, schedule)));
      await manager.update(ScheduleEntity, { id: schedule.id }, { status: 'done', attempts, lastError: null, finishedAt: () => 'now()' });
    } catch (error) {
      const { passing, reason: whole } = this.refusal(error);
      const reason = whole.slice(0, REASON_MAX);
      if (passing && attempts < MAX_ATTEMPTS) {
        await manager.update(ScheduleEntity, { id: schedule.id }, { attempts, lastError: reason, runAt: new Date(Date.now() + RETRY_AFTER_MS) });
      } else {
        await manager.update(ScheduleEntity, { id: schedule.id }, { status: 'failed', attempts, lastError: reason, finishedAt: () => 'now()' });
      }
    }
    return true;
  }

  private async execute(manager: EntityManager, schedule: ScheduleEntity): Promise<void> {
    if (schedule.action === 'set_default') {
      await this.profiles.setDefaultIn(manager, schedule.profileId, schedule.createdBy);
      return;
    }
    await this.documents.applyPresent(manager, schedule.profileId, scheduledValues(schedule) as Partial<ProfileDocumentDto>, schedule.createdBy);
  }

  private refusal(error: unknown): { passing: boolean; reason: string } {
    if (error instanceof DomainError) return { passing: error.status === 503 || error.slug === 'concurrent-change', reason: error.message };
    if (error instanceof QueryFailedError) {
      const problem = postgresErrorToProblem(error.driverError as { code?: string });
      if (problem) return { passing: problem.type.endsWith(':concurrent-change'), reason: problem.detail };
    }
    if (isConnectionError(error)) return { passing: true, reason: 'The database could not be reached.' };
    this.logger.error(`A scheduled change failed unexpectedly: ${String(error)}`);
    return { passing: false, reason: 'An unexpected error occurred; it is logged.' };
  }
}

