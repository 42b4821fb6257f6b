import { ChangeDetectionStrategy, Component, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';
import { FormlyFieldConfig, FormlyForm, FormlyFormOptions } from '@ngx-formly/core';

import { DomainDto, DomainValuesDto, PutDomainValuesDto } from '../../../api/models';
import { DomainsService } from '../../../api/services';
import { SbDirtyAware } from '../../../core/guards';
import { SbDomainEditor } from '../../../shared/domain-editor';
import { SbFormActionsComponent } from '../../../shared/form-actions.component';
import { SbInheritance } from '../../../shared/inheritance';
import { SbLockedNoteComponent } from '../../../shared/locked-note.component';
import { SbSchemaFormState } from '../../../shared/schema-form/inherit.wrapper';
import { SbSchemaForms } from '../../../shared/schema-form/schema-form';
import { SbStateComponent } from '../../../shared/state.component';
import { SbDirtyTabs } from '../dirty-tabs';

type Values = Record<string, unknown>;

/**
 * A registered domain's values for one profile, in a form generated from its JSON Schema. The
 * same editor as the built-in tabs: dirty tracking, Save/Cancel/Apply, the 412 screen, 422 errors
 * on their fields (by JSON Pointer) and fields the environment sets locked. On a profile with a
 * parent, top-level keys are inherited or overridden one by one, as on the built-in tabs.
 */
@Component({
  selector: 'sb-custom-domain-tab',
  imports: [ReactiveFormsModule, FormlyForm, SbFormActionsComponent, SbLockedNoteComponent, SbStateComponent],
  template: `
    @if (domainState() === 'error') {
      <sb-state kind="error" [message]="'The domain ' + name() + ' could not be loaded.'" (retry)="load()" />
    } @else {
      @switch (editor.state()) {
        @case ('loading') {
          <sb-state kind="loading" message="Loading values…" />
        }
        @case ('error') {
          <sb-state kind="error" message="The values could not be loaded." (retry)="editor.retry()" />
        }
        @default {
          <form [formGroup]="form" class="sb-form" (ngSubmit)="editor.save()" [attr.aria-label]="domain()?.title" data-testid="schema-form">
            <sb-locked-note [locked]="editor.locked()" />
            @if (domain()?.description; as description) {
              <p class="sb-domain-description">{{ description }}</p>
            }
            <formly-form [form]="form" [fields]="fields()" [model]="model()" [options]="formOptions" />
            @if (editor.canEdit()) {
              <sb-form-actions
                [dirty]="editor.dirty()"
                [invalid]="editor.invalid()"
                [busy]="editor.busy()"
                [remote]="editor.remote()"
          [delivery]="editor.delivery()"
                (save)="editor.save()"
                (cancel)="editor.cancel()"
                (apply)="editor.apply()"
                (showTheirs)="editor.showTheirs()"
                (dismissRemote)="editor.dismissRemote()"
              />
            }
          </form>
        }
      }
    }
  `,
  styles: `
    .sb-domain-description { margin: 0 0 16px; color: var(--mat-sys-on-surface-variant); max-width: 900px; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:keydown.control.s)': 'saveShortcut($event)', '(window:keydown.meta.s)': 'saveShortcut($event)' },
})
export class SbCustomDomainTabComponent implements SbDirtyAware {
  readonly profileId = input.required({ transform: numberAttribute });
  readonly name = input.required<string>();
  private readonly api = inject(DomainsService);
  private readonly schemaForms = inject(SbSchemaForms);

  protected readonly domain = signal<DomainDto | null>(null);
  protected readonly domainState = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly fields = signal<FormlyFieldConfig[]>([]);
  /** What formly edits in place; a new object on every load and save. */
  protected readonly model = signal<Values>({});

  readonly form = new FormGroup({});
  readonly editor = new SbDomainEditor<DomainValuesDto, PutDomainValuesDto>({
    what: 'the values',
    domain: '',
    form: this.form,
    fields: [],
    model: { set: (value) => this.model.set(structuredClone(value)), get: () => this.model() },
    load: (profileId) => this.api.getDomainValues({ name: this.name(), profile_id: profileId }),
    save: (profileId, body, ifMatch, context) => this.api.putDomainValues({ name: this.name(), profile_id: profileId, 'If-Match': ifMatch, body }, context),
    toForm: (dto) => dto.values,
    toBody: (value) => ({ values: JSON.parse(JSON.stringify(value)) as Values }),
    held: () => this.inheritance.held(),
  });
  /** By top-level key; the form's state hands it to each top-level field's note (SbSchemaInheritWrapper). */
  readonly inheritance: SbInheritance<DomainValuesDto> = new SbInheritance(this.editor, () => this.name(), this.profileId);
  protected readonly formOptions: FormlyFormOptions = { formState: { inheritance: this.inheritance } satisfies SbSchemaFormState };

  constructor() {
    inject(SbDirtyTabs).track(() => `domains/${this.name()}`, this.editor.dirty);
    effect(() => {
      this.name();
      this.profileId();
      untracked(() => this.load());
    });
    // formly makes the controls after the editor has locked what it saw: formly's own `disabled` keeps them locked
    // (inherited keys too, until Override).
    effect(() => {
      const locked = this.editor.locked();
      const held = this.inheritance.held();
      const canEdit = this.editor.canEdit();
      for (const field of this.fields()[0]?.fieldGroup ?? []) {
        const key = String(field.key);
        field.props!.disabled = !canEdit || locked.has(key) || held.has(key);
      }
    });
  }

  /** The schema first (it makes the form), then the profile's values. */
  protected load(): void {
    const name = this.name();
    this.domainState.set('loading');
    this.api.getDomain({ name }).subscribe({
      next: (domain) => {
        this.domain.set(domain);
        try {
          this.fields.set(this.schemaForms.withInheritance(this.schemaForms.fields(domain.schema)));
        } catch {
          this.domainState.set('error');
          return;
        }
        this.editor.configure({ what: domain.title, domain: name, fields: topLevelFields(domain.schema) });
        this.domainState.set('ready');
        this.editor.loadFor(this.profileId());
      },
      error: () => this.domainState.set('error'),
    });
  }

  hasUnsavedChanges(): boolean {
    return this.editor.dirty();
  }

  protected saveShortcut(event: Event): void {
    event.preventDefault();
    if (this.editor.canEdit() && this.editor.dirty()) this.editor.save();
  }
}

/** The conflict screen compares the top-level fields, titled as the schema titles them. */
function topLevelFields(schema: Values): { key: string; label: string }[] {
  const properties = (schema['properties'] ?? {}) as Record<string, { title?: string }>;
  return Object.entries(properties).map(([key, property]) => ({ key, label: property.title ?? key }));
}
