import { ProblemDetailsDto } from '../api/models';
import { SbProblem } from './problem';

/** Every problem type the server publishes (openapi.json), `about:blank` included. */
export type SbProblemType = ProblemDetailsDto['type'];

type Wording = (problem: SbProblem, labelOf?: SbFieldLabeler) => string;
/** A field's name for people (`llm_temperature` → "Temperature"), if known. */
export type SbFieldLabeler = (field: string) => string | undefined;

/** The server's summaries that say nothing the field messages do not. */
const GENERIC_DETAILS = new Set(['The request is malformed.', 'Some values are not acceptable.']);

/** The server's own sentence (written for people: a taken name, a profile in use), else ours. */
const detailOr =
  (fallback: string): Wording =>
  (problem) =>
    problem.detail || fallback;

/** Field problems: the first field's message and how many more; the server's explanation when it gives one. */
const fieldsOr =
  (fallback: string): Wording =>
  (problem, labelOf) => {
    if (problem.fieldErrors.length && (!problem.detail || GENERIC_DETAILS.has(problem.detail))) {
      const [first, ...rest] = problem.fieldErrors;
      const message = humanizeFieldMessage(first!.message, labelOf);
      return rest.length ? `${message}; and ${rest.length} other problem${rest.length === 1 ? '' : 's'}.` : `${message}.`;
    }
    return problem.detail && !GENERIC_DETAILS.has(problem.detail) ? problem.detail : fallback;
  };

/** A request only a console bug would send: the server's wording is for developers, so it goes to the reference. */
const consoleFault =
  (what: string): Wording =>
  (problem) =>
    `${what} Reload the page and try again${problem.requestId ? ` (reference ${problem.requestId})` : ''}.`;

/**
 * What the console says for each problem type the server answers with. A type added to the
 * server reaches this map through the generated client (the Record must then name it), and the
 * spec beside this file lists every type with its sentence.
 */
export const PROBLEM_WORDING: Record<SbProblemType, Wording> = {
  'urn:switchboard:problem:invalid-request': fieldsOr('The request was not understood.'),
  'urn:switchboard:problem:malformed-body': consoleFault('The console sent something the server could not read.'),
  'urn:switchboard:problem:malformed-url': consoleFault('The console asked for an address the server could not read.'),
  'urn:switchboard:problem:malformed-value': fieldsOr('A value has a format that cannot be stored.'),
  'urn:switchboard:problem:unauthorized': () => 'Your sign-in is no longer accepted: sign in again.',
  'urn:switchboard:problem:forbidden': (problem) => `Not allowed: ${problem.detail || 'your role does not permit this.'}`,
  'urn:switchboard:problem:not-found': detailOr('It no longer exists: someone may have deleted it.'),
  'urn:switchboard:problem:route-not-found': consoleFault('This console and the server do not match (the server has no such route): the server may have been updated.'),
  'urn:switchboard:problem:conflict': detailOr('This clashes with what is stored now.'),
  'urn:switchboard:problem:in-use': detailOr('It is still in use.'),
  'urn:switchboard:problem:concurrent-change': () => 'Someone changed the same thing at the same moment: try again.',
  'urn:switchboard:problem:precondition-failed': () => 'Someone else saved a change meanwhile: reload to see it, then make yours again.',
  'urn:switchboard:problem:payload-too-large': () => 'This is larger than the server accepts: make it smaller and try again.',
  'urn:switchboard:problem:uri-too-long': consoleFault('The console asked for an address longer than the server accepts.'),
  'urn:switchboard:problem:unsupported-media-type': consoleFault('The console sent a kind of content the server does not take here.'),
  'urn:switchboard:problem:validation-failed': fieldsOr('Some values are not acceptable.'),
  'urn:switchboard:problem:rate-limited': () => 'Too many changes in a short time: wait a moment, then try again.',
  'urn:switchboard:problem:internal-error': (problem) =>
    `Something went wrong on the server. Try again; if it happens again, give your administrator this reference: ${problem.requestId ?? 'none given'}.`,
  'urn:switchboard:problem:service-unavailable': detailOr('The server cannot do this right now: try again shortly.'),
  'urn:switchboard:problem:database-busy': () => 'The server is busy right now: try again in a moment.',
  'urn:switchboard:problem:database-unavailable': () => 'The server cannot reach its database right now: try again shortly.',
  'urn:switchboard:problem:llm-not-configured': detailOr('No model endpoint is configured for the agent.'),
  'urn:switchboard:problem:llm-upstream-error': (problem) => `The model endpoint answered with an error${problem.detail ? `: ${problem.detail}` : '.'}`,
  'urn:switchboard:problem:llm-timeout': () => 'The model endpoint did not answer in time: try again, or raise the timeout in AI infrastructure.',
  'urn:switchboard:problem:probe-required': () => 'This profile requires a passing probe first: use “Probe” in AI infrastructure with these settings, then save again.',
  'urn:switchboard:problem:approval-required': () => 'This profile requires approval: this change cannot be proposed from here; ask an admin, or propose values as a change request.',
  'urn:switchboard:problem:databricks-not-configured': () => 'Databricks is not configured on this server: ask your administrator to set its host and token.',
  'urn:switchboard:problem:databricks-upstream-error': (problem) => `Databricks answered with an error${problem.detail ? `: ${problem.detail}` : '.'}`,
  'urn:switchboard:problem:databricks-timeout': () => 'Databricks did not answer in time: try again shortly.',
  'about:blank': (problem, labelOf) => (problem.status === 0 ? problem.detail : fieldsOr(problem.title || `The server answered ${problem.status}.`)(problem, labelOf)),
};

/** The sentence a person reads for a failed request (the snackbar's). */
export function personMessage(problem: SbProblem, labelOf?: SbFieldLabeler): string {
  const wording = (PROBLEM_WORDING as Partial<Record<string, Wording>>)[problem.type] ?? PROBLEM_WORDING['about:blank'];
  return wording(problem, labelOf);
}

/**
 * The server names fields as the API does ("llm_temperature must be at most 1"): the leading
 * snake_case name becomes the field's label ("Temperature must be at most 1"), or words when no
 * label is known ("Llm temperature must …"). Other messages stay as they are.
 */
export function humanizeFieldMessage(message: string, labelOf?: SbFieldLabeler): string {
  const match = /^([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?= )/.exec(message);
  if (!match) return message;
  const words = match[1]!.replace(/_/g, ' ');
  const label = labelOf?.(match[1]!) ?? words.charAt(0).toUpperCase() + words.slice(1);
  return label + message.slice(match[1]!.length);
}
