import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSortModule, Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { catchError, debounceTime, distinctUntilChanged, EMPTY, filter, finalize, Observable, Subject, switchMap } from 'rxjs';

import { ProfileDetailDto, ProfileExportDto, ProfileListItemDto } from '../../api/models';
import { ListProfiles$Params } from '../../api/fn/profiles/list-profiles';
import { ProfilesService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SbNotifier } from '../../core/notifier';
import { SB_HANDLED_STATUSES, SbProblem } from '../../core/problem';
import { SbProfileStore } from '../../core/profile.store';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { SbStateComponent } from '../../shared/state.component';
import { SbImportDialogComponent, SbImportDialogData } from './import-dialog/import-dialog.component';
import { SbProfileDialogComponent, SbProfileDialogData, SbProfileDialogResult } from './profile-dialog/profile-dialog.component';
import { SbWhenComponent } from '../../shared/when';
import { count } from '../../shared/count';
import { SbCountPipe } from '../../shared/count';
import { profileRows } from './profile-tree';

type SortKey = 'name' | 'last_changed_at' | 'last_changed_by';
type ProfileSort = NonNullable<ListProfiles$Params['sort']>;
export const PAGE_SIZES = [10, 25, 50, 100];

/**
 * The profile manager: a table of profiles the server searches, sorts and pages (its paging
 * headers give the total), with create, edit, duplicate, delete, set default and load. Search,
 * order and page live in the URL, so a reload or a shared link shows the same rows.
 */
@Component({
  selector: 'sb-profiles-page',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatMenuModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSortModule,
    MatTableModule,
    MatTooltipModule,
    RouterLink,
    SbCountPipe,
    SbStateComponent,
    SbWhenComponent,
  ],
  templateUrl: './profiles-page.component.html',
  styleUrl: './profiles-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbProfilesPageComponent implements OnInit {
  private readonly api = inject(ProfilesService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly store = inject(SbProfileStore);
  protected readonly auth = inject(SbAuthStore);
  private readonly route = inject(ActivatedRoute);

  /** The first read; later reads (search, order, page) keep the table and its tools on screen. */
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly reading = signal(false);
  protected readonly busyId = signal<number | null>(null);
  protected readonly importing = signal(false);
  protected readonly columns = ['name', 'last_changed_at', 'last_changed_by', 'live_sessions', 'actions'];
  protected readonly pageSizes = PAGE_SIZES;
  /** The page shown, and how many profiles match in all (X-Total-Count). */
  protected readonly rows = signal<ProfileListItemDto[]>([]);
  protected readonly total = signal(0);
  /** Without a column to sort by, children follow their parent, indented; a child always names its parent. */
  protected readonly tableRows = computed(() => profileRows(this.rows(), this.store.profiles() ?? [], this.serverSort() === 'default'));
  /** Name or description contains it (any case). */
  protected readonly query = signal('');
  /** No column chosen: the default profile first, then by name. */
  protected readonly sort = signal<Sort>({ active: '', direction: '' });
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal(25);
  private readonly typed = new Subject<string>();
  /** Pages asked for; a newer request cancels the one still running. */
  private readonly pages$ = new Subject<{ search?: string; sort: ProfileSort; limit: number; offset: number }>();

  constructor() {
    this.pages$
      .pipe(
        switchMap((params) =>
          this.api.listProfiles$Response(params).pipe(
            catchError(() => {
              // A failed later read keeps the rows shown (the snackbar says why); a failed first one has nothing to show.
              if (this.state() !== 'ready') this.state.set('error');
              this.reading.set(false);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((response) => {
        const total = Number(response.headers.get('x-total-count') ?? response.body.length);
        // A deletion emptied the last page: step back to the page that now is last.
        if (response.body.length === 0 && total > 0 && this.pageIndex() > 0) {
          this.pageIndex.set(Math.max(0, Math.ceil(total / this.pageSize()) - 1));
          return this.reload();
        }
        this.rows.set(response.body);
        this.total.set(total);
        this.state.set('ready');
        this.reading.set(false);
      });
  }

  ngOnInit(): void {
    this.store.currentId.set(null);
    // The toolbar's selector and the create dialog's "copy of" list read the store.
    if (this.store.profiles() === null) this.store.refresh().pipe(catchError(() => EMPTY)).subscribe();
    this.readUrl();
    this.typed.pipe(debounceTime(250), distinctUntilChanged(), takeUntilDestroyed(this.destroyRef)).subscribe((query) => {
      this.query.set(query);
      this.pageIndex.set(0);
      this.reload();
    });
    // Someone else created, renamed or deleted a profile: this page shows it without a click.
    this.store.changedElsewhere.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => this.fetch(false));
    this.refresh();
    // "New profile…" from the command palette, also when this page is already open.
    this.route.queryParamMap.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((params) => {
      if (!params.has('new')) return;
      this.writeUrl();
      if (this.auth.canEdit()) this.create();
    });
  }

  protected readonly trackById = (_index: number, profile: ProfileListItemDto) => profile.id;

  protected refresh(): void {
    this.state.set('loading');
    this.fetch(true);
  }

  protected search(query: string): void {
    this.typed.next(query.trim());
  }

  protected clearSearch(): void {
    this.typed.next('');
  }

  protected sorted(sort: Sort): void {
    this.sort.set(sort);
    this.pageIndex.set(0);
    this.reload();
  }

  protected paged(page: PageEvent): void {
    this.pageIndex.set(page.pageIndex);
    this.pageSize.set(page.pageSize);
    this.reload();
  }

  /** What the server is asked to order by: a column, `-column` descending, or default-first. */
  protected serverSort(): ProfileSort {
    const { active, direction } = this.sort();
    if (!direction || !isSortKey(active)) return 'default';
    return direction === 'desc' ? `-${active}` : active;
  }

  private reload(): void {
    this.writeUrl();
    this.fetch(true);
  }

  /** One page from the server; `visibly` shows the loading state (a live refresh keeps the rows on screen). */
  private fetch(visibly: boolean): void {
    if (visibly && this.state() === 'ready') this.reading.set(true);
    else if (visibly) this.state.set('loading');
    this.pages$.next({ search: this.query() || undefined, sort: this.serverSort(), limit: this.pageSize(), offset: this.pageIndex() * this.pageSize() });
  }

  private readUrl(): void {
    const params = this.route.snapshot.queryParamMap;
    this.query.set(params.get('search') ?? '');
    const [active, direction] = (params.get('sort') ?? '').split(':');
    if (isSortKey(active)) this.sort.set({ active, direction: direction === 'desc' ? 'desc' : 'asc' });
    const size = Number(params.get('size'));
    if (PAGE_SIZES.includes(size)) this.pageSize.set(size);
    this.pageIndex.set(Math.max(0, Math.floor(Number(params.get('page')) || 1) - 1));
  }

  private writeUrl(): void {
    const { active, direction } = this.sort();
    void this.router.navigate([], {
      relativeTo: this.route,
      replaceUrl: true,
      queryParams: {
        search: this.query() || null,
        sort: direction && isSortKey(active) ? `${active}:${direction}` : null,
        page: this.pageIndex() > 0 ? this.pageIndex() + 1 : null,
        size: this.pageSize() === 25 ? null : this.pageSize(),
      },
    });
  }

  /** A new profile opens at once: configuring it is what comes next. */
  protected create(copyFrom: number | null = null): void {
    this.openDialog({ mode: 'create', profiles: this.store.profiles() ?? [], copyFrom }, (profile) => `Profile “${profile.name}” created.`, (profile) =>
      this.router.navigate(['/profiles', profile.id]),
    );
  }

  protected edit(profile: ProfileListItemDto): void {
    this.openDialog({ mode: 'edit', profile }, (saved) => `Profile “${saved.name}” saved.`);
  }

  protected duplicate(profile: ProfileListItemDto): void {
    this.openDialog({ mode: 'duplicate', profile }, (copy) => `Profile duplicated as “${copy.name}”.`);
  }

  /** Why the server would refuse to delete this profile, or null when it would not. */
  protected deleteBlockedReason(profile: ProfileListItemDto): string | null {
    if (profile.is_default) return 'The default profile cannot be deleted: make another profile the default first.';
    const children = (this.store.profiles() ?? []).filter((other) => other.parent_profile_id === profile.id);
    if (children.length) {
      return `${children.map((child) => `“${child.name}”`).join(', ')} inherit${children.length === 1 ? 's' : ''} from this profile: give ${children.length === 1 ? 'it' : 'them'} another parent or none first.`;
    }
    if (profile.live_sessions > 0) {
      return `${count(profile.live_sessions, 'live agent session')} use${profile.live_sessions === 1 ? 's' : ''} this profile: load another profile in ${profile.live_sessions === 1 ? 'it' : 'them'} first.`;
    }
    return null;
  }

  protected remove(profile: ProfileListItemDto): void {
    confirmAction(this.dialog, {
      title: `Delete “${profile.name}”?`,
      message: 'Its AI infrastructure, Genie spaces, MLflow settings and prompts are deleted with it. Its history stays. This cannot be undone.',
      confirm: 'Delete',
      danger: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.run(profile, this.api.deleteProfile({ id: profile.id }))),
      )
      .subscribe(() => this.done(`Profile “${profile.name}” deleted.`));
  }

  protected setDefault(profile: ProfileListItemDto): void {
    const current = this.rows().find((row) => row.is_default) ?? this.store.defaultProfile();
    confirmAction(this.dialog, {
      title: `Make “${profile.name}” the default?`,
      message: `New agent sessions, and agents that ask without naming a profile, use the default profile${current ? ` (now “${current.name}”)` : ''}. Sessions that loaded a profile keep theirs.`,
      confirm: 'Set default',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.run(profile, this.api.setDefaultProfile({ id: profile.id }))),
      )
      .subscribe(() => this.done(`“${profile.name}” is now the default profile: new sessions use it.`));
  }

  protected load(profile: ProfileListItemDto): void {
    this.run(profile, this.api.loadProfile({ id: profile.id, body: {} })).subscribe((loaded) =>
      this.done(`Loaded “${loaded.name}” into new session ${loaded.session_id}.`),
    );
  }

  protected configure(profile: ProfileListItemDto): void {
    void this.router.navigate(['/profiles', profile.id]);
  }

  protected compare(profile: ProfileListItemDto): void {
    void this.router.navigate(['/compare'], { queryParams: { left_profile_id: profile.id } });
  }

  /** Downloads the profile's `switchboard.profile` document (no ids, versions or secrets). */
  protected exportProfile(profile: ProfileListItemDto): void {
    this.run(profile, this.api.exportProfile({ id: profile.id })).subscribe((document) => {
      download(exportFileName(profile.name), JSON.stringify(document, null, 2));
      this.notifier.success(`Exported “${profile.name}”.`);
    });
  }

  /** Reads a chosen export file and creates a profile from it; a taken name asks for another. */
  protected async importFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch {
      this.notifier.error(`“${file.name}” could not be read.`);
      return;
    }
    let document: ProfileExportDto;
    try {
      document = JSON.parse(text) as ProfileExportDto;
    } catch {
      this.notifier.error(`“${file.name}” is not a JSON file: choose a file written by Export.`);
      return;
    }
    this.importing.set(true);
    this.api
      .importProfile({ body: document }, new HttpContext().set(SB_HANDLED_STATUSES, [409]))
      .pipe(
        finalize(() => this.importing.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (profile) => this.imported(profile),
        error: (problem: unknown) => {
          // The server's own words name its query parameter (?name=): say it for the console instead.
          if (problem instanceof SbProblem && problem.status === 409) this.importAs(document, `A profile named “${document.profile?.name}” already exists (names are case-insensitive).`);
        },
      });
  }

  private importAs(document: ProfileExportDto, reason: string): void {
    this.dialog
      .open<SbImportDialogComponent, SbImportDialogData, ProfileDetailDto>(SbImportDialogComponent, { data: { document, reason }, width: '480px' })
      .afterClosed()
      .pipe(filter((profile): profile is ProfileDetailDto => !!profile))
      .subscribe((profile) => this.imported(profile));
  }

  private imported(profile: ProfileDetailDto): void {
    this.done(`Profile “${profile.name}” imported.`);
  }

  private openDialog(data: SbProfileDialogData, message: (profile: SbProfileDialogResult) => string, then?: (profile: SbProfileDialogResult) => void): void {
    this.dialog
      .open<SbProfileDialogComponent, SbProfileDialogData, SbProfileDialogResult>(SbProfileDialogComponent, { data, width: '520px' })
      .afterClosed()
      .pipe(filter((result): result is SbProfileDialogResult => !!result))
      .subscribe((profile) => {
        this.done(message(profile));
        then?.(profile);
      });
  }

  /** One action on one profile at a time; a failure is the interceptor's snackbar, then a fresh list. */
  private run<T>(profile: ProfileListItemDto, action: Observable<T>): Observable<T> {
    this.busyId.set(profile.id);
    return action.pipe(
      catchError(() => {
        this.refresh();
        return EMPTY;
      }),
      finalize(() => this.busyId.set(null)),
      takeUntilDestroyed(this.destroyRef),
    );
  }

  /** After an action here: this page and the toolbar's list show it at once (the stream would, a moment later). */
  private done(message: string): void {
    this.notifier.success(message);
    this.fetch(false);
    this.store.refresh().pipe(catchError(() => EMPTY)).subscribe();
  }
}

function isSortKey(value: string | undefined): value is SortKey {
  return value === 'name' || value === 'last_changed_at' || value === 'last_changed_by';
}

/** "Sales EU" → "sales-eu.switchboard.json". */
export function exportFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-');
  return `${slug || 'profile'}.switchboard.json`;
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url));
}

