import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { DeclaredVariableDto, RegistryPromptDetailDto } from '../../../api/models';
import { PromptRegistryService } from '../../../api/services';
import { applyProblemToForm, errorMessage } from '../../../core/form-errors';
import { SB_HANDLED_STATUSES, SbProblem } from '../../../core/problem';
import { PROMPT_NAME_PATTERN } from '../../../core/validators';

/**
 * The variables as typed: comma- or line-separated names, `?` after a name for an optional one,
 * `=` for its sample value (`line=ERROR disk full, project?=MMBL`).
 */
export function parseVariables(text: string): DeclaredVariableDto[] {
  return text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [head, ...sample] = part.split('=');
      const name = head!.trim();
      const optional = name.endsWith('?');
      return {
        name: optional ? name.slice(0, -1).trim() : name,
        required: !optional,
        ...(sample.length ? { sample: sample.join('=').trim() } : {}),
      };
    });
}

/** A new prompt of the registry with its first version. */
@Component({
  selector: 'sb-new-prompt-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>New prompt</h2>
    <form [formGroup]="form" (ngSubmit)="submit()">
      <mat-dialog-content class="sb-dialog-form">
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" data-testid="new-prompt-name" cdkFocusInitial autocomplete="off" />
          <mat-hint>Lowercase letters, digits, _ . - ; e.g. analyze.summary</mat-hint>
          @if (form.controls.name.invalid) {
            <mat-error>{{ form.controls.name.errors?.['pattern'] ? 'Start with a-z; use only a-z, 0-9, _ . and -.' : errorMessage(form.controls.name, 'The name') }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Description</mat-label>
          <input matInput formControlName="description" autocomplete="off" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Variables</mat-label>
          <input matInput formControlName="variables" data-testid="new-prompt-variables" autocomplete="off" />
          <mat-hint>Comma-separated; name? for optional, name=sample for a sample value</mat-hint>
          @if (form.controls.variables.invalid) {
            <mat-error>{{ errorMessage(form.controls.variables, 'The variables') }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Template (version 1)</mat-label>
          <textarea matInput formControlName="template" rows="8" class="sb-mono" data-testid="new-prompt-template"></textarea>
          <mat-hint>Placeholders in braces, e.g. {{ '{line}' }}; only declared variables</mat-hint>
          @if (form.controls.template.invalid) {
            <mat-error>{{ errorMessage(form.controls.template, 'The template') }}</mat-error>
          }
        </mat-form-field>
        @if (form.errors?.['server']; as message) {
          <p class="sb-error-text" role="alert">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="new-prompt-create">Create</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbNewPromptDialogComponent {
  private readonly data = inject<{ profileId: number }>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SbNewPromptDialogComponent, RegistryPromptDetailDto>>(MatDialogRef);
  private readonly api = inject(PromptRegistryService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly errorMessage = errorMessage;
  protected readonly busy = signal(false);

  readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.pattern(PROMPT_NAME_PATTERN)] }),
    description: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(2000)] }),
    variables: new FormControl('', { nonNullable: true }),
    template: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(200_000)] }),
  });

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.busy()) return;
    this.busy.set(true);
    const value = this.form.getRawValue();
    const body = { name: value.name.trim(), description: value.description.trim(), variables: parseVariables(value.variables), template: value.template, message: 'First version' };
    this.api
      .createPrompt({ id: this.data.profileId, body }, new HttpContext().set(SB_HANDLED_STATUSES, [409, 422]))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (created) => this.dialogRef.close(created),
        error: (problem: unknown) => {
          this.busy.set(false);
          if (!(problem instanceof SbProblem)) return;
          // Errors of the declared variables (variables[0].name…) belong to the one Variables field.
          const fieldErrors = problem.fieldErrors.map((error) => (error.field.startsWith('variables') ? { ...error, field: 'variables' } : error));
          const mapped = new SbProblem(problem.status, problem.title, problem.detail, fieldErrors);
          if (!applyProblemToForm(this.form, mapped)) this.form.setErrors({ server: problem.message });
        },
      });
  }
}
