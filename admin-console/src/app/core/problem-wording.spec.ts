import { SbProblem } from './problem';
import { humanizeFieldMessage, personMessage, PROBLEM_WORDING, SbProblemType } from './problem-wording';

const urn = (slug: string) => `urn:switchboard:problem:${slug}` as SbProblemType;
const problem = (type: SbProblemType, status: number, detail: string, fields: { field: string; message: string }[] = [], requestId?: string) =>
  new SbProblem(status, 'Title', detail, fields, type, requestId);

/** Every type the server publishes, as the server words it (its detail), and as a person reads it in the console. */
const CASES: [SbProblemType, SbProblem, string][] = [
  [urn('invalid-request'), problem(urn('invalid-request'), 400, 'The request is malformed.', [{ field: 'hello', message: 'hello is not a field this request accepts' }]), 'hello is not a field this request accepts.'],
  [urn('malformed-body'), problem(urn('malformed-body'), 400, "Unexpected token '}' in JSON at position 12", [], 'req-1'), 'The console sent something the server could not read. Reload the page and try again (reference req-1).'],
  [urn('malformed-url'), problem(urn('malformed-url'), 400, 'The request URL cannot be decoded.'), 'The console asked for an address the server could not read. Reload the page and try again.'],
  [urn('malformed-value'), problem(urn('malformed-value'), 400, 'A value has the wrong format.'), 'A value has the wrong format.'],
  [urn('unauthorized'), problem(urn('unauthorized'), 401, 'Unknown token.'), 'Your sign-in is no longer accepted: sign in again.'],
  [urn('forbidden'), problem(urn('forbidden'), 403, 'Editors and admins only.'), 'Not allowed: Editors and admins only.'],
  [urn('not-found'), problem(urn('not-found'), 404, ''), 'It no longer exists: someone may have deleted it.'],
  [urn('route-not-found'), problem(urn('route-not-found'), 404, 'No route for GET /api/config/nope.'), 'This console and the server do not match (the server has no such route): the server may have been updated. Reload the page and try again.'],
  [urn('conflict'), problem(urn('conflict'), 409, 'A profile named “Sales” already exists (names are case-insensitive).'), 'A profile named “Sales” already exists (names are case-insensitive).'],
  [urn('in-use'), problem(urn('in-use'), 409, ''), 'It is still in use.'],
  [urn('concurrent-change'), problem(urn('concurrent-change'), 409, 'could not serialize access due to concurrent update'), 'Someone changed the same thing at the same moment: try again.'],
  [urn('precondition-failed'), problem(urn('precondition-failed'), 412, 'If-Match "v3" does not match the current version "v4".'), 'Someone else saved a change meanwhile: reload to see it, then make yours again.'],
  [urn('payload-too-large'), problem(urn('payload-too-large'), 413, 'The request body is larger than this server accepts.'), 'This is larger than the server accepts: make it smaller and try again.'],
  [urn('uri-too-long'), problem(urn('uri-too-long'), 414, 'A path parameter is longer than 1000 characters.'), 'The console asked for an address longer than the server accepts. Reload the page and try again.'],
  [urn('unsupported-media-type'), problem(urn('unsupported-media-type'), 415, 'Send the request body as application/json.'), 'The console sent a kind of content the server does not take here. Reload the page and try again.'],
  [
    urn('validation-failed'),
    problem(urn('validation-failed'), 422, 'Some values are not acceptable.', [
      { field: 'llm_temperature', message: 'llm_temperature must be at most 1' },
      { field: 'llm_top_p', message: 'llm_top_p must be at least 0' },
    ]),
    'Temperature must be at most 1; and 1 other problem.',
  ],
  [urn('rate-limited'), problem(urn('rate-limited'), 429, 'Too many writes: 60 per minute.'), 'Too many changes in a short time: wait a moment, then try again.'],
  [urn('internal-error'), problem(urn('internal-error'), 500, 'An unexpected error occurred.', [], 'b1f0c3de'), 'Something went wrong on the server. Try again; if it happens again, give your administrator this reference: b1f0c3de.'],
  [urn('service-unavailable'), problem(urn('service-unavailable'), 503, 'A restore holds the tables; try again when it ends.'), 'A restore holds the tables; try again when it ends.'],
  [urn('database-busy'), problem(urn('database-busy'), 503, 'The server is busy (every database connection is in use); retry in a moment.'), 'The server is busy right now: try again in a moment.'],
  [urn('database-unavailable'), problem(urn('database-unavailable'), 503, 'ECONNREFUSED 127.0.0.1:5432'), 'The server cannot reach its database right now: try again shortly.'],
  [urn('llm-not-configured'), problem(urn('llm-not-configured'), 503, ''), 'No model endpoint is configured for the agent.'],
  [urn('llm-upstream-error'), problem(urn('llm-upstream-error'), 502, 'The endpoint answered 429 Too Many Requests.'), 'The model endpoint answered with an error: The endpoint answered 429 Too Many Requests.'],
  [urn('llm-timeout'), problem(urn('llm-timeout'), 504, 'No answer within 120 s.'), 'The model endpoint did not answer in time: try again, or raise the timeout in AI infrastructure.'],
  [urn('probe-required'), problem(urn('probe-required'), 409, 'Profile 1 requires a passing probe.'), 'This profile requires a passing probe first: use “Probe” in AI infrastructure with these settings, then save again.'],
  [urn('approval-required'), problem(urn('approval-required'), 409, 'Profile 1 requires approval.'), 'This profile requires approval: this change cannot be proposed from here; ask an admin, or propose values as a change request.'],
  [urn('databricks-not-configured'), problem(urn('databricks-not-configured'), 503, 'DATABRICKS_HOST is not set.'), 'Databricks is not configured on this server: ask your administrator to set its host and token.'],
  [urn('databricks-upstream-error'), problem(urn('databricks-upstream-error'), 502, 'Genie answered 403.'), 'Databricks answered with an error: Genie answered 403.'],
  [urn('databricks-timeout'), problem(urn('databricks-timeout'), 504, 'No answer within 30 s.'), 'Databricks did not answer in time: try again shortly.'],
  ['about:blank', new SbProblem(0, 'Server unreachable', 'The server cannot be reached. Check the connection and try again.'), 'The server cannot be reached. Check the connection and try again.'],
];

describe('what a person reads for each problem type', () => {
  it('lists every type the server publishes, once', () => {
    expect(CASES.map(([type]) => type).sort()).toEqual(Object.keys(PROBLEM_WORDING).sort());
  });

  it.each(CASES)('%s', (_type, given, expected) => {
    expect(personMessage(given, (field) => (field === 'llm_temperature' ? 'Temperature' : undefined))).toBe(expected);
  });

  it("names fields by their labels, not the API's names", () => {
    const labels: Record<string, string> = { llm_temperature: 'Temperature' };
    expect(humanizeFieldMessage('llm_temperature must be at most 1', (field) => labels[field])).toBe('Temperature must be at most 1');
    expect(humanizeFieldMessage('max_retries must be a whole number')).toBe('Max retries must be a whole number');
    expect(humanizeFieldMessage('A profile named “x” already exists')).toBe('A profile named “x” already exists');
    expect(humanizeFieldMessage('name must not be blank')).toBe('name must not be blank'); // one word: could be prose
  });

  it('words a type this console does not know yet by its status and fields', () => {
    const newer = new SbProblem(422, 'Unprocessable Entity', 'Some values are not acceptable.', [{ field: 'x', message: 'x must be a colour' }], urn('from-a-newer-server'));
    expect(personMessage(newer)).toBe('x must be a colour.');
  });
});
