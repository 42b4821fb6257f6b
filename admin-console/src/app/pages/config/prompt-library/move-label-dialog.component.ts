import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Subscription } from 'rxjs';

import { PromptDiffDto, RegistryPromptDetailDto } from '../../../api/models';
import { PromptRegistryService } from '../../../api/services';
import { SB_HANDLED_STATUSES, SbProblem } from '../../../core/problem';
import { SbStateComponent } from '../../../shared/state.component';
import { SbCountPipe } from '../../../shared/count';

export interface SbMoveLabelDialogData {
  profileId: number;
  prompt: RegistryPromptDetailDto;
  /** The version the label is to point at. */
  version: number;
}

export const LABEL_PATTERN = /^[a-z][a-z0-9_-]{0,49}$/;
const NEW_LABEL = '__new__';

/**
 * Points a label at a version, after showing what that changes for agents: the line diff from the
 * version the label leaves (or from the newest version, which agents get while it is unset).
 */
@Component({
  selector: 'sb-move-label-dialog',
  imports: [FormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatSelectModule, SbCountPipe, SbStateComponent],
  template: `
    <h2 mat-dialog-title>Point a label of “{{ data.prompt.name }}” at version {{ data.version }}</h2>
    <mat-dialog-content class="sb-dialog-form">
      <mat-form-field class="sb-label-field">
        <mat-label>Label</mat-label>
        <mat-select [ngModel]="choice()" (ngModelChange)="choose($event)" data-testid="label-choice">
          @for (option of options; track option) {
            <mat-option [value]="option">
              {{ option }}{{ data.prompt.labels[option] !== undefined ? ' (now v' + data.prompt.labels[option] + ')' : '' }}
            </mat-option>
          }
          <mat-option [value]="newLabel">Another label…</mat-option>
        </mat-select>
      </mat-form-field>
      @if (choice() === newLabel) {
        <mat-form-field>
          <mat-label>New label</mat-label>
          <input matInput [ngModel]="typed()" (ngModelChange)="typed.set($event)" autocomplete="off" data-testid="label-new" />
          <mat-hint>a-z, 0-9, _ and -, starting with a letter</mat-hint>
        </mat-form-field>
      }
      @if (label(); as label) {
        @if (leaves() === data.version) {
          <p role="status" data-testid="label-unchanged">“{{ label }}” already points at version {{ data.version }}.</p>
        } @else {
          <p role="status" data-testid="label-summary">
            “{{ label }}” moves from {{ leaves() === null ? 'nowhere (agents asking for it get 404 today)' : 'version ' + leaves() }} to version {{ data.version }}.
            @if (label === 'production') {
              Agents that name no label get version {{ data.version }} at once{{ leaves() === null ? ' instead of the newest' : '' }}.
            }
          </p>
          @switch (diffState()) {
            @case ('loading') {
              <sb-state kind="loading" message="Loading the difference…" />
            }
            @case ('error') {
              <sb-state kind="error" message="The difference could not be loaded." (retry)="loadDiff()" />
            }
            @default {
              @if (diff(); as diff) {
                <p class="sb-help">Version {{ diff.from }} → {{ diff.to }}: {{ diff.added | sbCount: 'line' }} added, {{ diff.removed }} removed.</p>
                <pre class="sb-label-diff sb-mono" aria-label="Difference between the versions" data-testid="label-diff">@for (line of diff.lines; track $index) {<span [class]="'sb-label-diff__' + line.op">{{ line.op === 'added' ? '+ ' : line.op === 'removed' ? '− ' : '  ' }}{{ line.text }}
</span>}</pre>
              }
            }
          }
        }
      } @else if (typed()) {
        <p class="sb-error-text" role="alert">“{{ typed() }}” is not a label name.</p>
      }
      @if (error(); as error) {
        <p class="sb-error-text" role="alert">{{ error }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" (click)="confirm()" [disabled]="!label() || leaves() === data.version || busy()" data-testid="label-confirm">
        Move {{ label() ?? 'label' }} to v{{ data.version }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .sb-label-field { width: min(360px, 100%); }
    .sb-label-diff { max-height: 320px; overflow: auto; margin: 0; padding: 8px; border: 1px solid var(--mat-sys-outline-variant); white-space: pre-wrap; }
    .sb-label-diff__added { background: color-mix(in srgb, var(--mat-sys-primary) 14%, transparent); display: block; }
    .sb-label-diff__removed { background: color-mix(in srgb, var(--mat-sys-error) 14%, transparent); display: block; }
    .sb-label-diff__equal { display: block; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbMoveLabelDialogComponent {
  protected readonly data = inject<SbMoveLabelDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SbMoveLabelDialogComponent, RegistryPromptDetailDto>>(MatDialogRef);
  private readonly api = inject(PromptRegistryService);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly newLabel = NEW_LABEL;
  protected readonly options = [...new Set(['production', 'staging', ...Object.keys(this.data.prompt.labels)])];
  protected readonly choice = signal<string>('production');
  protected readonly typed = signal('');
  protected readonly label = computed(() => {
    const label = this.choice() === NEW_LABEL ? this.typed().trim() : this.choice();
    return LABEL_PATTERN.test(label) && label !== 'latest' ? label : null;
  });
  /** The version the label points at now (null: unset). */
  protected readonly leaves = computed(() => {
    const label = this.label();
    return label === null ? null : (this.data.prompt.labels[label] ?? null);
  });
  protected readonly diff = signal<PromptDiffDto | null>(null);
  protected readonly diffState = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private diffCall: Subscription | undefined;

  constructor() {
    // The diff follows the version the chosen (or typed) label leaves.
    effect(() => {
      this.leaves();
      untracked(() => this.loadDiff());
    });
  }

  protected choose(choice: string): void {
    this.choice.set(choice);
  }

  /** From the version the label leaves; an unset production label leaves the newest version. */
  protected loadDiff(): void {
    const from = this.leaves() ?? this.data.prompt.latest_version;
    this.diffCall?.unsubscribe();
    this.diffState.set('loading');
    this.diffCall = this.api
      .diffPromptVersions({ id: this.data.profileId, name: this.data.prompt.name, from, to: this.data.version })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (diff) => {
          this.diff.set(diff);
          this.diffState.set('ready');
        },
        error: () => this.diffState.set('error'),
      });
  }

  protected confirm(): void {
    const label = this.label();
    if (!label || this.busy()) return;
    this.busy.set(true);
    this.api
      .setPromptLabel({ id: this.data.profileId, name: this.data.prompt.name, label, body: { version: this.data.version } }, new HttpContext().set(SB_HANDLED_STATUSES, [404, 422]))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => this.dialogRef.close(updated),
        error: (problem: unknown) => {
          this.busy.set(false);
          if (problem instanceof SbProblem) this.error.set(problem.message);
        },
      });
  }
}
