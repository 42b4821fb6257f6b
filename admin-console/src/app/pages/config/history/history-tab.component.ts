import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, numberAttribute, signal, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { debounceTime, filter, finalize, map, switchMap } from 'rxjs';

import { ListProfileHistory$Params } from '../../../api/fn/history/list-profile-history';
import { ConfigHistoryEntryDto } from '../../../api/models';
import { HistoryService } from '../../../api/services';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { SbProfileStore } from '../../../core/profile.store';
import { PROMPT_NAME_PATTERN } from '../../../core/validators';
import { SbChangesTableComponent } from '../../../shared/changes-table/changes-table.component';
import { ACTION_LABELS, ACTIONS, DOMAIN_LABELS, domainLabelOf, DOMAINS, historyChanges, SbAction, SbChangeRow, SbDomain, SbDomainList } from '../../../shared/domains';
import { SbDomainCatalog } from '../../../core/domain-catalog';
import { SbResolvedSources } from '../../../shared/env-source';
import { confirmAction } from '../../../shared/confirm-dialog/confirm-dialog.component';
import { SbStateComponent } from '../../../shared/state.component';
import { SbRestoreDialogComponent, SbRestoreDialogData, SbRestoreResult } from './restore-dialog/restore-dialog.component';
import { changeRequestIn, proposedMessage } from '../../../core/change-request-answer';
import { formatWhen, SbWhenComponent } from '../../../shared/when';

const PAGE_SIZE = 50;
/** The history's domain of the prompt library's changes. */
const PROMPT_LIBRARY = 'prompt_registry';

/** The cursor of a `Link: <…?cursor=…>; rel="next"` header. */
export function nextCursor(link: string | null): string | null {
  const next = link?.split(',').find((part) => /rel="?next"?/.test(part));
  const url = next?.match(/<([^>]+)>/)?.[1];
  if (!url) return null;
  return new URL(url, 'http://x').searchParams.get('cursor');
}

/** A `datetime-local` value (the browser's time zone) as ISO 8601, or nothing. */
export function localToIso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export interface SbHistoryFilters {
  domain: SbDomain | null;
  /** A prompt of the prompt library: only its entries (the domain is then the library's). */
  prompt: string;
  action: SbAction | null;
  changed_by: string;
  since: string;
  until: string;
}

/** The query for a page of entries with these filters. */
export function historyQuery(profileId: number, filters: SbHistoryFilters, cursor: string | null): ListProfileHistory$Params {
  const changedBy = filters.changed_by.trim();
  // A partly typed name the server would refuse (422) filters nothing yet.
  const prompt = PROMPT_NAME_PATTERN.test(filters.prompt.trim()) ? filters.prompt.trim() : '';
  const since = localToIso(filters.since);
  const until = localToIso(filters.until);
  return {
    profile_id: profileId,
    limit: PAGE_SIZE,
    ...(prompt ? { prompt } : filters.domain ? { domain: filters.domain } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(changedBy ? { changed_by: changedBy } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/** The profile's audited changes, newest first: filters, a diff per entry, restore and compare. */
@Component({
  selector: 'sb-history-tab',
  imports: [SbWhenComponent, ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, SbChangesTableComponent, SbStateComponent],
  templateUrl: './history-tab.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbHistoryTabComponent {
  readonly profileId = input.required({ transform: numberAttribute });
  /** `?prompt=` in the address (a prompt's page links here with it): the prompt filter. */
  readonly prompt = input<string>();
  private readonly api = inject(HistoryService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  private readonly profiles = inject(SbProfileStore);
  private readonly sources = inject(SbResolvedSources);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(SbAuthStore);
  private readonly catalog = inject(SbDomainCatalog);

  protected readonly domains = DOMAINS;
  protected readonly actions = ACTIONS;
  protected readonly domainLabels = DOMAIN_LABELS;
  protected readonly actionLabels = ACTION_LABELS;

  readonly filters = new FormGroup({
    domain: new FormControl<SbDomain | null>(null),
    prompt: new FormControl('', { nonNullable: true, validators: [Validators.pattern(PROMPT_NAME_PATTERN)] }),
    action: new FormControl<SbAction | null>(null),
    changed_by: new FormControl('', { nonNullable: true }),
    since: new FormControl('', { nonNullable: true }),
    until: new FormControl('', { nonNullable: true }),
  });
  /** The filters as applied: typing in "Changed by" waits for a pause. */
  private readonly applied = toSignal(
    this.filters.valueChanges.pipe(
      debounceTime(300),
      map(() => this.filters.getRawValue()),
    ),
    { initialValue: this.filters.getRawValue() },
  );

  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly entries = signal<ConfigHistoryEntryDto[]>([]);
  protected readonly cursor = signal<string | null>(null);
  protected readonly loadingMore = signal(false);
  /** The entries whose diff is shown. */
  protected readonly open = signal<ReadonlySet<number>>(new Set());
  private readonly rows = new Map<number, SbChangeRow[]>();
  private rowsNamedBy: SbDomainList | null = null;
  private generation = 0;

  constructor() {
    effect(() => {
      const prompt = this.prompt();
      if (prompt !== undefined) untracked(() => this.filters.controls.prompt.setValue(prompt));
    });
    effect(() => {
      const id = this.profileId();
      const filters = this.applied();
      untracked(() => this.load(id, filters, null));
    });
  }

  protected reload(): void {
    this.load(this.profileId(), this.filters.getRawValue(), null);
  }

  protected more(): void {
    this.load(this.profileId(), this.filters.getRawValue(), this.cursor());
  }

  protected hasFilters(): boolean {
    const value = this.applied();
    return !!(value.domain || value.prompt.trim() || value.action || value.changed_by.trim() || value.since || value.until);
  }

  protected clearFilters(): void {
    this.filters.reset({ domain: null, prompt: '', action: null, changed_by: '', since: '', until: '' });
  }

  protected changes(entry: ConfigHistoryEntryDto): SbChangeRow[] {
    // Reading the catalog here re-renders the rows with the schemas' titles once they arrive.
    const domains = this.catalog.domains();
    if (domains !== this.rowsNamedBy) {
      this.rows.clear();
      this.rowsNamedBy = domains;
    }
    let rows = this.rows.get(entry.id);
    if (!rows) {
      rows = historyChanges(entry, domains);
      this.rows.set(entry.id, rows);
    }
    return rows;
  }

  protected toggle(entry: ConfigHistoryEntryDto): void {
    this.open.update((open) => {
      const next = new Set(open);
      if (!next.delete(entry.id)) next.add(entry.id);
      return next;
    });
  }

  protected domainLabel(entry: ConfigHistoryEntryDto): string {
    if (entry.domain === PROMPT_LIBRARY) return `Prompt library · ${entry.item ?? ''}`;
    return domainLabelOf(entry.domain, this.catalog.domains());
  }

  protected isPromptEntry(entry: ConfigHistoryEntryDto): boolean {
    return entry.domain === PROMPT_LIBRARY;
  }

  /** A prompt library entry puts its one prompt back: the server says what it did, in a new entry. */
  private restorePrompt(entry: ConfigHistoryEntryDto): void {
    confirmAction(this.dialog, {
      title: `Restore prompt “${entry.item}” as entry #${entry.id} left it?`,
      message:
        entry.action === 'delete'
          ? 'The prompt is recreated with every version and label it had.'
          : 'The version it had then comes back as a new newest version (versions never change), and the labels this entry moved point where they pointed after it.',
      confirm: 'Restore',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.api.restoreHistoryEntry({ entry_id: entry.id, body: {} })),
      )
      .subscribe(() => {
        this.notifier.success(`Prompt “${entry.item}” restored as entry #${entry.id} left it.`);
        this.reload();
      });
  }

  protected restore(entry: ConfigHistoryEntryDto): void {
    if (this.isPromptEntry(entry)) return this.restorePrompt(entry);
    const profileId = this.profileId();
    const profileName = this.profiles.current()?.name ?? entry.profile_name;
    this.dialog
      .open<SbRestoreDialogComponent, SbRestoreDialogData, SbRestoreResult>(SbRestoreDialogComponent, {
        data: { entry, profileId, profileName },
        width: '900px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(filter((result): result is SbRestoreResult => !!result))
      .subscribe((result) => {
        const what = result.domain ? domainLabelOf(result.domain, this.catalog.domains()) : 'The whole profile';
        // A profile that requires approval answers with the change request the restore became (202).
        const proposed = changeRequestIn(result.profile);
        this.notifier.success(proposed === null ? `${what} restored to the version of ${formatWhen(entry.timestamp)}.` : proposedMessage(proposed));
        // Everything this page shows may have changed: the list (a new restore entry), the profile's
        // name in the toolbar, the effective values.
        this.reload();
        this.profiles.refresh().subscribe({ error: () => undefined });
        this.sources.refresh(profileId);
      });
  }

  private load(profileId: number, filters: SbHistoryFilters, cursor: string | null): void {
    const generation = ++this.generation;
    if (cursor) this.loadingMore.set(true);
    else this.state.set('loading');
    this.api
      .listProfileHistory$Response(historyQuery(profileId, filters, cursor))
      .pipe(
        finalize(() => {
          if (generation === this.generation) this.loadingMore.set(false);
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (response) => {
          // An answer for filters that changed meanwhile is dropped.
          if (generation !== this.generation) return;
          if (!cursor) {
            this.rows.clear();
            this.open.set(new Set());
          }
          this.entries.set(cursor ? [...this.entries(), ...response.body] : response.body);
          this.cursor.set(nextCursor(response.headers.get('link')));
          this.state.set('ready');
        },
        error: () => {
          if (generation !== this.generation) return;
          // A failed "Load more" keeps what is shown (the interceptor said why).
          if (!cursor) this.state.set('error');
        },
      });
  }
}
