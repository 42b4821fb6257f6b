import { ChangeDetectionStrategy, Component, ElementRef, inject } from '@angular/core';
import { FieldWrapper } from '@ngx-formly/core';

import { SbInheritNoteComponent } from '../inherit-note.component';
import { SbFieldInheritanceSource } from '../inheritance';

/** What Override may put the focus in: the field's first control (an input, a select, a secret's Replace). */
const FOCUSABLE = 'input:not([type="hidden"]), textarea, select, button, [tabindex]:not([tabindex="-1"])';

/** What a form built from a schema passes in `formState` when its profile may inherit (a registered domain's tab). */
export interface SbSchemaFormState {
  inheritance?: SbFieldInheritanceSource;
}

/**
 * Around a top-level field of a registered domain's form: the field, then its inheritance note
 * (inherited from an ancestor, with Override; or the profile's own value, with Reset to inherited).
 * Nothing more where the form's state carries no inheritance (previews, profiles without a parent).
 */
@Component({
  selector: 'sb-schema-inherit',
  imports: [SbInheritNoteComponent],
  template: `
    <div class="sb-schema-inherit__field"><ng-container #fieldComponent /></div>
    @if (inheritance(); as inheritance) {
      <sb-inherit-note [inheritance]="inheritance" [field]="name()" [label]="props.label || name()" [focusTarget]="focusTarget" />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbSchemaInheritWrapper extends FieldWrapper {
  private readonly host: ElementRef<HTMLElement> = inject(ElementRef);

  protected inheritance(): SbFieldInheritanceSource | null {
    return (this.formState as SbSchemaFormState | undefined)?.inheritance ?? null;
  }

  protected name(): string {
    return String(this.key);
  }

  protected readonly focusTarget = {
    focus: () => this.host.nativeElement.querySelector<HTMLElement>(`.sb-schema-inherit__field :is(${FOCUSABLE})`)?.focus(),
  };
}
