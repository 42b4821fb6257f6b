import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { SbEnvLocks } from './env-source';
import { SbLockIconComponent } from './lock-icon.component';

/** Above a form: which of its values the environment sets, so the form cannot change them. */
@Component({
  selector: 'sb-locked-note',
  imports: [SbLockIconComponent],
  template: `
    @if (entries().length) {
      <div class="sb-locked-note" role="note" data-testid="locked-note">
        <sb-lock-icon />
        <p>
          {{ entries().length === 1 ? 'One value is' : entries().length + ' values are' }} set by the server's environment and locked here
          (source: environment):
          @for (entry of entries(); track entry.field; let last = $last) {
            <code class="sb-mono">{{ entry.field }}</code> by <code class="sb-mono">{{ entry.variable }}</code>{{ last ? '.' : ',' }}
          }
          {{ scope() }}
        </p>
      </div>
    }
  `,
  styles: `
    .sb-locked-note { display: flex; gap: 8px; align-items: flex-start; padding: 8px 12px; border-radius: 8px; background: var(--mat-sys-surface-container-high); max-width: 900px; }
    .sb-locked-note p { margin: 0; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbLockedNoteComponent {
  readonly locked = input.required<SbEnvLocks>();
  /** What else to say, e.g. that the override applies to the default Genie space of every profile. */
  readonly scope = input('Agents use the environment’s values; the database values shown take effect only once the variable is removed.');
  protected readonly entries = computed(() => [...this.locked().values()]);
}
