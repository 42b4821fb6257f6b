import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CONFIG_CHANGED, type ConfigChangedEvent } from '../common/events/config-events.js';
import { currentRequestId } from '../common/http/request-context.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { ConfigHistoryEntity } from './entities/config-history.entity.js';

/**
 * Writes the audit entry of every configuration change through the changing transaction's
 * manager: a committed change always has its entry, and a failed insert rolls the change back
 * (`suppressErrors: false`; the emitter would otherwise swallow the error).
 */
@Injectable()
export class HistoryListener {
  constructor(private readonly profiles: ProfilesService) {}

  @OnEvent(CONFIG_CHANGED, { suppressErrors: false })
  async record(event: ConfigChangedEvent): Promise<void> {
    const snapshot = await this.profiles.get(event.profileId, event.manager);
    const entry = event.manager.create(ConfigHistoryEntity, {
      profileId: event.profileId,
      profileName: event.profileName,
      domain: event.domain,
      action: event.action,
      changedBy: event.actor,
      changes: event.changes,
      snapshot: snapshot as unknown as Record<string, unknown>,
      requestId: currentRequestId(),
    });
    await event.manager.save(entry);
  }
}
