import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { AuthService, ChangeRequestsService, ProfilesService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SB_HANDLED_STATUSES, SbProblem } from '../../core/problem';
import { SbProfileStore } from '../../core/profile.store';
import { SbLiveChanges } from '../../core/live-changes';
import { formatWhen } from '../../shared/when';
import { SbDirtyTabs } from './dirty-tabs';
import { SbParentLineComponent } from './parent/parent-line.component';
import { SbRolloutPanelComponent } from './rollout-panel.component';
import { profileTabs } from '../../core/profile-tabs';
import { SbDomainCatalog } from '../../core/domain-catalog';

/** One profile's configuration: a tab per domain (built-in, then registered ones), plus its history. */
@Component({
  selector: 'sb-config-page',
  imports: [MatButtonModule, MatTabsModule, RouterLink, RouterLinkActive, RouterOutlet, SbParentLineComponent, SbRolloutPanelComponent],
  host: { '(window:beforeunload)': 'warnBeforeUnload($event)' },
  template: `
    @if (deletedBy(); as deletion) {
      <section class="sb-config sb-config--missing" role="alert" data-testid="profile-not-found">
        <h1 class="sb-config__title">“{{ deletion.name }}” was deleted</h1>
        <p>{{ deletion.by }} deleted this profile at {{ deletion.at }}. Its history is kept; anything unsaved here is gone with it.</p>
        <a mat-flat-button routerLink="/profiles">Go to the profiles</a>
      </section>
    } @else if (notFound()) {
      <section class="sb-config sb-config--missing" role="alert" data-testid="profile-not-found">
        <h1 class="sb-config__title">Profile {{ profileId() }} not found</h1>
        <p>No profile has this id: it may have been deleted, or the link is wrong.</p>
        <a mat-flat-button routerLink="/profiles">Go to the profiles</a>
      </section>
    } @else {
    <section class="sb-config">
      <div class="sb-config__head">
        <h1 class="sb-config__title">
          {{ profile()?.name ?? 'Profile ' + profileId() }}
          @if (profile()?.is_default) {
            <span class="sb-badge">Default</span>
          }
        </h1>
        @if (profile()?.description; as description) {
          <p class="sb-config__description">{{ description }}</p>
        }
        @if (profile(); as current) {
          <sb-parent-line [profile]="current" />
        }
        @if (!auth.mayEdit(profileId())) {
          <p class="sb-readonly" role="status">Read-only: your role here ({{ auth.roleOn(profileId()) }}) can look but not change.</p>
        } @else if (approvalRequired() && !auth.isAdmin()) {
          <p class="sb-readonly" role="status" data-testid="approval-note">
            Changes here need approval: saving values or Genie spaces, or restoring, proposes a change request, which another editor approves in
            <a routerLink="/change-requests">Requests</a>. Renaming, deleting, the default, rollouts and the prompt library are for admins.
          </p>
        }
        <sb-rollout-panel [profileId]="profileId()" />
      </div>
      <nav mat-tab-nav-bar [tabPanel]="panel" aria-label="Configuration domains">
        @for (tab of tabs(); track tab.path) {
          <a mat-tab-link [routerLink]="tab.path" routerLinkActive #active="routerLinkActive" [active]="active.isActive">
            {{ tab.label }}
            @if (dirtyTabs.isDirty(tab.path)) {
              <span class="sb-dirty-mark" aria-label="unsaved changes" title="Unsaved changes">●</span>
            }
          </a>
        }
      </nav>
      <mat-tab-nav-panel #panel class="sb-config__panel">
        <router-outlet />
      </mat-tab-nav-panel>
    </section>
    }
  `,
  styles: `
    .sb-config { max-width: 1200px; margin: 0 auto; }
    .sb-config__title { margin: 0; font: var(--mat-sys-headline-medium); display: flex; align-items: center; gap: 12px; }
    .sb-config__description { margin: 4px 0 0; color: var(--mat-sys-on-surface-variant); }
    .sb-config__panel { display: block; padding-top: 16px; }
    .sb-dirty-mark { margin-left: 6px; color: var(--mat-sys-tertiary); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbConfigPageComponent {
  readonly profileId = input.required({ transform: numberAttribute });

  protected readonly auth = inject(SbAuthStore);
  protected readonly dirtyTabs = inject(SbDirtyTabs);
  private readonly store = inject(SbProfileStore);
  protected readonly profile = computed(() => this.store.profiles()?.find((profile) => profile.id === this.profileId()) ?? null);

  /** Registered domains get a tab each (the catalog reads them once and follows registry changes). */
  private readonly catalog = inject(SbDomainCatalog);
  private readonly registered = computed(() => this.catalog.domains().filter((domain) => !domain.built_in));
  private readonly profilesApi = inject(ProfilesService);
  private readonly authApi = inject(AuthService);
  /** The server says no profile has this id (404): one clear screen instead of every tab failing. */
  protected readonly notFound = signal(false);
  /** The profile requires approval: editors' saves become change requests. */
  protected readonly approvalRequired = signal(false);
  private readonly approvals = inject(ChangeRequestsService);
  /** Someone deleted the profile on screen (the change stream): say so, instead of failing saves. */
  protected readonly deletedBy = signal<{ name: string; by: string; at: string } | null>(null);
  protected readonly tabs = computed(() => profileTabs(this.registered(), this.auth.isAdmin()));

  constructor() {
    inject(SbLiveChanges)
      .changes.pipe(takeUntilDestroyed())
      .subscribe((change) => {
        if (change.domain === 'profile' && change.action === 'delete' && change.profile_id === this.profileId()) {
          this.deletedBy.set({ name: change.profile_name, by: change.changed_by, at: formatWhen(change.timestamp) });
        }
        if (change.domain === 'approval' && change.profile_id === this.profileId()) this.readApproval(this.profileId());
        // A grant given or revoked (perhaps to this very principal): what it may change here follows.
        if (change.domain === 'permissions') this.authApi.getCurrentPrincipal().subscribe({ next: (principal) => this.auth.setPrincipal(principal), error: () => undefined });
      });
    effect(() => {
      const id = this.profileId();
      untracked(() => {
        this.notFound.set(false);
        this.deletedBy.set(null);
        this.readApproval(id);
        this.store.currentId.set(id);
        if (this.store.profiles()?.some((profile) => profile.id === id)) return;
        this.store.refresh().subscribe({ error: () => undefined });
        this.profilesApi.getProfile({ id }, new HttpContext().set(SB_HANDLED_STATUSES, [404])).subscribe({
          error: (problem: unknown) => this.notFound.set(problem instanceof SbProblem && problem.status === 404 && this.profileId() === id),
        });
      });
    });
  }

  private readApproval(id: number): void {
    this.approvalRequired.set(false);
    this.approvals.getApprovalRule({ id }, new HttpContext().set(SB_HANDLED_STATUSES, [404])).subscribe({
      next: (rule) => this.approvalRequired.set(rule.required && this.profileId() === id),
      error: () => undefined,
    });
  }

  /** Reloading or closing the tab with unsaved work asks first (the browser's own dialog: nothing else may run then). */
  protected warnBeforeUnload(event: BeforeUnloadEvent): void {
    if (!this.dirtyTabs.anyDirty()) return;
    event.preventDefault();
    event.returnValue = '';
  }
}
