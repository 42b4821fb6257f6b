import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { Observable } from 'rxjs';

import { ChangeRequestDto } from '../../api/models';
import { ChangeRequestsService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SbDomainCatalog } from '../../core/domain-catalog';
import { SbLiveChanges } from '../../core/live-changes';
import { SbNotifier } from '../../core/notifier';
import { domainLabelOf, historyChanges, SbChangeRow } from '../../shared/domains';
import { showEffective } from '../../shared/env-lock.component';
import { SbStateComponent } from '../../shared/state.component';
import { SbWhenComponent } from '../../shared/when';

type SbShown = 'open' | 'all';

/**
 * The inbox of change requests: what each proposes (its diff, field by field), who asked and why;
 * an editor other than the author approves (the values are applied) or rejects with a comment.
 * Follows requests made and decided elsewhere.
 */
@Component({
  selector: 'sb-change-requests-page',
  imports: [FormsModule, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatInputModule, RouterLink, SbStateComponent, SbWhenComponent],
  template: `
    <section class="sb-requests">
      <div class="sb-head-row">
        <h1>Change requests</h1>
        <mat-button-toggle-group [value]="shown()" (change)="show($event.value)" aria-label="Which requests">
          <mat-button-toggle value="open">Open</mat-button-toggle>
          <mat-button-toggle value="all">All</mat-button-toggle>
        </mat-button-toggle-group>
      </div>
      <p class="sb-help">
        On a profile that requires approval, an editor’s change waits here until another editor approves it (its values are then
        applied as the author’s change) or rejects it with a comment. An approval is refused if what it changes moved meanwhile.
      </p>
      @switch (state()) {
        @case ('loading') {
          <sb-state kind="loading" message="Loading change requests…" />
        }
        @case ('error') {
          <sb-state kind="error" message="The change requests could not be loaded." (retry)="load()" />
        }
        @default {
          @if (requests().length === 0) {
            <sb-state kind="empty" [message]="shown() === 'open' ? 'No open change request: nothing waits for a decision.' : 'No change request yet.'" />
          }
          @for (request of requests(); track request.change_request_id) {
            <article class="sb-request" [attr.data-request]="request.change_request_id" [attr.aria-labelledby]="'sb-request-' + request.change_request_id">
              <h2 class="sb-request__title" [id]="'sb-request-' + request.change_request_id">
                #{{ request.change_request_id }} ·
                <a [routerLink]="['/profiles', request.profile_id]">{{ request.profile_name }}</a>
                <span class="sb-badge" [class.sb-request__status--open]="request.status === 'open'">{{ request.status }}</span>
              </h2>
              <p class="sb-help">
                Proposed by {{ request.created_by }} <sb-when [at]="request.created_at" />
                @if (request.decided_by) {
                  · {{ request.status }} by {{ request.decided_by }} <sb-when [at]="request.decided_at!" />
                }
              </p>
              @if (request.message) {
                <p class="sb-request__message">“{{ request.message }}”</p>
              }
              <table class="sb-table" [attr.aria-label]="'Changes proposed by request ' + request.change_request_id">
                <thead>
                  <tr>
                    <th scope="col">Domain</th>
                    <th scope="col">Field</th>
                    <th scope="col">Now</th>
                    <th scope="col">Proposed</th>
                  </tr>
                </thead>
                <tbody>
                  @for (row of rowsOf(request); track row.domain + row.field) {
                    <tr>
                      <td>{{ row.domainLabel }}</td>
                      <td>{{ row.label }}</td>
                      <td class="sb-mono sb-request__old">{{ shownValue(row.before) }}</td>
                      <td class="sb-mono sb-request__new">{{ shownValue(row.after) }}</td>
                    </tr>
                  }
                </tbody>
              </table>
              @if (request.comment) {
                <p class="sb-request__comment">{{ request.decided_by }}: “{{ request.comment }}”</p>
              }
              @if (request.status === 'open' && auth.mayEdit(request.profile_id)) {
                @if (isOwn(request)) {
                  <p class="sb-help">Yours: another editor decides on it.</p>
                } @else {
                  <div class="sb-request__decide">
                    <mat-form-field class="sb-request__note">
                      <mat-label>Comment (required to reject)</mat-label>
                      <input matInput [(ngModel)]="comments[request.change_request_id]" [attr.data-testid]="'comment-' + request.change_request_id" />
                    </mat-form-field>
                    <button mat-flat-button type="button" (click)="approve(request)" [disabled]="busyId() === request.change_request_id">Approve</button>
                    <button mat-stroked-button type="button" class="sb-danger-text" (click)="reject(request)" [disabled]="busyId() === request.change_request_id">Reject</button>
                  </div>
                }
              }
            </article>
          }
        }
      }
    </section>
  `,
  styles: `
    .sb-requests { max-width: 1100px; margin: 0 auto; }
    .sb-request { margin: 16px 0; padding: 8px 16px 12px; border: 1px solid var(--mat-sys-outline-variant); border-radius: 8px; }
    .sb-request__title { margin: 4px 0; font: var(--mat-sys-title-medium); display: flex; align-items: center; gap: 8px; }
    .sb-request__message, .sb-request__comment { margin: 4px 0 8px; }
    .sb-request__old { color: var(--mat-sys-on-surface-variant); }
    .sb-request__new { font-weight: 600; }
    .sb-request__status--open { background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
    .sb-request__decide { display: flex; flex-wrap: wrap; align-items: baseline; gap: 12px; margin-top: 8px; }
    .sb-request__note { flex: 1 1 280px; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbChangeRequestsPageComponent {
  protected readonly auth = inject(SbAuthStore);
  private readonly api = inject(ChangeRequestsService);
  private readonly catalog = inject(SbDomainCatalog);
  private readonly notifier = inject(SbNotifier);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly shown = signal<SbShown>('open');
  protected readonly requests = signal<ChangeRequestDto[]>([]);
  protected readonly busyId = signal<number | null>(null);
  protected readonly comments: Record<number, string> = {};
  protected readonly shownValue = showEffective;

  constructor() {
    this.load();
    inject(SbLiveChanges)
      .changeRequests.pipe(takeUntilDestroyed())
      .subscribe(() => this.load(true));
  }

  /** `quiet`: keep the list on screen while it is read again. */
  load(quiet = false): void {
    if (!quiet) this.state.set('loading');
    this.api
      .listChangeRequests(this.shown() === 'open' ? { status: 'open' } : {})
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (requests) => {
          this.requests.set(requests);
          this.state.set('ready');
        },
        error: () => {
          if (!quiet) this.state.set('error');
        },
      });
  }

  protected show(shown: SbShown): void {
    this.shown.set(shown);
    this.load();
  }

  protected rowsOf(request: ChangeRequestDto): (SbChangeRow & { domain: string; domainLabel: string })[] {
    const domains = this.catalog.domains();
    return Object.entries(request.changes).flatMap(([key, changes]) => {
      // A request names domains as a profile document does: its genie_spaces are the history's genie.
      const domain = key === 'genie_spaces' ? 'genie' : key;
      return historyChanges({ domain, changes } as never, domains).map((row) => ({ ...row, domain, domainLabel: domainLabelOf(domain, domains) }));
    });
  }

  protected isOwn(request: ChangeRequestDto): boolean {
    return request.created_by.toLowerCase() === this.auth.principal()?.name.toLowerCase();
  }

  protected approve(request: ChangeRequestDto): void {
    const comment = this.comments[request.change_request_id]?.trim();
    this.decide(
      request,
      this.api.approveChangeRequest({ id: request.change_request_id, body: comment ? { comment } : {} }),
      `Request #${request.change_request_id} approved: “${request.profile_name}” has its values.`,
    );
  }

  protected reject(request: ChangeRequestDto): void {
    const comment = this.comments[request.change_request_id]?.trim();
    if (!comment) {
      this.notifier.error('Say why in the comment, then reject.');
      return;
    }
    this.decide(request, this.api.rejectChangeRequest({ id: request.change_request_id, body: { comment } }), `Request #${request.change_request_id} rejected.`);
  }

  private decide(request: ChangeRequestDto, action: Observable<unknown>, done: string): void {
    this.busyId.set(request.change_request_id);
    action.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => {
        this.busyId.set(null);
        this.notifier.success(done);
        this.load(true);
      },
      error: () => {
        this.busyId.set(null);
        this.load(true);
      },
    });
  }
}
