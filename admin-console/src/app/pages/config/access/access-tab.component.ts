import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { filter, switchMap } from 'rxjs';

import { ApiTokenDto, GrantDto, PutGrantDto } from '../../../api/models';
import { AuthService, ChangeRequestsService } from '../../../api/services';
import { SbAuthStore } from '../../../core/auth.store';
import { SbLiveChanges } from '../../../core/live-changes';
import { SbNotifier } from '../../../core/notifier';
import { confirmAction } from '../../../shared/confirm-dialog/confirm-dialog.component';
import { SbStateComponent } from '../../../shared/state.component';
import { SbWhenComponent } from '../../../shared/when';

const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,189}$/;

/** Who holds a role on this profile alone (admins): grant one to a token or a proxy user, change it, revoke it. */
@Component({
  selector: 'sb-access-tab',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatSlideToggleModule, SbStateComponent, SbWhenComponent],
  template: `
    <section class="sb-access" aria-labelledby="sb-access-title">
      <h2 id="sb-access-title" class="sb-access__title">Access to this profile</h2>
      <p class="sb-help">
        Besides its global role, a token or a proxy user can hold a role on this profile alone: <strong>editor</strong> lets a viewer change
        it, <strong>viewer</strong> makes it read-only to an editor. Admins keep their role everywhere. Every instance applies a change from the
        next request on, and the History tab records it.
      </p>
      @if (!auth.isAdmin()) {
        <sb-state kind="empty" message="Only admins manage who may change this profile." />
      } @else {
        <p class="sb-access__approval">
          <mat-slide-toggle [checked]="approval()" (change)="setApproval($event.checked)" [disabled]="approval() === null || busy()" data-testid="approval-toggle">
            Changes by editors need approval
          </mat-slide-toggle>
          <span class="sb-help">Their saves become change requests that another editor approves (Requests); admins still change it directly.</span>
        </p>
        @switch (state()) {
          @case ('loading') {
            <sb-state kind="loading" message="Loading grants…" />
          }
          @case ('error') {
            <sb-state kind="error" message="The grants could not be loaded." (retry)="load()" />
          }
          @default {
            @if (grants().length === 0) {
              <sb-state kind="empty" message="No grant: everyone has their global role here." />
            } @else {
              <table class="sb-table" aria-label="Grants on this profile">
                <thead>
                  <tr>
                    <th scope="col">Who</th>
                    <th scope="col">Role here</th>
                    <th scope="col">Granted</th>
                    <th scope="col"><span class="sb-visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  @for (grant of grants(); track grant.id) {
                    <tr [attr.data-grant]="who(grant)">
                      <td>{{ who(grant) }} <span class="sb-help">{{ grant.user ? 'proxy user' : 'token' }}</span></td>
                      <td>{{ grant.role }}</td>
                      <td><sb-when [at]="grant.granted_at" /><br /><span class="sb-help">by {{ grant.granted_by }}</span></td>
                      <td>
                        <button mat-stroked-button type="button" class="sb-danger-text" (click)="revoke(grant)" [disabled]="busy()">Revoke</button>
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
            }
          }
        }
        <form class="sb-access__form" [formGroup]="form" (ngSubmit)="grant()" aria-label="Grant a role on this profile">
          <mat-form-field class="sb-access__kind">
            <mat-label>Granted to</mat-label>
            <mat-select formControlName="kind" data-testid="grant-kind">
              <mat-option value="token">A token</mat-option>
              <mat-option value="user">A proxy user</mat-option>
            </mat-select>
          </mat-form-field>
          @if (form.controls.kind.value === 'token') {
            <mat-form-field>
              <mat-label>Token</mat-label>
              <mat-select formControlName="token" data-testid="grant-token">
                @for (token of tokens(); track token.id) {
                  <mat-option [value]="token.id">{{ token.name }} ({{ token.role }})</mat-option>
                }
              </mat-select>
              @if (tokens().length === 0) {
                <mat-hint>No active token other than admins’: create one on the Tokens page.</mat-hint>
              }
            </mat-form-field>
          } @else {
            <mat-form-field>
              <mat-label>E-mail</mat-label>
              <input matInput type="email" formControlName="user" autocomplete="off" data-testid="grant-user" />
              @if (form.controls.user.invalid) {
                <mat-error>An e-mail address, as the sign-in proxy sends it.</mat-error>
              }
            </mat-form-field>
          }
          <mat-form-field class="sb-access__role">
            <mat-label>Role here</mat-label>
            <mat-select formControlName="role" data-testid="grant-role">
              <mat-option value="editor">editor</mat-option>
              <mat-option value="viewer">viewer</mat-option>
            </mat-select>
          </mat-form-field>
          <button mat-flat-button type="submit" [disabled]="invalid() || busy()">Grant</button>
        </form>
      }
    </section>
  `,
  styles: `
    .sb-access { max-width: 960px; }
    .sb-access__title { margin: 0 0 4px; font: var(--mat-sys-title-medium); }
    .sb-access__form { display: flex; flex-wrap: wrap; align-items: baseline; gap: 12px; margin-top: 16px; }
    .sb-access__kind, .sb-access__role { width: 160px; }
    .sb-access__approval { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; margin: 8px 0 16px; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbAccessTabComponent {
  readonly profileId = input.required({ transform: numberAttribute });

  protected readonly auth = inject(SbAuthStore);
  private readonly api = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly grants = signal<GrantDto[]>([]);
  /** Active tokens a grant can change anything for: admins keep their role everywhere. */
  protected readonly tokens = signal<ApiTokenDto[]>([]);
  protected readonly busy = signal(false);
  /** Whether the profile requires approval; null until read. */
  protected readonly approval = signal<boolean | null>(null);
  private readonly approvals = inject(ChangeRequestsService);
  protected readonly form = new FormGroup({
    kind: new FormControl<'token' | 'user'>('token', { nonNullable: true }),
    token: new FormControl<number | null>(null),
    user: new FormControl('', { nonNullable: true, validators: Validators.pattern(EMAIL) }),
    role: new FormControl<'editor' | 'viewer'>('editor', { nonNullable: true }),
  });
  private readonly formValue = signal(this.form.getRawValue());
  protected readonly invalid = computed(() => {
    const value = this.formValue();
    return value.kind === 'token' ? value.token === null : !EMAIL.test(value.user.trim());
  });

  constructor() {
    this.form.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => this.formValue.set(this.form.getRawValue()));
    effect(() => {
      this.profileId();
      untracked(() => {
        if (this.auth.isAdmin()) this.load();
      });
    });
    if (this.auth.isAdmin()) {
      this.api.listApiTokens().subscribe({
        next: (tokens) => this.tokens.set(tokens.filter((token) => !token.revoked_at && token.role !== 'admin')),
        error: () => this.tokens.set([]),
      });
    }
    inject(SbLiveChanges)
      .changes.pipe(
        filter((change) => (change.domain === 'permissions' || change.domain === 'approval') && change.profile_id === this.profileId()),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.load(true));
  }

  /** `quiet`: keep the list on screen while it is read again. */
  load(quiet = false): void {
    if (!quiet) this.state.set('loading');
    this.approvals
      .getApprovalRule({ id: this.profileId() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ next: (rule) => this.approval.set(rule.required), error: () => undefined });
    this.api
      .listProfileGrants({ id: this.profileId() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (grants) => {
          this.grants.set(grants);
          this.state.set('ready');
        },
        error: () => {
          if (!quiet) this.state.set('error');
        },
      });
  }

  protected setApproval(required: boolean): void {
    this.busy.set(true);
    const id = this.profileId();
    const change = required ? this.approvals.requireApproval({ id }) : this.approvals.dropApproval({ id });
    change.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (rule) => {
        this.busy.set(false);
        this.approval.set(rule.required);
        this.notifier.success(rule.required ? 'Changes by editors now need approval.' : 'Editors change this profile directly again.');
      },
      error: () => {
        this.busy.set(false);
        this.approval.set(!required);
      },
    });
  }

  protected who(grant: GrantDto): string {
    return grant.user ?? grant.token_name ?? `token ${grant.token_id}`;
  }

  protected grant(): void {
    if (this.invalid()) return;
    const { kind, token, user, role } = this.form.getRawValue();
    const body: PutGrantDto = kind === 'token' ? { token_id: token!, role } : { user: user.trim(), role };
    this.busy.set(true);
    this.api
      .putProfileGrant({ id: this.profileId(), body })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (grant) => {
          this.busy.set(false);
          this.notifier.success(`${this.who(grant)} is ${grant.role} on this profile.`);
          this.form.reset({ kind, token: null, user: '', role });
          this.load(true);
        },
        error: () => this.busy.set(false),
      });
  }

  protected revoke(grant: GrantDto): void {
    confirmAction(this.dialog, {
      title: `Revoke ${this.who(grant)}’s grant?`,
      message: `${this.who(grant)} goes back to its global role on this profile, on every instance.`,
      confirm: 'Revoke',
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busy.set(true);
          return this.api.revokeProfileGrant({ id: this.profileId(), grant_id: grant.id });
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.busy.set(false);
          this.notifier.success(`${this.who(grant)}’s grant revoked.`);
          this.load(true);
        },
        error: () => this.busy.set(false),
      });
  }
}
