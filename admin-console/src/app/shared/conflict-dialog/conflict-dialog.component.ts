import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatRadioModule } from '@angular/material/radio';
import { Observable } from 'rxjs';
import { canonicalJson } from '../canonical-json';
import { SbCountPipe } from '../count';

export interface SbConflictField {
  key: string;
  label: string;
}

export interface SbConflictData {
  /** What was being saved, e.g. "AI infrastructure". */
  what: string;
  fields: readonly SbConflictField[];
  theirs: Record<string, unknown>;
  yours: Record<string, unknown>;
  /** The values both started from: what yours changed, and what theirs did. */
  base: Record<string, unknown>;
  /** Who saved theirs, and when, when known. */
  theirsBy?: string | null;
  theirsAt?: string | null;
}

/**
 * merge: your changes on top of theirs, except the fields you both changed where you chose theirs;
 * theirs: drop yours and show theirs; undefined: decide later.
 */
export type SbConflictChoice = { kind: 'merge'; keepTheirs: readonly string[] } | { kind: 'theirs' } | undefined;

/**
 * The server answered 412: someone saved this since it was loaded. Shows, field by field, what
 * they changed and what you changed since the values you both started from. Merging saves your
 * changes on top of theirs, so the fields only they changed keep their values: nobody's work is
 * undone unseen. Where both changed a field, the row asks which to keep (yours, until chosen).
 */
@Component({
  selector: 'sb-conflict-dialog',
  imports: [MatDialogModule, MatButtonModule, MatRadioModule, SbCountPipe],
  template: `
    <h2 mat-dialog-title>Someone else changed {{ data.what }}</h2>
    <mat-dialog-content class="sb-conflict">
      <p>
        While you were editing, {{ data.theirsBy || 'someone else' }} saved it{{ data.theirsAt ? ' at ' + data.theirsAt : '' }}.
        @if (bothChanged() > 0) {
          You both changed {{ bothChanged() | sbCount: 'field' }}: choose on each row which to keep.
        } @else {
          You changed different fields: merging keeps both.
        }
      </p>
      <table class="sb-conflict__table" aria-label="Their values and yours">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Theirs (saved)</th>
            <th scope="col">Yours (not saved)</th>
            <th scope="col">After merging</th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.key) {
            <tr [class.sb-conflict__row--differs]="row.differs" [attr.data-field]="row.key">
              <th scope="row">
                {{ row.label }}
                @if (row.both) {
                  <mat-radio-group class="sb-conflict__pick" [value]="row.pick" (change)="pick(row.key, $event.value)" [attr.aria-label]="'Keep for ' + row.label">
                    <mat-radio-button value="yours">Keep yours</mat-radio-button>
                    <mat-radio-button value="theirs">Keep theirs</mat-radio-button>
                  </mat-radio-group>
                } @else if (row.change) {
                  <span class="sb-conflict__badge">{{ row.change }}</span>
                }
              </th>
              <td><pre class="sb-conflict__value">{{ row.theirs }}</pre></td>
              <td><pre class="sb-conflict__value">{{ row.yours }}</pre></td>
              <td><pre class="sb-conflict__value">{{ row.merged }}</pre></td>
            </tr>
          }
        </tbody>
      </table>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button mat-dialog-close>Decide later</button>
      <button mat-stroked-button type="button" (click)="close({ kind: 'theirs' })">Keep theirs, discard mine</button>
      <button mat-flat-button type="button" (click)="close({ kind: 'merge', keepTheirs: keptTheirs() })" cdkFocusInitial>Save my changes on theirs</button>
    </mat-dialog-actions>
  `,
  styles: `
    .sb-conflict__table { width: 100%; border-collapse: collapse; }
    .sb-conflict__table th, .sb-conflict__table td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .sb-conflict__row--differs { background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .sb-conflict__value { margin: 0; max-height: 160px; max-width: 360px; overflow: auto; white-space: pre-wrap; word-break: break-word; font: var(--mat-sys-body-small); }
    .sb-conflict__badge { display: block; font: var(--mat-sys-label-small); }
    .sb-conflict__pick { display: flex; flex-direction: column; font: var(--mat-sys-label-small); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbConflictDialogComponent {
  protected readonly data = inject<SbConflictData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<SbConflictDialogComponent, SbConflictChoice>>(MatDialogRef);
  /** Fields both changed where the user chose theirs. */
  private readonly theirsPicked = signal<ReadonlySet<string>>(new Set());
  protected readonly keptTheirs = computed(() => [...this.theirsPicked()]);

  protected readonly rows = computed(() => {
    const merged = mergeChanges(this.data.base, this.data.theirs, this.data.yours, this.keptTheirs());
    return this.data.fields
      .map((field) => {
        const [base, theirs, yours] = [this.data.base, this.data.theirs, this.data.yours].map((values) => show(values[field.key]));
        const theyChanged = theirs !== base;
        const youChanged = yours !== base;
        const both = theyChanged && youChanged && theirs !== yours;
        const change = youChanged ? 'you changed' : theyChanged ? 'they changed' : '';
        const pick = this.theirsPicked().has(field.key) ? 'theirs' : 'yours';
        return { ...field, theirs, yours, merged: show(merged[field.key]), change, both, pick, differs: theirs !== yours };
      })
      .sort((a, b) => Number(b.differs) - Number(a.differs));
  });
  protected readonly bothChanged = computed(() => this.rows().filter((row) => row.both).length);

  protected pick(key: string, side: 'yours' | 'theirs'): void {
    this.theirsPicked.update((picked) => {
      const next = new Set(picked);
      if (side === 'theirs') next.add(key);
      else next.delete(key);
      return next;
    });
  }

  protected close(choice: SbConflictChoice): void {
    this.ref.close(choice);
  }
}

/** Theirs, with every field yours changed (from `base`) replaced by yours, except those in `keepTheirs`. */
export function mergeChanges(
  base: Record<string, unknown>,
  theirs: Record<string, unknown>,
  yours: Record<string, unknown>,
  keepTheirs: readonly string[] = [],
): Record<string, unknown> {
  const merged = { ...theirs };
  for (const key of new Set([...Object.keys(base), ...Object.keys(yours)])) {
    // Compared as the editor compares (keys sorted, what a form adds by showing a field ignored).
    if (!keepTheirs.includes(key) && canonicalJson(yours[key]) !== canonicalJson(base[key])) merged[key] = yours[key];
  }
  return merged;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function resolveConflict(dialog: MatDialog, data: SbConflictData): Observable<SbConflictChoice> {
  return dialog
    .open<SbConflictDialogComponent, SbConflictData, SbConflictChoice>(SbConflictDialogComponent, {
      data,
      width: '900px',
      maxWidth: '95vw',
      disableClose: true,
    })
    .afterClosed();
}
