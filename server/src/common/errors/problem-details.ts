import { STATUS_CODES } from 'node:http';
import type { FieldError } from './domain-errors.js';

/** RFC 9457 problem details, as every error response of the API carries them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Every problem `type` the API answers with (`urn:switchboard:problem:<slug>`), and what it means.
 * Clients may branch on them: the list is published in openapi.json, and the console words each.
 */
export const PROBLEM_TYPES = {
  'invalid-request': 'The request is malformed: wrong types, unknown properties, values that cannot be read',
  'malformed-body': 'The body is not valid JSON, or is missing',
  'malformed-url': 'The URL cannot be decoded',
  'malformed-value': 'A value has a format the database cannot read',
  unauthorized: 'No valid token',
  forbidden: "The token's role (or a grant) does not allow this",
  'not-found': 'The resource does not exist (or no longer does)',
  'route-not-found': 'No such route',
  conflict: 'Conflicts with the current state: a taken name, the default profile, a non-empty restore target',
  'in-use': 'Still used by something else (a live agent session)',
  'concurrent-change': 'Another change to the same data happened at the same moment; retry',
  'precondition-failed': 'If-Match names a version that is no longer current',
  'payload-too-large': 'The body is larger than the route accepts',
  'uri-too-long': 'A path parameter is too long',
  'unsupported-media-type': 'The body is not of a type this route takes',
  'validation-failed': 'A value breaks a rule (range, length, schema, placeholders)',
  'rate-limited': 'Too many writes by this principal; wait for Retry-After seconds',
  'internal-error': 'A bug: logged with the request id',
  'service-unavailable': 'The server cannot do this right now (shutting down, a restore holds the tables)',
  'database-busy': 'Every database connection is in use; retry in a moment',
  'database-unavailable': 'The database cannot be reached',
  'llm-not-configured': 'The agent has no LLM endpoint configured',
  'llm-upstream-error': 'The LLM endpoint answered with an error',
  'llm-timeout': 'The LLM endpoint did not answer in time',
  'probe-required': "The profile requires a fresh passing probe of its LLM settings before this change",
  'approval-required': 'The profile requires approval: propose the change as a change request, which another editor approves',
  'databricks-not-configured': 'Databricks is not configured on this server',
  'databricks-upstream-error': 'Databricks answered with an error',
  'databricks-timeout': 'Databricks did not answer in time',
} as const;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;
export const PROBLEM_TYPE_PREFIX = 'urn:switchboard:problem:';

export function problem(status: number, slug: ProblemSlug | undefined, detail: string, errors?: FieldError[]): ProblemDetails {
  return {
    type: slug ? `${PROBLEM_TYPE_PREFIX}${slug}` : 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(errors?.length ? { errors } : {}),
  };
}
