import { DomainError } from '../common/errors/domain-errors.js';

/** Values of one built-in domain an editor tried to write to a profile that requires approval. */
export interface Proposal {
  profileId: number;
  domain: 'ai_infra' | 'mlflow' | 'prompts';
  values: Record<string, unknown>;
  actor: string;
}

/**
 * A change of a profile that requires approval, by someone who is not an admin. When it carries a
 * proposal (a PUT of ai-infra, MLflow or prompts), the change-request interceptor turns it into a
 * change request (202); any other change is refused (409) with the way to propose it.
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
