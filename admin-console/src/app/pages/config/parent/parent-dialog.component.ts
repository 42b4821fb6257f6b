import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';

import { ProfileDetailDto, ProfileListItemDto } from '../../../api/models';
import { ProfilesService } from '../../../api/services';
import { applyProblemToForm, errorMessage, sentence } from '../../../core/form-errors';
import { SB_HANDLED_STATUSES, SbProblem } from '../../../core/problem';
import { personMessage } from '../../../core/problem-wording';

export interface SbParentDialogData {
  profile: ProfileListItemDto;
  /** Every profile (the store's list): the choices, and who descends from this one. */
  profiles: readonly ProfileListItemDto[];
}

/** Choose the profile this one inherits from, another one, or none (detach). Closes with the saved profile. */
@Component({
  selector: 'sb-parent-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatSelectModule],
  template: `
    <h2 mat-dialog-title>Parent of “{{ data.profile.name }}”</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="sb-parent-dialog">
        <mat-form-field>
          <mat-label>Inherit from</mat-label>
          <mat-select formControlName="parent_profile_id" cdkFocusInitial data-testid="parent-select">
            <mat-option [value]="null">{{ current() ? 'No parent (detach)' : 'No parent' }}</mat-option>
            @for (profile of choices(); track profile.id) {
              <mat-option [value]="profile.id">{{ profile.name }}</mat-option>
            }
          </mat-select>
          <mat-hint>{{ effect() }}</mat-hint>
          @if (parent.invalid) {
            <mat-error data-testid="parent-error">{{ sentence(errorMessage(parent, 'The parent')) }}</mat-error>
          }
        </mat-form-field>
        @if (failure(); as message) {
          <p class="sb-error-text" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy() || !changed()">{{ busy() ? 'Saving…' : 'Save' }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .sb-parent-dialog mat-form-field { width: 100%; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbParentDialogComponent {
  protected readonly data = inject<SbParentDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SbParentDialogComponent, ProfileDetailDto>>(MatDialogRef);
  private readonly api = inject(ProfilesService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly errorMessage = errorMessage;
  protected readonly sentence = sentence;

  readonly form = new FormGroup({ parent_profile_id: new FormControl<number | null>(this.data.profile.parent_profile_id) });
  protected readonly parent = this.form.controls.parent_profile_id;
  private readonly chosen = toSignal(this.parent.valueChanges, { initialValue: this.parent.value });
  protected readonly busy = signal(false);
  /** A failure that concerns no field (the profile itself gone). */
  protected readonly failure = signal<string | null>(null);

  /** Not itself, nor a profile that inherits from it (the server would refuse the cycle). */
  protected readonly choices = computed(() => {
    const excluded = descendantsOf(this.data.profile.id, this.data.profiles);
    return this.data.profiles.filter((profile) => !excluded.has(profile.id));
  });
  protected readonly current = computed(() => this.nameOf(this.data.profile.parent_profile_id));
  protected readonly changed = computed(() => this.chosen() !== this.data.profile.parent_profile_id);
  /** What the choice does to the values, as UpdateProfileDto describes it. */
  protected readonly effect = computed(() => {
    const chosen = this.nameOf(this.chosen());
    const current = this.current();
    if (!this.changed()) return current ? `Inherits from “${current}” now.` : 'Inherits from no profile now.';
    if (!chosen) return `It keeps every value as its own and no longer follows “${current}”.`;
    if (!current) return `Its values equal to “${chosen}”’s become inherited; the others stay its own.`;
    return `Inherited values take “${chosen}”’s; its own values stay.`;
  });

  protected submit(): void {
    if (this.busy() || !this.changed()) return;
    this.busy.set(true);
    this.failure.set(null);
    this.api
      .updateProfile({ id: this.data.profile.id, body: { parent_profile_id: this.parent.value } }, new HttpContext().set(SB_HANDLED_STATUSES, [404, 422]))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (profile) => this.dialogRef.close(profile),
        error: (problem: unknown) => {
          this.busy.set(false);
          if (!(problem instanceof SbProblem)) return;
          // 422: a cycle or a chain too long; 404 with a parent chosen: that profile is gone (deleted meanwhile).
          if (applyProblemToForm(this.form, problem)) return;
          if (problem.status === 404 && this.parent.value !== null) {
            this.parent.setErrors({ server: problem.detail || 'That profile no longer exists.' });
            this.parent.markAsTouched();
          } else {
            this.failure.set(personMessage(problem));
          }
        },
      });
  }

  private nameOf(id: number | null): string | null {
    return id === null ? null : (this.data.profiles.find((profile) => profile.id === id)?.name ?? `profile ${id}`);
  }
}

/** `id` and the profiles that inherit from it, directly or through others. */
export function descendantsOf(id: number, profiles: readonly ProfileListItemDto[]): Set<number> {
  const found = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const profile of profiles) {
      if (profile.parent_profile_id !== null && found.has(profile.parent_profile_id) && !found.has(profile.id)) {
        found.add(profile.id);
        grew = true;
      }
    }
  }
  return found;
}
