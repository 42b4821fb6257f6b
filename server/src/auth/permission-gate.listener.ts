import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CONFIG_CHANGED, type ConfigChangedEvent } from '../common/events/config-events.js';
import { assertMayChangeProfile } from '../common/http/profile-permission.js';

/**
 * Per-profile permissions, in one place for every change: each audited change of a profile passes
 * through here inside its transaction (whatever route or service made it: a Genie space by its own
 * id, a restore, a promote, a bulk delete), and one the acting principal may not make on that
 * profile is refused with 403, rolling the transaction back. A load is not a change of the
 * profile's configuration: the guard decides on the profile its route names (a rollout may bind
 * the session to the candidate instead). Nor is a parent's change reaching the profiles that
 * inherit from it (`inherit`): whoever may change the parent decides for them.
 */
@Injectable()
export class PermissionGate {
  @OnEvent(CONFIG_CHANGED, { suppressErrors: false })
  check(event: ConfigChangedEvent): void {
    if (event.action === 'load' || event.action === 'inherit') return;
    assertMayChangeProfile(event.profileId, event.profileName);
  }
}
