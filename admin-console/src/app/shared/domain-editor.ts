import { HttpContext } from '@angular/common/http';
import { computed, DestroyRef, effect, inject, Signal, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormGroup } from '@angular/forms';
import { MatDialog } from '@angular/material/dialog';
import { catchError, concatMap, EMPTY, map, merge, Observable, of, Subject, switchMap, take, takeWhile, timer } from 'rxjs';

import { ChangeDeliveryDto } from '../api/models';
import { HistoryService, SystemService } from '../api/services';
import { SbAuthStore } from '../core/auth.store';
import { SbProfileStore } from '../core/profile.store';
import { SbLiveChanges } from '../core/live-changes';
import { applyProblemToForm } from '../core/form-errors';
import { SbNotifier } from '../core/notifier';
import { SB_BACKGROUND_STATUSES, SB_HANDLED_STATUSES, SbProblem } from '../core/problem';
import { mergeChanges, resolveConflict, SbConflictField } from './conflict-dialog/conflict-dialog.component';
import { hasConflictMarks } from './line-merge';
import { SbEnvLocks, SbLockableDomain, SbResolvedSources } from './env-source';
import { canonicalJson } from './canonical-json';
import { formatWhen } from './when';
import { changeRequestIn, proposedMessage } from '../core/change-request-answer';
import { deliveryComplete, deliveryText } from './delivery';

/** After a save: ask where its change arrived this soon, then again, a few times at most. */
const DELIVERY_FIRST_MS = 300;
const DELIVERY_AGAIN_MS = 1000;
const DELIVERY_TRIES = 5;

/** A versioned domain row as the server returns it. */
export interface SbVersioned {
  version: number;
  /** Null while nothing is stored yet (registered domains a profile has not set). */
  updated_at: string | null;
}

export interface SbDomainEditorOptions<TDto extends SbVersioned, TBody> {
  /** For messages: "AI infrastructure", "MLflow", "Prompts". */
  what: string;
  /** The domain, as GET /api/config/resolved names it (for values locked by the environment). */
  domain: SbLockableDomain;
  form: FormGroup;
  /**
   * For forms built from a model (JSON-Schema forms): put a value in, and read the value out.
   * Without them the form's controls are the value (reset and getRawValue).
   */
  model?: { set(value: Record<string, unknown>): void; get(): Record<string, unknown> };
  /** The fields shown side by side when a save meets someone else's change. */
  fields: readonly SbConflictField[];
  load(profileId: number): Observable<TDto>;
  save(profileId: number, body: TBody, ifMatch: string, context: HttpContext): Observable<TDto>;
  /** The form's value for a saved row. */
  toForm(dto: TDto): Record<string, unknown>;
  /** The request body for the form's value. */
  toBody(value: Record<string, unknown>): TBody;
  /** Called after every load and save with the row now stored. */
  onSaved?(dto: TDto): void;
  /** Called with a rejected save's problem after its field errors are on the form. */
  onProblem?(problem: SbProblem): void;
  /** Fields kept disabled until the user chooses to change them (values inherited from a parent profile). */
  held?(): ReadonlySet<string>;
}

/** Someone else's change to the row on screen, heard on the change stream. */
export interface SbRemoteChange {
  message: string;
  /** The form holds unsaved work, so their values are not shown yet. */
  pending: boolean;
}

/** The If-Match value for a row: its ETag, `"v<version>"`. */
export function ifMatch(version: number): string {
  return `"v${version}"`;
}

/**
 * What every domain tab does with its one form: load a profile's row, track whether the form
 * differs from it, save with If-Match, resolve a 412 in the conflict dialog, put 422 field errors
 * next to the fields, and Apply & reload. Create it in a component's field initialiser (it injects).
 */
export class SbDomainEditor<TDto extends SbVersioned, TBody> {
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  private readonly system = inject(SystemService);
  private readonly history = inject(HistoryService);
  private readonly auth = inject(SbAuthStore);
  private readonly destroyRef = inject(DestroyRef);
  private readonly resolved = inject(SbResolvedSources);
  private readonly lockedSource = signal<Signal<SbEnvLocks>>(signal(new Map()));
  /** Fields the environment sets (shown locked, with their variable and effective value). */
  readonly locked = computed(() => this.lockedSource()());

  readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  readonly saved = signal<TDto | null>(null);
  readonly busy = signal(false);
  readonly dirty = signal(false);
  readonly invalid = signal(false);
  private readonly currentProfile = inject(SbProfileStore).currentId;
  /** The profile on screen may be changed by this principal (its grant there, else its global role). */
  readonly canEdit = computed(() => this.auth.mayEdit(this.currentProfile()));
  readonly remote = signal<SbRemoteChange | null>(null);
  /**
   * Texts a line merge left marked (field → the saved text): the page shows each beside theirs
   * to settle. Emptied by a save, or by showing theirs.
   */
  readonly lineConflicts = signal<ReadonlyMap<string, string>>(new Map());
  /** What became of the last save: "applied on 2/2 instances in 18 ms · …" (GET …/changes/{id}/delivery). */
  readonly delivery = signal<string | null>(null);
  /** The version of this editor's own save, until the stream names its change. */
  private awaitingDelivery: number | null = null;
  /** This profile and domain's changes the stream announced, by version: it may announce a save before its answer arrives. */
  private readonly announced = new Map<number, number>();
  /** The change whose delivery is followed; null stops following (another save, another profile). */
  private readonly followed = new Subject<number | null>();

  private profileId: number | null = null;
  private baseline = '';

  constructor(private options: SbDomainEditorOptions<TDto, TBody>) {
    options.form.valueChanges.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => this.track());
    options.form.statusChanges.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => this.track());
    // The sources usually arrive after the row: lock (or unlock) the fields whenever they change.
    effect(() => {
      this.locked();
      this.canEdit();
      this.options.held?.();
      untracked(() => this.applyLocks());
    });
    const live = inject(SbLiveChanges);
    merge(
      live.changes.pipe(
        map((change) => ({ historyId: change.history_id, profileId: change.profile_id, domain: change.domain, version: change.version, by: change.changed_by, at: change.timestamp })),
      ),
      live.reloads.pipe(map((reload) => ({ historyId: null, profileId: reload.profile_id, domain: null, version: null, by: null, at: null }))),
    )
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((change) => {
        if (change.historyId !== null && change.version !== null && change.profileId === this.profileId && change.domain === this.options.domain) {
          this.announced.set(change.version, change.historyId);
          if (this.announced.size > 20) this.announced.delete(this.announced.keys().next().value!);
          if (change.version === this.awaitingDelivery) this.followDelivery(change.historyId);
        }
        this.onRemoteChange(change);
      });
    this.followed
      .pipe(
        switchMap((historyId) => (historyId === null ? EMPTY : this.deliveryOf(historyId))),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((delivery) => {
        if (!this.dirty()) this.delivery.set(deliveryText(delivery));
      });
  }

  /**
   * A change heard on the stream. Clean, the form shows it at once; with unsaved work, a banner
   * says who changed what and the form keeps the user's values until they choose. The writer's
   * own save is told apart by its version (or by arriving while the save is in flight).
   */
  private onRemoteChange(change: { profileId: number | null; domain: string | null; version: number | null; by: string | null; at: string | null }): void {
    const saved = this.saved();
    if (this.profileId === null || !saved || this.busy()) return;
    if (change.profileId !== null && change.profileId !== this.profileId) return;
    if (change.domain !== null && change.domain !== this.options.domain) return;
    if (change.version !== null && change.version <= saved.version) return;
    const who = change.by ? `${change.by} changed ${this.options.what}${change.at ? ` at ${formatWhen(change.at)}` : ''}` : `${this.options.what} was changed outside the console`;
    const pending = { message: `${who}. Your unsaved changes are still here: show theirs, or keep editing (saving will then ask).`, pending: true };
    if (change.version !== null && this.dirty()) {
      this.remote.set(pending);
      return;
    }
    // A reload carries no version (a listener that reconnects sends one for every profile): read the row, and act only if it moved.
    this.reloadFrom(this.profileId, (dto) => {
      if (dto.version <= saved.version && dto.updated_at === saved.updated_at) return false;
      if (!this.dirty() && !this.busy()) return { message: `${who}: showing the new values.`, pending: false };
      if (this.dirty()) this.remote.set(pending);
      return false;
    });
  }

  private followDelivery(historyId: number): void {
    this.awaitingDelivery = null;
    this.followed.next(historyId);
  }

  /** Where the save's change has arrived, asked a few times while instances or sessions are still pending. */
  private deliveryOf(historyId: number): Observable<ChangeDeliveryDto> {
    const context = new HttpContext().set(SB_HANDLED_STATUSES, [...SB_BACKGROUND_STATUSES, 404]);
    return timer(DELIVERY_FIRST_MS, DELIVERY_AGAIN_MS).pipe(
      take(DELIVERY_TRIES),
      concatMap(() => this.system.getChangeDelivery({ history_id: historyId }, context).pipe(catchError(() => EMPTY))),
      takeWhile((delivery) => !deliveryComplete(delivery), true),
    );
  }

  /** Their values, in place of the unsaved ones. */
  showTheirs(): void {
    if (this.profileId !== null) this.reloadFrom(this.profileId, () => null);
  }

  /**
   * Reads the row again. `decide` answers false to leave the form as it is, else the notice to
   * show (or null) once the form holds the row.
   */
  private reloadFrom(profileId: number, decide: (dto: TDto) => SbRemoteChange | null | false): void {
    this.options
      .load(profileId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (dto) => {
          if (this.profileId !== profileId) return;
          const notice = decide(dto);
          if (notice === false) return;
          this.reset(dto);
          this.resolved.refresh(profileId);
          this.remote.set(notice);
        },
        error: () => undefined,
      });
  }

  /**
   * Reads the row and the sources again (the profile's parent changed, so what it inherits did):
   * unsaved work stays, and the banner offers theirs.
   */
  reload(): void {
    if (this.profileId === null) return;
    this.reloadFrom(this.profileId, () => {
      if (!this.dirty()) return null;
      this.remote.set({ message: `What ${this.options.what} inherits changed. Your unsaved changes are still here: show theirs, or keep editing.`, pending: true });
      return false;
    });
  }

  /** Shows a row another call answered with (a reset override), and asks for the sources again. */
  show(dto: TDto): void {
    if (this.profileId === null || dto.version < (this.saved()?.version ?? 0)) return;
    this.reset(dto);
    this.resolved.refresh(this.profileId);
  }

  dismissRemote(): void {
    this.remote.set(null);
  }

  /** For tabs that learn what they edit only once loaded (a registered domain's title and fields): before `loadFor`. */
  configure(changes: Partial<Pick<SbDomainEditorOptions<TDto, TBody>, 'what' | 'domain' | 'fields'>>): void {
    this.options = { ...this.options, ...changes };
  }

  /** Loads the row of `profileId` into the form (on start and when the profile changes). */
  loadFor(profileId: number): void {
    this.profileId = profileId;
    this.announced.clear();
    this.awaitingDelivery = null;
    this.lockedSource.set(this.resolved.lockedFields(profileId, this.options.domain));
    this.resolved.refresh(profileId);
    this.state.set('loading');
    this.options
      .load(profileId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (dto) => {
          this.reset(dto);
          this.state.set('ready');
        },
        error: () => this.state.set('error'),
      });
  }

  retry(): void {
    if (this.profileId !== null) this.loadFor(this.profileId);
  }

  /** Back to the stored values. */
  cancel(): void {
    const saved = this.saved();
    if (saved) this.reset(saved);
  }

  save(): void {
    this.saveChanges().subscribe();
  }

  /** Saves (when there is anything to save), then asks running agents to reload this profile. */
  apply(): void {
    const profileId = this.profileId;
    if (profileId === null) return;
    this.saveChanges()
      .pipe(
        switchMap((saved) => (saved ? this.system.reloadConfiguration({ profile_id: profileId }) : EMPTY)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({ next: () => this.notifier.success(`${this.options.what} applied: agents reload the profile.`), error: () => undefined });
  }

  /** Emits true once the form's values are stored (at once when nothing changed), false when not. */
  saveChanges(): Observable<boolean> {
    const saved = this.saved();
    const profileId = this.profileId;
    if (!saved || profileId === null) return of(false);
    if (!this.dirty()) return of(true);
    const form = this.options.form;
    form.markAllAsTouched();
    if (form.invalid) {
      this.notifier.error('Some values are not valid: see the highlighted fields.');
      return of(false);
    }
    return this.put(profileId, saved.version);
  }

  private put(profileId: number, version: number, value = this.value()): Observable<boolean> {
    const context = new HttpContext().set(SB_HANDLED_STATUSES, [412]);
    const body = this.options.toBody(value);
    this.busy.set(true);
    return this.options.save(profileId, body, ifMatch(version), context).pipe(
      map((answer) => {
        this.busy.set(false);
        const proposed = changeRequestIn(answer);
        if (proposed !== null) {
          // The profile requires approval: nothing changed yet, the values wait in the inbox (202).
          this.reset(this.saved()!);
          this.notifier.success(proposedMessage(proposed));
          return false;
        }
        this.reset(answer);
        const announced = this.announced.get(answer.version);
        if (announced !== undefined) this.followDelivery(announced);
        else this.awaitingDelivery = answer.version;
        this.resolved.refresh(profileId);
        this.notifier.success(`${this.options.what} saved.`);
        return true;
      }),
      catchError((error: unknown) => {
        this.busy.set(false);
        if (!(error instanceof SbProblem)) return of(false);
        if (error.status === 412) return this.conflict(profileId);
        applyProblemToForm(this.options.form, error);
        this.options.onProblem?.(error);
        this.track();
        return of(false);
      }),
      takeUntilDestroyed(this.destroyRef),
    );
  }

  /** 412: fetch theirs (and who saved it), show what each side changed, and do what the user chooses. */
  private conflict(profileId: number): Observable<boolean> {
    const yours = this.value();
    const base = this.options.toForm(this.saved()!);
    const author = this.history.listProfileHistory({ profile_id: profileId, domain: this.options.domain, limit: 1 }).pipe(
      map((entries) => entries[0]?.changed_by ?? null),
      catchError(() => of(null)),
    );
    return this.options.load(profileId).pipe(
      switchMap((theirs) => author.pipe(map((theirsBy) => ({ theirs, theirsBy })))),
      switchMap(({ theirs, theirsBy }) =>
        resolveConflict(this.dialog, {
          what: this.options.what,
          fields: this.options.fields,
          theirs: this.options.toForm(theirs),
          yours,
          base,
          theirsBy,
          theirsAt: theirs.updated_at ? formatWhen(theirs.updated_at) : null,
        }).pipe(
          switchMap((choice) => {
            if (choice?.kind === 'theirs') {
              this.reset(theirs);
              this.notifier.success(`Showing the saved ${this.options.what}; your changes were discarded.`);
              return of(false);
            }
            if (choice?.kind === 'merge') {
              // Only the fields this user changed go over theirs (and of those both changed, the ones the user kept).
              const theirsForm = this.options.toForm(theirs);
              const merged = mergeChanges(base, theirsForm, yours, choice.keepTheirs, choice.mergeLines);
              this.saved.set(theirs);
              const marked = choice.mergeLines.filter((key) => hasConflictMarks(String(merged[key] ?? '')) && !hasConflictMarks(String(yours[key] ?? '')));
              if (!marked.length) return this.put(profileId, theirs.version, merged);
              // Lines both changed: nothing is saved until a person settles them beside theirs.
              this.remote.set(null); // theirs is merged in: nothing left to review
              this.baseline = this.normalize(theirsForm);
              this.fill(merged);
              this.lineConflicts.set(new Map(marked.map((key) => [key, String(theirsForm[key] ?? '')])));
              this.track();
              this.notifier.success(`Merged. Where you both changed the same lines, both versions are marked: keep one of each, then save.`);
              return of(false);
            }
            // Decide later: the user's changes on top of theirs (as a merge would save them), measured against the newer row;
            // keeping the user's whole form would put back, at the next save, what only they changed.
            this.saved.set(theirs);
            this.remote.set(null);
            this.baseline = this.normalize(this.options.toForm(theirs));
            this.fill(mergeChanges(base, this.options.toForm(theirs), yours));
            this.track();
            return of(false);
          }),
        ),
      ),
      catchError(() => of(false)),
    );
  }

  /** The page settled a marked text (or gave up showing it beside theirs). */
  settled(key: string): void {
    const next = new Map(this.lineConflicts());
    next.delete(key);
    this.lineConflicts.set(next);
  }

  private reset(dto: TDto): void {
    this.remote.set(null);
    this.delivery.set(null);
    this.followed.next(null);
    this.lineConflicts.set(new Map());
    this.saved.set(dto);
    const value = this.options.toForm(dto);
    this.fill(value);
    this.baseline = this.normalize(value);
    this.applyLocks();
    this.options.onSaved?.(dto);
    this.track();
  }

  private fill(value: Record<string, unknown>): void {
    if (this.options.model) this.options.model.set(value);
    else this.options.form.reset(value);
    this.applyLocks();
  }

  /**
   * Read-only users see every field disabled; editors every field but those the environment sets
   * and those held (inherited, until the user chooses to override them).
   */
  applyLocks(): void {
    const locked = this.locked();
    const canEdit = this.canEdit();
    const held = this.options.held?.() ?? new Set<string>();
    for (const [name, control] of Object.entries(this.options.form.controls)) {
      const disabled = !canEdit || locked.has(name) || held.has(name);
      if (disabled && control.enabled) control.disable({ emitEvent: false });
      if (!disabled && control.disabled) control.enable({ emitEvent: false });
    }
    this.track();
  }

  private value(): Record<string, unknown> {
    return this.options.model ? this.options.model.get() : (this.options.form.getRawValue() as Record<string, unknown>);
  }

  /** The form's fields in the form's order (a model: its own content, keys sorted), so two values compare as text. */
  private normalize(value: Record<string, unknown>): string {
    if (this.options.model) return canonicalJson(value) ?? '{}';
    return JSON.stringify(Object.keys(this.options.form.controls).map((key) => value[key] ?? null));
  }

  private track(): void {
    const form = this.options.form;
    this.dirty.set(this.saved() !== null && this.normalize(this.value()) !== this.baseline);
    this.invalid.set(form.invalid);
  }
}
