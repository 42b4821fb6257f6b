import { DecimalPipe } from '@angular/common';
import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, FormsModule, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTabsModule } from '@angular/material/tabs';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import type * as Monaco from 'monaco-editor';
import { DiffEditorComponent, DiffEditorModel, EditorComponent } from 'ngx-monaco-editor-v2';
import { catchError, debounceTime, EMPTY, filter, forkJoin, map, of, Subject, switchMap } from 'rxjs';

import { PromptVersionDto, RegistryPromptDetailDto, RenderedPromptDto, TemplateIssueDto } from '../../../api/models';
import { PromptRegistryService } from '../../../api/services';
import { SbAuthStore } from '../../../core/auth.store';
import { SbDirtyAware } from '../../../core/guards';
import { SbNotifier } from '../../../core/notifier';
import { SB_HANDLED_STATUSES, SbProblem } from '../../../core/problem';
import { SbThemeService } from '../../../core/theme';
import { confirmAction } from '../../../shared/confirm-dialog/confirm-dialog.component';
import { ifMatch } from '../../../shared/domain-editor';
import { SbItemInheritance } from '../../../shared/item-inheritance';
import { SbStateComponent } from '../../../shared/state.component';
import { SbLabelChipsComponent } from './label-chips.component';
import { SbMoveLabelDialogComponent, SbMoveLabelDialogData } from './move-label-dialog.component';
import { SbPromptOriginComponent } from './prompt-origin.component';
import { issuesOfProblem, setTemplateMarkers } from './template-markers';
import { SbWhenComponent } from '../../../shared/when';
import { count, SbCountPipe } from '../../../shared/count';

const VERSIONS_PAGE = 20;
const HANDLED = new HttpContext().set(SB_HANDLED_STATUSES, [409, 412, 413, 422]);

/**
 * One prompt of the registry: its versions with their labels, a Monaco editor for the next
 * version (the server's checks as markers while typing), Monaco's diff between any two versions,
 * moving a label (with the diff it makes), and a preview with a value per declared variable.
 */
@Component({
  selector: 'sb-prompt-page',
  imports: [
    SbCountPipe,
    SbWhenComponent,
    DecimalPipe,
    FormsModule,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTabsModule,
    MatTooltipModule,
    EditorComponent,
    DiffEditorComponent,
    SbLabelChipsComponent,
    SbPromptOriginComponent,
    SbStateComponent,
  ],
  templateUrl: './prompt-page.component.html',
  styleUrl: './prompt-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:keydown.control.s)': 'saveShortcut($event)', '(window:keydown.meta.s)': 'saveShortcut($event)' },
})
export class SbPromptPageComponent implements SbDirtyAware {
  readonly profileId = input.required({ transform: numberAttribute });
  readonly name = input.required<string>();

  private readonly api = inject(PromptRegistryService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  private readonly router = inject(Router);
  private readonly theme = inject(SbThemeService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(SbAuthStore);

  protected readonly state = signal<'loading' | 'ready' | 'missing' | 'error'>('loading');
  protected readonly prompt = signal<RegistryPromptDetailDto | null>(null);
  protected readonly versions = signal<PromptVersionDto[]>([]);
  protected readonly moreVersions = signal(false);
  /** The version each label points at, by version: `{3: ['production']}`. */
  protected readonly labelsAt = computed(() => {
    const at: Partial<Record<number, string[]>> = {};
    for (const [label, version] of Object.entries(this.prompt()?.labels ?? {})) (at[version] ??= []).push(label);
    return at;
  });
  /** Whether the prompt is the parent's (inherited), or the profile's own over the parent's of the same name. */
  private readonly inheritance = new SbItemInheritance(
    'prompt_registry',
    this.profileId,
    (parentId) => this.api.listPrompts({ id: parentId }).pipe(map((prompts) => prompts.map((prompt) => prompt.name))),
    () => this.load(),
  );
  protected readonly origin = computed(() => {
    const prompt = this.prompt();
    return prompt ? this.inheritance.of(prompt.name, prompt.inherited) : null;
  });
  /** The ancestor of an inherited prompt: it can be deleted there only. */
  protected readonly inheritedFrom = computed(() => {
    const origin = this.origin();
    return origin?.kind === 'inherited' ? origin.from : null;
  });
  /** The parent whose prompt of the same name this one overrides: Reset to inherited brings that one back. */
  protected readonly overrides = computed(() => {
    const origin = this.origin();
    return origin?.kind === 'overrides' ? origin.parent : null;
  });
  protected readonly versionNumbers = computed(() => Array.from({ length: this.prompt()?.latest_version ?? 0 }, (_, index) => (this.prompt()?.latest_version ?? 0) - index));

  // New version
  readonly draft = new FormGroup({
    template: new FormControl('', { nonNullable: true }),
    message: new FormControl('', { nonNullable: true }),
  });
  protected readonly draftText = toSignal(this.draft.controls.template.valueChanges, { initialValue: '' });
  /**
   * Whether the draft differs from the newest version. By text, not the form's dirty flag: Monaco
   * reports the text it is given as an edit, so a reloaded draft would look edited.
   */
  protected readonly draftChanged = computed(() => {
    const prompt = this.prompt();
    return !!prompt && this.draftText() !== prompt.latest.template;
  });
  protected readonly issues = signal<readonly TemplateIssueDto[]>([]);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);
  private editor: Monaco.editor.IStandaloneCodeEditor | undefined;
  protected readonly editorOptions = computed(() => ({
    theme: this.dark() ? 'vs-dark' : 'vs',
    language: 'markdown',
    wordWrap: 'on',
    minimap: { enabled: false },
    automaticLayout: true,
    ariaLabel: 'Template of the new version',
    readOnly: !this.auth.mayEdit(this.profileId()),
  }));

  // Compare
  protected readonly from = signal<number | null>(null);
  protected readonly to = signal<number | null>(null);
  protected readonly comparison = signal<{ original: DiffEditorModel; modified: DiffEditorModel; added: number; removed: number } | null>(null);
  protected readonly diffOptions = computed(() => ({ theme: this.dark() ? 'vs-dark' : 'vs', language: 'markdown', readOnly: true, renderSideBySide: true, automaticLayout: true, wordWrap: 'on' }));

  // Preview
  protected readonly previewVersion = signal<number | null>(null);
  protected readonly values = signal<Partial<Record<string, string>>>({});
  protected readonly rendered = signal<RenderedPromptDto | null>(null);
  protected readonly previewProblem = signal<SbProblem | null>(null);

  private readonly dark = computed(() => this.theme.theme() === 'dark' || (this.theme.theme() === 'system' && !!window.matchMedia?.('(prefers-color-scheme: dark)').matches));

  /** The selected tab: Versions, New version (editors only), Compare, Preview. */
  protected readonly tab = signal(0);
  /** The latest pair asked for wins: an older answer arriving late is dropped. */
  private readonly comparisons = new Subject<{ from: number; to: number }>();
  private readonly renders = new Subject<{ version: number | null; variables: Record<string, string> }>();

  constructor() {
    this.comparisons
      .pipe(
        switchMap(({ from, to }) => {
          const [id, name] = [this.profileId(), this.name()];
          return forkJoin([
            this.api.getPromptVersion({ id, name, version: from }),
            this.api.getPromptVersion({ id, name, version: to }),
            this.api.diffPromptVersions({ id, name, from, to }),
          ]).pipe(catchError(() => EMPTY));
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe(([older, newer, diff]) =>
        this.comparison.set({ original: { code: older.template, language: 'markdown' }, modified: { code: newer.template, language: 'markdown' }, added: diff.added, removed: diff.removed }),
      );
    this.renders
      .pipe(
        debounceTime(150),
        switchMap(({ version, variables }) =>
          this.api.renderPrompt({ id: this.profileId(), name: this.name(), body: { variables, ...(version !== null ? { version } : {}) } }, HANDLED).pipe(
            map((rendered) => ({ rendered, problem: null })),
            catchError((problem: unknown) => (problem instanceof SbProblem ? of({ rendered: null, problem }) : EMPTY)),
          ),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe(({ rendered, problem }) => {
        this.rendered.set(rendered);
        this.previewProblem.set(problem);
      });
    effect(() => {
      const [profileId, name] = [this.profileId(), this.name()];
      untracked(() => this.load(profileId, name));
    });
    effect(() => setTemplateMarkers(this.editor, this.issues()));
    // A refusal speaks of the text that was sent: an edit makes it old news.
    this.draft.controls.template.valueChanges.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => this.saveError.set(null));
    // The server's checks while typing, for the markers.
    this.draft.controls.template.valueChanges
      .pipe(
        debounceTime(400),
        switchMap((template) => this.api.validatePromptVersion({ id: this.profileId(), name: this.name(), body: { template } }, HANDLED).pipe(catchError(() => EMPTY))),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((result) => this.issues.set([...result.errors, ...result.warnings]));
  }

  hasUnsavedChanges(): boolean {
    return this.draftChanged();
  }

  /** The first load (and a retry) shows the loading state; a refresh keeps the page, its tab and the draft. */
  protected load(profileId = this.profileId(), name = this.name(), options: { afterSave?: boolean } = {}): void {
    const refresh = this.state() === 'ready' && this.prompt()?.name === name;
    if (!refresh) this.state.set('loading');
    this.inheritance.load(profileId);
    forkJoin([this.api.getPrompt({ id: profileId, name }, new HttpContext().set(SB_HANDLED_STATUSES, [404])), this.api.listPromptVersions({ id: profileId, name, limit: VERSIONS_PAGE })])
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ([prompt, versions]) => {
          this.show(prompt, versions, !refresh || !!options.afterSave);
          this.state.set('ready');
        },
        error: (problem: unknown) => {
          if (refresh && !(problem instanceof SbProblem && problem.status === 404)) return; // the page stays as it was; the interceptor said why
          this.state.set(problem instanceof SbProblem && problem.status === 404 ? 'missing' : 'error');
        },
      });
  }

  protected loadMoreVersions(): void {
    this.api
      .listPromptVersions({ id: this.profileId(), name: this.name(), limit: VERSIONS_PAGE, offset: this.versions().length })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((more) => {
        this.versions.update((versions) => [...versions, ...more]);
        this.moreVersions.set(this.versions().length < (this.prompt()?.latest_version ?? 0));
      });
  }

  protected onEditorInit(instance: Monaco.editor.IStandaloneCodeEditor): void {
    this.editor = instance;
    setTemplateMarkers(instance, this.issues());
  }

  protected saveShortcut(event: Event): void {
    if (!this.draftChanged() || !this.auth.mayEdit(this.profileId())) return;
    event.preventDefault();
    this.saveVersion();
  }

  protected saveVersion(): void {
    const prompt = this.prompt();
    if (!prompt || this.saving()) return;
    this.saving.set(true);
    this.saveError.set(null);
    const { template, message } = this.draft.getRawValue();
    this.api
      .createPromptVersion({ id: this.profileId(), name: prompt.name, 'If-Match': ifMatch(prompt.latest_version), body: { template, message: message.trim() } }, HANDLED)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (version) => {
          this.saving.set(false);
          this.notifier.success(`Version ${version.version} of “${prompt.name}” saved${ownNow(prompt)}.`);
          this.load(this.profileId(), this.name(), { afterSave: true });
        },
        error: (problem: unknown) => {
          this.saving.set(false);
          if (!(problem instanceof SbProblem)) return;
          if (problem.status === 412) {
            this.saveError.set(`Someone saved a newer version meanwhile. Copy your text, reload the prompt, and compare before saving again.`);
          } else {
            const issues = issuesOfProblem(problem.fieldErrors);
            if (issues.length) this.issues.set(issues);
            this.saveError.set(problem.message);
          }
        },
      });
  }

  protected discardDraft(): void {
    const prompt = this.prompt();
    if (!prompt) return;
    this.draft.reset({ template: prompt.latest.template, message: '' });
  }

  /** `show`: from a version's row, which then opens the Compare tab. */
  protected compare(from: number | null = this.from(), to: number | null = this.to(), show = false): void {
    this.from.set(from);
    this.to.set(to);
    if (show) this.tab.set(this.auth.mayEdit(this.profileId()) ? 2 : 1);
    if (from !== null && to !== null) this.comparisons.next({ from, to });
  }

  protected moveLabel(version: number): void {
    const prompt = this.prompt();
    if (!prompt) return;
    this.dialog
      .open<SbMoveLabelDialogComponent, SbMoveLabelDialogData, RegistryPromptDetailDto>(SbMoveLabelDialogComponent, {
        data: { profileId: this.profileId(), prompt, version },
        width: '760px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(filter((updated): updated is RegistryPromptDetailDto => !!updated))
      .subscribe((updated) => {
        this.prompt.set(updated);
        this.inheritance.load();
        this.notifier.success(`Labels of “${updated.name}” updated${ownNow(prompt)}; agents get the change at once.`);
      });
  }

  protected removeLabel(label: string): void {
    const prompt = this.prompt();
    if (!prompt) return;
    confirmAction(this.dialog, {
      title: `Remove the label “${label}”?`,
      message: label === 'production' ? 'Agents that ask for production then get the newest version.' : 'Agents that ask for this label then get 404.',
      confirm: 'Remove',
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.api.deletePromptLabel({ id: this.profileId(), name: prompt.name, label })),
      )
      .subscribe(() => {
        this.notifier.success(`Label “${label}” removed${ownNow(prompt)}.`);
        this.load();
      });
  }

  protected deletePrompt(): void {
    const prompt = this.prompt();
    if (!prompt) return;
    confirmAction(this.dialog, {
      title: `Delete “${prompt.name}”?`,
      message: `Its ${count(prompt.latest_version, 'version')} and labels go; agents asking for it get 404. The history keeps every version and can recreate it.`,
      confirm: 'Delete',
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.api.deletePrompt({ id: this.profileId(), name: prompt.name })),
      )
      .subscribe(() => {
        this.draft.reset({ template: prompt.latest.template, message: '' });
        this.notifier.success(`Prompt “${prompt.name}” deleted.`);
        void this.router.navigate(['/profiles', this.profileId(), 'prompt-library']);
      });
  }

  /** Reset to inherited: deleting the profile's own prompt brings the parent's of the same name back, shown here. */
  protected resetPrompt(parent: string): void {
    const prompt = this.prompt();
    if (!prompt) return;
    confirmAction(this.dialog, {
      title: `Reset “${prompt.name}” to inherited?`,
      message: `This profile’s own ${count(prompt.latest_version, 'version')} and labels go: the prompt of “${parent}” takes its place, and follows that profile again. The history keeps every version.`,
      confirm: 'Reset to inherited',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.api.deletePrompt({ id: this.profileId(), name: prompt.name })),
      )
      .subscribe(() => {
        this.notifier.success(`Prompt “${prompt.name}” inherits from “${parent}” again.`);
        this.load(this.profileId(), this.name(), { afterSave: true });
      });
  }

  protected setValue(variable: string, value: string): void {
    this.values.update((values) => ({ ...values, [variable]: value }));
    this.render();
  }

  protected render(version: number | null = this.previewVersion()): void {
    this.previewVersion.set(version);
    this.renders.next({ version, variables: this.filledValues() });
  }

  /** The values typed; an empty field is no value (an optional one renders empty, a required one is asked for). */
  private filledValues(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.values()).filter((entry): entry is [string, string] => !!entry[1]));
  }

  protected previewError(variable: string): string | undefined {
    return this.previewProblem()?.messageFor(`variables.${variable}`);
  }

  /** `resetDraft`: on the first load and after one's own save; otherwise a draft being written stays. */
  private show(prompt: RegistryPromptDetailDto, versions: PromptVersionDto[], resetDraft: boolean): void {
    const newer = prompt.latest_version !== this.prompt()?.latest_version;
    const keepDraft = !resetDraft && this.draftChanged();
    this.prompt.set(prompt);
    this.versions.set(versions);
    this.moreVersions.set(versions.length < prompt.latest_version);
    if (!keepDraft) {
      this.draft.reset({ template: prompt.latest.template, message: '' });
      this.issues.set(prompt.warnings);
      this.saveError.set(null);
    }
    const latest = prompt.latest_version;
    // A new version (or the first load) shows what it changed; otherwise the chosen pair stays.
    if (newer) this.compare(Math.max(1, latest - 1), latest);
    else this.compare();
    // The values typed stay while the variables do; new variables start from their samples.
    const typed = this.values();
    this.values.set(Object.fromEntries(prompt.variables.map((variable) => [variable.name, typed[variable.name] ?? variable.sample ?? ''])));
    this.render(this.previewVersion() ?? prompt.labels['production'] ?? latest);
  }
}

/** What a success message adds when a change made an inherited prompt the profile's own. */
function ownNow(before: RegistryPromptDetailDto): string {
  return before.inherited ? ': the prompt is this profile’s own now' : '';
}
