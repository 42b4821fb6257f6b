import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import pg from 'pg';
import {
  CONFIG_CHANNEL,
  type ConfigChangeMessage,
  CONFIG_COMMITTED,
  CONFIG_RESYNC,
  ConfigCommittedEvent,
  ConfigResyncEvent,
  SESSION_ENDED,
  TOKENS_CHANGED,
  ITEM_STATUS_CHANGED,
  ItemStatusChangedEvent,
  SessionEndedEvent,
} from '../common/events/config-events.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { LISTEN_DATABASE_URL } from './reload.constants.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;
/** A connection can die without a word (a partition, a fail-over): ask it something this often. */
const PING_MS = 10_000;

export interface ListenerState {
  connected: boolean;
  connected_since: string | null;
  reconnects: number;
  notifications: number;
  last_notification_at: string | null;
}

/**
 * Holds one connection of its own that LISTENs on `switchboard_config` and turns each
 * notification into a CONFIG_COMMITTED event on this instance. When the connection drops it
 * reconnects with back-off, then announces CONFIG_RESYNC: whatever happened meanwhile is unknown.
 */
@Injectable()
export class ConfigListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConfigListener.name);
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private stopped = false;
  private everConnected = false;
  private connectedSince: Date | null = null;
  private reconnects = 0;
  private notifications = 0;
  private lastNotificationAt: Date | null = null;

  constructor(
    @Inject(LISTEN_DATABASE_URL) private readonly databaseUrl: string,
    private readonly events: EventEmitter2,
    metrics: MetricsService,
  ) {
    metrics.gauge('switchboard_listener_connected', '1 while this instance LISTENs for changes', () => (this.connected ? 1 : 0));
    metrics.gauge('switchboard_listener_notifications', 'Change notifications received since start', () => this.notifications);
  }

  get connected(): boolean {
    return this.connectedSince !== null;
  }

  get state(): ListenerState {
    return {
      connected: this.connected,
      connected_since: this.connectedSince?.toISOString() ?? null,
      reconnects: this.reconnects,
      notifications: this.notifications,
      last_notification_at: this.lastNotificationAt?.toISOString() ?? null,
    };
  }

  /** The first attempt is awaited, so the instance listens before it serves; later ones run behind. */
  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'switchboard-listener',
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 5000,
      query_timeout: 5000,
    });
    // Notifications can arrive with the LISTEN reply, before the resync below is announced:
    // they wait, so that stream replays start from before them rather than after.
    const early: (string | undefined)[] = [];
    let announced = false;
    client.on('notification', (message) => (announced ? this.onNotification(message.payload) : early.push(message.payload)));
    client.on('error', (error) => this.onLost(client, error));
    client.on('end', () => this.onLost(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CONFIG_CHANNEL}`);
    } catch (error) {
      this.onLost(client, error as Error);
      return;
    }
    this.connectedSince = new Date();
    this.retryMs = FIRST_RETRY_MS;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => client.query('SELECT 1').catch((error: Error) => this.onLost(client, error)), PING_MS).unref();
    if (this.everConnected) {
      this.reconnects++;
      this.logger.log('Listening for configuration changes again; every profile is treated as changed');
    }
    this.everConnected = true;
    // Also on the first connection: requests answered before it (from the database) may have
    // cached what another instance changed meanwhile.
    this.events.emit(CONFIG_RESYNC, new ConfigResyncEvent('reconnected'));
    announced = true;
    early.forEach((payload) => this.onNotification(payload));
  }

  private onLost(client: pg.Client, error?: Error): void {
    if (client !== this.client || this.stopped) return;
    this.client = undefined;
    clearInterval(this.pingTimer);
    if (this.connected || this.retryMs === FIRST_RETRY_MS) {
      this.logger.warn(`Configuration listener disconnected${error ? ` (${error.message})` : ''}; retrying with back-off`);
    }
    this.connectedSince = null;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private onNotification(payload: string | undefined): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(payload ?? '');
    } catch {
      this.logger.warn(`Ignoring a malformed notification on ${CONFIG_CHANNEL}`);
      return;
    }
    this.notifications++;
    this.lastNotificationAt = new Date();
    // `switchboard doctor` checking that notifications come back: heard, and nothing to do.
    if (message.kind === 'probe') return;
    if (message.kind === 'change_request' || message.kind === 'schedule') {
      this.events.emit(ITEM_STATUS_CHANGED, new ItemStatusChangedEvent(message.kind, message as unknown as ItemStatusChangedEvent['message']));
      return;
    }
    if (message.kind === 'tokens') {
      this.events.emit(TOKENS_CHANGED);
      return;
    }
    if (typeof message.session_ended === 'string') {
      this.events.emit(SESSION_ENDED, new SessionEndedEvent(message.session_ended));
      return;
    }
    if (message.reload || message.kind === 'external') {
      const reason = message.reload ? 'reload' : 'external';
      this.events.emit(CONFIG_RESYNC, new ConfigResyncEvent(reason, (message.profile_id as number | null) ?? null));
      return;
    }
    this.events.emit(CONFIG_COMMITTED, new ConfigCommittedEvent(message as unknown as ConfigChangeMessage));
  }
}
