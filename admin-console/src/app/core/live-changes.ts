import { HttpClient, HttpContext, HttpDownloadProgressEvent, HttpEventType } from '@angular/common/http';
import { DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Subject, Subscription } from 'rxjs';

import { ApiConfiguration } from '../api/api-configuration';
import { streamConfigChanges } from '../api/fn/stream/stream-config-changes';
import { RequestBuilder } from '../api/request-builder';
import { SbAuthStore } from './auth.store';
import { SB_BACKGROUND_STATUSES, SB_HANDLED_STATUSES } from './problem';

/** One committed change, as `config.changed` events of GET /api/config/stream carry it. */
export interface SbChange {
  history_id: number;
  profile_id: number | null;
  profile_name: string;
  domain: string;
  item: string | null;
  action: string;
  version: number | null;
  session_id: string | null;
  changed_by: string;
  timestamp: string;
}

/** Rows changed without an audit entry (a reload, SQL by hand, a restore): `profile_id` null means every profile. */
export interface SbReload {
  profile_id: number | null;
  reason: string;
}

/** A change request was made, approved or rejected. */
export interface SbChangeRequestEvent {
  id: number;
  profile_id: number;
  status: 'open' | 'approved' | 'rejected';
}

/** `event: schedule`: a scheduled change was made, ran, failed, was retried or cancelled. */
export interface SbScheduleEvent {
  id: number;
  profile_id: number;
  status: 'pending' | 'done' | 'failed' | 'cancelled';
}

export type SbLiveState = 'off' | 'connecting' | 'live' | 'reconnecting';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/** The HTTP client keeps the whole response text of a request: start a new one (resuming by Last-Event-ID) past this. */
const MAX_TEXT_PER_CONNECTION = 1024 * 1024;

/**
 * The console's one subscription to the change stream, while someone is signed in. It goes
 * through the HTTP client (so the token and the error handling are the usual ones; EventSource
 * cannot send headers), reads the events as they arrive, resumes with Last-Event-ID after a
 * drop (backing off from 1 s to 30 s) and says whether it is live.
 */
@Injectable({ providedIn: 'root' })
export class SbLiveChanges {
  private readonly http = inject(HttpClient);
  private readonly rootUrl = inject(ApiConfiguration).rootUrl;
  private readonly auth = inject(SbAuthStore);

  private readonly stateSignal = signal<SbLiveState>('off');
  readonly state = this.stateSignal.asReadonly();
  readonly changes = new Subject<SbChange>();
  readonly reloads = new Subject<SbReload>();
  readonly changeRequests = new Subject<SbChangeRequestEvent>();
  readonly schedules = new Subject<SbScheduleEvent>();

  private connection: Subscription | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryMs = FIRST_RETRY_MS;
  private lastEventId: string | undefined;

  constructor() {
    effect(() => {
      const signedIn = this.auth.signedIn();
      untracked(() => (signedIn ? this.start() : this.stop()));
    });
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  private start(): void {
    if (this.connection || this.retryTimer) return;
    this.stateSignal.set('connecting');
    this.connect();
  }

  private stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.connection?.unsubscribe();
    this.connection = undefined;
    this.lastEventId = undefined;
    this.stateSignal.set('off');
  }

  private connect(): void {
    const builder = new RequestBuilder(this.rootUrl, streamConfigChanges.PATH, 'get');
    if (this.lastEventId) builder.header('Last-Event-ID', this.lastEventId, {});
    // A dropped stream is this service's to handle (it retries): no snackbar. A 401 still signs out.
    const context = new HttpContext().set(SB_HANDLED_STATUSES, SB_BACKGROUND_STATUSES);
    const request = builder.build({ responseType: 'text', accept: 'text/event-stream', context }).clone({ reportProgress: true });
    let read = 0;
    const parser = createParser({ onEvent: (event) => this.dispatch(event) });
    this.connection = this.http.request(request).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.ResponseHeader && event.ok) {
          this.stateSignal.set('live');
          this.retryMs = FIRST_RETRY_MS;
        }
        if (event.type !== HttpEventType.DownloadProgress) return;
        const text = (event as HttpDownloadProgressEvent).partialText ?? '';
        parser.feed(text.slice(read));
        read = text.length;
        if (read > MAX_TEXT_PER_CONNECTION) this.reconnect(0);
      },
      error: () => this.reconnect(this.retryMs),
      complete: () => this.reconnect(FIRST_RETRY_MS),
    });
  }

  private reconnect(delayMs: number): void {
    this.connection?.unsubscribe();
    this.connection = undefined;
    if (!this.auth.signedIn()) return this.stop();
    if (delayMs > 0) {
      this.stateSignal.set('reconnecting');
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delayMs);
  }

  private dispatch(event: EventSourceMessage): void {
    if (event.id) this.lastEventId = event.id;
    try {
      if (event.event === 'config.changed') this.changes.next(JSON.parse(event.data) as SbChange);
      else if (event.event === 'config.reload') this.reloads.next(JSON.parse(event.data) as SbReload);
      else if (event.event === 'change-request') this.changeRequests.next(JSON.parse(event.data) as SbChangeRequestEvent);
      else if (event.event === 'schedule') this.schedules.next(JSON.parse(event.data) as SbScheduleEvent);
    } catch {
      // A malformed event is skipped; the next one is read as usual.
    }
  }
}
