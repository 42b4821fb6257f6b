import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from '../errors/problem-details.js';

/** The longest path parameter the router accepts; every route's own parameters are far shorter. */
export const MAX_PARAM_LENGTH = 500;

/**
 * Errors Fastify's router raises before any route runs (a malformed URL, an overlong path
 * parameter) answer problem+json like everything else, without echoing the URL back.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const body =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? problem(414, 'uri-too-long', `A path parameter is longer than ${MAX_PARAM_LENGTH} characters.`)
      : problem(400, 'malformed-url', 'The request URL cannot be decoded.');
  reply
    .status(body.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('x-request-id', String(request.id))
    .send({ ...body, request_id: String(request.id) });
}
