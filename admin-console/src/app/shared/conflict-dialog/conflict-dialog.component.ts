import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { Observable } from 'rxjs';

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
  /** Who saved theirs, and when, when known. */
  theirsBy?: string | null;
  theirsAt?: string | null;
}

/** mine: save yours over theirs; theirs: drop yours and show theirs; undefined: decide later. */
export type SbConflictChoice = 'mine' | 'theirs' | undefined;

/**
 * The server answered 412: someone saved this since it was loaded. Shows both versions side by
 * side, differences first, and lets the user keep theirs or overwrite them with their own.
 */
@Component({
  selector: 'sb-conflict-dialog',
  imports: [MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title>Someone else changed {{ data.what }}</h2>
    <mat-dialog-content class="sb-conflict">
      <p>
        While you were editing, this was saved by {{ data.theirsBy || 'someone else' }}
        @if (data.theirsAt) {
          at {{ data.theirsAt }}
        }. Choose which version to keep.
      </p>
      <table class="sb-conflict__table" aria-label="Their values and yours">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Theirs (saved)</th>
            <th scope="col">Yours (not saved)</th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.key) {
            <tr [class.sb-conflict__row--differs]="row.differs" [attr.data-field]="row.key">
              <th scope="row">
                {{ row.label }}
                @if (row.differs) {
                  <span class="sb-conflict__badge">differs</span>
                }
              </th>
              <td><pre class="sb-conflict__value">{{ row.theirs }}</pre></td>
              <td><pre class="sb-conflict__value">{{ row.yours }}</pre></td>
            </tr>
          }
        </tbody>
      </table>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button mat-dialog-close>Decide later</button>
      <button mat-stroked-button [mat-dialog-close]="'theirs'">Keep theirs, discard mine</button>
      <button mat-flat-button [mat-dialog-close]="'mine'">Overwrite with mine</button>
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

  protected readonly rows = computed(() =>
    this.data.fields
      .map((field) => {
        const theirs = show(this.data.theirs[field.key]);
        const yours = show(this.data.yours[field.key]);
        return { ...field, theirs, yours, differs: theirs !== yours };
      })
      .sort((a, b) => Number(b.differs) - Number(a.differs)),
  );
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
