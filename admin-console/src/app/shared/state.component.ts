import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';

/** The loading, error and empty states every screen shows the same way. */
@Component({
  selector: 'sb-state',
  imports: [MatButtonModule, MatProgressBarModule],
  template: `
    @switch (kind()) {
      @case ('loading') {
        <div class="sb-state" role="status">
          <mat-progress-bar mode="indeterminate" aria-label="Loading" />
          <p>{{ message() || 'Loading…' }}</p>
        </div>
      }
      @case ('error') {
        <div class="sb-state sb-state--error" role="alert">
          <p>{{ message() || 'This could not be loaded.' }}</p>
          <button mat-stroked-button type="button" (click)="retry.emit()">Try again</button>
        </div>
      }
      @case ('empty') {
        <div class="sb-state sb-state--empty" role="status">
          <p>{{ message() || 'Nothing here yet.' }}</p>
          <ng-content />
        </div>
      }
    }
  `,
  styles: `
    .sb-state { padding: 24px 0; color: var(--mat-sys-on-surface-variant); }
    .sb-state--error { color: var(--mat-sys-error); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbStateComponent {
  readonly kind = input.required<'loading' | 'error' | 'empty'>();
  readonly message = input<string>('');
  readonly retry = output<void>();
}
