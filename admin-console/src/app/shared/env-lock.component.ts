import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { SbEnvLock } from './env-source';
import { SbLockIconComponent } from './lock-icon.component';

/** The effective value as text: long prompts are cut here (the note says so). */
export function showEffective(value: unknown, max = 200): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString('en')} characters)` : text;
}

/**
 * Under one locked field: which environment variable sets it and the value in effect, since the
 * field itself shows the database's value, which agents do not get.
 */
@Component({
  selector: 'sb-env-lock',
  imports: [SbLockIconComponent],
  template: `
    @if (lock(); as lock) {
      <p class="sb-env-lock" [attr.data-locked-field]="lock.field">
        <sb-lock-icon />
        <span>
          Locked: set by the environment variable <code class="sb-mono">{{ lock.variable }}</code>. In effect:
          <code class="sb-mono sb-env-lock__value" data-testid="effective-value">{{ effective() }}</code>.
          {{ note() }}
        </span>
      </p>
    }
  `,
  styles: `
    .sb-env-lock { display: flex; gap: 6px; align-items: flex-start; margin: 0 0 8px; max-width: 640px; color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-small); }
    .sb-env-lock__value { white-space: pre-wrap; word-break: break-word; color: var(--mat-sys-on-surface); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbEnvLockComponent {
  readonly lock = input<SbEnvLock | undefined>();
  /** What the stored value beside it is (a form field's, by default; a list row's, on the Genie tab). */
  readonly note = input("The value in the field is the database's and is not used while the variable is set.");
  protected readonly effective = computed(() => showEffective(this.lock()?.effective));
}
