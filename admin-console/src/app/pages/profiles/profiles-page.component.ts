import { ChangeDetectionStrategy, Component, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { catchError, EMPTY, filter, finalize, Observable, switchMap } from 'rxjs';

import { ProfileSummaryDto } from '../../api/models';
import { ProfilesService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SbNotifier } from '../../core/notifier';
import { SbProfileStore } from '../../core/profile.store';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { SbStateComponent } from '../../shared/state.component';
import { SbProfileDialogComponent, SbProfileDialogData, SbProfileDialogResult } from './profile-dialog/profile-dialog.component';

/** The profile manager: every profile with create, edit, duplicate, delete, set default and load. */
@Component({
  selector: 'sb-profiles-page',
  imports: [MatButtonModule, MatMenuModule, MatTooltipModule, RouterLink, SbStateComponent],
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

  protected create(copyFrom: number | null = null): void {
    this.openDialog({ mode: 'create', profiles: this.store.profiles() ?? [], copyFrom }, (profile) => `Profile “${profile.name}” created.`);
  }

  protected edit(profile: ProfileSummaryDto): void {
    this.openDialog({ mode: 'edit', profile }, (saved) => `Profile “${saved.name}” saved.`);
  }

  protected duplicate(profile: ProfileSummaryDto): void {
    this.openDialog({ mode: 'duplicate', profile }, (copy) => `Profile duplicated as “${copy.name}”.`);
  }

  protected remove(profile: ProfileSummaryDto): void {
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

  protected setDefault(profile: ProfileSummaryDto): void {
    this.run(profile, this.api.setDefaultProfile({ id: profile.id })).subscribe(() =>
      this.done(`“${profile.name}” is now the default profile: new sessions use it.`),
    );
  }

  protected load(profile: ProfileSummaryDto): void {
    this.run(profile, this.api.loadProfile({ id: profile.id, body: {} })).subscribe((loaded) =>
      this.done(`Loaded “${loaded.name}” into new session ${loaded.session_id}.`),
    );
  }

  protected configure(profile: ProfileSummaryDto): void {
    void this.router.navigate(['/profiles', profile.id]);
  }

  private openDialog(data: SbProfileDialogData, message: (profile: SbProfileDialogResult) => string): void {
    this.dialog
      .open<SbProfileDialogComponent, SbProfileDialogData, SbProfileDialogResult>(SbProfileDialogComponent, { data, width: '520px' })
      .afterClosed()
      .pipe(filter((result): result is SbProfileDialogResult => !!result))
      .subscribe((profile) => this.done(message(profile)));
  }

  /** One action on one profile at a time; a failure is the interceptor's snackbar, then a fresh list. */
  private run<T>(profile: ProfileSummaryDto, action: Observable<T>): Observable<T> {
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
