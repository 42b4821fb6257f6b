import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatInputModule } from '@angular/material/input';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { SbAuthStore } from './core/auth.store';
import { SbLiveChanges } from './core/live-changes';
import { filterProfiles, SbProfileStore } from './core/profile.store';
import { SbThemeService } from './core/theme';

@Component({
  selector: 'sb-root',
  imports: [MatToolbarModule, MatAutocompleteModule, MatButtonModule, MatFormFieldModule, MatInputModule, RouterLink, RouterLinkActive, RouterOutlet],
  templateUrl: './app.component.html',
  styleUrl: './app.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbAppComponent {
  protected readonly title = 'Switchboard';
  protected readonly auth = inject(SbAuthStore);
  protected readonly profiles = inject(SbProfileStore);
  protected readonly theme = inject(SbThemeService);
  /** Opens the change stream while someone is signed in; its state is the toolbar's live mark. */
  protected readonly live = inject(SbLiveChanges);
  private readonly router = inject(Router);
  /** What is typed in the toolbar's profile field: the options it shows. */
  protected readonly profileQuery = signal('');
  protected readonly profileName = (id: number | null): string => this.profiles.profiles()?.find((profile) => profile.id === id)?.name ?? '';
  protected readonly matchingProfiles = computed(() => filterProfiles(this.profiles.profiles() ?? [], this.profileQuery()));

  /** Same tab of another profile (the unsaved-changes guard asks first). */
  protected openProfile(profileId: number, selector: HTMLInputElement): void {
    const tab = /^\/profiles\/\d+\/([a-z-]+)/.exec(this.router.url)?.[1] ?? 'ai-infra';
    selector.blur();
    void this.router.navigate(['/profiles', profileId, tab]).then(() => {
      // Moved, or refused by the guard: the field names the profile shown.
      selector.value = this.profiles.current()?.name ?? '';
    });
  }

  protected signOut(): void {
    void this.router.navigate(['/sign-in'], { queryParams: { reason: 'signed-out' } }).then((moved) => {
      if (!moved) return;
      this.auth.clear();
      this.profiles.clear();
    });
  }
}
