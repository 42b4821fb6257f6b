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

export function problem(status: number, slug: string | undefined, detail: string, errors?: FieldError[]): ProblemDetails {
  return {
    type: slug ? `urn:switchboard:problem:${slug}` : 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(errors?.length ? { errors } : {}),
  };
}
