import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { CreateApiTokenDto, CreatedApiTokenDto } from '../../api/models';
import { AuthService } from '../../api/services';
import { SB_HANDLED_STATUSES, SbProblem } from '../../core/problem';

export const TOKEN_ROLES: { value: CreateApiTokenDto['role']; label: string }[] = [
  { value: 'viewer', label: 'viewer — reads configuration' },
  { value: 'agent', label: 'agent — reads, with secrets in resolved configurations' },
  { value: 'editor', label: 'editor — also changes configuration' },
  { value: 'admin', label: 'admin — also domains, tokens, backups' },
];

/**
 * Creates a token, then shows its secret this once with a copy button: the server keeps only a
 * hash. Closes with the created token (without its secret) once the secret has been shown.
 */
@Component({
  selector: 'sb-new-token-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    @if (created(); as token) {
      <h2 mat-dialog-title>Token “{{ token.name }}” created</h2>
      <mat-dialog-content class="sb-dialog-form">
        <p role="status"><strong>Copy the secret now: it is never shown again.</strong> Give it to {{ token.name }} as <code class="sb-mono">Authorization: Bearer …</code>.</p>
        <mat-form-field>
          <mat-label>Secret</mat-label>
          <input matInput readonly [value]="token.token" data-testid="token-secret" cdkFocusInitial (focus)="$any($event.target).select()" />
        </mat-form-field>
        @if (copied()) {
          <p class="sb-help" role="status">Copied to the clipboard.</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" (click)="copy(token.token)" data-testid="token-copy">Copy</button>
        <button mat-flat-button type="button" (click)="close(token)">Done</button>
      </mat-dialog-actions>
    } @else {
      <h2 mat-dialog-title>New API token</h2>
      <form [formGroup]="form" (ngSubmit)="submit()">
        <mat-dialog-content class="sb-dialog-form">
          <mat-form-field>
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" data-testid="token-name" cdkFocusInitial autocomplete="off" />
            <mat-hint>Who or what uses it (an agent, a pipeline, a person): the history records changes under this name</mat-hint>
            @if (form.controls.name.invalid) {
              <mat-error>{{ nameError() }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>Role</mat-label>
            <mat-select formControlName="role" data-testid="token-role">
              @for (role of roles; track role.value) {
                <mat-option [value]="role.value">{{ role.label }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          @if (failure(); as message) {
            <p class="sb-error-text" role="alert">{{ message }}</p>
          }
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" mat-dialog-close>Cancel</button>
          <button mat-flat-button type="submit" [disabled]="busy()">Create</button>
        </mat-dialog-actions>
      </form>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbNewTokenDialogComponent {
  private readonly api = inject(AuthService);
  private readonly ref = inject<MatDialogRef<SbNewTokenDialogComponent, CreatedApiTokenDto>>(MatDialogRef);
  protected readonly roles = TOKEN_ROLES;
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(255), Validators.pattern(/\S/)] }),
    role: new FormControl<CreateApiTokenDto['role']>('agent', { nonNullable: true }),
  });
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly created = signal<CreatedApiTokenDto | null>(null);
  protected readonly copied = signal(false);

  protected nameError(): string {
    return this.form.controls.name.hasError('maxlength') ? 'At most 255 characters.' : 'A name is needed.';
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.busy()) return;
    this.busy.set(true);
    this.failure.set(null);
    this.api.createApiToken({ body: { name: this.form.controls.name.value.trim(), role: this.form.controls.role.value } }, new HttpContext().set(SB_HANDLED_STATUSES, [400, 422])).subscribe({
      next: (token) => {
        this.busy.set(false);
        this.ref.disableClose = true; // the secret must not vanish with a stray Escape
        this.created.set(token);
      },
      error: (problem: unknown) => {
        this.busy.set(false);
        this.failure.set(problem instanceof SbProblem ? problem.message : 'The token could not be created.');
      },
    });
  }

  protected async copy(secret: string): Promise<void> {
    await navigator.clipboard?.writeText(secret).catch(() => undefined);
    this.copied.set(true);
  }

  protected close(token: CreatedApiTokenDto): void {
    this.ref.close({ ...token, token: '' });
  }
}
