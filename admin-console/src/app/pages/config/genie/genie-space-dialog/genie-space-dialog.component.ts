import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Observable } from 'rxjs';

import { GenieSpaceDto, GenieValidationDto } from '../../../../api/models';
import { GenieService } from '../../../../api/services';
import { applyProblemToForm, errorMessage } from '../../../../core/form-errors';
import { SB_HANDLED_STATUSES, SbProblem } from '../../../../core/problem';
import { DESCRIPTION_MAX, genieSpaceId, lineText, SPACE_NAME_MAX } from '../../../../core/validators';
import { ifMatch } from '../../../../shared/domain-editor';
import { SbEnvLockComponent } from '../../../../shared/env-lock.component';
import { SbEnvLocks } from '../../../../shared/env-source';

export type SbGenieSpaceDialogData =
  | { mode: 'add'; profileId: number; first: boolean }
  /**
   * `locks`: fields the environment sets (the default space's only); shown disabled, with the variable.
   * `inheritedFrom`: the ancestor of an inherited space, whose values saved different make it the profile's own.
   */
  | { mode: 'edit'; space: GenieSpaceDto; locks?: SbEnvLocks; inheritedFrom?: string };

export function createGenieSpaceForm() {
  return new FormGroup({
    space_id: new FormControl('', { nonNullable: true, validators: [Validators.required, genieSpaceId] }),
    space_name: new FormControl('', { nonNullable: true, validators: lineText(SPACE_NAME_MAX) }),
    description: new FormControl<string | null>(null, [Validators.maxLength(DESCRIPTION_MAX)]),
    is_default: new FormControl(false, { nonNullable: true }),
  });
}

/** Add a Genie space to a profile, or rename and describe one (its id cannot change). */
@Component({
  selector: 'sb-genie-space-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatCheckboxModule, MatDialogModule, MatFormFieldModule, MatInputModule, SbEnvLockComponent],
  template: `
    <h2 mat-dialog-title>{{ data.mode === 'add' ? 'Add a Genie space' : 'Edit “' + data.space.space_name + '”' }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="sb-dialog-form">
        @if (inheritedFrom; as from) {
          <p class="sb-help" data-testid="inherited-space-note">
            Inherited from <strong>{{ from }}</strong>. Saving different values makes it this profile’s own: later changes to it on {{ from }} then no longer reach it.
          </p>
        }
        <mat-form-field>
          <mat-label>Space id</mat-label>
          <input matInput formControlName="space_id" data-testid="space-id" cdkFocusInitial />
          <mat-hint>32 hexadecimal characters, from the space's URL in Databricks</mat-hint>
          @if (form.controls.space_id.invalid) {
            <mat-error>{{ errorMessage(form.controls.space_id, 'The space id') }}</mat-error>
          }
        </mat-form-field>
        <sb-env-lock [lock]="locks.get('space_id')" />
        @if (data.mode === 'add') {
          <div class="sb-row sb-row--center">
            <button mat-stroked-button type="button" (click)="validate()" [disabled]="form.controls.space_id.invalid || checking()">Check in Databricks</button>
            @if (check(); as result) {
              <span role="status" [class.sb-error-text]="!result.reachable">{{ result.message }}</span>
            }
          </div>
        }
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="space_name" data-testid="space-name" />
          @if (form.controls.space_name.invalid) {
            <mat-error>{{ errorMessage(form.controls.space_name, 'The name') }}</mat-error>
          }
        </mat-form-field>
        <sb-env-lock [lock]="locks.get('space_name')" />
        <mat-form-field>
          <mat-label>Description</mat-label>
          <textarea matInput formControlName="description" rows="3"></textarea>
          @if (form.controls.description.invalid) {
            <mat-error>{{ errorMessage(form.controls.description, 'The description') }}</mat-error>
          }
        </mat-form-field>
        <sb-env-lock [lock]="locks.get('description')" />
        @if (data.mode === 'add') {
          <mat-checkbox formControlName="is_default">Make it the profile's default space</mat-checkbox>
        }
        @if (form.errors?.['server']; as message) {
          <p class="sb-error-text" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ data.mode === 'add' ? 'Add' : 'Save' }}</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbGenieSpaceDialogComponent {
  protected readonly data = inject<SbGenieSpaceDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SbGenieSpaceDialogComponent, GenieSpaceDto>>(MatDialogRef);
  private readonly api = inject(GenieService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly errorMessage = errorMessage;
  protected readonly busy = signal(false);
  protected readonly checking = signal(false);
  protected readonly check = signal<GenieValidationDto | null>(null);

  readonly form = createGenieSpaceForm();
  /** Fields the environment sets: disabled here (the stored value is sent back unchanged). */
  protected readonly locks: SbEnvLocks = (this.data.mode === 'edit' && this.data.locks) || new Map();
  protected readonly inheritedFrom = this.data.mode === 'edit' ? this.data.inheritedFrom : undefined;

  constructor() {
    if (this.data.mode === 'edit') {
      const { space_id, space_name, description, is_default } = this.data.space;
      this.form.setValue({ space_id, space_name, description, is_default });
      this.form.controls.space_id.disable();
      if (this.locks.has('space_name')) this.form.controls.space_name.disable();
      if (this.locks.has('description')) this.form.controls.description.disable();
    } else {
      this.form.controls.is_default.setValue(this.data.first);
    }
  }

  protected validate(): void {
    this.checking.set(true);
    this.api
      .validateGenieSpace({ body: { space_id: this.form.controls.space_id.value.trim().toLowerCase() } })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.checking.set(false);
          this.check.set(result);
          if (result.title && !this.form.controls.space_name.value) this.form.controls.space_name.setValue(result.title);
        },
        error: () => this.checking.set(false),
      });
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.busy()) return;
    this.busy.set(true);
    const value = this.form.getRawValue();
    const description = value.description?.length ? value.description : null;
    const context = new HttpContext().set(SB_HANDLED_STATUSES, [409, 412, 422]);
    const call: Observable<GenieSpaceDto> =
      this.data.mode === 'add'
        ? this.api.addGenieSpace(
            {
              profile_id: this.data.profileId,
              body: { space_id: value.space_id.trim().toLowerCase(), space_name: value.space_name.trim(), description, is_default: value.is_default },
            },
            context,
          )
        : this.api.updateGenieSpace(
            { id: this.data.space.id, 'If-Match': ifMatch(this.data.space.version), body: { space_name: value.space_name.trim(), description } },
            context,
          );
    call.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (space) => this.dialogRef.close(space),
      error: (problem: unknown) => {
        this.busy.set(false);
        if (!(problem instanceof SbProblem)) return;
        if (problem.status === 412) {
          this.form.setErrors({ server: 'Someone else changed this space meanwhile. Close, and edit it again.' });
        } else if (!applyProblemToForm(this.form, problem)) {
          this.form.setErrors({ server: problem.message });
        }
      },
    });
  }
}
