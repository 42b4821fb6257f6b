import { ForbiddenError } from '../errors/domain-errors.js';
import { type Principal, type Role, roleAllows, roleOn } from './access.js';
import { currentPrincipal } from './request-context.js';

/**
 * Refuses (403) what needs `needed` on the profile when the principal holds less there (its grant
 * there, else its global role). The one rule of per-profile permissions: the guard, the permission
 * gate and deciding on change requests all ask it.
 */
export function assertRoleOnProfile(principal: Principal, needed: Role, profileId: number, profileName?: string): void {
  const role = roleOn(principal, profileId);
  if (roleAllows(role, needed)) return;
  const profile = profileName === undefined ? `profile ${profileId}` : `profile "${profileName}"`;
  const granted = principal.grants?.has(profileId) ? ', granted on that profile' : '';
  throw new ForbiddenError(`Changing ${profile} needs the ${needed} role on it; ${principal.name} has the ${role} role there${granted}.`);
}

/**
 * assertRoleOnProfile for a change, by the principal of the request being served. Work that no
 * request started (a scheduled change, the command line) was authorised when it was asked for, and passes.
 */
export function assertMayChangeProfile(profileId: number, profileName?: string): void {
  const principal = currentPrincipal();
  if (principal) assertRoleOnProfile(principal, 'editor', profileId, profileName);
}
