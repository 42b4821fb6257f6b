import type { ServerResponse } from 'node:http';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  ITEM_STATUS_CHANGED,
  type ItemStatusChangedEvent,
  CONFIG_COMMITTED,
  CONFIG_RESYNC,
  type ConfigChangeMessage,
  type ConfigCommittedEvent,
  type ConfigResyncEvent,
} from '../common/events/config-events.js';
import { envInteger } from '../common/config/env.js';
import { HistoryService } from '../history/history.service.js';
import { MetricsService } from '../metrics/metrics.service.js';

const REPLAY_PAGE = 500;
/** Live events held for one subscriber while it catches up from history; past this it is cut. */
const MAX_PENDING_EVENTS = 10_000;

interface Subscriber {
  response: ServerResponse;
  profileId?: number;
  /** The newest history id this subscriber has been sent. */
  lastId: number;
  /** Set while a replay runs: live events wait here, so that order holds and nothing repeats. */
  pending?: ConfigChangeMessage[];
  /** The response head has gone out: only then may anything be written. */
  open: boolean;
  /** A look at the unsent bytes is due on the next turn of the event loop. */
  checkDue?: boolean;
}

/** One serialisation per event, however many subscribers it goes to. */
const frames = new WeakMap<ConfigChangeMessage, string>();

function frameOf(message: ConfigChangeMessage): string {
  let frame = frames.get(message);
  if (frame === undefined) {
    frame = `id: ${message.history_id}\nevent: config.changed\ndata: ${JSON.stringify(message)}\n\n`;
    frames.set(message, frame);
  }
  return frame;
}

/**
 * Server-Sent Events of committed changes. Each event's id is its history id, so a client that
 * reconnects with Last-Event-ID gets what it missed from the history table, and after this
 * instance's listener reconnects every subscriber is caught up the same way.
 */
@Injectable()
export class StreamService implements BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger(StreamService.name);
  private readonly subscribers = new Set<Subscriber>();
  /**
   * Bytes a subscriber's connection may hold unsent (SWITCHBOARD_STREAM_MAX_BUFFER_BYTES). A client
   * that stops reading would otherwise make the server keep every event for it in memory.
   */
  private readonly maxBufferBytes = envInteger(process.env, 'SWITCHBOARD_STREAM_MAX_BUFFER_BYTES', 1024 * 1024, { min: 1, unit: 'bytes' });
  private slowDisconnects = 0;
  /** A comment line now and then keeps proxies and load balancers from closing an idle stream. */
  private readonly heartbeat = setInterval(
    () => this.broadcast(': heartbeat\n\n'),
    Number(process.env.SWITCHBOARD_STREAM_HEARTBEAT_SECONDS || 15) * 1000,
  ).unref();

  constructor(
    private readonly history: HistoryService,
    metrics: MetricsService,
  ) {
    metrics.gauge('switchboard_stream_subscribers', 'Open change streams on this instance', () => this.subscribers.size);
    metrics.gauge('switchboard_stream_slow_disconnects', 'Streams ended because their client fell behind, since start', () => this.slowDisconnects);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Without lastEventId the stream starts at the newest change; with it, right after that one.
   * `open` sends the response head: it is called once the database has answered, so a request
   * made while it is away gets a plain 503 instead of a stream that starts wrong.
   */
  async subscribe(response: ServerResponse, options: { profileId?: number; lastEventId?: number }, open: () => void): Promise<void> {
    const subscriber: Subscriber = { response, profileId: options.profileId, lastId: options.lastEventId ?? 0, open: false };
    this.subscribers.add(subscriber);
    response.on('close', () => this.subscribers.delete(subscriber));
    try {
      await this.holdingLiveEvents(subscriber, async () => {
        const missed =
          options.lastEventId === undefined ? [] : await this.history.changesAfter(subscriber.lastId, subscriber.profileId, REPLAY_PAGE);
        if (options.lastEventId === undefined) subscriber.lastId = await this.history.latestId();
        open();
        subscriber.open = true;
        this.send(subscriber, `retry: 2000\n: connected\n\n`);
        missed.forEach((message) => this.write(subscriber, message));
        if (missed.length === REPLAY_PAGE) await this.replay(subscriber);
      });
    } catch (error) {
      this.subscribers.delete(subscriber);
      if (!subscriber.open) throw error;
      this.logger.warn(`A stream ended while catching up: ${String(error)}`);
      response.end(); // the client reconnects with Last-Event-ID
    }
  }

  @OnEvent(CONFIG_COMMITTED)
  onCommitted(event: ConfigCommittedEvent): void {
    for (const subscriber of this.subscribers) this.deliver(subscriber, event.message);
  }

  /**
   * A change request was made or decided (`event: change-request`), a scheduled change made, run,
   * retried or cancelled (`event: schedule`), with {id, profile_id, status}, to every stream of all
   * profiles or of its profile. Not replayed on reconnect: the console reads those lists again
   * whenever its stream reconnects.
   */
  @OnEvent(ITEM_STATUS_CHANGED)
  onItemStatus(event: ItemStatusChangedEvent): void {
    const { id, profile_id, status } = event.message;
    const name = event.kind === 'change_request' ? 'change-request' : 'schedule';
    const chunk = `event: ${name}\ndata: ${JSON.stringify({ id, profile_id, status })}\n\n`;
    for (const subscriber of this.subscribers) {
      if (subscriber.profileId === undefined || subscriber.profileId === profile_id) this.send(subscriber, chunk);
    }
  }

  /** After a reconnect of the listener, notifications may have been lost: read them from history. */
  @OnEvent(CONFIG_RESYNC)
  onResync(event: ConfigResyncEvent): void {
    if (event.reason !== 'reconnected') {
      if (!event.announce) return;
      const chunk = `event: config.reload\ndata: ${JSON.stringify({ profile_id: event.profileId, reason: event.reason })}\n\n`;
      for (const subscriber of this.subscribers) {
        if (event.profileId === null || subscriber.profileId === undefined || subscriber.profileId === event.profileId) this.send(subscriber, chunk);
      }
      return;
    }
    for (const subscriber of this.subscribers) {
      if (subscriber.pending) continue; // already catching up
      this.holdingLiveEvents(subscriber, () => this.replay(subscriber)).catch((error: unknown) =>
        this.logger.warn(`Catching a stream up failed: ${String(error)}`),
      );
    }
    // Rows changed outside the API while nobody listened have no history to replay: say so.
    this.broadcast(`event: config.reload\ndata: ${JSON.stringify({ profile_id: null, reason: 'reconnected' })}\n\n`);
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
  }

  /** Open streams would keep the HTTP server from closing. */
  beforeApplicationShutdown(): void {
    for (const subscriber of this.subscribers) subscriber.response.end(); // open or not: the socket must close
    this.subscribers.clear();
  }

  private async holdingLiveEvents(subscriber: Subscriber, work: () => Promise<void>): Promise<void> {
    subscriber.pending = [];
    try {
      await work();
    } finally {
      const pending = subscriber.pending;
      subscriber.pending = undefined;
      pending.forEach((message) => this.deliver(subscriber, message));
    }
  }

  private async replay(subscriber: Subscriber): Promise<void> {
    while (this.subscribers.has(subscriber)) {
      const missed = await this.history.changesAfter(subscriber.lastId, subscriber.profileId, REPLAY_PAGE);
      missed.forEach((message) => this.write(subscriber, message));
      if (missed.length < REPLAY_PAGE) return;
      await drained(subscriber.response); // a page at a time, as fast as the client reads
    }
  }

  private deliver(subscriber: Subscriber, message: ConfigChangeMessage): void {
    if (subscriber.profileId !== undefined && message.profile_id !== subscriber.profileId) return;
    if (!subscriber.pending) return this.write(subscriber, message);
    subscriber.pending.push(message);
    if (subscriber.pending.length > MAX_PENDING_EVENTS) this.cut(subscriber, `${subscriber.pending.length} events arrived while it caught up`);
  }

  private write(subscriber: Subscriber, message: ConfigChangeMessage): void {
    if (message.history_id <= subscriber.lastId) return;
    subscriber.lastId = message.history_id;
    this.send(subscriber, frameOf(message));
  }

  private broadcast(chunk: string): void {
    for (const subscriber of this.subscribers) this.send(subscriber, chunk);
  }

  private send(subscriber: Subscriber, chunk: string): void {
    if (!subscriber.open || !this.subscribers.has(subscriber)) return;
    subscriber.response.write(chunk);
    if (subscriber.response.writableLength <= this.maxBufferBytes || subscriber.checkDue) return;
    // Writes of one turn of the event loop are held back (corked) and go out together at its end:
    // only what is still unsent on the next turn says that the client is not reading.
    subscriber.checkDue = true;
    setImmediate(() => {
      subscriber.checkDue = false;
      const unsent = subscriber.response.writableLength;
      if (unsent > this.maxBufferBytes) this.cut(subscriber, `${unsent} bytes were waiting to be sent`);
    });
  }

  /** Ends a stream whose client fell behind; it reconnects with Last-Event-ID and misses nothing. */
  private cut(subscriber: Subscriber, why: string): void {
    if (!this.subscribers.delete(subscriber)) return;
    this.slowDisconnects++;
    this.logger.warn(`A stream client fell behind (${why}); disconnected it, it resumes with Last-Event-ID`);
    subscriber.response.destroy();
  }
}

/** Resolves once the response has room again (or is gone). */
function drained(response: ServerResponse): Promise<void> {
  if (!response.writableNeedDrain || response.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
