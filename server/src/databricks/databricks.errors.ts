import { DomainError } from '../common/errors/domain-errors.js';

/*
 * Messages are built only from fixed text, HTTP statuses, Databricks error codes, request paths
 * and the host: never from the token or a header, since 5xx problems are logged with their stack.
 */

export class DatabricksNotConfiguredError extends DomainError {
  readonly status = 503;
  readonly slug = 'databricks-not-configured';

  constructor(missing: string[]) {
    super(`Databricks is not configured: set DATABRICKS_HOST and DATABRICKS_TOKEN (missing: ${missing.join(', ')}).`);
  }
}

/** Databricks answered badly or not at all; `upstreamStatus` is its HTTP status, when it sent one. */
export class DatabricksUpstreamError extends DomainError {
  readonly status = 502;
  readonly slug = 'databricks-upstream-error';

  constructor(
    message: string,
    readonly upstreamStatus?: number,
  ) {
    super(message);
  }

  static rejectedToken(upstreamStatus: number, action: string): DatabricksUpstreamError {
    return new DatabricksUpstreamError(
      `Databricks rejected the configured token (HTTP ${upstreamStatus}) while ${action}.`,
      upstreamStatus,
    );
  }

  static failed(upstreamStatus: number, action: string, errorCode?: string): DatabricksUpstreamError {
    const code = errorCode ? ` ${errorCode}` : '';
    return new DatabricksUpstreamError(`Databricks answered HTTP ${upstreamStatus}${code} while ${action}.`, upstreamStatus);
  }

  static malformed(upstreamStatus: number, action: string, problem: string): DatabricksUpstreamError {
    return new DatabricksUpstreamError(`Databricks sent a malformed response while ${action}: ${problem}.`, upstreamStatus);
  }

  static unreachable(host: string, action: string, reason: string): DatabricksUpstreamError {
    return new DatabricksUpstreamError(`Could not reach Databricks at ${host} while ${action} (${reason}).`);
  }
}

export class DatabricksTimeoutError extends DomainError {
  readonly status = 504;
  readonly slug = 'databricks-timeout';

  constructor(timeoutMs: number, action: string) {
    super(`Databricks did not answer within ${timeoutMs} ms while ${action}.`);
  }
}
