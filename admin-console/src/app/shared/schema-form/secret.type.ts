import { ChangeDetectionStrategy, Component } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FieldType, FieldTypeConfig, FormlyAttributes, FormlyValidationMessage } from '@ngx-formly/core';

/** What the server shows in place of a stored secret, and takes back to keep it. */
export const SECRET_SET = { set: true } as const;

export function isSecretSet(value: unknown): boolean {
  return !!value && typeof value === 'object' && (value as { set?: unknown }).set === true;
}

/**
 * A secret (`writeOnly`) field. The server never sends it back: a stored one shows as "stored"
 * with Replace and Clear; a new one is typed into a password field. Its value is the secret,
 * `{"set": true}` (keep the stored one) or nothing (cleared).
 */
@Component({
  selector: 'sb-schema-secret',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, FormlyAttributes, FormlyValidationMessage],
  template: `
    @if (stored()) {
      <div class="sb-secret" role="group" [attr.aria-label]="props.label">
        <span class="sb-secret__label">{{ props.label }}</span>
        <span class="sb-secret__state" data-testid="secret-stored">Stored, hidden</span>
        <button mat-button type="button" (click)="replace()" [disabled]="formControl.disabled">Replace</button>
        <button mat-button type="button" (click)="clear()" [disabled]="formControl.disabled">Clear</button>
      </div>
    } @else {
      <mat-form-field class="sb-secret__field">
        <mat-label>{{ props.label }}</mat-label>
        <input matInput type="password" autocomplete="new-password" [formControl]="formControl" [formlyAttributes]="field" [placeholder]="hadStored ? 'New value' : 'Not set'" />
        <mat-hint>Secret: stored encrypted, never shown again.</mat-hint>
        @if (hadStored) {
          <button mat-button matSuffix type="button" (click)="keep()">Keep stored</button>
        }
        <mat-error><formly-validation-message [field]="field" /></mat-error>
      </mat-form-field>
    }
  `,
  styles: `
    .sb-secret { display: flex; align-items: center; gap: 8px; min-height: 56px; }
    .sb-secret__label { font: var(--mat-sys-body-large); }
    .sb-secret__state { color: var(--mat-sys-on-surface-variant); font-style: italic; }
    .sb-secret__field { width: 100%; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbSchemaSecretType extends FieldType<FieldTypeConfig> {
  /** Whether a secret was stored when the field was shown, so "Keep stored" can bring it back. */
  protected hadStored = false;

  protected stored(): boolean {
    const set = isSecretSet(this.formControl.value);
    if (set) this.hadStored = true;
    return set;
  }

  protected replace(): void {
    this.formControl.setValue(undefined);
    this.formControl.markAsDirty();
  }

  protected clear(): void {
    this.formControl.setValue(undefined);
    this.formControl.markAsDirty();
    this.hadStored = false;
  }

  protected keep(): void {
    this.formControl.setValue({ ...SECRET_SET });
  }
}
