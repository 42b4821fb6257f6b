import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { map, Observable } from 'rxjs';

import { PresetDto, ProfileListItemDto } from '../../../api/models';
import { PresetsService, ProfilesService } from '../../../api/services';
import { applyProblemToForm, errorMessage, sentence } from '../../../core/form-errors';
import { SB_HANDLED_STATUSES, SbProblem } from '../../../core/problem';
import { DESCRIPTION_MAX, lineText, PROFILE_NAME_MAX } from '../../../core/validators';
import { ifMatch } from '../../../shared/domain-editor';

export type SbProfileDialogData =
  | { mode: 'create'; profiles: readonly ProfileListItemDto[]; copyFrom?: number | null }
  | { mode: 'edit'; profile: ProfileListItemDto }
  | { mode: 'duplicate'; profile: ProfileListItemDto };

/** The profile the dialog created, changed or duplicated (closes with nothing when cancelled). */
export type SbProfileDialogResult = { id: number; name: string };

/** Create (blank, as a copy, from a preset, inheriting from a profile), rename and describe, or duplicate a profile. */
@Component({
  selector: 'sb-profile-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  templateUrl: './profile-dialog.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbProfileDialogComponent {
  protected readonly data = inject<SbProfileDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SbProfileDialogComponent, SbProfileDialogResult>>(MatDialogRef);
  private readonly api = inject(ProfilesService);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly descriptionMax = DESCRIPTION_MAX;
  protected readonly busy = signal(false);
  protected readonly errorMessage = errorMessage;
  protected readonly sentence = sentence;

  readonly form = new FormGroup({
    name: new FormControl(this.initialName(), { nonNullable: true, validators: lineText(PROFILE_NAME_MAX) }),
    description: new FormControl<string | null>(this.data.mode === 'edit' ? this.data.profile.description : null, {
      validators: [Validators.maxLength(DESCRIPTION_MAX)],
    }),
    /** null: the built-in defaults; a number: a copy of that profile; a string: that preset. */
    start_from: new FormControl<number | string | null>(this.data.mode === 'create' ? (this.data.copyFrom ?? null) : null),
    /** The profile to inherit from (create only); not with a preset. */
    parent_profile_id: new FormControl<number | null>(null),
  });
  /** A parent is chosen: presets are not offered (the server takes one or the other). */
  protected readonly inheriting = toSignal(this.form.controls.parent_profile_id.valueChanges.pipe(map((parent) => parent !== null)), { initialValue: false });

  /** Presets to start from (create only); the list stays empty if they cannot be read. */
  protected readonly presets = signal<PresetDto[]>([]);

  constructor() {
    if (this.data.mode !== 'create') return;
    // A preset chosen: no parent (its select is disabled, saying why).
    this.form.controls.start_from.valueChanges.pipe(takeUntilDestroyed()).subscribe((start) => {
      const parent = this.form.controls.parent_profile_id;
      if (typeof start === 'string') parent.disable({ emitEvent: false });
      else parent.enable({ emitEvent: false });
    });
    inject(PresetsService)
      .listPresets(undefined, new HttpContext().set(SB_HANDLED_STATUSES, [0, 403, 500, 502, 503, 504]))
      .pipe(takeUntilDestroyed())
      .subscribe({ next: (presets) => this.presets.set(presets), error: () => undefined });
  }

  protected get title(): string {
    switch (this.data.mode) {
      case 'create':
        return 'New profile';
      case 'edit':
        return `Edit “${this.data.profile.name}”`;
      case 'duplicate':
        return `Duplicate “${this.data.profile.name}”`;
    }
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.busy()) return;
    this.busy.set(true);
    const { name, description, start_from, parent_profile_id } = this.form.getRawValue();
    const parent = typeof start_from === 'string' ? null : parent_profile_id;
    const trimmedName = name.trim();
    const text = description?.length ? description : null;
    // 409 (name taken), 422 and an unknown parent (404) land on the fields: the dialog handles them, no snackbar.
    const context = new HttpContext().set(SB_HANDLED_STATUSES, parent === null ? [409, 412, 422] : [404, 409, 412, 422]);
    let call: Observable<{ id: number; name: string }>;
    switch (this.data.mode) {
      case 'create':
        call = this.api.createProfile(
          {
            body: {
              name: trimmedName,
              // A preset's own description when none is typed.
              ...(typeof start_from === 'string' ? { preset: start_from, ...(text !== null && { description: text }) } : { description: text }),
              ...(typeof start_from === 'number' ? { copy_from_profile_id: start_from } : {}),
              ...(parent !== null && { parent_profile_id: parent }),
            },
          },
          context,
        );
        break;
      case 'edit':
        call = this.api.updateProfile(
          { id: this.data.profile.id, 'If-Match': ifMatch(this.data.profile.version), body: { name: trimmedName, description: text } },
          context,
        );
        break;
      case 'duplicate':
        call = this.api.duplicateProfile({ id: this.data.profile.id, body: { name: trimmedName } }, context);
        break;
    }
    call.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (profile) => this.dialogRef.close({ id: profile.id, name: profile.name }),
      error: (problem: unknown) => {
        this.busy.set(false);
        if (!(problem instanceof SbProblem)) return;
        if (problem.status === 409) {
          this.form.controls.name.setErrors({ server: problem.detail || 'A profile with this name exists already.' });
          this.form.controls.name.markAsTouched();
        } else if (problem.status === 404) {
          this.form.controls.parent_profile_id.setErrors({ server: problem.detail || 'That profile no longer exists.' });
          this.form.controls.parent_profile_id.markAsTouched();
        } else if (problem.status === 412) {
          this.form.setErrors({ server: 'Someone else changed this profile meanwhile. Close, and edit it again.' });
        } else if (!applyProblemToForm(this.form, problem)) {
          this.form.setErrors({ server: problem.message });
        }
      },
    });
  }

  private initialName(): string {
    switch (this.data.mode) {
      case 'create':
        return '';
      case 'edit':
        return this.data.profile.name;
      case 'duplicate':
        return `${this.data.profile.name} (copy)`.slice(0, PROFILE_NAME_MAX);
    }
  }
}
