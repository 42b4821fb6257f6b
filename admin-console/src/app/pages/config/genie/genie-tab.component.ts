import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatTooltipModule } from '@angular/material/tooltip';
import { catchError, debounceTime, EMPTY, filter, finalize, map, merge, Observable, switchMap } from 'rxjs';

import { GenieSpaceDto, GenieValidationDto } from '../../../api/models';
import { GenieService } from '../../../api/services';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { confirmAction } from '../../../shared/confirm-dialog/confirm-dialog.component';
import { SbEnvLock, SbResolvedSources } from '../../../shared/env-source';
import { SbEnvLockComponent } from '../../../shared/env-lock.component';
import { originBadge, SbItemInheritance, SbItemOrigin } from '../../../shared/item-inheritance';
import { SbLockedNoteComponent } from '../../../shared/locked-note.component';
import { SbStateComponent } from '../../../shared/state.component';
import { SbGenieSpaceDialogComponent, SbGenieSpaceDialogData } from './genie-space-dialog/genie-space-dialog.component';
import { SbLiveChanges } from '../../../core/live-changes';
import { changeRequestIn, proposedMessage } from '../../../core/change-request-answer';

/** The fields of a Genie space that SWITCHBOARD__GENIE__<FIELD> can set (for the default space only). */
const GENIE_FIELDS: readonly { field: string; label: string }[] = [
  { field: 'space_name', label: 'name' },
  { field: 'space_id', label: 'space id' },
  { field: 'description', label: 'description' },
];

/** A profile's Genie spaces: each change is saved at once (no Save button on this tab). */
@Component({
  selector: 'sb-genie-tab',
  imports: [MatButtonModule, MatTooltipModule, SbEnvLockComponent, SbLockedNoteComponent, SbStateComponent],
  templateUrl: './genie-tab.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbGenieTabComponent {
  readonly profileId = input.required({ transform: numberAttribute });

  private readonly api = inject(GenieService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(SbAuthStore);
  private readonly sources = inject(SbResolvedSources);
  /** Fields of the default space that the environment sets. */
  protected readonly locks = computed(() => this.sources.lockedFields(this.profileId(), 'genie')());
  /** The same, in the row's order, for the default space's row. */
  protected readonly defaultLocks = computed(() => {
    const locks = this.locks();
    return GENIE_FIELDS.flatMap(({ field, label }) => {
      const lock = locks.get(field);
      return lock ? [{ lock, label }] : [];
    });
  });

  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly spaces = signal<GenieSpaceDto[]>([]);
  protected readonly busyId = signal<number | null>(null);
  protected readonly checks = signal<Record<number, GenieValidationDto>>({});
  protected readonly originBadge = originBadge;
  /** Which spaces are the parent's (inherited) and which of the profile's own override one of the parent's. */
  protected readonly inheritance = new SbItemInheritance(
    'genie',
    this.profileId,
    (parentId) => this.api.listGenieSpaces({ profile_id: parentId }).pipe(map((spaces) => spaces.map((space) => space.space_id))),
    () => this.refresh(),
  );

  constructor() {
    effect(() => {
      const id = this.profileId();
      untracked(() => {
        this.refresh(id);
        this.sources.refresh(id);
      });
    });
    // Spaces changed elsewhere show up by themselves (not while this page changes one).
    const live = inject(SbLiveChanges);
    merge(
      live.changes.pipe(filter((change) => change.profile_id === this.profileId() && change.domain === 'genie')),
      live.reloads.pipe(filter((reload) => reload.profile_id === null || reload.profile_id === this.profileId())),
    )
      .pipe(
        filter(() => this.busyId() === null && this.state() === 'ready'),
        debounceTime(100),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe(() => this.refresh(this.profileId(), true));
  }

  /** `quiet`: keep the list on screen while it is read again. */
  protected refresh(profileId = this.profileId(), quiet = false): void {
    if (!quiet) this.state.set('loading');
    this.inheritance.load(profileId);
    this.api
      .listGenieSpaces({ profile_id: profileId })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (spaces) => {
          this.spaces.set(spaces);
          this.state.set('ready');
        },
        error: () => this.state.set('error'),
      });
  }

  protected add(): void {
    this.openDialog({ mode: 'add', profileId: this.profileId(), first: this.spaces().length === 0 }, (added) => `Genie space “${added.space_name}” added.`);
  }

  protected edit(space: GenieSpaceDto, origin: SbItemOrigin | null): void {
    // The environment overrides the default space only: its overridden fields are locked in the dialog too.
    const locks = space.is_default ? this.locks() : new Map<string, SbEnvLock>();
    const inheritedFrom = origin?.kind === 'inherited' ? origin.from : undefined;
    this.openDialog({ mode: 'edit', space, locks, inheritedFrom }, (saved) =>
      inheritedFrom && !saved.inherited ? `Genie space “${saved.space_name}” saved: it is this profile’s own now.` : `Genie space “${saved.space_name}” saved.`,
    );
  }

  protected setDefault(space: GenieSpaceDto): void {
    this.run(space, this.api.setDefaultGenieSpace({ id: space.id })).subscribe((answer) => this.done(`“${space.space_name}” is now the default Genie space.`, answer));
  }

  protected remove(space: GenieSpaceDto): void {
    confirmAction(this.dialog, {
      title: `Remove “${space.space_name}”?`,
      message: 'Agents of this profile will no longer query this Genie space.',
      confirm: 'Remove',
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.run(space, this.api.deleteGenieSpace({ id: space.id }))),
      )
      .subscribe((answer) => this.done(`Genie space “${space.space_name}” removed.`, answer));
  }

  /** Reset to inherited: deleting the profile's own space brings the parent's space of the same id back. */
  protected reset(space: GenieSpaceDto): void {
    const parent = this.inheritance.parentName() ?? 'the parent profile';
    confirmAction(this.dialog, {
      title: `Reset “${space.space_name}” to inherited?`,
      message: `This profile’s own name and description of the space go: the space of “${parent}” with the same id takes its place, and follows that profile again.`,
      confirm: 'Reset to inherited',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.run(space, this.api.deleteGenieSpace({ id: space.id }))),
      )
      .subscribe((answer) => this.done(`Genie space “${space.space_name}” inherits from “${parent}” again.`, answer));
  }

  protected validate(space: GenieSpaceDto): void {
    this.run(space, this.api.validateGenieSpace({ body: { space_id: space.space_id } })).subscribe((result) =>
      this.checks.update((checks) => ({ ...checks, [space.id]: result })),
    );
  }

  /**
   * Why a space cannot be removed (or reset), or '': an inherited one goes on its ancestor; the
   * default, only when it is the last one (a reset may: the parent's space becomes the default).
   */
  protected whyNotRemove(space: GenieSpaceDto, origin: SbItemOrigin | null): string {
    if (origin?.kind === 'inherited') return `Inherited from “${origin.from}”: remove it there, or edit it here to make it this profile’s own.`;
    if (space.is_default && !origin && this.spaces().length > 1) return 'Make another space the default before removing this one.';
    return '';
  }

  private openDialog(data: SbGenieSpaceDialogData, message: (space: GenieSpaceDto) => string): void {
    this.dialog
      .open<SbGenieSpaceDialogComponent, SbGenieSpaceDialogData, GenieSpaceDto>(SbGenieSpaceDialogComponent, { data, width: '560px' })
      .afterClosed()
      .pipe(filter((space): space is GenieSpaceDto => !!space))
      .subscribe((space) => this.done(message(space), space));
  }

  private run<T>(space: GenieSpaceDto, action: Observable<T>): Observable<T> {
    this.busyId.set(space.id);
    return action.pipe(
      catchError(() => EMPTY),
      finalize(() => this.busyId.set(null)),
      takeUntilDestroyed(this.destroyRef),
    );
  }

  /** `answer`: what the server said; a change request (202) when the profile requires approval, and nothing changed yet. */
  private done(message: string, answer: unknown): void {
    const proposed = changeRequestIn(answer);
    this.notifier.success(proposed === null ? message : proposedMessage(proposed));
    this.refresh();
    this.sources.refresh(this.profileId());
  }
}
