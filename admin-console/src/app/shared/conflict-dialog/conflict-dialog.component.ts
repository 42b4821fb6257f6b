import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatRadioModule } from '@angular/material/radio';
import { Observable } from 'rxjs';
import { canonicalJson } from '../canonical-json';
import { SbCountPipe } from '../count';
import { mergeLines } from '../line-merge';

export interface SbConflictField {
  key: string;
  label: string;
  /** Long text (a prompt): when both changed it, it can be merged line by line. */
  lines?: boolean;
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
 * merge: your changes on top of theirs, except the fields you both changed where you chose theirs
 * and the texts merged line by line; theirs: drop yours and show theirs; undefined: decide later.
 */
export type SbConflictChoice = { kind: 'merge'; keepTheirs: readonly string[]; mergeLines: readonly string[] } | { kind: 'theirs' } | undefined;

type Pick = 'yours' | 'theirs' | 'lines';

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
      @if (lineConflicts() > 0) {
        <p class="sb-conflict__note" role="status" data-testid="line-conflicts">
          {{ lineConflicts() | sbCount: 'place' }} where you both changed the same lines: merging marks them, and the editor shows them beside the saved text to settle before
          saving.
        </p>
      }
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
                    @if (row.lines) {
                      <mat-radio-button value="lines">Merge the lines</mat-radio-button>
                    }
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
      <button mat-flat-button type="button" (click)="close({ kind: 'merge', keepTheirs: picked('theirs'), mergeLines: picked('lines') })" cdkFocusInitial>
        {{ lineConflicts() > 0 ? 'Merge, then settle the marked lines' : 'Save my changes on theirs' }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .sb-conflict__table { width: 100%; border-collapse: collapse; }
    .sb-conflict__table th, .sb-conflict__table td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .sb-conflict__row--differs { background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .sb-conflict__value { margin: 0; max-height: 160px; max-width: 360px; overflow: auto; white-space: pre-wrap; word-break: break-word; font: var(--mat-sys-body-small); }
    .sb-conflict__badge { display: block; font: var(--mat-sys-label-small); }
    .sb-conflict__pick { display: flex; flex-direction: column; font: var(--mat-sys-label-small); }
    .sb-conflict__note { color: var(--mat-sys-on-surface-variant); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbConflictDialogComponent {
  protected readonly data = inject<SbConflictData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<SbConflictDialogComponent, SbConflictChoice>>(MatDialogRef);
  /** What the user chose for each field both changed; texts start merged by line, other fields as yours. */
  private readonly picks = signal<ReadonlyMap<string, Pick>>(new Map());

  protected readonly rows = computed(() => {
    const merged = mergeChanges(this.data.base, this.data.theirs, this.data.yours, this.picked('theirs'), this.picked('lines'));
    return this.data.fields
      .map((field) => {
        const [base, theirs, yours] = [this.data.base, this.data.theirs, this.data.yours].map((values) => show(values[field.key]));
        const theyChanged = theirs !== base;
        const youChanged = yours !== base;
        const both = theyChanged && youChanged && theirs !== yours;
        const change = youChanged ? 'you changed' : theyChanged ? 'they changed' : '';
        const pick = this.pickOf(field);
        const conflicts = both && pick === 'lines' ? this.lineMerge(field.key).conflicts : 0;
        return { ...field, theirs, yours, merged: show(merged[field.key]), change, both, pick, conflicts, differs: theirs !== yours };
      })
      .sort((a, b) => Number(b.differs) - Number(a.differs));
  });
  protected readonly bothChanged = computed(() => this.rows().filter((row) => row.both).length);
  protected readonly lineConflicts = computed(() => this.rows().reduce((sum, row) => sum + row.conflicts, 0));

  protected pick(key: string, side: Pick): void {
    this.picks.update((picks) => new Map(picks).set(key, side));
  }

  /** The fields both changed where the user chose `side`. */
  protected picked(side: Pick): string[] {
    return this.data.fields.filter((field) => this.bothChangedField(field.key) && this.pickOf(field) === side).map((field) => field.key);
  }

  private pickOf(field: SbConflictField): Pick {
    return this.picks().get(field.key) ?? (field.lines ? 'lines' : 'yours');
  }

  private bothChangedField(key: string): boolean {
    const [base, theirs, yours] = [this.data.base, this.data.theirs, this.data.yours].map((values) => canonicalJson(values[key]));
    return theirs !== base && yours !== base && theirs !== yours;
  }

  private lineMerge(key: string) {
    return mergeLines(String(this.data.base[key] ?? ''), String(this.data.theirs[key] ?? ''), String(this.data.yours[key] ?? ''));
  }

  protected close(choice: SbConflictChoice): void {
    this.ref.close(choice);
  }
}

/**
 * Theirs, with every field yours changed (from `base`) replaced by yours, except those in
 * `keepTheirs`; the texts in `byLine` merged line by line (conflicts marked).
 */
export function mergeChanges(
  base: Record<string, unknown>,
  theirs: Record<string, unknown>,
  yours: Record<string, unknown>,
  keepTheirs: readonly string[] = [],
  byLine: readonly string[] = [],
): Record<string, unknown> {
  const merged = { ...theirs };
  for (const key of new Set([...Object.keys(base), ...Object.keys(yours)])) {
    // Compared as the editor compares (keys sorted, what a form adds by showing a field ignored).
    if (keepTheirs.includes(key) || canonicalJson(yours[key]) === canonicalJson(base[key])) continue;
    merged[key] = byLine.includes(key) ? mergeLines(String(base[key] ?? ''), String(theirs[key] ?? ''), String(yours[key] ?? '')).text : yours[key];
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
