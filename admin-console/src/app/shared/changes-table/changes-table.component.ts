import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { SbChangeRow } from '../domains';
import { diffText, isLongText, lineDiff, SbDiffLine } from '../text-diff';

interface SbShownRow {
  field: string;
  label: string;
  long: boolean;
  before: string;
  after: string;
  lines: SbDiffLine[];
}

/**
 * Changed fields as Field / Before / After. Long or multi-line values (prompts, whole Genie spaces)
 * span both columns as a line diff: removed lines marked −, added lines +, unchanged runs folded.
 */
@Component({
  selector: 'sb-changes-table',
  template: `
    @if (shown().length === 0) {
      <p class="sb-help">{{ emptyText() }}</p>
    } @else {
      <table class="sb-table sb-changes" [attr.aria-label]="caption()">
        <thead>
          <tr>
            <th scope="col" class="sb-changes__field">Field</th>
            <th scope="col">{{ beforeLabel() }}</th>
            <th scope="col">{{ afterLabel() }}</th>
          </tr>
        </thead>
        <tbody>
          @for (row of shown(); track row.field) {
            <tr [attr.data-field]="row.field">
              <th scope="row" class="sb-changes__field">
                @if (row.label === row.field) {
                  <code class="sb-mono">{{ row.label }}</code>
                } @else {
                  <span [title]="row.field">{{ row.label }}</span>
                }
              </th>
              @if (row.long) {
                <td colspan="2">
                  <div class="sb-diff" role="group" [attr.aria-label]="'Line changes of ' + row.label">
                    @for (line of row.lines; track $index) {
                      <div class="sb-diff__line sb-diff__line--{{ line.kind }}">
                        <span class="sb-diff__mark" aria-hidden="true">{{ mark(line) }}</span>
                        <span class="sb-visually-hidden">{{ spoken(line) }}</span>
                        <span class="sb-diff__text">{{ line.text || ' ' }}</span>
                      </div>
                    }
                  </div>
                </td>
              } @else {
                <td class="sb-changes__before" data-testid="before">{{ row.before }}</td>
                <td class="sb-changes__after" data-testid="after">{{ row.after }}</td>
              }
            </tr>
          }
        </tbody>
      </table>
    }
  `,
  styles: `
    .sb-changes { table-layout: fixed; }
    .sb-changes__field { width: 28%; word-break: break-word; }
    .sb-changes__before, .sb-changes__after { white-space: pre-wrap; word-break: break-word; }
    .sb-changes__before { color: var(--mat-sys-on-surface-variant); }
    .sb-diff { max-height: 420px; overflow: auto; border: 1px solid var(--mat-sys-outline-variant); border-radius: 4px; font: var(--mat-sys-body-small); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .sb-diff__line { display: flex; gap: 8px; padding: 0 8px; white-space: pre-wrap; word-break: break-word; }
    .sb-diff__mark { flex: 0 0 1ch; user-select: none; }
    .sb-diff__line--removed { background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .sb-diff__line--added { background: var(--mat-sys-primary-container); color: var(--mat-sys-on-primary-container); }
    .sb-diff__line--skipped { color: var(--mat-sys-on-surface-variant); font-style: italic; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbChangesTableComponent {
  readonly rows = input.required<readonly SbChangeRow[]>();
  readonly beforeLabel = input('Before');
  readonly afterLabel = input('After');
  readonly caption = input('Changed fields');
  readonly emptyText = input('No field changed.');

  protected readonly shown = computed<SbShownRow[]>(() =>
    this.rows().map((row) => {
      const long = isLongText(row.before, row.after);
      return {
        field: row.field,
        label: row.label,
        long,
        before: diffText(row.before) ?? '—',
        after: diffText(row.after) ?? '—',
        lines: long ? lineDiff(diffText(row.before), diffText(row.after)) : [],
      };
    }),
  );

  protected mark(line: SbDiffLine): string {
    return line.kind === 'removed' ? '−' : line.kind === 'added' ? '+' : '';
  }

  /** For screen readers, which do not see the colours. */
  protected spoken(line: SbDiffLine): string {
    return line.kind === 'removed' ? 'removed: ' : line.kind === 'added' ? 'added: ' : '';
  }
}
