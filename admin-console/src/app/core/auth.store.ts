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

  /**
   * Whether this principal may change one profile: a role granted on it counts in place of the
   * global role (an editor grant lets a viewer edit it, a viewer grant makes it read-only), and
   * admins may change everything. Reads a signal: call it in a template or computed.
   */
  mayEdit(profileId: number | null | undefined): boolean {
    const principal = this.principalSignal();
    if (!principal) return false;
    if (principal.role === 'admin') return true;
    const granted = profileId == null ? undefined : principal.grants?.find((grant) => grant.profile_id === profileId)?.role;
    const role = granted ?? principal.role;
    return role === 'editor';
  }

  /** The role held on one profile, as mayEdit reads it: for "Read-only: your role … " notes. */
  roleOn(profileId: number | null | undefined): string | undefined {
    const principal = this.principalSignal();
    if (!principal || principal.role === 'admin') return principal?.role;
    return (profileId == null ? undefined : principal.grants?.find((grant) => grant.profile_id === profileId)?.role) ?? principal.role;
  }

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
