import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatInputModule } from '@angular/material/input';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { SbAuthStore } from './core/auth.store';
import { SbLiveChanges } from './core/live-changes';
import { filterProfiles, SbProfileStore } from './core/profile.store';
import { SbThemeService } from './core/theme';
import { SbNavigationFocus } from './core/navigation-focus';
import { SbDomainCatalog } from './core/domain-catalog';
import { profileTabs } from './core/profile-tabs';
import { buildCommands, SbCommand } from './shared/command-palette/commands';
import { SbCommandPaletteComponent } from './shared/command-palette/command-palette.component';
import { SbShortcutsDialogComponent } from './shared/shortcuts-dialog.component';

@Component({
  selector: 'sb-root',
  imports: [MatToolbarModule, MatAutocompleteModule, MatButtonModule, MatFormFieldModule, MatInputModule, RouterLink, RouterLinkActive, RouterOutlet],
  templateUrl: './app.component.html',
  styleUrl: './app.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(window:keydown.control.k)': 'openPalette($event)',
    '(window:keydown.meta.k)': 'openPalette($event)',
    '(window:keydown)': 'showShortcuts($event)',
  },
})
export class SbAppComponent {
  protected readonly title = 'Switchboard';
  protected readonly auth = inject(SbAuthStore);
  protected readonly profiles = inject(SbProfileStore);
  protected readonly theme = inject(SbThemeService);
  /** Opens the change stream while someone is signed in; its state is the toolbar's live mark. */
  protected readonly live = inject(SbLiveChanges);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  /** Registered domains' tabs are commands too. */
  private readonly catalog = inject(SbDomainCatalog);
  /** What is typed in the toolbar's profile field: the options it shows. */
  protected readonly profileQuery = signal('');
  protected readonly profileName = (id: number | null): string => this.profiles.profiles()?.find((profile) => profile.id === id)?.name ?? '';
  protected readonly matchingProfiles = computed(() => filterProfiles(this.profiles.profiles() ?? [], this.profileQuery()));

  constructor() {
    inject(SbNavigationFocus); // moves focus to each new page's heading
  }

  /** Same tab of another profile (the unsaved-changes guard asks first). */
  protected openProfile(profileId: number, selector: HTMLInputElement): void {
    const tab = /^\/profiles\/\d+\/([a-z-]+)/.exec(this.router.url)?.[1] ?? 'ai-infra';
    selector.blur();
    void this.router.navigate(['/profiles', profileId, tab]).then(() => {
      // Moved, or refused by the guard: the field names the profile shown.
      selector.value = this.profiles.current()?.name ?? '';
    });
  }

  protected openPalette(event: Event): void {
    event.preventDefault(); // the browser's own Ctrl+K goes to its address bar
    if (!this.auth.signedIn() || this.dialog.openDialogs.length) return;
    if (this.profiles.profiles() === null) this.profiles.refresh().subscribe({ error: () => undefined });
    const commands = () =>
      buildCommands({
        admin: this.auth.isAdmin(),
        editor: this.auth.canEdit(),
        current: this.profiles.current(),
        profiles: this.profiles.profiles() ?? [],
        tabs: profileTabs(this.catalog.domains().filter((domain) => !domain.built_in), this.auth.isAdmin()),
      });
    this.dialog
      .open<SbCommandPaletteComponent, () => SbCommand[], SbCommand>(SbCommandPaletteComponent, { data: commands, width: '560px', position: { top: '12vh' }, autoFocus: false })
      .afterClosed()
      .subscribe((command) => command && this.run(command));
  }

  /** `?` anywhere but in a text field shows the keyboard shortcuts. */
  protected showShortcuts(event: KeyboardEvent): void {
    if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || this.dialog.openDialogs.length) return;
    event.preventDefault();
    this.dialog.open(SbShortcutsDialogComponent, { width: '520px' });
  }

  private run(command: SbCommand): void {
    if (command.url) void this.router.navigate(command.url.path, { queryParams: command.url.queryParams });
    else if (command.action === 'theme') this.theme.next();
    else if (command.action === 'shortcuts') this.dialog.open(SbShortcutsDialogComponent, { width: '520px' });
    else if (command.action === 'sign-out') this.signOut();
  }

  protected signOut(): void {
    void this.router.navigate(['/sign-in'], { queryParams: { reason: 'signed-out' } }).then((moved) => {
      if (!moved) return;
      this.auth.clear();
      this.profiles.clear();
    });
  }
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable], .monaco-editor') !== null;
}
