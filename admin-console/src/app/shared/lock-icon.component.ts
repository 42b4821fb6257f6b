import { ChangeDetectionStrategy, Component } from '@angular/core';

/** A padlock, drawn inline (the console loads no icon font). Decorative: the text beside it says it. */
@Component({
  selector: 'sb-lock-icon',
  template: `
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 1a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V11a2 2 0 0 0-2-2h-1V6a5 5 0 0 0-5-5zm-3 8V6a3 3 0 1 1 6 0v3H9zm3 4a2 2 0 0 1 1 3.73V19h-2v-2.27A2 2 0 0 1 12 13z"
      />
    </svg>
  `,
  styles: `
    :host { display: inline-flex; vertical-align: text-bottom; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbLockIconComponent {}
