import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import { CONFIG_CHANNEL } from '../common/events/config-events.js';
import type { PinnedPrompts } from '../prompt-registry/prompt-registry.service.js';
import { AgentSessionEntity } from './entities/agent-session.entity.js';

/** A session seen within this many seconds is live: its profile cannot be deleted. */
export const SESSION_TTL_SECONDS = Number(process.env.SWITCHBOARD_SESSION_TTL_SECONDS ?? 1800);

/** A session as lists show it: its profile, when it was last seen, whether that is recent, its turns. */
export interface SessionSummary {
  session_id: string;
  profile_id: number;
  profile_name: string;
  created_at: string;
  last_seen_at: string;
  pinned_version: number | null;
  live: boolean;
  messages: number;
}

/** Where a session's configuration comes from: its profile now, or the snapshot it is pinned to. */
export interface SessionTarget {
  profileId: number;
  pin: SessionPin | null;
}

export interface SessionPin {
  /** The audited load that pinned the session: its snapshot is the profile as the session keeps it. */
  historyId: number;
  /** Each prompt (id) and the version it served then, by name. */
  prompts: PinnedPrompts;
}

export interface SessionDelivery {
  id: string;
  acked_at: Date | null;
  pinned_version: string | null;
  status: 'applied' | 'pending' | 'pinned';
}

/** Which agent session uses which profile. The agent runtime runs them; profiles bind them. */
@Injectable()
export class SessionsService {
  /**
   * Points a session at a profile, following it (unpinned), creating the session (with `newId`
   * when given) when no id is given. Says whether the session was pinned before, for the audit entry.
   */
  async bind(manager: EntityManager, profileId: number, sessionId?: string, newId?: string): Promise<{ sessionId: string; wasPinned: boolean }> {
    if (sessionId === undefined) {
      const { identifiers } = await manager.insert(AgentSessionEntity, { profileId, ...(newId && { id: newId }) });
      return { sessionId: identifiers[0].id as string, wasPinned: false };
    }
    // Another profile, or the same one pinned or not: what the agent confirmed says nothing of it now.
    const [rows]: [{ was_pinned: boolean }[], number] = await manager.query(
      `UPDATE agent_sessions s
          SET profile_id = $2, last_seen_at = now(), pinned_history_id = NULL, pinned_prompts = NULL,
              acked_etag = NULL, acked_history_id = NULL, acked_at = NULL
         FROM (SELECT id, pinned_history_id FROM agent_sessions WHERE id = $1 FOR UPDATE) old
        WHERE s.id = old.id
        RETURNING old.pinned_history_id IS NOT NULL AS was_pinned`,
      [sessionId, profileId],
    );
    if (!rows.length) throw new NotFoundError(`Session ${sessionId} does not exist; load without session_id to start one.`);
    return { sessionId, wasPinned: rows[0].was_pinned };
  }

  /** Pins a bound session to a history entry of its profile and the prompt versions served at that moment. */
  async pin(manager: EntityManager, sessionId: string, historyId: number, prompts: PinnedPrompts): Promise<void> {
    await manager.update(AgentSessionEntity, { id: sessionId }, { pinnedHistoryId: String(historyId), pinnedPrompts: prompts });
  }

  /** The profile a session uses, and the history entry it is pinned to (null: it follows the profile). */
  async targetOf(manager: EntityManager, sessionId: string): Promise<SessionTarget> {
    const row = await this.find(manager, sessionId);
    return {
      profileId: row.profileId,
      pin: row.pinnedHistoryId === null ? null : { historyId: Number(row.pinnedHistoryId), prompts: row.pinnedPrompts ?? {} },
    };
  }

  async find(manager: EntityManager, sessionId: string): Promise<AgentSessionEntity> {
    const row = await manager.findOneBy(AgentSessionEntity, { id: sessionId });
    if (!row) throw new NotFoundError(`Session ${sessionId} does not exist.`);
    return row;
  }

  /** Holds the session row until the transaction ends: one turn of a conversation at a time. */
  async lockForTurn(manager: EntityManager, sessionId: string): Promise<void> {
    const row = await manager.findOne(AgentSessionEntity, { where: { id: sessionId }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new NotFoundError(`Session ${sessionId} does not exist.`);
  }

  async touch(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.update(AgentSessionEntity, { id: sessionId }, { lastSeenAt: () => 'now()' });
  }

  /**
   * The agent of a session applied the configuration with this ETag: recorded, and when it was the
   * profile's configuration at `historyId` (the profile's newest change then), every change up to
   * that one counts as applied by the session. An older ETag moves no watermark.
   */
  async ack(manager: EntityManager, session: SessionTarget & { id: string }, etag: string, historyId: number | null): Promise<{ ackedHistoryId: number | null; ackedAt: Date }> {
    // Not last_seen_at: the runtime acknowledges for idle sessions too, which must still age out.
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [{ acked_history_id: string | null; acked_at: Date }[], number] = await manager.query(
      `UPDATE agent_sessions
          SET acked_etag = $3, acked_at = now(),
              acked_history_id = CASE WHEN $4::bigint IS NULL THEN acked_history_id ELSE greatest(acked_history_id, $4::bigint) END
        WHERE id = $1 AND profile_id = $2 AND pinned_history_id IS NOT DISTINCT FROM $5::bigint
        RETURNING acked_history_id, acked_at`,
      [session.id, session.profileId, etag, historyId, session.pin?.historyId ?? null],
    );
    const [row] = rows;
    if (!row) {
      await this.find(manager, session.id); // 404 when it was ended meanwhile
      throw new ConflictError(`Session ${session.id} loaded again meanwhile (another profile, or pinned or unpinned): read its configuration again, then acknowledge that.`);
    }
    return { ackedHistoryId: row.acked_history_id === null ? null : Number(row.acked_history_id), ackedAt: row.acked_at };
  }

  /**
   * A profile's live sessions, oldest first, and whether each acknowledged a configuration
   * including `historyId`; `pinned`: pinned before that change, so it will not take it.
   */
  async deliveryOf(manager: EntityManager, profileId: number, historyId: number): Promise<SessionDelivery[]> {
    return manager.query(
      `SELECT id, acked_at, pinned_history_id AS pinned_version,
              CASE WHEN pinned_history_id < $1 THEN 'pinned' WHEN acked_history_id >= $1 THEN 'applied' ELSE 'pending' END AS status
         FROM agent_sessions
        WHERE profile_id = $2 AND last_seen_at > now() - make_interval(secs => $3)
        ORDER BY created_at, id`,
      [historyId, profileId, SESSION_TTL_SECONDS],
    );
  }

  /** Ends a session; every instance hears of it (on commit) and forgets the session. */
  async end(manager: EntityManager, sessionId: string): Promise<void> {
    const { affected } = await manager.delete(AgentSessionEntity, { id: sessionId });
    if (!affected) throw new NotFoundError(`Session ${sessionId} does not exist.`);
    await manager.query('SELECT pg_notify($1, $2)', [CONFIG_CHANNEL, JSON.stringify({ session_ended: sessionId })]);
  }

  /** Sessions, most recently seen first; `profileId` narrows to one profile's. */
  async list(manager: EntityManager, query: { profileId?: number; limit: number; offset: number }): Promise<{ items: SessionSummary[]; total: number }> {
    const rows: (SessionSummary & { total: number })[] = await manager.query(
      `SELECT s.id AS session_id, s.profile_id, p.name AS profile_name, s.created_at, s.last_seen_at, s.pinned_history_id AS pinned_version,
              s.last_seen_at > now() - make_interval(secs => $4) AS live,
              (SELECT count(*)::int FROM agent_messages m WHERE m.session_id = s.id) AS messages,
              count(*) OVER ()::int AS total
         FROM agent_sessions s JOIN config_profiles p ON p.id = s.profile_id
        WHERE $3::int IS NULL OR s.profile_id = $3
        ORDER BY s.last_seen_at DESC, s.id
        LIMIT $1 OFFSET $2`,
      [query.limit, query.offset, query.profileId ?? null, SESSION_TTL_SECONDS],
    );
    // A page past the end has no row to carry the total: count then.
    const total = rows[0]?.total ?? (query.offset > 0 ? await this.count(manager, query.profileId) : 0);
    return {
      items: rows.map(({ total: _total, ...item }) => ({
        ...item,
        created_at: toIso(item.created_at),
        last_seen_at: toIso(item.last_seen_at),
        // bigint arrives as a string
        pinned_version: item.pinned_version === null ? null : Number(item.pinned_version),
      })),
      total,
    };
  }

  private async count(manager: EntityManager, profileId: number | undefined): Promise<number> {
    const [{ total }] = await manager.query('SELECT count(*)::int AS total FROM agent_sessions WHERE $1::int IS NULL OR profile_id = $1', [profileId ?? null]);
    return total;
  }

  async countLive(manager: EntityManager, profileId: number): Promise<number> {
    const [{ count }] = await manager.query(
      `SELECT count(*)::int AS count FROM agent_sessions WHERE profile_id = $1 AND last_seen_at > now() - make_interval(secs => $2)`,
      [profileId, SESSION_TTL_SECONDS],
    );
    return count;
  }

  /** Live sessions per profile, for a page of profiles. */
  async countLiveByProfile(manager: EntityManager, profileIds: number[]): Promise<Map<number, number>> {
    const rows: { profile_id: number; count: number }[] = await manager.query(
      `SELECT profile_id, count(*)::int AS count FROM agent_sessions
        WHERE profile_id = ANY($1) AND last_seen_at > now() - make_interval(secs => $2)
        GROUP BY profile_id`,
      [profileIds, SESSION_TTL_SECONDS],
    );
    return new Map(rows.map((row) => [row.profile_id, row.count]));
  }

  /** Sessions idle past the TTL no longer hold their profile. */
  async removeStale(manager: EntityManager, profileId: number): Promise<void> {
    await manager.query(
      `DELETE FROM agent_sessions WHERE profile_id = $1 AND last_seen_at <= now() - make_interval(secs => $2)`,
      [profileId, SESSION_TTL_SECONDS],
    );
  }
}

function toIso(value: string | Date): string {
  return new Date(value).toISOString();
}
