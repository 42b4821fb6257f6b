import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelect, MatSelectModule } from '@angular/material/select';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { SbAuthStore } from './core/auth.store';
import { SbLiveChanges } from './core/live-changes';
import { SbProfileStore } from './core/profile.store';
import { SbThemeService } from './core/theme';

@Component({
  selector: 'sb-root',
  imports: [MatToolbarModule, MatButtonModule, MatFormFieldModule, MatSelectModule, RouterLink, RouterLinkActive, RouterOutlet],
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

  /** Same tab of another profile (the unsaved-changes guard asks first). */
  protected openProfile(profileId: number, selector: MatSelect): void {
    const tab = /^\/profiles\/\d+\/([a-z-]+)/.exec(this.router.url)?.[1] ?? 'ai-infra';
    void this.router.navigate(['/profiles', profileId, tab]).then((moved) => {
      // Refused by the guard: put the selector back on the profile still shown.
      if (!moved) selector.value = this.profiles.currentId();
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
