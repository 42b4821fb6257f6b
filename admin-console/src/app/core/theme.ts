import { Injectable, signal } from '@angular/core';

export type SbTheme = 'system' | 'light' | 'dark';
const KEY = 'switchboard.theme';
const ORDER: SbTheme[] = ['system', 'light', 'dark'];

/**
 * Light or dark: the Material theme is emitted with light-dark() colours, so setting the root's
 * color-scheme is the whole switch. "system" follows the operating system.
 */
@Injectable({ providedIn: 'root' })
export class SbThemeService {
  readonly theme = signal<SbTheme>(read());

  constructor() {
    this.apply(this.theme());
  }

  next(): void {
    const theme = ORDER[(ORDER.indexOf(this.theme()) + 1) % ORDER.length]!;
    this.theme.set(theme);
    this.apply(theme);
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // not kept: fine
    }
  }

  private apply(theme: SbTheme): void {
    document.documentElement.style.colorScheme = theme === 'system' ? 'light dark' : theme;
  }
}

function read(): SbTheme {
  try {
    const stored = localStorage.getItem(KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}
