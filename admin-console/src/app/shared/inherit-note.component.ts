import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { SbFieldInheritanceSource } from './inheritance';

/**
 * Under one field of a profile with a parent: where an inherited value comes from, with Override,
 * or that the value is the profile's own, with Reset to inherited. Nothing for a profile without a
 * parent, or for a field the environment sets.
 */
@Component({
  selector: 'sb-inherit-note',
  imports: [MatButtonModule],
  template: `
    @if (state(); as state) {
      <p class="sb-inherit-note" [attr.data-inherit-field]="field()" [attr.data-inherit]="state.kind">
        @if (state.kind === 'inherited') {
          <span>{{ label() }}: inherited from <strong data-testid="inherited-from">{{ state.from }}</strong>.</span>
          @if (canEdit()) {
            @if (state.held) {
              <button mat-button type="button" (click)="override()" [attr.aria-label]="'Override ' + label() + ', inherited from ' + state.from">Override</button>
            } @else {
              <span>Saving a different value makes it this profile’s own.</span>
            }
          }
        } @else {
          <span>{{ label() }}: this profile’s own value (overrides <strong>{{ state.parent }}</strong>).</span>
          @if (canEdit()) {
            @let dirty = inheritance().dirty();
            <button
              mat-button
              type="button"
              (click)="inheritance().reset(field(), label())"
              [disabled]="busy() || dirty"
              [attr.aria-label]="'Reset to inherited: ' + label()"
              [attr.aria-describedby]="dirty ? 'sb-inherit-why-' + field() : null"
            >
              {{ busy() ? 'Resetting…' : 'Reset to inherited' }}
            </button>
            @if (dirty) {
              <span [id]="'sb-inherit-why-' + field()">Save or cancel the unsaved changes first.</span>
            }
          }
        }
      </p>
    }
  `,
  styles: `
    .sb-inherit-note { display: flex; flex-wrap: wrap; gap: 0 8px; align-items: center; margin: 0 0 8px; max-width: 640px; color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-small); }
    .sb-inherit-note strong { color: var(--mat-sys-on-surface); font-weight: 500; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbInheritNoteComponent {
  readonly inheritance = input.required<SbFieldInheritanceSource>();
  /** The field's API name, and its label for the buttons' accessible names and the messages. */
  readonly field = input.required<string>();
  readonly label = input.required<string>();
  /** What Override puts the focus in (the field's input). */
  readonly focusTarget = input<{ focus(): void } | null>(null);

  protected readonly state = computed(() => this.inheritance().of(this.field()));
  protected readonly canEdit = computed(() => this.inheritance().canEdit());
  protected readonly busy = computed(() => this.inheritance().resetting() === this.field());

  protected override(): void {
    this.inheritance().release(this.field(), this.focusTarget() ?? undefined);
  }
}
