import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { catchError, EMPTY, filter, finalize, Observable, switchMap } from 'rxjs';

import { ProfileDetailDto, ProfileExportDto, ProfileListItemDto } from '../../api/models';
import { ProfilesService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SbNotifier } from '../../core/notifier';
import { SB_HANDLED_STATUSES, SbProblem } from '../../core/problem';
import { filterProfiles, SbProfileStore } from '../../core/profile.store';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { SbStateComponent } from '../../shared/state.component';
import { SbImportDialogComponent, SbImportDialogData } from './import-dialog/import-dialog.component';
import { SbProfileDialogComponent, SbProfileDialogData, SbProfileDialogResult } from './profile-dialog/profile-dialog.component';
import { SbWhenPipe } from '../../shared/when';
import { count } from '../../shared/count';
import { SbCountPipe } from '../../shared/count';

/** The profile manager: every profile with create, edit, duplicate, delete, set default and load. */
@Component({
  selector: 'sb-profiles-page',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, MatMenuModule, MatSelectModule, MatTooltipModule, RouterLink, SbCountPipe, SbStateComponent, SbWhenPipe],
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

  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly busyId = signal<number | null>(null);
  protected readonly importing = signal(false);
  /** Name or description contains it (any case). */
  protected readonly query = signal('');
  protected readonly order = signal<'default' | 'name' | 'updated'>('default');
  protected readonly visible = computed(() => orderProfiles(filterProfiles(this.store.profiles() ?? [], this.query()), this.order()));

  ngOnInit(): void {
    this.store.currentId.set(null);
    this.refresh();
  }

  protected refresh(): void {
    this.state.set('loading');
    this.store
      .refresh()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ next: () => this.state.set('ready'), error: () => this.state.set('error') });
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
    const current = this.store.defaultProfile();
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

  private done(message: string): void {
    this.notifier.success(message);
    this.refresh();
  }
}

export function orderProfiles(profiles: ProfileListItemDto[], order: 'default' | 'name' | 'updated'): ProfileListItemDto[] {
  const byName = (a: ProfileListItemDto, b: ProfileListItemDto) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });
  if (order === 'updated') return profiles.sort((a, b) => b.updated_at.localeCompare(a.updated_at) || byName(a, b));
  if (order === 'name') return profiles.sort(byName);
  return profiles.sort((a, b) => Number(b.is_default) - Number(a.is_default) || byName(a, b));
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

export { filterProfiles };
