import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { readPackageInfo } from '../common/config/package-info.js';
import { CONFIG_COMMITTED, CONFIG_RESYNC, ConfigCommittedEvent, ConfigResyncEvent } from '../common/events/config-events.js';
import { ConfigListener } from './config-listener.service.js';

/** Seconds between heartbeats; an instance that missed three of its own is no longer counted. */
export const HEARTBEAT_SECONDS = Math.min(3600, Math.max(1, Math.round(Number(process.env.SWITCHBOARD_HEARTBEAT_SECONDS ?? 5)) || 5));
/** SQL: whether the instance row `i` beat recently enough to count as live. */
export const LIVE_INSTANCE = `i.heartbeat_at > now() - make_interval(secs => 3 * i.heartbeat_seconds)`;
/** Applied changes are written in batches, this far apart at most: one INSERT for a burst. */
const FLUSH_MS = 20;
/** Rows of instances gone this long, and delivery records this old, are deleted. */
const FORGET_AFTER = '1 hour';
const KEEP_APPLIED = '1 day';
const PRUNE_EVERY_HEARTBEATS = 12;

/**
 * This process in the instance registry: it registers at start, beats a heartbeat (with its
 * listener's state), records when it applied each change it heard of, and leaves at shutdown.
 * "Applied" is the moment the notification was handled: in the same tick the resolved cache
 * dropped the profile (ResolvedConfigService) and the stream passed the event on.
 */
@Injectable()
export class InstanceRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InstanceRegistry.name);
  readonly id = process.env.SWITCHBOARD_INSTANCE_ID || randomUUID();
  readonly startedAt = new Date();
  private readonly version = readPackageInfo().version;
  /** Settles once the first heartbeat wrote this instance's row (applied changes refer to it). */
  private readonly registered: Promise<void>;
  private markRegistered!: () => void;
  private applied: { historyId: number; at: Date }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private beats = 0;
  private stopped = false;
  /** The heartbeat under way: a clean stop waits for it, so it cannot re-insert the row after the DELETE. */
  private beating: Promise<void> = Promise.resolve();
  /** When every cached configuration was last dropped (the listener connected again). */
  private resyncedAt: Date | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly listener: ConfigListener,
  ) {
    this.registered = new Promise((resolve) => (this.markRegistered = resolve));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beatNow();
    this.heartbeatTimer = setInterval(() => void this.beatNow(), HEARTBEAT_SECONDS * 1000).unref();
  }

  /** Before the database connections close (onApplicationShutdown would be too late). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.flushTimer);
    await this.beating;
    // Gone at once for the others, rather than after three missed heartbeats.
    await this.dataSource.query('DELETE FROM switchboard_instances WHERE id = $1', [this.id]).catch(() => undefined);
  }

  /** Everything was re-read (changes may have been missed): every change before now is applied here. */
  @OnEvent(CONFIG_RESYNC)
  onResync(event: ConfigResyncEvent): void {
    if (event.profileId !== null) return;
    this.resyncedAt = new Date();
    void this.beatNow();
  }

  @OnEvent(CONFIG_COMMITTED)
  onCommitted(event: ConfigCommittedEvent): void {
    this.applied.push({ historyId: event.historyId, at: new Date() });
    this.flushTimer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes the batch of applied changes (after the registration their rows refer to). */
  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    const batch = this.applied;
    this.applied = [];
    if (!batch.length || this.stopped) return;
    try {
      await this.registered;
      await this.dataSource.query(
        `INSERT INTO config_change_applied (history_id, instance_id, applied_at)
         SELECT h, $1, a FROM unnest($2::bigint[], $3::timestamptz[]) AS t(h, a)
         ON CONFLICT (history_id, instance_id) DO UPDATE SET applied_at = excluded.applied_at`,
        [this.id, batch.map((entry) => entry.historyId), batch.map((entry) => entry.at.toISOString())],
      );
    } catch (error) {
      this.logger.warn(`Could not record ${batch.length} applied change(s): ${(error as Error).message}`);
    }
  }

  private beatNow(): Promise<void> {
    this.beating = this.beating.then(() => this.beat());
    return this.beating;
  }

  /** Registers or refreshes this instance (an upsert: a row aged out while paused comes back). */
  private async beat(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.dataSource.query(
        `INSERT INTO switchboard_instances (id, host, pid, version, started_at, heartbeat_at, heartbeat_seconds, resynced_at, listener_connected)
         VALUES ($1, $2, $3, $4, $5, greatest(now(), $5), $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, version = excluded.version, started_at = excluded.started_at,
           heartbeat_at = excluded.heartbeat_at, heartbeat_seconds = excluded.heartbeat_seconds, resynced_at = excluded.resynced_at,
           listener_connected = excluded.listener_connected`,
        [this.id, hostname() || 'unknown', process.pid, this.version, this.startedAt.toISOString(), HEARTBEAT_SECONDS, this.resyncedAt?.toISOString() ?? null, this.listener.connected],
      );
      this.markRegistered(); // applied changes may now refer to the row
      if (++this.beats % PRUNE_EVERY_HEARTBEATS === 0) await this.prune();
    } catch (error) {
      this.logger.warn(`Heartbeat not recorded: ${(error as Error).message}`);
    }
  }

  private async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM switchboard_instances WHERE heartbeat_at < now() - interval '${FORGET_AFTER}'`);
    await this.dataSource.query(`DELETE FROM config_change_applied WHERE applied_at < now() - interval '${KEEP_APPLIED}'`);
  }
}
