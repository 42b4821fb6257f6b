import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { FormlyFieldConfig, FormlyForm } from '@ngx-formly/core';
import { EditorComponent } from 'ngx-monaco-editor-v2';
import { debounceTime, EMPTY, map, Observable, switchMap } from 'rxjs';

import metaSchema from 'ajv/dist/refs/json-schema-draft-07.json';

import { DomainDto } from '../../api/models';
import { DomainsService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { errorMessage } from '../../core/form-errors';
import { SbDirtyAware } from '../../core/guards';
import { SbNotifier } from '../../core/notifier';
import { SB_HANDLED_STATUSES, SbProblem } from '../../core/problem';
import { SbThemeService } from '../../core/theme';
import { lineText } from '../../core/validators';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { SbSchemaForms } from '../../shared/schema-form/schema-form';
import { SbStateComponent } from '../../shared/state.component';
import { count } from '../../shared/count';

const NAME = /^[a-z][a-z0-9_]{1,62}$/;
const STARTER_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { title: 'Enabled', type: 'boolean', default: true },
    ttl_seconds: { title: 'TTL (seconds)', type: 'integer', minimum: 1, maximum: 86400, default: 600 },
  },
};

interface JsonDefaults {
  setDiagnosticsOptions(options: Record<string, unknown>): void;
}
/** The part of the global `monaco` (its AMD build, loaded at run time) this page uses. */
interface MonacoJson {
  json?: { jsonDefaults?: JsonDefaults };
  languages?: { json?: { jsonDefaults?: JsonDefaults } };
}

/** What the preview shows: the form the schema makes, or why it cannot make one. */
type Preview = { fields: FormlyFieldConfig[]; error: null } | { fields: null; error: string };

/**
 * Registers a domain (`/domains/new`) or changes one (`/domains/<name>`): its title, description
 * and JSON Schema, edited in Monaco beside a live preview of the form profiles will get. The
 * server checks the schema (and that no stored value breaks it); its 422 lists each problem.
 * Built-in domains are shown read-only.
 */
@Component({
  selector: 'sb-domain-editor-page',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, RouterLink, EditorComponent, FormlyForm, SbStateComponent],
  templateUrl: './domain-editor-page.component.html',
  styleUrl: './domain-editor-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:keydown.control.s)': 'saveShortcut($event)', '(window:keydown.meta.s)': 'saveShortcut($event)' },
})
export class SbDomainEditorPageComponent implements SbDirtyAware {
  readonly name = input.required<string>();

  protected readonly auth = inject(SbAuthStore);
  private readonly api = inject(DomainsService);
  private readonly schemaForms = inject(SbSchemaForms);
  private readonly notifier = inject(SbNotifier);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly theme = inject(SbThemeService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly errorMessage = errorMessage;

  protected readonly isNew = computed(() => this.name() === 'new');
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly saved = signal<DomainDto | null>(null);
  protected readonly busy = signal(false);
  /** The server's objections to the last save (JSON Pointers into the schema, or fields of the request). */
  protected readonly problems = signal<readonly { field: string; message: string }[]>([]);
  protected readonly editable = computed(() => this.auth.isAdmin() && !this.saved()?.built_in);

  readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.pattern(NAME)] }),
    title: new FormControl('', { nonNullable: true, validators: lineText(200) }),
    description: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(2000)] }),
    schema: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
  private baseline = '';
  private readonly formValue = toSignal(this.form.valueChanges.pipe(map(() => this.form.getRawValue())), { initialValue: this.form.getRawValue() });
  protected readonly dirty = computed(() => this.state() === 'ready' && JSON.stringify(this.formValue()) !== this.baseline);

  /** The preview follows the text a moment after typing stops. */
  protected readonly preview = toSignal(
    this.form.controls.schema.valueChanges.pipe(
      debounceTime(300),
      map((text) => this.previewOf(text)),
    ),
    { initialValue: { fields: [], error: null } as Preview },
  );
  protected readonly previewForm = new FormGroup({});
  protected previewModel: Record<string, unknown> = {};

  protected readonly editorOptions = computed(() => {
    const dark = this.theme.theme() === 'dark' || (this.theme.theme() === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
    return {
      theme: dark ? 'vs-dark' : 'vs',
      language: 'json',
      minimap: { enabled: false },
      automaticLayout: true,
      tabSize: 2,
      readOnly: !this.editable(),
      ariaLabel: 'JSON Schema of the values',
    };
  });

  constructor() {
    effect(() => {
      const name = this.name();
      untracked(() => this.load(name));
    });
  }

  /**
   * Monaco marks what is not JSON Schema as the author types (an unknown type, a misspelt keyword's
   * value): it knows the draft-07 meta-schema, whose keywords 2020-12 keeps. The server's check,
   * against draft 2020-12 itself, decides.
   */
  protected editorReady(): void {
    const monaco = (window as unknown as { monaco?: MonacoJson }).monaco;
    const json = monaco?.json?.jsonDefaults ?? monaco?.languages?.json?.jsonDefaults;
    json?.setDiagnosticsOptions({
      validate: true,
      allowComments: false,
      enableSchemaRequest: false,
      schemas: [{ uri: 'https://switchboard.invalid/domain-schema-meta.json', fileMatch: ['*'], schema: metaSchema }],
    });
  }

  protected load(name = this.name()): void {
    this.problems.set([]);
    if (name === 'new') {
      this.saved.set(null);
      this.reset({ name: '', title: '', description: '', schema: JSON.stringify(STARTER_SCHEMA, null, 2) });
      this.state.set('ready');
      return;
    }
    this.state.set('loading');
    this.api.getDomain({ name }).subscribe({
      next: (domain) => {
        this.saved.set(domain);
        this.reset({ name: domain.name, title: domain.title, description: domain.description ?? '', schema: JSON.stringify(domain.schema, null, 2) });
        this.state.set('ready');
      },
      error: () => this.state.set('error'),
    });
  }

  hasUnsavedChanges(): boolean {
    return this.dirty();
  }

  protected saveShortcut(event: Event): void {
    event.preventDefault();
    if (this.editable() && this.dirty() && !this.busy()) this.save();
  }

  protected save(): void {
    this.form.markAllAsTouched();
    let schema: Record<string, unknown>;
    try {
      schema = JSON.parse(this.form.controls.schema.value) as Record<string, unknown>;
    } catch (error) {
      this.problems.set([{ field: 'schema', message: `is not valid JSON: ${(error as Error).message}` }]);
      return;
    }
    if (this.form.invalid) return;
    const { name, title, description } = this.form.getRawValue();
    const context = new HttpContext().set(SB_HANDLED_STATUSES, [409, 412, 422]);
    const saved = this.saved();
    const request: Observable<DomainDto> = saved
      ? this.api.updateDomain({ name: saved.name, 'If-Match': `"v${saved.version}"`, body: { title: title.trim(), description: description.trim() || null, schema } }, context)
      : this.api.createDomain({ body: { name, title: title.trim(), description: description.trim() || null, schema } }, context);
    this.busy.set(true);
    this.problems.set([]);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (domain) => {
        this.busy.set(false);
        this.saved.set(domain);
        this.reset({ name: domain.name, title: domain.title, description: domain.description ?? '', schema: JSON.stringify(domain.schema, null, 2) });
        this.notifier.success(`Domain "${domain.title}" saved (version ${domain.version}).`);
        if (!saved) void this.router.navigate(['/domains', domain.name], { replaceUrl: true });
      },
      error: (problem: unknown) => {
        this.busy.set(false);
        if (!(problem instanceof SbProblem)) return;
        if (problem.status === 412) {
          this.problems.set([{ field: 'domain', message: 'was changed by someone else since you opened it: reload to see their version (your text stays in the editor until then).' }]);
          return;
        }
        this.problems.set(problem.fieldErrors.length ? problem.fieldErrors : [{ field: 'domain', message: problem.detail || problem.title }]);
        const nameError = problem.fieldErrors.find((error) => error.field === 'name');
        if (nameError) this.form.controls.name.setErrors({ server: nameError.message });
      },
    });
  }

  protected cancel(): void {
    this.load();
  }

  /** Deleting a domain profiles hold values of deletes those values too, after a second question. */
  protected remove(): void {
    const domain = this.saved();
    if (!domain) return;
    const withValues = (domain.profiles_with_values ?? 0) > 0;
    confirmAction(this.dialog, {
      title: `Delete domain "${domain.title}"?`,
      message: withValues
        ? `${count(domain.profiles_with_values ?? 0, 'profile')} hold${domain.profiles_with_values === 1 ? 's' : ''} values of it. Deleting it deletes those values too (each deletion is kept in the history).`
        : 'No profile holds values of it.',
      confirm: 'Delete',
      danger: true,
    })
      .pipe(
        switchMap((confirmed) => (confirmed ? this.api.deleteDomain({ name: domain.name, delete_values: withValues }) : EMPTY)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.baseline = JSON.stringify(this.form.getRawValue());
          this.notifier.success(`Domain "${domain.title}" deleted.`);
          void this.router.navigate(['/domains']);
        },
        error: () => undefined,
      });
  }

  private reset(value: { name: string; title: string; description: string; schema: string }): void {
    this.form.reset(value);
    if (this.isNew() && this.auth.isAdmin()) this.form.controls.name.enable();
    else this.form.controls.name.disable();
    for (const control of [this.form.controls.title, this.form.controls.description]) {
      if (this.editable() || this.isNew()) control.enable();
      else control.disable();
    }
    this.baseline = JSON.stringify(this.form.getRawValue());
    this.form.controls.schema.setValue(value.schema); // the preview follows
  }

  private previewOf(text: string): Preview {
    try {
      const schema = JSON.parse(text) as Record<string, unknown>;
      this.previewModel = {};
      return { fields: this.schemaForms.fields(schema), error: null };
    } catch (error) {
      return { fields: null, error: (error as Error).message };
    }
  }
}
