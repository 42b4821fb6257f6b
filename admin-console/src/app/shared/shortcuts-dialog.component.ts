import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';

/** The keys the console answers to, as `?` shows them. */
export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: 'Ctrl+K  ·  ⌘K', does: 'Go to a profile, tab or page, or run an action' },
  { keys: 'Ctrl+S  ·  ⌘S', does: 'Save the form on screen' },
  { keys: '?', does: 'Show these shortcuts' },
  { keys: 'Esc', does: 'Close a dialog or a menu' },
  { keys: 'Tab  ·  Shift+Tab', does: 'Move between fields, buttons and tabs' },
];

@Component({
  selector: 'sb-shortcuts-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Keyboard shortcuts</h2>
    <mat-dialog-content>
      <dl class="sb-shortcuts">
        @for (shortcut of shortcuts; track shortcut.keys) {
          <dt><kbd>{{ shortcut.keys }}</kbd></dt>
          <dd>{{ shortcut.does }}</dd>
        }
      </dl>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button mat-dialog-close cdkFocusInitial>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    .sb-shortcuts { display: grid; grid-template-columns: max-content 1fr; gap: 8px 24px; margin: 0; }
    .sb-shortcuts dd { margin: 0; }
    kbd { font: var(--mat-sys-label-large); white-space: pre; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbShortcutsDialogComponent {
  protected readonly shortcuts = SHORTCUTS;
}
