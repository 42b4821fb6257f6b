import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { interval } from 'rxjs';

import { ConfigStatusDto } from '../../api/models';
import { SystemService } from '../../api/services';
import { SbLiveChanges } from '../../core/live-changes';
import { SB_BACKGROUND_STATUSES, SB_HANDLED_STATUSES } from '../../core/problem';
import { SbStateComponent } from '../../shared/state.component';
import { SbWhenComponent } from '../../shared/when';
import { SbCountPipe } from '../../shared/count';

/** Read again this often while the page is open. */
const REFRESH_MS = 5000;

/**
 * The instance that serves this console (GET /api/config/status): how long it has run, whether it
 * hears changes (its LISTEN connection), what it caches, the console's own change stream; then
 * every live instance of the registry, with the newest change each applied.
 */
@Component({
  selector: 'sb-instance-page',
  imports: [MatButtonModule, RouterLink, SbCountPipe, SbStateComponent, SbWhenComponent],
  template: `
    <section class="sb-instance">
      <div class="sb-head-row">
        <h1>Instance</h1>
        <button mat-stroked-button type="button" (click)="load()">Refresh</button>
      </div>
      <p class="sb-help">The Switchboard instance this console talks to, read again every {{ refreshSeconds }} s.</p>
      @switch (state()) {
        @case ('loading') {
          <sb-state kind="loading" message="Loading the instance's status…" />
        }
        @case ('error') {
          <sb-state kind="error" message="The instance's status could not be loaded." (retry)="load()" />
        }
        @default {
          @if (status(); as s) {
            <dl class="sb-instance__facts" data-testid="instance-status">
              <dt>Instance</dt>
              <dd><code class="sb-mono">{{ s.instance_id }}</code>, running since <sb-when [at]="s.started_at" /></dd>
              <dt>Hears changes</dt>
              <dd [class.sb-error-text]="!s.listener.connected">
                @if (s.listener.connected) {
                  Yes, since <sb-when [at]="s.listener.connected_since" />: {{ s.listener.notifications | sbCount: 'notification' }},
                  {{ s.listener.reconnects | sbCount: 'reconnection' }}@if (s.listener.last_notification_at) {, the last at <sb-when [at]="s.listener.last_notification_at" />}.
                } @else {
                  No: its LISTEN connection is down and being retried; it serves from the database meanwhile.
                }
              </dd>
              <dt>This console's stream</dt>
              <dd>{{ live.state() === 'live' ? 'Live' : live.state() === 'off' ? 'Off' : 'Reconnecting' }}</dd>
              <dt>Profiles</dt>
              <dd>
                {{ s.profiles }}, default
                @if (s.default_profile; as profile) {
                  <a [routerLink]="['/profiles', profile.id]">{{ profile.name }}</a>
                } @else {
                  none
                }; {{ s.cached_profiles }} held in memory
              </dd>
              <dt>Agent sessions</dt>
              <dd><a routerLink="/sessions">{{ s.sessions }}</a></dd>
              <dt>Last change</dt>
              <dd>@if (s.last_change) {<sb-when [at]="s.last_change" />} @else {none yet}</dd>
              <dt>Last reload</dt>
              <dd>@if (s.last_reload) {<sb-when [at]="s.last_reload" />} @else {none since it started}</dd>
            </dl>

            <h2 class="sb-instance__subtitle">Every instance</h2>
            <p class="sb-help">
              Each instance registers itself and beats a heartbeat; one that misses three is no longer listed. The newest change each
              applied shows whether they are all up to date.
            </p>
            <table class="sb-table" aria-label="Live instances" data-testid="instances">
              <thead>
                <tr>
                  <th scope="col">Instance</th>
                  <th scope="col">Host and process</th>
                  <th scope="col">Version</th>
                  <th scope="col">Running since</th>
                  <th scope="col">Hears changes</th>
                  <th scope="col">Newest change applied</th>
                </tr>
              </thead>
              <tbody>
                @for (instance of s.instances; track instance.instance_id) {
                  <tr [attr.data-instance]="instance.instance_id">
                    <td>
                      <code class="sb-mono">{{ instance.instance_id.slice(0, 8) }}</code>
                      @if (instance.current) {
                        <span class="sb-badge">this one</span>
                      }
                    </td>
                    <td>{{ instance.host }} · pid {{ instance.pid }}</td>
                    <td>{{ instance.version }}</td>
                    <td><sb-when [at]="instance.started_at" /></td>
                    <td [class.sb-error-text]="!instance.listener_connected">{{ instance.listener_connected ? 'Yes' : 'No: retrying' }}</td>
                    <td>
                      @if (instance.last_applied_history_id === null) {
                        none since it started
                      } @else {
                        #{{ instance.last_applied_history_id }}
                        @if (instance.last_applied_history_id < newestApplied(s)) {
                          <span class="sb-warn-text">(behind)</span>
                        }
                      }
                    </td>
                  </tr>
                } @empty {
                  <tr>
                    <td colspan="6">No instance has registered yet.</td>
                  </tr>
                }
              </tbody>
            </table>
          }
        }
      }
    </section>
  `,
  styles: `
    .sb-instance { max-width: 900px; margin: 0 auto; }
    .sb-instance__facts { display: grid; grid-template-columns: minmax(120px, max-content) 1fr; gap: 8px 24px; font: var(--mat-sys-body-medium); }
    .sb-instance__facts dt { color: var(--mat-sys-on-surface-variant); }
    .sb-instance__facts dd { margin: 0; }
    .sb-instance__subtitle { margin: 24px 0 4px; font: var(--mat-sys-title-large); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbInstancePageComponent {
  private readonly api = inject(SystemService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly live = inject(SbLiveChanges);
  protected readonly refreshSeconds = REFRESH_MS / 1000;
  protected readonly status = signal<ConfigStatusDto | null>(null);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');

  constructor() {
    this.load();
    interval(REFRESH_MS)
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.load(true));
  }

  /** The newest change any instance applied: one that has not is behind (or heard of nothing since it started). */
  protected newestApplied(status: ConfigStatusDto): number {
    return Math.max(0, ...status.instances.map((instance) => instance.last_applied_history_id ?? 0));
  }

  /** `quiet`: a periodic read keeps the figures on screen, and a failure shows only on the next manual one. */
  protected load(quiet = false): void {
    if (!quiet) this.state.set('loading');
    this.api
      // A periodic read that fails says so on the page (the next manual one), not in a snackbar every 5 s.
      .getConfigStatus(undefined, quiet ? new HttpContext().set(SB_HANDLED_STATUSES, SB_BACKGROUND_STATUSES) : undefined)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (status) => {
          this.status.set(status);
          this.state.set('ready');
        },
        error: () => {
          if (!quiet) this.state.set('error');
        },
      });
  }
}
