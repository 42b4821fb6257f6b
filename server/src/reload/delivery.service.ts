import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { ChangeDeliveryDto, InstanceDto, SessionAckResultDto } from './dto/delivery.dto.js';
import { InstanceRegistry, LIVE_INSTANCE } from './instance-registry.service.js';
import { ResolvedConfigService } from './resolved-config.service.js';

/** Did a change reach every instance and agent? The registry's records, read for people. */
@Injectable()
export class DeliveryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: InstanceRegistry,
    private readonly resolved: ResolvedConfigService,
    private readonly sessions: SessionsService,
  ) {}

  /** Live instances (none of their last three heartbeats missed), the oldest first. */
  async instances(): Promise<InstanceDto[]> {
    const rows: { id: string; host: string; pid: number; version: string; started_at: Date; heartbeat_at: Date; listener_connected: boolean; last_applied: string | null }[] =
      await this.dataSource.query(
        `SELECT i.id, i.host, i.pid, i.version, i.started_at, i.heartbeat_at, i.listener_connected,
                (SELECT max(a.history_id) FROM config_change_applied a WHERE a.instance_id = i.id) AS last_applied
           FROM switchboard_instances i
          WHERE ${LIVE_INSTANCE}
          ORDER BY i.started_at, i.id`,
      );
    return rows.map((row) => ({
      instance_id: row.id,
      host: row.host,
      pid: row.pid,
      version: row.version,
      started_at: row.started_at.toISOString(),
      heartbeat_at: row.heartbeat_at.toISOString(),
      listener_connected: row.listener_connected,
      last_applied_history_id: row.last_applied === null ? null : Number(row.last_applied),
      current: row.id === this.registry.id,
    }));
  }

  /** One change: every live instance (applied when, or pending) and its profile's live sessions. */
  async delivery(historyId: number): Promise<ChangeDeliveryDto> {
    const [change]: { id: string; profile_id: number | null; timestamp: Date }[] = await this.dataSource.query(
      `SELECT id, profile_id, "timestamp" FROM config_history WHERE id = $1`,
      [historyId],
    );
    if (!change) throw new NotFoundError(`There is no change (history entry) ${historyId}.`);
    const instances: { id: string; host: string; applied_at: Date | null }[] = await this.dataSource.query(
      `SELECT i.id, i.host,
              -- An instance that started, or re-read everything, after the change has it.
              coalesce(a.applied_at, CASE WHEN greatest(i.started_at, i.resynced_at) > $2 THEN greatest(i.started_at, i.resynced_at) END) AS applied_at
         FROM switchboard_instances i
         LEFT JOIN config_change_applied a ON a.instance_id = i.id AND a.history_id = $1
        WHERE ${LIVE_INSTANCE}
        ORDER BY i.started_at, i.id`,
      [historyId, change.timestamp],
    );
    const sessions = change.profile_id === null ? [] : await this.sessions.deliveryOf(this.dataSource.manager, change.profile_id, historyId);
    const since = (at: Date | null) => (at ? Math.max(0, at.getTime() - change.timestamp.getTime()) : null);
    const pending = instances.some((instance) => !instance.applied_at);
    const taking = sessions.filter((session) => session.status !== 'pinned');
    return {
      history_id: Number(change.id),
      profile_id: change.profile_id,
      timestamp: change.timestamp.toISOString(),
      instances: instances.map((instance) => ({
        instance_id: instance.id,
        host: instance.host,
        status: instance.applied_at ? 'applied' : 'pending',
        applied_at: instance.applied_at?.toISOString() ?? null,
        after_ms: since(instance.applied_at),
      })),
      sessions: sessions.map((session) => ({
        session_id: session.id,
        status: session.status,
        acked_at: session.acked_at?.toISOString() ?? null,
        pinned_version: session.pinned_version === null ? null : Number(session.pinned_version),
      })),
      instances_applied: { applied: instances.filter((instance) => instance.applied_at).length, total: instances.length },
      // Sessions pinned before the change do not take it, by design: they are not counted as pending.
      sessions_applied: { applied: taking.filter((session) => session.status === 'applied').length, total: taking.length },
      sessions_pinned: sessions.length - taking.length,
      all_instances_after_ms: pending || !instances.length ? null : Math.max(...instances.map((instance) => since(instance.applied_at)!)),
    };
  }

  /**
   * An agent says which configuration its session applied (the ETag of resolved, as its caller
   * gets it: `withSecrets` for agents and admins, so nobody compares against values they may not see).
   */
  async ack(sessionId: string, etag: string, withSecrets: boolean): Promise<SessionAckResultDto> {
    const session = await this.sessions.targetOf(this.dataSource.manager, sessionId);
    // The watermark first, then a fresh read of the configuration: what is read is at least as new as it.
    // A pinned session's configuration includes the changes up to its pin, and never a later one.
    const newest = session.pin ? session.pin.historyId : await this.newestChange(session.profileId);
    const current = (await this.resolved.etagNow(session, withSecrets)) === etag.replace(/^W\//, '');
    const acked = await this.sessions.ack(this.dataSource.manager, { ...session, id: sessionId }, etag, current ? newest : null);
    return { session_id: sessionId, profile_id: session.profileId, current, acked_history_id: acked.ackedHistoryId, acked_at: acked.ackedAt.toISOString() };
  }

  private async newestChange(profileId: number): Promise<number | null> {
    const [{ newest }]: { newest: string | null }[] = await this.dataSource.query('SELECT max(id) AS newest FROM config_history WHERE profile_id = $1', [profileId]);
    return newest === null ? null : Number(newest);
  }
}
