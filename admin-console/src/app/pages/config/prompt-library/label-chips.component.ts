import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** A prompt's labels as chips (`production → v3`), production first; nothing when it has none. */
@Component({
  selector: 'sb-label-chips',
  template: `
    @if (chips().length) {
      <ul class="sb-chips" aria-label="Labels">
        @for (chip of chips(); track chip.label) {
          <li class="sb-chip" [class.sb-chip--production]="chip.label === 'production'" [attr.data-label]="chip.label">
            {{ chip.label }} → v{{ chip.version }}
          </li>
        }
      </ul>
    }
  `,
  styles: `
    .sb-chips { display: flex; flex-wrap: wrap; gap: 6px; list-style: none; margin: 6px 0 0; padding: 0; }
    .sb-chip {
      padding: 2px 10px; border-radius: 12px; font: var(--mat-sys-label-medium);
      background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container);
    }
    .sb-chip--production { background: var(--mat-sys-primary-container); color: var(--mat-sys-on-primary-container); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbLabelChipsComponent {
  readonly labels = input.required<Record<string, number>>();
  protected readonly chips = computed(() =>
    Object.entries(this.labels())
      .map(([label, version]) => ({ label, version }))
      .sort((a, b) => Number(b.label === 'production') - Number(a.label === 'production') || a.label.localeCompare(b.label)),
  );
}
