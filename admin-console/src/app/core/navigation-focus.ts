import { DOCUMENT, inject, Injectable } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';
import { filter } from 'rxjs';

const TRIES = 40;
const TRY_EVERY_MS = 50;

/**
 * After moving to another page, focus goes to its heading (`main h1`), so keyboard and screen
 * reader users start from what the page is, not from the link they left. Not on the first load,
 * not when only the query changes (a search being typed), and not between the tabs of one
 * profile (the tab bar keeps focus, as tabs should). A page still loading gets its heading
 * focused once it appears (unless the user has put focus somewhere meanwhile); after two
 * seconds the main region is focused instead.
 */
@Injectable({ providedIn: 'root' })
export class SbNavigationFocus {
  private readonly document = inject(DOCUMENT);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    let lastPage: string | null = null;
    inject(Router)
      .events.pipe(filter((event): event is NavigationEnd => event instanceof NavigationEnd))
      .subscribe((end) => {
        const page = pageOf(end.urlAfterRedirects);
        const moved = lastPage !== null && page !== lastPage;
        lastPage = page;
        if (moved) this.focusHeading(0, this.document.activeElement);
      });
  }

  /** `from`: what had focus when the page changed; once the user moved it elsewhere, nothing is taken from them. */
  private focusHeading(attempt: number, from: Element | null): void {
    clearTimeout(this.timer);
    const active = this.document.activeElement;
    if (attempt > 0 && active !== from && active !== this.document.body) return;
    const main = this.document.getElementById('sb-main');
    const heading = main?.querySelector<HTMLElement>('h1');
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else if (attempt < TRIES) {
      this.timer = setTimeout(() => this.focusHeading(attempt + 1, from), TRY_EVERY_MS);
    } else {
      main?.focus();
    }
  }
}

/** `/profiles/5/genie?x=1` → `/profiles/5`: the page, without its tab or query. */
export function pageOf(url: string): string {
  const path = url.split(/[?#]/)[0]!;
  return path.replace(/^(\/profiles\/\d+)(\/.*)?$/, '$1');
}
