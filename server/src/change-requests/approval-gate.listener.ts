import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CONFIG_CHANGED, type ConfigChangedEvent } from '../common/events/config-events.js';
import { currentPrincipal } from '../common/http/request-context.js';
import type { GenieSpaceValues } from '../genie/genie-space-diff.js';
import { ApprovalRequiredError, type Proposal } from './change-request.errors.js';
import { APPROVAL_DOMAIN, BUILT_IN, ChangeRequestsService } from './change-requests.service.js';

/**
 * What an editor cannot propose on a profile that requires approval, by the domain of its change:
 * the profile's life (who it is, whether it is the default, who gets it) and the prompt library,
 * which releases versions through its own labels.
 */
const ADMIN_ONLY: Partial<Record<string, string>> = {
  profile: 'renaming, describing, deleting it or making it the default',
  rollout: 'its rollout',
  prompt_registry: 'its prompt library',
};

/**
 * Approval, in one place for every change: inside each change's transaction, a change of a profile
 * that requires approval made by anyone but an admin is stopped (the transaction rolls back). A
 * write of a domain's values (ai-infra, MLflow, prompts, a registered domain) or of one Genie space
 * (the events that carry values) goes out as a proposal, which the interceptor turns into a change
 * request; anything else (the profile's life: rename, delete, default, rollout, restore; the
 * prompt library) is refused with the way to propose it.
 * Approving a request applies it outside any request's principal, so it passes; so do scheduled
 * changes (authorised when scheduled), loads (they change a session, not the profile), and a
 * parent's change reaching the profiles that inherit from it (the parent's own rule decides).
 */
@Injectable()
export class ApprovalGate {
  constructor(private readonly changeRequests: ChangeRequestsService) {}

  @OnEvent(CONFIG_CHANGED, { suppressErrors: false })
  async check(event: ConfigChangedEvent): Promise<void> {
    const principal = currentPrincipal();
    if (!principal || principal.role === 'admin' || event.action === 'load' || event.action === 'inherit' || event.domain === APPROVAL_DOMAIN) return;
    if (!(await this.changeRequests.requiresApproval(event.manager, event.profileId))) return;
    const proposal = proposalOf(event);
    throw new ApprovalRequiredError(
      proposal
        ? `Profile "${event.profileName}" requires approval: this change is proposed as a change request, which another editor approves.`
        : `Profile "${event.profileName}" requires approval: ${ADMIN_ONLY[event.domain] ?? 'this change'} is for admins there. Values, Genie spaces and restores are proposed with POST /api/config/change-requests, and another editor approves them.`,
      proposal,
    );
  }
}

/** Writes of a domain's values carry them (`values`): those can wait as a change request. */
function proposalOf(event: ConfigChangedEvent): Proposal | undefined {
  const { profileId, actor } = event;
  if (event.domain === 'genie' && event.values) return { profileId, actor, genie: event.values as { before: GenieSpaceValues[]; after: GenieSpaceValues[] } };
  if (!event.values || (event.action !== 'update' && event.action !== 'create')) return undefined;
  const version = (event.values.before as { version?: number } | null)?.version ?? 0;
  if (!(BUILT_IN as readonly string[]).includes(event.domain)) return { profileId, actor, version, registered: event.domain };
  if (event.action !== 'update') return undefined;
  const values = Object.fromEntries(Object.entries(event.changes).map(([field, change]) => [field, change.new]));
  return { profileId, actor, version, domain: event.domain as 'ai_infra' | 'mlflow' | 'prompts', values };
}
