import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';

/** One way for every date: the reader's own locale and time zone, with seconds (an audit log needs them). */
const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** `26 Nov 2026, 14:05:09` in en-GB, `Nov 26, 2026, 2:05:09 PM` in en-US: for sentences; a date standing alone is `<sb-when>`. */
export function formatWhen(value: string | Date): string {
  return LOCAL.format(new Date(value));
}

/** A date in the reader's locale; hovering shows the exact ISO 8601 time in UTC. */
@Component({
  selector: 'sb-when',
  imports: [MatTooltipModule],
  template: `@if (iso(); as iso) {<time [attr.datetime]="iso" [matTooltip]="iso" matTooltipShowDelay="300">{{ local() }}</time>}`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbWhenComponent {
  readonly at = input.required<string | Date | null | undefined>();
  protected readonly iso = computed(() => {
    const at = this.at();
    const date = at ? new Date(at) : null;
    return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
  });
  protected readonly local = computed(() => (this.iso() ? formatWhen(this.iso()!) : ''));
}
