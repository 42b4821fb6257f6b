import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CONFIG_CHANGED, type ConfigChangedEvent, DOMAIN_REGISTRY_CHANGED, type DomainRegistryChangedEvent } from '../common/events/config-events.js';
import { currentRequestId } from '../common/http/request-context.js';

/**
 * Writes the audit entry of every configuration change through the changing transaction's
 * manager: a committed change always has its entry, and a failed insert rolls the change back
 * (`suppressErrors: false`; the emitter would otherwise swallow the error). One statement: the
 * entry takes what the event carries, and its snapshot of the whole profile from the rows as
 * this transaction sees them (fn_profile_detail, the function GET /api/config/profiles/{id} reads).
 */
@Injectable()
export class HistoryListener {
  @OnEvent(CONFIG_CHANGED, { suppressErrors: false })
  async record(event: ConfigChangedEvent): Promise<void> {
    const [{ id }]: { id: string }[] = await event.manager.query(
      `INSERT INTO config_history (profile_id, profile_name, domain, action, changed_by, changes, snapshot, request_id, item)
       VALUES ($1, $2, $3, $4, $5, $6, fn_profile_detail($1)::jsonb, $7, $8)
       RETURNING id`,
      [event.profileId, event.profileName, event.domain, event.action, event.actor, event.changes, currentRequestId() ?? null, event.item ?? null],
    );
    event.historyId = Number(id);
  }

  /** A change to the registry itself: no profile, the registration as snapshot. */
  @OnEvent(DOMAIN_REGISTRY_CHANGED, { suppressErrors: false })
  async recordRegistry(event: DomainRegistryChangedEvent): Promise<void> {
    await event.manager.query(
      `INSERT INTO config_history (profile_id, profile_name, domain, action, subject, changed_by, changes, snapshot, request_id)
       VALUES (NULL, '', $1, $2, 'domain', $3, $4, $5, $6)`,
      [event.domain, event.action, event.actor, event.changes, event.registration, currentRequestId() ?? null],
    );
  }
}
