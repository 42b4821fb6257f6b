import { DecimalPipe } from '@angular/common';
import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatTabsModule } from '@angular/material/tabs';
import type * as Monaco from 'monaco-editor';
import { DiffEditorComponent, DiffEditorModel, EditorComponent } from 'ngx-monaco-editor-v2';
import { catchError, debounceTime, EMPTY, map, switchMap } from 'rxjs';

import { PromptIssueDto, PromptsConfigDto, UpdatePromptsDto } from '../../../api/models';
import { PromptsService } from '../../../api/services';
import { SbDirtyAware } from '../../../core/guards';
import { SB_HANDLED_STATUSES, SbProblem } from '../../../core/problem';
import { SbThemeService } from '../../../core/theme';
import { SbDomainEditor } from '../../../shared/domain-editor';
import { SbFormActionsComponent } from '../../../shared/form-actions.component';
import { SbEnvLockComponent } from '../../../shared/env-lock.component';
import { SbInheritance } from '../../../shared/inheritance';
import { SbInheritNoteComponent } from '../../../shared/inherit-note.component';
import { SbLockedNoteComponent } from '../../../shared/locked-note.component';
import { SbStateComponent } from '../../../shared/state.component';
import { SbDirtyTabs } from '../dirty-tabs';
import { hasConflictMarks } from '../../../shared/line-merge';
import { PROMPT_MAX_LENGTH, PROMPT_WARN_LENGTH, promptValidator, SbPromptField } from './prompt-rules';

/** One issue to show under an editor and as its marker. */
export interface SbPromptMarker {
  field: SbPromptField;
  severity: 'error' | 'warning';
  message: string;
  offset: number;
  length: number;
  line?: number;
  column?: number;
}

export const PROMPT_TABS: readonly { field: SbPromptField; label: string; help: string }[] = [
  { field: 'system_prompt', label: 'System prompt', help: 'How the agent behaves in every conversation.' },
  { field: 'slide_editing_instructions', label: 'Slide editing instructions', help: 'Extra instructions when the user edits existing slides.' },
  { field: 'user_prompt_template', label: 'User template', help: 'Wraps each user message; must contain {question} and {max_slides}.' },
];

export function createPromptsForm() {
  return new FormGroup({
    system_prompt: new FormControl('', { nonNullable: true, validators: [promptValidator('system_prompt')] }),
    slide_editing_instructions: new FormControl('', { nonNullable: true, validators: [promptValidator('slide_editing_instructions')] }),
    user_prompt_template: new FormControl('', { nonNullable: true, validators: [promptValidator('user_prompt_template')] }),
  });
}

type MonacoGlobal = typeof Monaco;

/** The three prompts in Monaco editors (loaded with this tab only), with server validation as markers. */
@Component({
  selector: 'sb-prompts-tab',
  imports: [DecimalPipe, ReactiveFormsModule, MatButtonModule, MatTabsModule, DiffEditorComponent, EditorComponent, SbEnvLockComponent, SbFormActionsComponent, SbInheritNoteComponent, SbLockedNoteComponent, SbStateComponent],
  templateUrl: './prompts-tab.component.html',
  styleUrl: './prompts-tab.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:keydown.control.s)': 'saveShortcut($event)', '(window:keydown.meta.s)': 'saveShortcut($event)' },
})
export class SbPromptsTabComponent implements SbDirtyAware {
  readonly profileId = input.required({ transform: numberAttribute });

  private readonly api = inject(PromptsService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly theme = inject(SbThemeService);
  protected readonly tabs = PROMPT_TABS;
  protected readonly maxLength = PROMPT_MAX_LENGTH;
  protected readonly warnLength = PROMPT_WARN_LENGTH;

  readonly form = createPromptsForm();
  readonly editor = new SbDomainEditor<PromptsConfigDto, UpdatePromptsDto>({
    what: 'Prompts',
    domain: 'prompts',
    form: this.form,
    fields: PROMPT_TABS.map((tab) => ({ key: tab.field, label: tab.label, lines: true })),
    load: (profileId) => this.api.getPromptsConfig({ profile_id: profileId }),
    save: (profileId, body, ifMatch, context) => this.api.updatePromptsConfig({ profile_id: profileId, 'If-Match': ifMatch, body }, context),
    toForm: (dto) => ({
      system_prompt: dto.system_prompt,
      slide_editing_instructions: dto.slide_editing_instructions,
      user_prompt_template: dto.user_prompt_template,
    }),
    toBody: (value) => ({
      system_prompt: String(value['system_prompt']),
      slide_editing_instructions: String(value['slide_editing_instructions']),
      user_prompt_template: String(value['user_prompt_template']),
    }),
    onProblem: (problem) => this.showProblem(problem),
    held: () => this.inheritance.held(),
  });
  readonly inheritance: SbInheritance<PromptsConfigDto> = new SbInheritance(this.editor, 'prompts', this.profileId);

  protected readonly values = toSignal(this.form.valueChanges.pipe(map(() => this.form.getRawValue())), { initialValue: this.form.getRawValue() });
  /** Editors Monaco has drawn: until then (it downloads once, 4 MB) the box says it is loading. */
  protected readonly editorsReady = signal<ReadonlySet<SbPromptField>>(new Set());
  protected readonly markers = signal<readonly SbPromptMarker[]>([]);
  private readonly baseOptions = signal<Record<string, unknown>>({});
  /** The prompts shown read-only: all for viewers, else those the environment sets or inherited ones not overridden. */
  private readonly readOnly = computed(() =>
    PROMPT_TABS.filter((tab) => !this.editor.canEdit() || this.editor.locked().has(tab.field) || this.inheritance.held().has(tab.field))
      .map((tab) => tab.field)
      .join(','),
  );
  /**
   * Per prompt. New options re-create an editor (ngx-monaco-editor disposes it), so they change only
   * when the theme or the read-only set does, not each time the sources are asked again.
   */
  protected readonly editorOptions = computed(() => {
    const base = this.baseOptions();
    const readOnly = this.readOnly().split(',');
    const options = {} as Record<SbPromptField, Record<string, unknown>>;
    for (const tab of PROMPT_TABS) options[tab.field] = { ...base, readOnly: readOnly.includes(tab.field) };
    return options;
  });
  private readonly editors = new Map<SbPromptField, Monaco.editor.IStandaloneCodeEditor>();
  /** A prompt to focus once its editor is drawn (Override before Monaco has loaded). */
  private focusOnInit: SbPromptField | null = null;
  /** Where Override puts the focus: the prompt's editor, drawn again (writable) by then. */
  protected readonly focusTargets = Object.fromEntries(PROMPT_TABS.map((tab) => [tab.field, { focus: () => this.focusEditor(tab.field) }])) as Record<
    SbPromptField,
    { focus(): void }
  >;
  protected readonly mergeOptions = computed(() => ({
    ...this.baseOptions(),
    renderSideBySide: true,
    originalEditable: false,
    readOnly: false,
    ariaLabel: 'Merged prompt text',
    // Monaco's gutter buttons read stale line numbers when an edit shortens the text ("Illegal value for lineNumber").
    renderMarginRevertIcon: false,
    renderGutterMenu: false,
  }));
  /** One pair of models per marked text: new objects would make the diff editor start over at each keystroke. */
  private readonly mergeModels = new Map<string, { original: DiffEditorModel; modified: DiffEditorModel }>();

  constructor() {
    inject(SbDirtyTabs).track('prompts', this.editor.dirty);
    effect(() => {
      const id = this.profileId();
      untracked(() => this.editor.loadFor(id));
    });
    effect(() => {
      const dark = this.theme.theme() === 'dark' || (this.theme.theme() === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
      this.baseOptions.set({
        theme: dark ? 'vs-dark' : 'vs',
        language: 'markdown',
        wordWrap: 'on',
        minimap: { enabled: false },
        automaticLayout: true,
        ariaLabel: 'Prompt text',
      });
    });
    effect(() => this.applyMarkers(this.markers()));
    // Server validation while typing: exact positions for the markers.
    this.form.valueChanges
      .pipe(
        debounceTime(400),
        switchMap(() =>
          this.api
            .validatePrompts({ body: this.form.getRawValue() }, new HttpContext().set(SB_HANDLED_STATUSES, [400, 413, 422, 429]))
            .pipe(catchError(() => EMPTY)),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((result) => this.markers.set([...result.errors, ...result.warnings].map(fromIssue)));
  }

  hasUnsavedChanges(): boolean {
    return this.editor.dirty();
  }

  protected markersOf(field: SbPromptField): readonly SbPromptMarker[] {
    return this.markers().filter((marker) => marker.field === field);
  }

  protected onEditorInit(field: SbPromptField, instance: Monaco.editor.IStandaloneCodeEditor): void {
    this.editors.set(field, instance);
    this.editorsReady.update((ready) => new Set([...ready, field]));
    this.applyMarkers(this.markers());
    if (this.focusOnInit === field) {
      this.focusOnInit = null;
      instance.focus();
    }
  }

  private focusEditor(field: SbPromptField): void {
    const instance = this.editors.get(field);
    if (instance) instance.focus();
    else this.focusOnInit = field;
  }

  protected mergeModel(field: SbPromptField, theirs: string): { original: DiffEditorModel; modified: DiffEditorModel } {
    const key = `${field}\u0000${theirs}`;
    let models = this.mergeModels.get(key);
    if (!models) {
      models = { original: { code: theirs, language: 'markdown' }, modified: { code: this.form.controls[field].value, language: 'markdown' } };
      this.mergeModels.set(key, models);
    }
    return models;
  }

  /** What is typed on the merge's right side is the prompt's value; placeholders go there too meanwhile. */
  protected onMergeInit(field: SbPromptField, diff: Monaco.editor.IStandaloneDiffEditor): void {
    const modified = diff.getModifiedEditor();
    this.editors.set(field, modified); // the field's own editor is gone while the merge is shown
    modified.onDidChangeModelContent(() => {
      const control = this.form.controls[field];
      if (control.value !== modified.getValue()) {
        control.setValue(modified.getValue());
        control.markAsDirty();
      }
    });
  }

  /** Done merging: the field's own editor comes back (and registers itself again). */
  protected settle(field: SbPromptField): void {
    this.editors.delete(field);
    for (const key of [...this.mergeModels.keys()]) if (key.startsWith(`${field}\u0000`)) this.mergeModels.delete(key);
    this.editor.settled(field);
  }

  protected hasMarks(text: string): boolean {
    return hasConflictMarks(text);
  }

  /** Inserts a placeholder at the cursor of the field's editor. */
  protected insert(field: SbPromptField, placeholder: string): void {
    const instance = this.editors.get(field);
    if (!instance) {
      const control = this.form.controls[field];
      control.setValue(control.value + placeholder);
      return;
    }
    const selection = instance.getSelection();
    if (selection) instance.executeEdits('sb-placeholder', [{ range: selection, text: placeholder, forceMoveMarkers: true }]);
    instance.focus();
  }

  protected saveShortcut(event: Event): void {
    event.preventDefault();
    if (this.editor.canEdit() && this.editor.dirty()) this.editor.save();
  }

  private showProblem(problem: SbProblem): void {
    const markers = problem.fieldErrors
      .filter((error): error is typeof error & { field: SbPromptField } => PROMPT_TABS.some((tab) => tab.field === error.field))
      .map((error) => ({
        field: error.field,
        severity: 'error' as const,
        message: error.message,
        offset: error.offset ?? 0,
        length: error.length ?? 0,
        line: error.line,
        column: error.column,
      }));
    if (markers.length) this.markers.set(markers);
  }

  private applyMarkers(markers: readonly SbPromptMarker[]): void {
    const monaco = (window as unknown as { monaco?: MonacoGlobal }).monaco;
    if (!monaco) return;
    for (const [field, instance] of this.editors) {
      const model = instance.getModel();
      if (!model) continue;
      monaco.editor.setModelMarkers(
        model,
        'switchboard',
        markers
          .filter((marker) => marker.field === field)
          .map((marker) => {
            const start = model.getPositionAt(marker.offset);
            const end = model.getPositionAt(marker.offset + Math.max(marker.length, 1));
            return {
              severity: marker.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
              message: marker.message,
              startLineNumber: start.lineNumber,
              startColumn: start.column,
              endLineNumber: end.lineNumber,
              endColumn: end.column,
            };
          }),
      );
    }
  }
}

function fromIssue(issue: PromptIssueDto): SbPromptMarker {
  return { ...issue, field: issue.field };
}
