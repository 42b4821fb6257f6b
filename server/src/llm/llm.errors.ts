import { DomainError } from '../common/errors/domain-errors.js';

// Messages name statuses, hosts and endpoints only: never a key, a header or a prompt.

export class LlmNotConfiguredError extends DomainError {
  readonly status = 503;
  readonly slug = 'llm-not-configured';

  constructor() {
    super('No LLM is configured: set LLM_BASE_URL (any OpenAI-compatible server, with LLM_API_KEY if it needs one), or DATABRICKS_HOST and DATABRICKS_TOKEN.');
  }
}

export class LlmUpstreamError extends DomainError {
  readonly status = 502;
  readonly slug = 'llm-upstream-error';
}

export class LlmTimeoutError extends DomainError {
  readonly status = 504;
  readonly slug = 'llm-timeout';
}
