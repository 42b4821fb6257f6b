import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { debounceTime, filter, merge, Observable } from 'rxjs';

import { AgentSessionSummaryDto } from '../../api/models';
import { AgentService, ProfilesService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SbLiveChanges } from '../../core/live-changes';
import { SbNotifier } from '../../core/notifier';
import { SbProfileStore } from '../../core/profile.store';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { SbStateComponent } from '../../shared/state.component';
import { SbWhenComponent } from '../../shared/when';
import { count, SbCountPipe } from '../../shared/count';

/**
 * Agent sessions: which profile each uses, whether it is live (a live session holds its profile,
 * which then cannot be deleted), and its turns; move one to another profile, or end it.
 */
@Component({
  selector: 'sb-sessions-page',
  imports: [MatButtonModule, MatFormFieldModule, MatMenuModule, MatSelectModule, RouterLink, SbCountPipe, SbStateComponent, SbWhenComponent],
  template: `
    <section class="sb-sessions">
      <div class="sb-head-row">
        <h1>Agent sessions</h1>
      </div>
      <p class="sb-help">
        A session is one conversation of a running agent, on the profile it loaded. While it is live (seen recently) it holds that
        profile: the profile cannot be deleted until the session moves to another one or ends.
      </p>
      <mat-form-field class="sb-sessions__filter">
        <mat-label>Profile</mat-label>
        <mat-select [value]="profileId() ?? null" (selectionChange)="filterBy($event.value)" data-testid="sessions-profile">
          <mat-option [value]="null">All profiles</mat-option>
          @for (profile of profiles.profiles() ?? []; track profile.id) {
            <mat-option [value]="profile.id">{{ profile.name }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      @switch (state()) {
        @case ('loading') {
          <sb-state kind="loading" message="Loading sessions…" />
        }
        @case ('error') {
          <sb-state kind="error" message="The sessions could not be loaded." (retry)="load()" />
        }
        @default {
          @if (sessions().length === 0) {
            <sb-state kind="empty" [message]="profileId() ? 'No session uses this profile.' : 'No agent session yet: Load on a profile, or an agent, starts one.'" />
          } @else {
            <table class="sb-table" aria-label="Agent sessions">
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Profile</th>
                  <th scope="col">State</th>
                  <th scope="col">Configuration</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Turns</th>
                  <th scope="col"><span class="sb-visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                @for (session of sessions(); track session.session_id) {
                  <tr [attr.data-session]="session.session_id">
                    <td><code class="sb-mono" [title]="session.session_id">{{ session.session_id.slice(0, 8) }}</code></td>
                    <td><a [routerLink]="['/profiles', session.profile_id]">{{ session.profile_name }}</a></td>
                    <td>{{ session.live ? 'Live' : 'Idle' }}</td>
                    <td>
                      @if (session.pinned_version !== null) {
                        <span [title]="'Keeps the profile as it was at history entry #' + session.pinned_version + ', whatever changes after'">Pinned at #{{ session.pinned_version }}</span>
                      } @else {
                        <span title="Takes every change of its profile at once">Follows</span>
                      }
                    </td>
                    <td><sb-when [at]="session.last_seen_at" /></td>
                    <td>{{ session.messages }}</td>
                    <td class="sb-sessions__actions">
                      @let targets = moveTargets(session);
                      @if (targets.length) {
                        <button mat-button type="button" [matMenuTriggerFor]="moveMenu" [disabled]="busyId() === session.session_id">Move to…</button>
                        <mat-menu #moveMenu="matMenu">
                          @for (profile of targets; track profile.id) {
                            <button mat-menu-item type="button" (click)="move(session, profile.id, profile.name)">{{ profile.name }}</button>
                          }
                        </mat-menu>
                      }
                      @if (auth.mayEdit(session.profile_id)) {
                        <button mat-button type="button" (click)="pin(session, session.pinned_version === null)" [disabled]="busyId() === session.session_id">
                          {{ session.pinned_version === null ? 'Pin' : 'Unpin' }}
                        </button>
                      }
                      @if (auth.canEdit()) {
                        <button mat-button type="button" class="sb-danger-text" (click)="end(session)" [disabled]="busyId() === session.session_id">End</button>
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
            <p class="sb-help">{{ total() | sbCount: 'session' }}{{ total() > sessions().length ? ', the ' + sessions().length + ' most recently seen shown' : '' }}.</p>
          }
        }
      }
    </section>
  `,
  styles: `
    .sb-sessions { max-width: 1200px; margin: 0 auto; }
    .sb-sessions__filter { width: 280px; margin-top: 12px; }
    .sb-sessions__actions { white-space: nowrap; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbSessionsPageComponent {
  /** `?profile_id=` of the address: only that profile's sessions. */
  readonly profileId = input(undefined, { alias: 'profile_id', transform: (value: unknown) => (value === undefined || value === null || value === '' ? undefined : numberAttribute(value)) });

  protected readonly auth = inject(SbAuthStore);
  protected readonly profiles = inject(SbProfileStore);
  private readonly api = inject(AgentService);
  private readonly profilesApi = inject(ProfilesService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly sessions = signal<AgentSessionSummaryDto[]>([]);
  protected readonly total = signal(0);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly busyId = signal<string | null>(null);

  constructor() {
    if (this.profiles.profiles() === null) this.profiles.refresh().subscribe({ error: () => undefined });
    effect(() => {
      this.profileId();
      untracked(() => this.load());
    });
    // Loads and moves elsewhere (and profiles deleted) show up by themselves; an end is not announced on the stream.
    const live = inject(SbLiveChanges);
    merge(live.changes.pipe(filter((change) => change.domain === 'profile' && (change.action === 'load' || change.action === 'delete'))), live.reloads)
      .pipe(debounceTime(200), takeUntilDestroyed())
      .subscribe(() => this.load(true));
  }

  /** `quiet`: keep the table on screen while it is read again. */
  protected load(quiet = false): void {
    if (!quiet) this.state.set('loading');
    this.api
      .listAgentSessions$Response({ profile_id: this.profileId(), limit: 200 })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => {
          this.sessions.set(response.body);
          this.total.set(Number(response.headers.get('x-total-count') ?? response.body.length));
          this.state.set('ready');
        },
        error: () => {
          if (!quiet) this.state.set('error');
        },
      });
  }

  protected filterBy(profileId: number | null): void {
    void this.router.navigate([], { queryParams: { profile_id: profileId ?? undefined } });
  }

  /** The profiles this session may be moved to by the caller: a load takes the editor role on the profile loaded (its grant there, else the global role). */
  protected moveTargets(session: AgentSessionSummaryDto): { id: number; name: string }[] {
    return (this.profiles.profiles() ?? []).filter((profile) => profile.id !== session.profile_id && this.auth.mayEdit(profile.id));
  }

  protected move(session: AgentSessionSummaryDto, profileId: number, profileName: string): void {
    this.act(session, this.profilesApi.loadProfile({ id: profileId, body: { session_id: session.session_id } }), `Session ${session.session_id.slice(0, 8)} now uses “${profileName}”.`);
  }

  /** Pinned: the session keeps its profile as it is now; unpinned: it follows every change again. */
  protected pin(session: AgentSessionSummaryDto, pin: boolean): void {
    const short = session.session_id.slice(0, 8);
    this.act(
      session,
      this.profilesApi.loadProfile({ id: session.profile_id, body: { session_id: session.session_id, pin } }),
      pin ? `Session ${short} is pinned to “${session.profile_name}” as it is now.` : `Session ${short} follows “${session.profile_name}” again.`,
    );
  }

  protected end(session: AgentSessionSummaryDto): void {
    confirmAction(this.dialog, {
      title: `End session ${session.session_id.slice(0, 8)}?`,
      message: `Its conversation (${count(session.messages, 'turn')}) is deleted, and “${session.profile_name}” is no longer held by it. An agent still using this session id gets 404 and must start a new one.`,
      confirm: 'End session',
      danger: true,
    })
      .pipe(filter(Boolean))
      .subscribe(() => this.act(session, this.api.endAgentSession({ session_id: session.session_id }), `Session ${session.session_id.slice(0, 8)} ended.`));
  }

  private act(session: AgentSessionSummaryDto, action: Observable<unknown>, done: string): void {
    this.busyId.set(session.session_id);
    action.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => {
        this.busyId.set(null);
        this.notifier.success(done);
        this.load(true);
        this.profiles.refresh().subscribe({ error: () => undefined });
      },
      error: () => {
        this.busyId.set(null);
        this.load(true);
      },
    });
  }
}
