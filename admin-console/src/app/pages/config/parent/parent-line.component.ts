import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { RouterLink } from '@angular/router';
import { filter } from 'rxjs';

import { ProfileDetailDto, ProfileListItemDto } from '../../../api/models';
import { SbAuthStore } from '../../../core/auth.store';
import { SbNotifier } from '../../../core/notifier';
import { SbProfileStore } from '../../../core/profile.store';
import { SbParentDialogComponent, SbParentDialogData } from './parent-dialog.component';

/** In a profile's header: the profile it inherits from, and a way to choose another or none. */
@Component({
  selector: 'sb-parent-line',
  imports: [MatButtonModule, RouterLink],
  template: `
    <p class="sb-parent-line" data-testid="parent-line">
      @if (parentName(); as name) {
        <span>Inherits from <a [routerLink]="['/profiles', profile().parent_profile_id]">{{ name }}</a>: values it does not override follow that profile.</span>
      } @else {
        <span>Inherits from no profile.</span>
      }
      @if (auth.mayEdit(profile().id)) {
        <button mat-button type="button" (click)="choose()" data-testid="change-parent">{{ parentName() ? 'Change parent…' : 'Set parent…' }}</button>
      }
    </p>
  `,
  styles: `
    .sb-parent-line { display: flex; flex-wrap: wrap; align-items: center; gap: 0 8px; margin: 4px 0 0; color: var(--mat-sys-on-surface-variant); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbParentLineComponent {
  readonly profile = input.required<ProfileListItemDto>();

  protected readonly auth = inject(SbAuthStore);
  private readonly store = inject(SbProfileStore);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(SbNotifier);

  protected readonly parentName = computed(() => {
    const id = this.profile().parent_profile_id;
    return id === null ? null : (this.store.profiles()?.find((profile) => profile.id === id)?.name ?? `profile ${id}`);
  });

  /** After a change the profile list is read again: the tabs see the new parent there and read their values again. */
  protected choose(): void {
    this.dialog
      .open<SbParentDialogComponent, SbParentDialogData, ProfileDetailDto>(SbParentDialogComponent, {
        data: { profile: this.profile(), profiles: this.store.profiles() ?? [] },
        width: '480px',
      })
      .afterClosed()
      .pipe(filter((saved): saved is ProfileDetailDto => !!saved))
      .subscribe((saved) => {
        const parent = this.store.profiles()?.find((profile) => profile.id === saved.parent_profile_id);
        this.notifier.success(parent ? `“${saved.name}” now inherits from “${parent.name}”.` : `“${saved.name}” inherits from no profile now: it keeps its values as its own.`);
        this.store.refresh().subscribe({ error: () => undefined });
      });
  }
}
