import { computed, DestroyRef, effect, inject, Signal, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { catchError, map, Observable, of, Subject, switchMap } from 'rxjs';

import { ProfileDetailDto } from '../api/models';
import { ProfilesService } from '../api/services';
import { SbProfileStore } from '../core/profile.store';

/** Items a child profile inherits whole, as the profile detail's `inherited_from` names them: Genie spaces by space_id, registry prompts by name. */
export type SbItemKind = 'genie' | 'prompt_registry';

/** Where one item comes from: an ancestor's copy, or the profile's own in place of its parent's item under the same key. */
export type SbItemOrigin = { kind: 'inherited'; from: string } | { kind: 'overrides'; parent: string };

/** The badge of an item's origin: "Inherited from Base", "Overrides Base". */
export function originBadge(origin: SbItemOrigin): string {
  return origin.kind === 'inherited' ? `Inherited from ${origin.from}` : `Overrides ${origin.parent}`;
}

interface SbItemSources {
  profileId: number;
  /** Null: the profile has no parent. */
  parentName: string | null;
  /** The ancestor of each inherited item, by key. */
  from: Readonly<Record<string, string>>;
  /** The parent's items' keys: an own item under one of them overrides it. */
  parentKeys: ReadonlySet<string>;
}

/**
 * Inheritance of whole items on a list: the profile's detail names the ancestor of each inherited
 * item, the parent's own list says which of the profile's items override one of its. Create it in
 * a field initialiser; call `load` whenever the items are read (the badges then follow each
 * action). `reparented` runs when the profile list shows another parent (or none) for the profile.
 */
export class SbItemInheritance {
  private readonly profiles = inject(ProfilesService);
  private readonly store = inject(SbProfileStore);
  private readonly loads = new Subject<number>();
  private readonly sources = signal<SbItemSources | null>(null);
  /** What was read, while it is this profile's. */
  private readonly current = computed(() => {
    const sources = this.sources();
    return sources?.profileId === this.profileId() ? sources : null;
  });

  /** The parent's name; null for a profile without one (or before the detail is read). */
  readonly parentName = computed(() => this.current()?.parentName ?? null);

  constructor(
    private readonly kind: SbItemKind,
    private readonly profileId: Signal<number>,
    parentKeys: (parentId: number) => Observable<string[]>,
    reparented: () => void,
  ) {
    this.loads
      .pipe(
        switchMap((id) =>
          this.profiles.getProfile({ id }).pipe(
            switchMap((detail) => this.sourcesOf(detail, parentKeys)),
            catchError(() => of(null)), // the snackbar says why; what was read before stays
          ),
        ),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((sources) => {
        if (sources) this.sources.set(sources);
      });

    // Another parent, chosen here or elsewhere (the profile list follows): other items are inherited.
    let last: { id: number; parent: number | null } | null = null;
    effect(() => {
      const id = this.profileId();
      const listed = this.store.profiles()?.find((profile) => profile.id === id);
      if (!listed) return;
      if (last?.id === id && last.parent !== listed.parent_profile_id) untracked(reparented);
      last = { id, parent: listed.parent_profile_id };
    });
  }

  /** Reads the profile's detail (and its parent's items) again. */
  load(profileId = this.profileId()): void {
    this.loads.next(profileId);
  }

  /** Where an item comes from; null for an item of the profile's own that overrides nothing. Reads signals. */
  of(key: string, inherited: boolean): SbItemOrigin | null {
    const sources = this.current();
    const parent = sources?.parentName ?? null;
    if (inherited) return { kind: 'inherited', from: sources?.from[key] ?? parent ?? 'the parent profile' };
    return parent !== null && sources?.parentKeys.has(key) ? { kind: 'overrides', parent } : null;
  }

  private sourcesOf(detail: ProfileDetailDto, parentKeys: (parentId: number) => Observable<string[]>): Observable<SbItemSources> {
    const parentId = detail.parent_profile_id;
    const sources: SbItemSources = { profileId: detail.id, parentName: null, from: {}, parentKeys: new Set() };
    if (parentId === null) return of(sources);
    const parentName = detail.parent_profile_name ?? `profile ${parentId}`;
    const from = detail.inherited_from[this.kind] ?? {};
    return parentKeys(parentId).pipe(
      catchError(() => of([])), // then no item shows as an override
      map((keys) => ({ ...sources, parentName, from, parentKeys: new Set(keys) })),
    );
  }
}
