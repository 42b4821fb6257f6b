import { DomainError, UnprocessableError } from '../common/errors/domain-errors.js';
import type { GenieSpaceValues } from '../genie/genie-space-diff.js';

/**
 * What an editor tried to write to a profile that requires approval: a built-in domain's changed
 * fields, a registered domain (whose values the request's body holds, secrets in the clear: the
 * change request refuses those, so that no secret waits in one), or the profile's Genie spaces as
 * the write would leave them. Versions and `before` are what the write was made against.
 */
export type Proposal = { profileId: number; actor: string } & (
  | { domain: 'ai_infra' | 'mlflow' | 'prompts'; version: number; values: Record<string, unknown> }
  | { registered: string; version: number }
  | { genie: { before: GenieSpaceValues[]; after: GenieSpaceValues[] } }
  /** A restore: the snapshot's values of the domains it puts back, proposed against the profile as it is. */
  | { restore: { entryId: number; values: Record<string, unknown> } }
);

/**
 * A change of a profile that requires approval, by someone who is not an admin. When it carries a
 * proposal (a PUT of ai-infra, MLflow, prompts or a registered domain's values, a write of a Genie space), the change-request
 * interceptor turns it into a change request (202); any other change is refused (409) with the way
 * to propose it.
 */
export class ApprovalRequiredError extends DomainError {
  readonly status = 409;
  readonly slug = 'approval-required';

  constructor(
    message: string,
    readonly proposal?: Proposal,
  ) {
    super(message);
  }
}

/** Proposed values that are those the profile has (422): no request is made. */
export class NothingToApproveError extends UnprocessableError {
  constructor() {
    super('The proposed values are those the profile has: there is nothing to approve.', [{ field: 'values', message: 'changes nothing' }]);
  }
}
