import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { SbItemOrigin } from '../../../shared/item-inheritance';

/**
 * On a prompt's page of a profile with a parent: that the prompt is an ancestor's (and what makes
 * it the profile's own), or that it is the profile's own in place of the parent's of the same name.
 */
@Component({
  selector: 'sb-prompt-origin',
  template: `
    @if (origin(); as origin) {
      <p class="sb-prompt-origin" [attr.data-origin]="origin.kind">
        @if (origin.kind === 'inherited') {
          Inherited from <strong>{{ origin.from }}</strong>: its versions and labels follow that profile. Adding a version or moving a label makes it
          this profile’s own, after which changes made on {{ origin.from }} no longer reach it. To delete it, delete it on {{ origin.from }}.
        } @else {
          This profile’s own prompt, in place of the one of <strong>{{ origin.parent }}</strong> with the same name. Reset to inherited deletes it
          here: the prompt of {{ origin.parent }} takes its place, and follows that profile again.
        }
      </p>
    }
  `,
  styles: `
    .sb-prompt-origin { margin: 4px 0 8px; max-width: 760px; padding: 8px 12px; border-radius: 8px; background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); font: var(--mat-sys-body-medium); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbPromptOriginComponent {
  /** Null: the profile's own prompt, with no parent's under its name (nothing to say). */
  readonly origin = input.required<SbItemOrigin | null>();
}
