import { ChangeDetectionStrategy, Component } from '@angular/core';
import { FieldType, FormlyField, FormlyValidationMessage } from '@ngx-formly/core';

/** A nested object of a schema: a titled section of its fields (the top level has no title). */
@Component({
  selector: 'sb-schema-object',
  imports: [FormlyField, FormlyValidationMessage],
  template: `
    <fieldset class="sb-schema-object" [class.sb-schema-object--nested]="!!props.label">
      @if (props.label) {
        <legend class="sb-section-title">{{ props.label }}</legend>
      }
      @if (props.description) {
        <p class="sb-schema-object__description">{{ props.description }}</p>
      }
      @if (showError && formControl.errors) {
        <p class="sb-schema-error" role="alert"><formly-validation-message [field]="field" /></p>
      }
      @for (child of field.fieldGroup; track child) {
        <formly-field [field]="child" />
      }
    </fieldset>
  `,
  styles: `
    .sb-schema-object { border: 0; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
    .sb-schema-object--nested { border-left: 3px solid var(--mat-sys-outline-variant); padding-left: 16px; margin: 8px 0; }
    .sb-schema-object__description { margin: 0 0 8px; color: var(--mat-sys-on-surface-variant); }
    .sb-schema-error { color: var(--mat-sys-error); margin: 0; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbSchemaObjectType extends FieldType {}
