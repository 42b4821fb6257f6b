import { ChangeDetectionStrategy, Component } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSliderModule } from '@angular/material/slider';
import { FieldType, FieldTypeConfig, FormlyAttributes, FormlyValidationMessage } from '@ngx-formly/core';

/** A number with both bounds: a slider for a quick move and a field for an exact value, on one control. */
@Component({
  selector: 'sb-schema-range',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatSliderModule, FormlyAttributes, FormlyValidationMessage],
  template: `
    <div class="sb-range">
      <mat-slider class="sb-range__slider" [min]="props.min ?? 0" [max]="props.max ?? 100" [step]="props.step ?? sliderStep()" [disabled]="formControl.disabled" discrete>
        <input matSliderThumb [value]="sliderValue()" (valueChange)="slide($event)" [attr.aria-label]="props.label + ' slider'" />
      </mat-slider>
      <mat-form-field class="sb-range__field">
        <mat-label>{{ props.label }}</mat-label>
        <input matInput type="number" [formControl]="formControl" [formlyAttributes]="field" [attr.min]="props.min" [attr.max]="props.max" [attr.step]="props.step ?? 'any'" />
        @if (props.description) {
          <mat-hint>{{ props.description }}</mat-hint>
        }
        <mat-error><formly-validation-message [field]="field" /></mat-error>
      </mat-form-field>
    </div>
  `,
  styles: `
    .sb-range { display: flex; align-items: center; gap: 16px; }
    .sb-range__slider { flex: 1 1 200px; }
    .sb-range__field { flex: 0 1 260px; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbSchemaRangeType extends FieldType<FieldTypeConfig> {
  /** Two views of one control: Angular updates only the control from each, so the slider follows the field here. */
  protected sliderValue(): number {
    const value = Number(this.formControl.value);
    return this.formControl.value == null || Number.isNaN(value) ? (this.props.min ?? 0) : value;
  }

  protected slide(value: number): void {
    this.formControl.setValue(value);
    this.formControl.markAsDirty();
  }

  /** A hundred steps across the range when the schema names no step (mat-slider needs one). */
  protected sliderStep(): number {
    return ((this.props.max ?? 100) - (this.props.min ?? 0)) / 100;
  }
}
