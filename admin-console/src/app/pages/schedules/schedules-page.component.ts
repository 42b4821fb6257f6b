import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AbstractControl, FormControl, FormGroup, FormGroupDirective, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { debounceTime, merge } from 'rxjs';

import { ScheduleDto } from '../../api/models';
import { SchedulesService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { applyProblemToForm } from '../../core/form-errors';
import { SbLiveChanges } from '../../core/live-changes';
import { SbNotifier } from '../../core/notifier';
import { SB_HANDLED_STATUSES, SbProblem } from '../../core/problem';
import { SbProfileStore } from '../../core/profile.store';
import { SbStateComponent } from '../../shared/state.component';
import { SbWhenComponent } from '../../shared/when';

const ACTION_LABELS: Record<ScheduleDto['action'], string> = { set_default: 'Set as default', apply: 'Apply values' };

/** JSON of an object, as `values` must be. */
function jsonObject(control: AbstractControl<string>): ValidationErrors | null {
  if (!control.value.trim()) return null;
  try {
    const parsed: unknown = JSON.parse(control.value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? null : { json: 'must be a JSON object' };
  } catch {
    return { json: 'is not valid JSON' };
  }
}

/**
 * Scheduled changes: what is coming, day by day, and what ran (done, failed with why, cancelled);
 * editors schedule a new one and cancel pending ones.
 */
@Component({
  selector: 'sb-schedules-page',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, RouterLink, SbStateComponent, SbWhenComponent],
  template: `
    <section class="sb-schedules">
      <h1>Scheduled changes</h1>
      <p class="sb-help">
        A scheduled change runs once, on one instance, within about a second of its time, audited as whoever scheduled it. A pending one can be cancelled.
      </p>

      @if (editable().length) {
        <form class="sb-schedules__form" [formGroup]="form" (ngSubmit)="create()" aria-label="Schedule a change">
          <mat-form-field>
            <mat-label>Profile</mat-label>
            <mat-select formControlName="profile_id" data-testid="schedule-profile">
              @for (profile of editable(); track profile.id) {
                <mat-option [value]="profile.id">{{ profile.name }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Change</mat-label>
            <mat-select formControlName="action" data-testid="schedule-action">
              <mat-option value="set_default">Set as default</mat-option>
              <mat-option value="apply">Apply values</mat-option>
            </mat-select>
          </mat-form-field>
          <mat-form-field>
            <mat-label>When (your time)</mat-label>
            <input matInput type="datetime-local" step="1" formControlName="run_at" data-testid="schedule-when" />
            @if (form.controls.run_at.errors?.['server']; as message) {
              <mat-error>{{ message }}</mat-error>
            }
          </mat-form-field>
          @if (form.controls.action.value === 'apply') {
            <mat-form-field class="sb-schedules__values">
              <mat-label>Values (JSON)</mat-label>
              <textarea matInput rows="4" formControlName="values" data-testid="schedule-values" placeholder='{"ai_infra": {"llm_temperature": 0.2}}'></textarea>
              <mat-hint>Domains of a profile document: ai_infra, mlflow, prompts, genie_spaces, domains (a registered domain's values replace its own).</mat-hint>
              @if (form.controls.values.errors; as errors) {
                <mat-error>Values {{ errors['json'] ?? errors['server'] ?? 'are required' }}.</mat-error>
              }
            </mat-form-field>
          }
          <button mat-flat-button type="submit" [disabled]="busy()">Schedule</button>
          @if (form.errors?.['server']; as message) {
            <p class="sb-schedules__error" role="alert">{{ message }}</p>
          }
        </form>
      }

      @switch (state()) {
        @case ('loading') {
          <sb-state kind="loading" message="Loading scheduled changes…" />
        }
        @case ('error') {
          <sb-state kind="error" message="The scheduled changes could not be loaded." (retry)="load()" />
        }
        @default {
          @if (!schedules().length) {
            <sb-state kind="empty" message="Nothing scheduled yet." />
          }
          @for (day of days(); track day.label) {
            <h2 class="sb-section-title">{{ day.label }}</h2>
            <table class="sb-table" [attr.aria-label]="'Scheduled changes, ' + day.label">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Profile</th>
                  <th scope="col">Change</th>
                  <th scope="col">Status</th>
                  <th scope="col">By</th>
                  <th scope="col"><span class="sb-visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                @for (schedule of day.items; track schedule.schedule_id) {
                  <tr [attr.data-schedule]="schedule.schedule_id">
                    <td><sb-when [at]="schedule.run_at" /></td>
                    <td><a [routerLink]="['/profiles', schedule.profile_id]">{{ schedule.profile_name }}</a></td>
                    <td>{{ actionLabel(schedule) }}</td>
                    <td>{{ schedule.status }}{{ schedule.last_error ? ': ' + schedule.last_error : '' }}</td>
                    <td>{{ schedule.created_by }}</td>
                    <td>
                      @if (auth.mayEdit(schedule.profile_id) && schedule.status === 'pending') {
                        <button mat-button type="button" class="sb-danger-text" (click)="cancel(schedule)" [disabled]="busy()">Cancel</button>
                      }
                    </td>
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
    .sb-schedules { max-width: 1200px; margin: 0 auto; }
    .sb-schedules__form { display: flex; flex-wrap: wrap; gap: 12px; align-items: baseline; margin: 16px 0; }
    .sb-schedules__values { flex-basis: 100%; }
    .sb-schedules__error { color: var(--mat-sys-error); flex-basis: 100%; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbSchedulesPageComponent {
  protected readonly auth = inject(SbAuthStore);
  protected readonly profiles = inject(SbProfileStore);
  /** The profiles this principal may change (its grant there, else its global role): the ones it may schedule changes of. */
  protected readonly editable = computed(() => (this.profiles.profiles() ?? []).filter((profile) => this.auth.mayEdit(profile.id)));
  private readonly api = inject(SchedulesService);
  private readonly notifier = inject(SbNotifier);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly schedules = signal<ScheduleDto[]>([]);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly busy = signal(false);
  /** Its resetForm() also forgets the submission, so an emptied form shows no errors. */
  private readonly formDirective = viewChild(FormGroupDirective);
  protected readonly form = new FormGroup({
    profile_id: new FormControl<number | null>(null, Validators.required),
    action: new FormControl<ScheduleDto['action']>('set_default', { nonNullable: true }),
    run_at: new FormControl('', { nonNullable: true, validators: Validators.required }),
    values: new FormControl('', { nonNullable: true, validators: jsonObject }),
  });
  /** Pending changes first, soonest first, by day; then what already ran, latest first. */
  protected readonly days = computed(() => {
    const pending = this.schedules().filter((schedule) => schedule.status === 'pending').sort((a, b) => a.run_at.localeCompare(b.run_at));
    const byDay = new Map<string, ScheduleDto[]>();
    for (const schedule of pending) {
      const label = new Date(schedule.run_at).toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
      byDay.set(label, [...(byDay.get(label) ?? []), schedule]);
    }
    const past = this.schedules().filter((schedule) => schedule.status !== 'pending');
    return [...[...byDay].map(([label, items]) => ({ label, items })), ...(past.length ? [{ label: 'Ran or cancelled', items: past }] : [])];
  });

  constructor() {
    if (this.profiles.profiles() === null) this.profiles.refresh().subscribe({ error: () => undefined });
    this.load();
    // Values matter only to apply: switching away must not leave their errors blocking the form.
    this.form.controls.action.valueChanges.pipe(takeUntilDestroyed()).subscribe((action) => {
      if (action !== 'apply') this.form.controls.values.reset('');
    });
    // A scheduled change that ran, failed or was cancelled (here or elsewhere) shows up by itself.
    const live = inject(SbLiveChanges);
    merge(live.changes, live.reloads, live.schedules)
      .pipe(debounceTime(300), takeUntilDestroyed())
      .subscribe(() => this.load(true));
  }

  /** `quiet`: keep the list on screen while it is read again. */
  load(quiet = false): void {
    if (!quiet) this.state.set('loading');
    this.api
      .listSchedules()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (schedules) => {
          this.schedules.set(schedules);
          this.state.set('ready');
        },
        error: () => {
          if (!quiet) this.state.set('error');
        },
      });
  }

  protected actionLabel(schedule: ScheduleDto): string {
    return ACTION_LABELS[schedule.action];
  }

  protected create(): void {
    this.form.markAllAsTouched();
    const { profile_id, action, run_at, values } = this.form.getRawValue();
    if (action === 'apply' && !values.trim()) this.form.controls.values.setErrors({ required: true });
    if (this.form.invalid || profile_id === null) return;
    this.busy.set(true);
    const body = { profile_id, action, run_at: new Date(run_at).toISOString(), ...(action === 'apply' && { values: JSON.parse(values) as object }) };
    this.api
      .createSchedule({ body }, new HttpContext().set(SB_HANDLED_STATUSES, [404, 422]))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (created) => {
          this.busy.set(false);
          this.notifier.success(`${ACTION_LABELS[created.action]} for “${created.profile_name}” scheduled.`);
          this.formDirective()?.resetForm({ profile_id: null, action: 'set_default', run_at: '', values: '' });
          this.load(true);
        },
        error: (problem: unknown) => {
          this.busy.set(false);
          if (problem instanceof SbProblem && !applyProblemToForm(this.form, problem)) this.form.setErrors({ server: problem.message });
        },
      });
  }

  protected cancel(schedule: ScheduleDto): void {
    this.busy.set(true);
    this.api
      .cancelSchedule({ id: schedule.schedule_id })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.busy.set(false);
          this.notifier.success(`${ACTION_LABELS[schedule.action]} for “${schedule.profile_name}” cancelled.`);
          this.load(true);
        },
        error: () => {
          this.busy.set(false);
          this.load(true);
        },
      });
  }
}
