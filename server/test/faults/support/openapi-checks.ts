import { type HttpAnswer, type HttpCall, parseJson } from './openapi-http.js';

const PROBLEM = /^application\/problem\+json/;

/** What is wrong with an error answer's form: RFC 9457 problem+json whose `status` is the HTTP one. */
export function problemShapeViolations(answer: HttpAnswer): string[] {
  if (answer.status < 400) return [];
  const violations: string[] = [];
  const contentType = String(answer.headers['content-type'] ?? '');
  if (!PROBLEM.test(contentType)) violations.push(`content-type "${contentType}"`);
  const body = parseJson(answer.text);
  if (typeof body !== 'object' || body === null) return [...violations, 'the body is not a JSON object'];
  const fields = body as Record<string, unknown>;
  const missing = (['type', 'title', 'detail'] as const).filter((field) => typeof fields[field] !== 'string');
  if (missing.length) violations.push(`no string ${missing.join(', ')}`);
  if (fields.status !== answer.status) violations.push(`"status" is ${JSON.stringify(fields.status)}`);
  return violations;
}

/** A request and its answer, cut to what a person can read in a test report. */
export function describeExchange(call: HttpCall, answer?: HttpAnswer): string {
  const body = call.body === undefined ? '(no body)' : `${excerpt(call.body)} (${Buffer.byteLength(call.body)} B, ${call.headers['content-type'] ?? 'no content-type'})`;
  const headers = Object.entries(call.headers)
    .filter(([name]) => name !== 'content-type')
    .map(([name, value]) => `${name}: ${name === 'authorization' ? excerpt(value, 40) : JSON.stringify(value)}`)
    .join(', ');
  const request = `${call.method} ${excerpt(call.path, 200)}${headers ? ` [${headers}]` : ''}\n      body: ${body}`;
  if (!answer) return request;
  return `${request}\n      answer: ${answer.status} ${answer.headers['content-type'] ?? '(no content-type)'} ${excerpt(answer.text, 300)}`;
}

/** The start and end of a long text, with invisible characters made visible. */
export function excerpt(text: string | Buffer, max = 160): string {
  const value = Buffer.isBuffer(text) ? `<bytes ${text.toString('hex').slice(0, 80)}…>` : text;
  const shown = value.length <= max ? value : `${value.slice(0, max * 0.7)}…[${value.length} chars]…${value.slice(-max * 0.2)}`;
  return JSON.stringify(shown).slice(1, -1);
}

/** The app runs in this process: a polluted Object.prototype would show up here. */
export function prototypePollution(): string | undefined {
  const probe = {} as Record<string, unknown>;
  const added = ['polluted', 'x_unknown'].filter((key) => key in probe);
  if (typeof probe.toString !== 'function') added.push('toString');
  return added.length ? `Object.prototype was polluted (${added.join(', ')})` : undefined;
}
