import { computed, Injectable, signal } from '@angular/core';

import { PrincipalDto } from '../api/models';

const TOKEN_KEY = 'switchboard.token';

/** Why the sign-in page is shown. */
export type SbSignInReason = 'signed-out' | 'rejected';

/**
 * The API token of this browser tab (kept in sessionStorage: it survives a reload, not the tab)
 * and who the server says it belongs to.
 */
@Injectable({ providedIn: 'root' })
export class SbAuthStore {
  private readonly tokenSignal = signal<string | null>(readToken());
  private readonly principalSignal = signal<PrincipalDto | null>(null);

  readonly token = this.tokenSignal.asReadonly();
  readonly principal = this.principalSignal.asReadonly();
  readonly signedIn = computed(() => this.tokenSignal() !== null && this.principalSignal() !== null);
  /** Editors and admins change configuration; viewers see read-only forms. */
  readonly canEdit = computed(() => {
    const role = this.principalSignal()?.role;
    return role === 'editor' || role === 'admin';
  });
  /** Registers and changes domains (and tokens). */
  readonly isAdmin = computed(() => this.principal()?.role === 'admin');

  setToken(token: string): void {
    this.tokenSignal.set(token);
    this.principalSignal.set(null);
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      // Storage may be unavailable (private mode): the token then lasts until the page reloads.
    }
  }

  setPrincipal(principal: PrincipalDto): void {
    this.principalSignal.set(principal);
  }

  clear(): void {
    this.tokenSignal.set(null);
    this.principalSignal.set(null);
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // see setToken
    }
  }
}

function readToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}
