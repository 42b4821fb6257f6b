import { HttpContextToken } from '@angular/common/http';

import { FieldErrorDto } from '../api/models';

/**
 * An HTTP failure as the problem interceptor hands it to callers: the server's RFC 9457 problem
 * details, already parsed. Components receive this, never a raw HttpErrorResponse.
 */
export class SbProblem extends Error {
  override readonly name = 'SbProblem';

  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    /** Errors of single fields (`field` names the request property), with positions for prompts. */
    readonly fieldErrors: readonly FieldErrorDto[] = [],
    readonly type = 'about:blank',
    readonly requestId?: string,
  ) {
    super(detail || title);
  }

  /** The messages concerning `field`, joined. */
  messageFor(field: string): string | undefined {
    const messages = this.fieldErrors.filter((error) => error.field === field).map((error) => error.message);
    return messages.length ? messages.join(' ') : undefined;
  }
}

/**
 * Statuses the caller handles itself: the interceptor still converts the error to an SbProblem
 * but shows no snackbar and, for 401, does not sign out (the sign-in page checks a token this way).
 */
export const SB_HANDLED_STATUSES = new HttpContextToken<readonly number[]>(() => []);

/** A background read (a stream, a periodic refresh) handles an unreachable or failing server itself: no snackbar. */
export const SB_BACKGROUND_STATUSES: readonly number[] = [0, 500, 502, 503, 504];
