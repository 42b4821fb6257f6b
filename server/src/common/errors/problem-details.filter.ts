import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError, type FieldError } from './domain-errors.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problem } from './problem-details.js';
import { isConnectionError, isPoolWaitTimeout } from '../database/connection-errors.js';
import { postgresErrorToProblem } from './postgres-errors.js';

/**
 * The one place where errors become HTTP responses: domain errors, Nest's HTTP exceptions
 * (including its 404 for unknown routes), Fastify's body errors and PostgreSQL constraint
 * violations all leave as RFC 9457 problem+json. Anything else is a bug: 500, logged with stack.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  /** `poolSaturated` tells a wait for a busy pool from a database that does not answer. */
  constructor(private readonly options: { poolSaturated?: () => boolean } = {}) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toProblem(exception);
    if (body.status === 500) {
      this.logger.error(`${request.method} ${request.url} failed`, exception instanceof Error ? exception.stack : String(exception));
    } else if (body.status > 500 && body.status !== 503) {
      // An upstream service failed (502, 504): worth a line, not a stack.
      this.logger.warn(`${request.method} ${request.url}: ${body.detail}`);
    }
    if (exception instanceof DomainError) reply.headers(exception.headers);
    if (body.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '2');
    body.instance = request.url;
    body.request_id = String(request.id);
    reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }

  toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      return problem(exception.status, exception.slug, exception.message, exception.errors);
    }
    if (isPoolWaitTimeout(exception) && this.options.poolSaturated?.()) {
      return problem(503, 'database-busy', 'The server is busy (every database connection is in use); retry in a moment.');
    }
    // Before QueryFailedError: TypeORM wraps a connection lost mid-query in one.
    if (isConnectionError(exception)) {
      return problem(503, 'database-unavailable', 'The database is unreachable; try again shortly.');
    }
    if (exception instanceof QueryFailedError) {
      return postgresErrorToProblem(exception.driverError as { code?: string }) ?? internal();
    }
    if (exception instanceof HttpException) {
      // Nest wraps Fastify's own errors (body parsing, size) and keeps the original as cause.
      const cause = exception.cause as (Error & { code?: string }) | undefined;
      return cause?.code?.startsWith('FST_') ? fromFastifyError(exception.getStatus(), cause) : fromHttpException(exception);
    }
    const status = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return fromFastifyError(status, exception as Error & { code?: string });
    }
    return internal();
  }
}

function internal(): ProblemDetails {
  return problem(500, 'internal-error', 'An unexpected error occurred. It has been logged with this request id.');
}

function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(exception.message)) {
    return problem(404, 'route-not-found', `${exception.message.replace(/^Cannot /, 'No route for ')}.`);
  }
  const errors = (response as { errors?: FieldError[] })?.errors;
  const message = (response as { message?: unknown })?.message;
  const detail = typeof message === 'string' ? message : exception.message;
  return problem(status, undefined, detail, errors);
}

function fromFastifyError(status: number, error: Error & { code?: string }): ProblemDetails {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'payload-too-large', 'The request body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'unsupported-media-type', 'Send the request body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'malformed-body', 'The request declares a JSON body but sends none.');
    default:
      return problem(status, status === 400 ? 'malformed-body' : undefined, error.message);
  }
}
