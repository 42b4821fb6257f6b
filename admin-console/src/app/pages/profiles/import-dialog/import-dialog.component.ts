import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { ProfileDetailDto, ProfileExportDto } from '../../../api/models';
import { ProfilesService } from '../../../api/services';
import { errorMessage } from '../../../core/form-errors';
import { SB_HANDLED_STATUSES, SbProblem } from '../../../core/problem';
import { lineText, PROFILE_NAME_MAX } from '../../../core/validators';

export interface SbImportDialogData {
  document: ProfileExportDto;
  /** The server's reason for refusing the document's own name. */
  reason: string;
}

/** The imported document's name is taken (409): import it under another name. */
@Component({
  selector: 'sb-import-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>Import under another name</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="sb-dialog-form">
        <p role="status">{{ data.reason || 'A profile named “' + originalName + '” exists already.' }} Choose a name for the imported profile.</p>
        <mat-form-field>
          <mat-label>New name</mat-label>
          <input matInput formControlName="name" required cdkFocusInitial data-testid="import-name" />
          @if (name.invalid) {
            <mat-error>{{ errorMessage(name, 'The name') }}</mat-error>
          }
        </mat-form-field>
        @if (failure(); as failure) {
          <p class="sb-error-text" role="alert">{{ failure }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">Import</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbImportDialogComponent {
  protected readonly data = inject<SbImportDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SbImportDialogComponent, ProfileDetailDto>>(MatDialogRef);
  private readonly api = inject(ProfilesService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly errorMessage = errorMessage;
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);

  protected readonly originalName = this.data.document.profile?.name ?? '';
  readonly name = new FormControl(`${this.originalName} (imported)`.slice(0, PROFILE_NAME_MAX), { nonNullable: true, validators: lineText(PROFILE_NAME_MAX) });
  readonly form = new FormGroup({ name: this.name });

  protected submit(): void {
    this.name.markAsTouched();
    if (this.name.invalid || this.busy()) return;
    this.busy.set(true);
    this.failure.set(null);
    // Taken again (409) or refused (422): said beside the field; anything else is the interceptor's snackbar.
    const context = new HttpContext().set(SB_HANDLED_STATUSES, [409, 422]);
    this.api
      .importProfile({ name: this.name.value.trim(), body: this.data.document }, context)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (profile) => this.dialogRef.close(profile),
        error: (problem: unknown) => {
          this.busy.set(false);
          if (!(problem instanceof SbProblem)) return;
          const aboutName = problem.messageFor('name') ?? (problem.status === 409 ? problem.detail || 'A profile with this name exists already.' : null);
          if (aboutName) {
            this.name.setErrors({ server: aboutName });
            this.name.markAsTouched();
          } else {
            this.failure.set([problem.detail || problem.title, ...problem.fieldErrors.map((error) => `${error.field}: ${error.message}`)].join(' '));
          }
        },
      });
  }
}
