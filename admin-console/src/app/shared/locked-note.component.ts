import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { SbValueSource } from './env-source';

/** "Set by the environment" under a form, listing the locked fields and their source. */
@Component({
  selector: 'sb-locked-note',
  template: `
    @if (entries().length) {
      <p class="sb-locked-note" role="note">
        Locked, set outside this console:
        @for (entry of entries(); track entry.field) {
          <span class="sb-locked-note__field">{{ entry.field }} ({{ entry.source === 'env' ? 'environment' : entry.source }})</span>
        }
      </p>
    }
  `,
  styles: `
    .sb-locked-note { padding: 8px 12px; border-radius: 8px; background: var(--mat-sys-surface-container-high); }
    .sb-locked-note__field { margin-left: 8px; font-family: monospace; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbLockedNoteComponent {
  readonly locked = input.required<ReadonlyMap<string, SbValueSource>>();
  protected readonly entries = computed(() => [...this.locked()].map(([field, source]) => ({ field, source })));
}
