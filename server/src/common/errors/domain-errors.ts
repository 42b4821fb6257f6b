import type { ProblemSlug } from './problem-details.js';
/** A problem with one field of the request, reported in problem+json's `errors` list. */
export interface FieldError {
  field: string;
  message: string;
  /** Where in a text field the problem is (prompt templates), for editors to mark it. */
  code?: string;
  line?: number;
  column?: number;
  offset?: number;
  length?: number;
}

/**
 * Errors services throw; ProblemDetailsFilter turns them into RFC 9457 responses. Each carries its
 * HTTP status and a stable slug that becomes the problem `type`.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly slug: ProblemSlug;
  /** Response headers the status calls for (WWW-Authenticate, Retry-After). */
  readonly headers: Record<string, string> = {};

  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No credentials, or credentials that are unknown, revoked or malformed. */
export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly slug = 'unauthorized';
  override readonly headers = { 'www-authenticate': 'Bearer realm="switchboard"' };
}

/** Valid credentials whose role does not allow the operation. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly slug = 'forbidden';
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly slug = 'rate-limited';
  override readonly headers: Record<string, string>;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'not-found';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly slug = 'conflict';
}

export class PreconditionFailedError extends DomainError {
  readonly status = 412;
  readonly slug = 'precondition-failed';
}

/** A body larger than the route accepts, found while reading a streamed one (Fastify refuses the others itself). */
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly slug = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
}

export class UnprocessableError extends DomainError {
  readonly status = 422;
  readonly slug = 'validation-failed';
}

export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  readonly slug = 'service-unavailable';
}

/**
 * The database is up but every connection is taken and the wait for one ran out: the request
 * may be sent again in a moment. Not an outage, so not "unreachable".
 */
export class DatabaseBusyError extends DomainError {
  readonly status = 503;
  readonly slug = 'database-busy';
  override readonly headers = { 'retry-after': '1' };

  constructor(reason: string) {
    super(`The server is busy (${reason}); retry in a moment.`);
  }
}

/** The request itself is malformed: wrong types, unknown properties, unparsable values. */
export class BadRequestError extends DomainError {
  readonly status = 400;
  readonly slug = 'invalid-request';
}

/**
 * Runs `work`, reporting the field errors it throws under `prefix`: a feature names the field of
 * its own values (`user_prompt_template`), a caller that nested them adds where (`profile.prompts.`).
 */
export async function withFieldPrefix<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) {
      for (const fieldError of error.errors) fieldError.field = `${prefix}${fieldError.field}`;
    }
    throw error;
  }
}
