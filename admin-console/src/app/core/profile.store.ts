import { computed, inject, Injectable, signal } from '@angular/core';
import { catchError, debounceTime, EMPTY, filter, map, merge, Observable, share, switchMap, tap } from 'rxjs';

import { ProfileListItemDto } from '../api/models';
import { ProfilesService } from '../api/services';
import { SbLiveChanges } from './live-changes';

/** The profile list the toolbar's selector and the profile manager share. */
@Injectable({ providedIn: 'root' })
export class SbProfileStore {
  private readonly api = inject(ProfilesService);
  private readonly profilesSignal = signal<ProfileListItemDto[] | null>(null);

  readonly profiles = this.profilesSignal.asReadonly();
  readonly defaultProfile = computed(() => this.profilesSignal()?.find((profile) => profile.is_default) ?? null);
  /** The profile the configuration tabs show (set by the profile page from its URL). */
  readonly currentId = signal<number | null>(null);
  readonly current = computed(() => this.profilesSignal()?.find((profile) => profile.id === this.currentId()) ?? null);

  /** Profiles were created, renamed, deleted, made default or loaded elsewhere (a burst counts once). */
  readonly changedElsewhere: Observable<void> = merge(
    inject(SbLiveChanges).changes.pipe(filter((change) => change.domain === 'profile')),
    inject(SbLiveChanges).reloads.pipe(filter((reload) => reload.profile_id === null)),
  ).pipe(
    debounceTime(150),
    map(() => undefined),
    share(),
  );

  constructor() {
    // Such changes appear here by themselves, once the list was read.
    this.changedElsewhere
      .pipe(
        filter(() => this.profilesSignal() !== null),
        switchMap(() => this.refresh().pipe(catchError(() => EMPTY))),
      )
      .subscribe();
  }

  refresh(): Observable<ProfileListItemDto[]> {
    return this.api.listProfiles({ limit: 500 }).pipe(tap((profiles) => this.profilesSignal.set(profiles)));
  }

  clear(): void {
    this.profilesSignal.set(null);
    this.currentId.set(null);
  }
}

/** Profiles whose name or description contains `query` (any case): the manager's search and the toolbar's field. */
export function filterProfiles(profiles: readonly ProfileListItemDto[], query: string): ProfileListItemDto[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [...profiles];
  return profiles.filter((profile) => profile.name.toLowerCase().includes(needle) || (profile.description ?? '').toLowerCase().includes(needle));
}
