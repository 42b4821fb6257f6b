import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import type { SbRemoteChange } from './domain-editor';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';

/** Save / Cancel / Apply & reload under a domain form (hidden for read-only users). */
@Component({
  selector: 'sb-form-actions',
  imports: [MatButtonModule, MatProgressSpinnerModule, MatTooltipModule],
  template: `
    @if (remote(); as change) {
      <div class="sb-remote" [class.sb-remote--pending]="change.pending" [attr.role]="change.pending ? 'alert' : 'status'" data-testid="remote-change">
        <span>{{ change.message }}</span>
        @if (change.pending) {
          <button mat-stroked-button type="button" (click)="showTheirs.emit()">Show theirs</button>
          <button mat-button type="button" (click)="dismissRemote.emit()">Keep editing</button>
        } @else {
          <button mat-button type="button" (click)="dismissRemote.emit()">OK</button>
        }
      </div>
    }
    <div class="sb-form-actions" role="group" aria-label="Save or discard changes">
      <span class="sb-form-actions__state" aria-live="polite">
        @if (busy()) {
          <mat-spinner diameter="18" aria-label="Saving" />
          Saving…
        } @else if (dirty()) {
          Unsaved changes
        } @else {
          All changes saved{{ delivery() ? ' · ' + delivery() : '' }}
        }
      </span>
      <button mat-button type="button" (click)="cancel.emit()" [disabled]="!dirty() || busy()">Cancel</button>
      <button mat-stroked-button type="button" (click)="save.emit()" [disabled]="!dirty() || invalid() || busy()">Save</button>
      <button
        mat-flat-button
        type="button"
        (click)="apply.emit()"
        [disabled]="invalid() || busy()"
        matTooltip="Save, then tell running agents to reload this profile"
      >
        Apply &amp; reload
      </button>
    </div>
  `,
  styles: `
    .sb-remote { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 16px; padding: 8px 12px; border-radius: 8px; background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); font: var(--mat-sys-body-medium); }
    .sb-remote > span { flex: 1 1 240px; }
    .sb-remote--pending { background: var(--mat-sys-tertiary-container); color: var(--mat-sys-on-tertiary-container); }
    .sb-form-actions { display: flex; gap: 8px; align-items: center; justify-content: flex-end; flex-wrap: wrap; padding: 12px 0; border-top: 1px solid var(--mat-sys-outline-variant); margin-top: 16px; }
    .sb-form-actions__state { margin-right: auto; display: inline-flex; gap: 8px; align-items: center; color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-medium); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbFormActionsComponent {
  readonly dirty = input.required<boolean>();
  readonly invalid = input(false);
  readonly busy = input(false);
  /** Someone else's change to these values (the change stream), shown above the buttons. */
  readonly remote = input<SbRemoteChange | null>(null);
  /** Where the last save has arrived ("applied on 2/2 instances in 18 ms"). */
  readonly delivery = input<string | null>(null);
  readonly showTheirs = output<void>();
  readonly dismissRemote = output<void>();
  readonly save = output<void>();
  readonly cancel = output<void>();
  readonly apply = output<void>();
}
