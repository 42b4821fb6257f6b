import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { filter, Observable } from 'rxjs';

import { RolloutDto } from '../../api/models';
import { ProfilesService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SbLiveChanges } from '../../core/live-changes';
import { SbNotifier } from '../../core/notifier';
import { SB_HANDLED_STATUSES, SbProblem } from '../../core/problem';
import { SbProfileStore } from '../../core/profile.store';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';

/**
 * A profile's gradual rollout: which candidate gets what share of subjects and new sessions, and
 * the actions on it (start, move the percentage, promote, abort). Follows changes made elsewhere.
 */
@Component({
  selector: 'sb-rollout-panel',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    <section class="sb-rollout" aria-labelledby="sb-rollout-title" data-testid="rollout">
      <h2 id="sb-rollout-title" class="sb-rollout__title">Rollout</h2>
      @switch (state()) {
        @case ('loading') {
          <p class="sb-help" role="status">Reading the rollout…</p>
        }
        @case ('error') {
          <p class="sb-help" role="alert">The rollout could not be read. <button mat-button type="button" (click)="load()">Retry</button></p>
        }
        @default {
          @if (rollout(); as current) {
            <p data-testid="rollout-split">
              <strong>{{ current.percentage }} %</strong> of subjects and new sessions go to “{{ current.candidate_name }}”, the rest stay here ({{ 100 - current.percentage }} %).
            </p>
          } @else {
            <p class="sb-help">No rollout: every agent gets this profile.</p>
          }
          @if (auth.mayEdit(profileId())) {
            <form class="sb-rollout__form" [formGroup]="form" (ngSubmit)="put()" aria-label="Rollout">
              @if (!rollout()) {
                <mat-form-field>
                  <mat-label>Candidate profile</mat-label>
                  <mat-select formControlName="candidate" data-testid="rollout-candidate">
                    @for (candidate of candidates(); track candidate.id) {
                      <mat-option [value]="candidate.id">{{ candidate.name }}</mat-option>
                    }
                  </mat-select>
                </mat-form-field>
              }
              <mat-form-field class="sb-rollout__percentage">
                <mat-label>Percentage</mat-label>
                <input matInput type="number" min="0" max="100" step="1" formControlName="percentage" data-testid="rollout-percentage" />
                <span matTextSuffix>%</span>
                @if (form.controls.percentage.invalid) {
                  <mat-error>A whole number from 0 to 100.</mat-error>
                }
              </mat-form-field>
              <button mat-flat-button type="submit" [disabled]="form.invalid || busy()">{{ rollout() ? 'Set percentage' : 'Start rollout' }}</button>
              @if (rollout(); as current) {
                <button mat-stroked-button type="button" (click)="promote(current)" [disabled]="busy()">Promote…</button>
                <button mat-button type="button" class="sb-danger-text" (click)="abort(current)" [disabled]="busy()">Abort…</button>
              }
            </form>
          }
        }
      }
    </section>
  `,
  styles: `
    .sb-rollout { margin: 12px 0 0; padding: 8px 16px; border: 1px solid var(--mat-sys-outline-variant); border-radius: 8px; }
    .sb-rollout__title { margin: 0; font: var(--mat-sys-title-medium); }
    .sb-rollout__form { display: flex; flex-wrap: wrap; align-items: baseline; gap: 12px; }
    .sb-rollout__percentage { width: 140px; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbRolloutPanelComponent {
  readonly profileId = input.required<number>();

  protected readonly auth = inject(SbAuthStore);
  private readonly api = inject(ProfilesService);
  private readonly profiles = inject(SbProfileStore);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly rollout = signal<RolloutDto | null>(null);
  protected readonly busy = signal(false);
  protected readonly form = new FormGroup({
    candidate: new FormControl<number | null>(null, Validators.required),
    percentage: new FormControl<number | null>(10, [Validators.required, Validators.min(0), Validators.max(100), Validators.pattern(/^\d+$/)]),
  });
  /** Any other profile may be the candidate; the server refuses those that cannot be (with why). */
  protected readonly candidates = computed(() => (this.profiles.profiles() ?? []).filter((profile) => profile.id !== this.profileId()));

  constructor() {
    effect(() => {
      this.profileId();
      untracked(() => this.load());
    });
    inject(SbLiveChanges)
      .changes.pipe(
        filter((change) => change.domain === 'rollout' && change.profile_id === this.profileId()),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.load(true));
  }

  /** `quiet`: keep the panel as it is while it is read again. */
  load(quiet = false): void {
    if (!quiet) this.state.set('loading');
    this.api
      .getRollout({ id: this.profileId() }, new HttpContext().set(SB_HANDLED_STATUSES, [404]))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (rollout) => this.show(rollout),
        error: (problem: unknown) => {
          if (problem instanceof SbProblem && problem.status === 404) this.show(null);
          else if (!quiet) this.state.set('error');
        },
      });
  }

  protected put(): void {
    const { candidate, percentage } = this.form.getRawValue();
    const current = this.rollout();
    const body = { candidate_profile_id: current?.candidate_profile_id ?? candidate!, percentage: Number(percentage) };
    this.act(this.api.putRollout({ id: this.profileId(), body }), current ? `Now ${body.percentage} % go to the candidate.` : 'Rollout started.');
  }

  protected promote(current: RolloutDto): void {
    confirmAction(this.dialog, {
      title: `Promote “${current.candidate_name}”?`,
      message: `Its values (every domain but the name and the prompt library) are copied onto this profile, audited, and the rollout ends: every agent then gets them.`,
      confirm: 'Promote',
    })
      .pipe(filter(Boolean))
      .subscribe(() => this.act(this.api.promoteRollout({ id: this.profileId() }), `“${current.candidate_name}” promoted.`));
  }

  protected abort(current: RolloutDto): void {
    confirmAction(this.dialog, {
      title: 'Abort the rollout?',
      message: `Every subject and new session gets this profile again; sessions already on “${current.candidate_name}” stay there.`,
      confirm: 'Abort rollout',
      danger: true,
    })
      .pipe(filter(Boolean))
      .subscribe(() => this.act(this.api.abortRollout({ id: this.profileId() }), 'Rollout aborted.'));
  }

  private show(rollout: RolloutDto | null): void {
    this.rollout.set(rollout);
    this.form.reset({ candidate: null, percentage: rollout?.percentage ?? 10 });
    this.form.controls.candidate[rollout ? 'disable' : 'enable']();
    this.state.set('ready');
  }

  private act(action: Observable<unknown>, done: string): void {
    this.busy.set(true);
    action.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => {
        this.busy.set(false);
        this.notifier.success(done);
        this.load(true);
      },
      error: () => this.busy.set(false),
    });
  }
}
