import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { FieldArrayType, FormlyField, FormlyFieldConfig, FormlyValidationMessage } from '@ngx-formly/core';

/**
 * An array of a schema: an editable table, one row per item. Items that are objects get a column
 * per field; other items one column. Rows are added at the end and removed by their own button.
 */
@Component({
  selector: 'sb-schema-array',
  imports: [FormlyField, FormlyValidationMessage, MatButtonModule],
  template: `
    <section class="sb-schema-array" [attr.aria-label]="props.label">
      @if (props.label) {
        <h3 class="sb-section-title">{{ props.label }}</h3>
      }
      @if (props.description) {
        <p class="sb-schema-array__description">{{ props.description }}</p>
      }
      @if (showError && formControl.errors) {
        <p class="sb-schema-error" role="alert"><formly-validation-message [field]="field" /></p>
      }
      @if (field.fieldGroup?.length) {
        <table class="sb-schema-array__table">
          <tbody>
            @for (row of field.fieldGroup; track row; let i = $index) {
              <tr [attr.data-row]="i">
                @for (cell of cells(row); track cell) {
                  <td><formly-field [field]="cell" /></td>
                }
                <td class="sb-schema-array__actions">
                  <button mat-button type="button" (click)="remove(i)" [disabled]="formControl.disabled" [attr.aria-label]="'Remove row ' + (i + 1)">Remove</button>
                </td>
              </tr>
            }
          </tbody>
        </table>
      } @else {
        <p class="sb-schema-array__empty">None yet.</p>
      }
      <button mat-stroked-button type="button" (click)="add()" [disabled]="formControl.disabled">Add {{ itemLabel() }}</button>
    </section>
  `,
  styles: `
    .sb-schema-array { margin: 8px 0 16px; }
    .sb-schema-array__description, .sb-schema-array__empty { margin: 0 0 8px; color: var(--mat-sys-on-surface-variant); }
    .sb-schema-array__table { border-collapse: collapse; width: 100%; margin-bottom: 8px; }
    .sb-schema-array__table td { vertical-align: top; padding: 4px 8px 4px 0; }
    .sb-schema-array__table tr { border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .sb-schema-array__actions { width: 96px; }
    .sb-schema-error { color: var(--mat-sys-error); margin: 0; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbSchemaArrayType extends FieldArrayType {
  /** An object item's fields side by side; anything else is its own single cell. */
  protected cells(row: FormlyFieldConfig): FormlyFieldConfig[] {
    return row.type === 'object' && row.fieldGroup ? row.fieldGroup : [row];
  }

  protected itemLabel(): string {
    return String(this.props['itemLabel'] ?? 'item').toLowerCase();
  }
}
