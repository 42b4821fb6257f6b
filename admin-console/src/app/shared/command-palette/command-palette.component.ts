import { afterNextRender, ChangeDetectionStrategy, Component, computed, ElementRef, inject, signal, viewChild } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { matchCommands, SbCommand } from './commands';

/**
 * Ctrl/⌘+K: type a few letters of a profile, a tab, a page or an action; arrows choose, Enter
 * goes. It only chooses: it closes with the command, and the app runs it.
 */
@Component({
  selector: 'sb-command-palette',
  imports: [MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title class="sb-visually-hidden">Go to or do</h2>
    <mat-dialog-content class="sb-palette">
      <mat-form-field class="sb-palette__field" subscriptSizing="dynamic">
        <mat-label>Profile, tab, page or action</mat-label>
        <input
          matInput
          #input
          role="combobox"
          aria-expanded="true"
          aria-controls="sb-palette-list"
          aria-autocomplete="list"
          [attr.aria-activedescendant]="shown().length ? 'sb-command-' + active() : null"
          [value]="query()"
          (input)="type(input.value)"
          (keydown)="key($event)"
          autocomplete="off"
          data-testid="palette-input"
        />
      </mat-form-field>
      <ul class="sb-palette__list" id="sb-palette-list" role="listbox" aria-label="Matching commands">
        @for (command of shown(); track command.id; let index = $index) {
          @if (index === 0 || shown()[index - 1]!.group !== command.group) {
            <li class="sb-palette__group" role="presentation">{{ command.group }}</li>
          }
          <li
            class="sb-palette__option"
            role="option"
            [id]="'sb-command-' + index"
            [attr.aria-selected]="index === active()"
            [class.sb-palette__option--active]="index === active()"
            (click)="choose(command)"
            (mousemove)="hover($event, index)"
          >
            <span>{{ command.label }}</span>
            @if (command.hint) {
              <span class="sb-palette__hint">{{ command.hint }}</span>
            }
          </li>
        } @empty {
          <li class="sb-palette__empty" role="presentation">Nothing matches “{{ query() }}”.</li>
        }
      </ul>
    </mat-dialog-content>
  `,
  styles: `
    .sb-palette { display: flex; flex-direction: column; gap: 8px; padding-top: 16px; }
    .sb-palette__field { width: 100%; margin-top: 8px; } /* room for the outline's floating label */
    .sb-palette__list { list-style: none; margin: 0; padding: 0; max-height: min(60vh, 420px); overflow-y: auto; }
    .sb-palette__group { padding: 8px 12px 4px; font: var(--mat-sys-label-medium); color: var(--mat-sys-on-surface-variant); }
    .sb-palette__option { display: flex; justify-content: space-between; gap: 16px; padding: 8px 12px; border-radius: 8px; cursor: pointer; }
    .sb-palette__option--active { background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); }
    .sb-palette__hint { color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-small); white-space: nowrap; }
    .sb-palette__empty { padding: 12px; color: var(--mat-sys-on-surface-variant); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbCommandPaletteComponent {
  private readonly dialogRef = inject<MatDialogRef<SbCommandPaletteComponent, SbCommand>>(MatDialogRef);
  private readonly commands = inject<() => SbCommand[]>(MAT_DIALOG_DATA);
  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('input');

  protected readonly query = signal('');
  protected readonly active = signal(0);
  /** The data is a signal-backed function: tabs of registered domains appear once they are read. */
  protected readonly shown = computed(() => matchCommands(this.commands(), this.query()));

  constructor() {
    // At once, not after the opening animation: people type right after Ctrl+K.
    afterNextRender(() => this.input().nativeElement.focus());
  }

  /** Chromium sends a mousemove when the list moves under a still pointer: only a real move chooses. */
  protected hover(event: MouseEvent, index: number): void {
    if (event.movementX === 0 && event.movementY === 0) return;
    this.active.set(index);
  }

  protected type(value: string): void {
    this.query.set(value);
    this.active.set(0);
  }

  protected key(event: KeyboardEvent): void {
    const count = this.shown().length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!count) return;
      this.active.set((this.active() + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
      this.input().nativeElement.ownerDocument.getElementById(`sb-command-${this.active()}`)?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const command = this.shown()[this.active()];
      if (command) this.choose(command);
    }
  }

  protected choose(command: SbCommand): void {
    this.dialogRef.close(command);
  }
}
