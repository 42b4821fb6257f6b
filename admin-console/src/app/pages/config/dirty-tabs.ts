import { DestroyRef, effect, inject, Injectable, Signal, signal } from '@angular/core';

/** Which configuration tabs hold unsaved work, for the marks on the tab labels. */
@Injectable()
export class SbDirtyTabs {
  private readonly dirty = signal<ReadonlySet<string>>(new Set());

  isDirty(tab: string): boolean {
    return this.dirty().has(tab);
  }

  anyDirty(): boolean {
    return this.dirty().size > 0;
  }

  /**
   * Mirrors `dirty` for `tab` while the calling component lives (call in an injection context).
   * `tab` may be a function of the component's inputs: the mark moves when it changes.
   */
  track(tab: string | (() => string), dirty: Signal<boolean>): void {
    let current: string | null = null;
    effect(() => {
      const next = typeof tab === 'function' ? tab() : tab;
      const value = dirty();
      if (current !== null && current !== next) this.set(current, false);
      current = next;
      this.set(next, value);
    });
    inject(DestroyRef).onDestroy(() => {
      if (current !== null) this.set(current, false);
    });
  }

  private set(tab: string, value: boolean): void {
    // update() reads without tracking: the effect above depends on `dirty` of its tab only.
    this.dirty.update((current) => {
      if (current.has(tab) === value) return current;
      const next = new Set(current);
      if (value) next.add(tab);
      else next.delete(tab);
      return next;
    });
  }
}
