import { ForbiddenError } from '../errors/domain-errors.js';
import { roleAllows, roleOn } from './access.js';
import { currentPrincipal } from './request-context.js';

/**
 * Refuses (403) a change of the profile by the principal of the request being served, unless it
 * may change that profile (its grant there, else its global role). Work that no request started
 * (a scheduled change, the command line) was authorised when it was asked for, and passes.
 */
export function assertMayChangeProfile(profileId: number, profileName?: string): void {
  const principal = currentPrincipal();
  if (!principal) return;
  const role = roleOn(principal, profileId);
  if (roleAllows(role, 'editor')) return;
  const profile = profileName === undefined ? `profile ${profileId}` : `profile "${profileName}"`;
  const granted = principal.grants?.has(profileId) ? ', granted on that profile' : '';
  throw new ForbiddenError(`Changing ${profile} needs the editor role on it; ${principal.name} has the ${role} role there${granted}.`);
}
