import fc from 'fast-check';
import { type BodyCase, bodyArbitrary, documentedBody, fieldSweep, renderBody, strayBodyArbitrary } from './openapi-bodies.js';
import type { HttpCall } from './openapi-http.js';
import { type IdKind, idKindOf, isEventStream, type JsonSchema, type Operation, type Parameter } from './openapi-operations.js';
import type { FixtureIds } from './openapi-target.js';

/** A value for a path or query parameter: a real id (resolved when sent) or literal text. */
export type ParamCase = { id: IdKind; pick: number } | { text: string; mutated: boolean };

/** A query entry; `raw` values are sent as written, percent signs and all (`%ff`, a lone `%`). */
export interface QueryEntry {
  name: string;
  value: ParamCase;
  raw?: boolean;
  /** Not as documented: an odd value, a repeat, an unknown name. */
  odd?: boolean;
}

export interface RequestCase {
  path: Record<string, ParamCase>;
  query: QueryEntry[];
  headers: Record<string, string>;
  body?: BodyCase;
}

/** Path segments, as sent (already percent-encoded). */
const ODD_SEGMENTS = [
  '0', '-1', '1.5', '1e3', '01', '+1', '%201', '0x10', '2147483647', '2147483648', '99999999999999999999', '9007199254740993',
  'abc', 'null', 'undefined', 'true', '%00', '1%00', '%20', '%2F', '%2e%2e', '%F0%9F%99%82', '%ff', '%E2%80%AE', '%0A',
  // Longer than any id, and longer than the router's own limit on a parameter.
  'x'.repeat(150), '9'.repeat(150), '1'.repeat(101), 'x'.repeat(501), '9'.repeat(2000),
];

const ODD_QUERY_VALUES = [
  '', ' ', '-1', '0', 'abc', '1.5', '1e400', '1e3', '0x10', '99999999999999999999', '2147483648', '-2147483649', '9007199254740993',
  '\u0000', 'a\u0000b', '\ud800', '\u202e', 'x'.repeat(300), 'x'.repeat(5000), 'null', 'true', '[]', '{}', '%',
  '2026-13-45', '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z', '9999-12-31T23:59:59.999Z', '1970-01-01', 'now', 'infinity', '-infinity', 'epoch',
  ...['2026-11-23T12:00:00.000Z|99999999999999999999', 'garbage', '|', '2026-02-30T00:00:00Z|1', '\u0000|1', '99999-01-01T00:00:00Z|1', 'infinity|1', '2026-11-23T12:00:00Z|-1', '2026-11-23T12:00:00Z|1.5'].map((text) =>
    Buffer.from(text).toString('base64url'),
  ),
];

const RAW_QUERY_VALUES = ['%', '%ff', '%zz', '%00', '%E0%A4%A', '%C0%AF', '%2B1'];

const ODD_HEADER_VALUES = ['"1"', '"0"', '*', 'W/"1"', '"999999"', '""', '"abc"', '1', 'W/', '"-1"', '"99999999999999999999"', '"1", "2"', '9'.repeat(15), '9'.repeat(16), '-1', '1.5', ''];

const text = (value: string, mutated = true): ParamCase => ({ text: value, mutated });

function validParamText(schema: JsonSchema): fc.Arbitrary<ParamCase> {
  if (schema.enum) return fc.constantFrom(...schema.enum.map(String)).map((value) => text(value, false));
  if (schema.type === 'integer' || schema.type === 'number') {
    return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 }).map((value) => text(String(value), false));
  }
  if (schema.format === 'uuid') return fc.uuid().map((value) => text(value, false));
  if (isDateTime(schema.example)) {
    return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => text(date.toISOString(), false));
  }
  const example = schema.example === undefined ? [] : [fc.constant(text(String(schema.example), false))];
  return fc.oneof(...example, fc.string({ maxLength: Math.min(schema.maxLength ?? 30, 30) }).map((value) => text(value, false)));
}

const isDateTime = (value: unknown): boolean => typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value);

const realId = (kind: IdKind): fc.Arbitrary<ParamCase> => fc.nat({ max: 19 }).map((pick) => ({ id: kind, pick }));

/** Mostly a real row's id, so that requests reach the services rather than the 404 path. */
function pathParamArbitrary(operation: Operation, parameter: Parameter): fc.Arbitrary<ParamCase> {
  const kind = idKindOf(operation, parameter.name);
  const odd = fc.oneof(
    fc.constantFrom(...ODD_SEGMENTS).map((segment) => text(segment)),
    fc.string({ minLength: 1, maxLength: 30 }).map((value) => text(encodeURIComponent(value))),
  );
  // A documented text parameter (a domain name) goes into the path percent-encoded, as any client sends it.
  const valid = validParamText(parameter.schema).map((value) => ('text' in value ? { ...value, text: encodeURIComponent(toWellFormed(value.text)) } : value));
  return kind ? fc.oneof({ weight: 7, arbitrary: realId(kind) }, { weight: 3, arbitrary: odd }) : fc.oneof(valid, odd);
}

function validQueryValue(operation: Operation, parameter: Parameter): fc.Arbitrary<QueryEntry> {
  const kind = idKindOf(operation, parameter.name);
  const valid = kind ? fc.oneof(realId(kind), validParamText(parameter.schema)) : validParamText(parameter.schema);
  return valid.map((value) => ({ name: parameter.name, value }));
}

function oddQueryValue(parameter: Parameter): fc.Arbitrary<QueryEntry> {
  const longer = parameter.schema.maxLength === undefined ? [] : ['q'.repeat(parameter.schema.maxLength + 1)];
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ODD_QUERY_VALUES, ...longer).map((value) => ({ name: parameter.name, value: text(value), odd: true })) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_QUERY_VALUES).map((value) => ({ name: parameter.name, value: text(value), raw: true, odd: true })) },
  );
}

const STRAY_QUERY: QueryEntry[] = ['unknown_param', '__proto__', 'constructor[prototype][polluted]', ''].map((name) => ({ name, value: text('x'), odd: true }));

type QueryDamage = { how: 'replace' | 'add'; entry: QueryEntry };

/**
 * Documented parameters, each present or not with a valid value; then, in most cases, one thing
 * wrong: a documented parameter with an odd value, one given twice (it arrives as an array), or
 * an undocumented one.
 */
function queryArbitrary(operation: Operation): fc.Arbitrary<QueryEntry[]> {
  const documented = operation.parameters.filter((parameter) => parameter.in === 'query');
  const valid = fc
    .tuple(...documented.map((parameter) => fc.option(validQueryValue(operation, parameter), { nil: undefined, freq: 2 })))
    .map((entries) => entries.filter((entry): entry is QueryEntry => entry !== undefined));
  const damages: fc.Arbitrary<QueryDamage>[] = [fc.constantFrom(...STRAY_QUERY).map((entry) => ({ how: 'add' as const, entry }))];
  if (documented.length) {
    damages.push(fc.constantFrom(...documented).chain(oddQueryValue).map((entry) => ({ how: 'replace' as const, entry })));
    damages.push(fc.constantFrom(...documented).chain((parameter) => validQueryValue(operation, parameter)).map((entry) => ({ how: 'add' as const, entry: { ...entry, odd: true } })));
  }
  const damaged = fc.tuple(valid, fc.oneof(...damages)).map(([entries, { how, entry }]) => (how === 'replace' ? [...entries.filter((given) => given.name !== entry.name), entry] : [...entries, entry]));
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: damaged });
}

function headerArbitrary(operation: Operation): fc.Arbitrary<Record<string, string>> {
  const documented = operation.parameters.filter((parameter) => parameter.in === 'header');
  const values = fc.oneof(fc.constantFrom(...ODD_HEADER_VALUES), fc.string({ maxLength: 40 }));
  const entries = documented.map((parameter) => fc.option(values.map((value) => [parameter.name, value] as const), { nil: undefined, freq: 2 }));
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter((pair) => pair !== undefined)));
}

export function requestCaseArbitrary(operation: Operation): fc.Arbitrary<RequestCase> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const path = fc.record(Object.fromEntries(pathParameters.map((parameter) => [parameter.name, pathParamArbitrary(operation, parameter)])));
  const body: fc.Arbitrary<BodyCase | undefined> = operation.body
    ? bodyArbitrary(operation.body)
    : operation.method === 'get' || isEventStream(operation)
      ? fc.constant(undefined)
      : strayBodyArbitrary();
  return fc.record({ path, query: queryArbitrary(operation), headers: headerArbitrary(operation), body });
}

/** Real ids in the path (the newest row of each kind), the documented example as the body, no query. */
export function documentedRequest(operation: Operation): RequestCase {
  return { path: realPath(operation), query: [], headers: {}, body: operation.body ? documentedBody(operation.body) : undefined };
}

/** The field sweep of an operation's body (see fieldSweep), on real ids. */
export function sweepRequests(operation: Operation): RequestCase[] {
  return operation.body ? fieldSweep(operation.body).map((body) => ({ path: realPath(operation), query: [], headers: {}, body })) : [];
}

function realPath(operation: Operation): Record<string, ParamCase> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  return Object.fromEntries(pathParameters.map((parameter): [string, ParamCase] => [parameter.name, { id: idKindOf(operation, parameter.name) ?? 'profile', pick: 0 }]));
}

/** Resolves the n-th real id of a kind, cycling through what exists now. */
export function idResolver(ids: FixtureIds): (kind: IdKind, pick: number) => number | string {
  return (kind, pick) => {
    const available = ids[kind];
    return available.length ? available[pick % available.length] : 999_999;
  };
}

function paramText(value: ParamCase, resolveId: ReturnType<typeof idResolver>): string {
  return 'id' in value ? String(resolveId(value.id, value.pick)) : value.text;
}

/** The concrete request: real ids in, percent-encoding done, the body rendered. */
export function renderCall(operation: Operation, request: RequestCase, ids: FixtureIds, authorization?: string): HttpCall {
  const resolveId = idResolver(ids);
  const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = request.path[name];
    // Literal segments are written already encoded; real ids need none.
    return value ? paramText(value, resolveId) : '1';
  });
  const query = request.query
    .map(({ name, value, raw }) => `${encodeURIComponent(name)}=${raw ? paramText(value, resolveId) : encodeURIComponent(toWellFormed(paramText(value, resolveId)))}`)
    .join('&');
  const headers: Record<string, string> = { ...request.headers };
  if (authorization !== undefined) headers.authorization = authorization;
  const call: HttpCall = { method: operation.method.toUpperCase(), path: query ? `${path}?${query}` : path, headers };
  if (request.body) {
    const { text: body, contentType } = renderBody(request.body, resolveId);
    call.body = body;
    if (contentType) headers['content-type'] = contentType;
  }
  return call;
}

/** encodeURIComponent throws on a lone surrogate; a browser would send U+FFFD instead. */
function toWellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
