import { afterNextRender, computed, DestroyRef, effect, inject, Injector, linkedSignal, Signal, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';

import { ProfilesService } from '../api/services';
import { SbNotifier } from '../core/notifier';
import { SbProblem } from '../core/problem';
import { SbProfileStore } from '../core/profile.store';
import { SbDomainEditor, SbVersioned } from './domain-editor';
import { SbResolvedSources } from './env-source';

/** The built-in one-row domains a child profile inherits field by field. */
const BUILT_IN = ['ai_infra', 'mlflow', 'prompts'] as const;

/** A domain a child profile inherits field by field: a built-in one, or a registered domain by name (by top-level key). */
export type SbInheritingDomain = (typeof BUILT_IN)[number] | (string & {});

/** What a form says under one field of a profile that has a parent (nothing for a profile without one). */
export type SbFieldInheritance =
  /** The value is the ancestor's; `held`: still locked until the user chooses Override. */
  | { kind: 'inherited'; from: string; held: boolean }
  /** The profile's own value, in place of what `parent` would give. */
  | { kind: 'overridden'; parent: string };

/** What a field's note needs of a tab's inheritance (any domain's). */
export interface SbFieldInheritanceSource {
  of(field: string): SbFieldInheritance | null;
  release(field: string, focus?: { focus(): void }): void;
  reset(field: string, label: string): void;
  readonly canEdit: Signal<boolean>;
  readonly dirty: Signal<boolean>;
  readonly resetting: Signal<string | null>;
}

/** A registered domain's row also lists what it holds (`values`: its own keys and the inherited ones). */
type SbInheritingRow = SbVersioned & { inherited: string[]; values?: Record<string, unknown> };

/**
 * Inheritance on a domain tab: which fields of the row are taken from the parent (`inherited`),
 * where from (the resolved sources name the ancestor, `profile:<name>`), Override (the field
 * unlocks; saving a different value makes it the profile's own) and Reset to inherited.
 * Create it in a field initialiser after the editor, and give the editor `held`.
 */
export class SbInheritance<TDto extends SbInheritingRow> implements SbFieldInheritanceSource {
  private readonly api = inject(ProfilesService);
  private readonly store = inject(SbProfileStore);
  private readonly sources = inject(SbResolvedSources);
  private readonly notifier = inject(SbNotifier);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  /** Fields the stored row takes from the parent. */
  readonly inherited = computed(() => new Set(this.editor.saved()?.inherited ?? []), { equal: sameSet });
  /** Inherited fields the user chose to edit; every row shown (load, save, cancel) locks them again. */
  private readonly released = linkedSignal<TDto | null, ReadonlySet<string>>({ source: () => this.editor.saved(), computation: () => new Set() });
  /** Inherited fields still locked. */
  readonly held = computed<ReadonlySet<string>>(() => new Set([...this.inherited()].filter((field) => !this.released().has(field))), { equal: sameSet });
  readonly canEdit = computed(() => this.editor.canEdit());
  readonly dirty = computed(() => this.editor.dirty());
  /** The field whose reset is on its way. */
  readonly resetting = signal<string | null>(null);

  private readonly listed = computed(() => this.store.profiles()?.find((profile) => profile.id === this.profileId()) ?? null);
  private readonly parentId = computed(() => this.listed()?.parent_profile_id ?? null);
  private readonly parentName = computed(() => {
    const id = this.parentId();
    return id === null ? null : (this.store.profiles()?.find((profile) => profile.id === id)?.name ?? `profile ${id}`);
  });
  /** Whether the profile has a parent: the profile list says so, or the row takes fields from one. */
  private readonly hasParent = computed(() => this.parentId() !== null || this.inherited().size > 0);

  constructor(
    private readonly editor: SbDomainEditor<TDto, unknown>,
    /** The domain, or (a registered domain's tab) a function naming it. */
    private readonly domainOf: SbInheritingDomain | (() => string),
    private readonly profileId: Signal<number>,
  ) {
    // Another parent (chosen here or elsewhere; the profile list follows): the inherited values moved.
    let last: { id: number; parent: number | null } | null = null;
    effect(() => {
      const listed = this.listed();
      if (!listed) return;
      if (last?.id === listed.id && last.parent !== listed.parent_profile_id) untracked(() => this.editor.reload());
      last = { id: listed.id, parent: listed.parent_profile_id };
    });
  }

  /**
   * The note under `field`, or null: no parent, the environment sets the field (its lock says so),
   * or a registered domain's key the profile neither sets nor inherits.
   */
  of(field: string): SbFieldInheritance | null {
    if (this.editor.locked().has(field) || !this.hasParent()) return null;
    if (!this.inherited().has(field)) {
      const values = this.editor.saved()?.values;
      if (values && !Object.hasOwn(values, field)) return null;
      return { kind: 'overridden', parent: this.parentName() ?? 'the parent profile' };
    }
    return { kind: 'inherited', from: this.ancestorOf(field), held: this.held().has(field) };
  }

  /** Override: unlocks the field and puts the focus in it. */
  release(field: string, focus?: { focus(): void }): void {
    this.released.update((fields) => new Set([...fields, field]));
    this.editor.applyLocks();
    if (focus) afterNextRender(() => focus.focus(), { injector: this.injector });
  }

  private domain(): string {
    return typeof this.domainOf === 'function' ? this.domainOf() : this.domainOf;
  }

  /** Reset to inherited: the server puts the parent's value back; the tab shows the row it answers with. */
  reset(field: string, label: string): void {
    if (this.resetting()) return;
    const domain = this.domain();
    this.resetting.set(field);
    this.api
      .resetOverride({ id: this.profileId(), domain, field })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (detail) => {
          this.resetting.set(null);
          // A built-in domain's row is a field of the profile; a registered domain's, under `domains`.
          const row = isBuiltIn(domain) ? detail[domain] : detail.domains[domain];
          if (row) this.editor.show(row as unknown as TDto);
          else this.editor.reload();
          this.notifier.success(`${label} inherits from “${detail.inherited_from[domain]?.[field] ?? this.parentName()}” again.`);
        },
        error: (problem: unknown) => {
          this.resetting.set(null);
          // The snackbar says why. 409: the profile has no parent any more (detached elsewhere): show what is stored now.
          if (problem instanceof SbProblem && problem.status === 409) {
            this.store.refresh().subscribe({ error: () => undefined });
            this.editor.reload();
          }
        },
      });
  }

  /** The ancestor a field's value comes from: the resolved sources name it; else the parent. */
  private ancestorOf(field: string): string {
    const sources = this.sources.resolved(this.profileId())()?.sources as unknown as Record<string, Record<string, string> | undefined> | undefined;
    const source = sources?.[this.domain()]?.[field];
    if (source?.startsWith('profile:')) return source.slice('profile:'.length);
    return this.parentName() ?? 'the parent profile';
  }
}

function isBuiltIn(domain: string): domain is (typeof BUILT_IN)[number] {
  return (BUILT_IN as readonly string[]).includes(domain);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item));
}
