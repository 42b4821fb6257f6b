import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { Observable } from 'rxjs';
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

/** merge: your changes on top of theirs; theirs: drop yours and show theirs; undefined: decide later. */
export type SbConflictChoice = 'merge' | 'theirs' | undefined;

/**
 * The server answered 412: someone saved this since it was loaded. Shows, field by field, what
 * they changed and what you changed since the values you both started from. Merging saves your
 * changes on top of theirs, so the fields only they changed keep their values: nobody's work is
 * undone unseen. Where both changed a field, yours wins, and the row says so.
 */
@Component({
  selector: 'sb-conflict-dialog',
  imports: [MatDialogModule, MatButtonModule, SbCountPipe],
  template: `
    <h2 mat-dialog-title>Someone else changed {{ data.what }}</h2>
    <mat-dialog-content class="sb-conflict">
      <p>
        While you were editing, {{ data.theirsBy || 'someone else' }} saved it
        @if (data.theirsAt) {
          at {{ data.theirsAt }}
        }.
        @if (bothChanged() > 0) {
          You both changed {{ bothChanged() | sbCount: 'field' }}: merging keeps yours there.
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
                @if (row.change) {
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
      <button mat-stroked-button [mat-dialog-close]="'theirs'">Keep theirs, discard mine</button>
      <button mat-flat-button [mat-dialog-close]="'merge'" cdkFocusInitial>Save my changes on theirs</button>
    </mat-dialog-actions>
  `,
  styles: `
    .sb-conflict__table { width: 100%; border-collapse: collapse; }
    .sb-conflict__table th, .sb-conflict__table td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .sb-conflict__row--differs { background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .sb-conflict__value { margin: 0; max-height: 160px; max-width: 360px; overflow: auto; white-space: pre-wrap; word-break: break-word; font: var(--mat-sys-body-small); }
    .sb-conflict__badge { display: block; font: var(--mat-sys-label-small); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbConflictDialogComponent {
  protected readonly data = inject<SbConflictData>(MAT_DIALOG_DATA);

  private readonly merged = mergeChanges(this.data.base, this.data.theirs, this.data.yours);

  protected readonly rows = computed(() =>
    this.data.fields
      .map((field) => {
        const [base, theirs, yours] = [this.data.base, this.data.theirs, this.data.yours].map((values) => show(values[field.key]));
        const theyChanged = theirs !== base;
        const youChanged = yours !== base;
        const change = theyChanged && youChanged && theirs !== yours ? 'both changed: yours wins' : youChanged ? 'you changed' : theyChanged ? 'they changed' : '';
        return { ...field, theirs, yours, merged: show(this.merged[field.key]), change, differs: theirs !== yours };
      })
      .sort((a, b) => Number(b.differs) - Number(a.differs)),
  );
  protected readonly bothChanged = computed(() => this.rows().filter((row) => row.change.startsWith('both')).length);
}

/** Theirs, with every field yours changed (from `base`) replaced by yours. */
export function mergeChanges(base: Record<string, unknown>, theirs: Record<string, unknown>, yours: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...theirs };
  for (const key of new Set([...Object.keys(base), ...Object.keys(yours)])) {
    if (JSON.stringify(yours[key]) !== JSON.stringify(base[key])) merged[key] = yours[key];
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
