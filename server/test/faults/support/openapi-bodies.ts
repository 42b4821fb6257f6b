import fc from 'fast-check';
import { type IdKind, idKindOfField, type JsonSchema } from './openapi-operations.js';

/**
 * Generated values are plain JSON, with two kinds of string markers that become something else
 * only when the request is rendered:
 * - `@@id:<kind>:<n>@@` — the n-th real id of that kind at the time of sending (rows come and go
 *   while the fuzzer deletes and creates them);
 * - `@@raw:<n>@@` — the n-th raw JSON fragment, for what JSON.stringify cannot write (`1e400`,
 *   a `"__proto__"` key) or should not have to (3,000 levels of nesting).
 */
export const idMarker = (kind: IdKind, pick: number): string => `@@id:${kind}:${pick}@@`;
const rawMarker = (index: number): string => `@@raw:${index}@@`;

export interface Mutation {
  /** What kind of damage, e.g. `null`, `control-chars`, `deep-nesting`; `valid` for none. */
  kind: string;
  /** Where, as a dotted field path; empty for the whole body. */
  at: string;
}

/** A request body the way it goes on the wire. */
export type BodyCase =
  | { mutation: Mutation; json: unknown; fragments: string[] }
  | { mutation: Mutation; raw: string | Buffer | undefined; contentType: string | null };

const realId = (kind: IdKind): fc.Arbitrary<string> => fc.nat({ max: 19 }).map((pick) => idMarker(kind, pick));

/** A value that mostly satisfies the schema: types, enums, bounds, maxLength, required fields. */
export function validishValue(schema: JsonSchema, fieldName?: string): fc.Arbitrary<unknown> {
  const kind = fieldName === undefined ? undefined : idKindOfField(fieldName);
  const plain = kind ? fc.oneof(realId(kind), plainValue(schema)) : plainValue(schema);
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: fc.constant(null) }) : plain;
}

function plainValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  // The documented example is a value the server accepts (a template with its placeholders, a
  // well-formed space id), which random text rarely is: it lets requests get past validation.
  const example = schema.example === undefined ? [] : [fc.constant(schema.example)];
  switch (schema.type) {
    case 'string':
      return fc.oneof(...example, textValue(schema));
    case 'integer':
      return fc.oneof(...example, fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1_000_000 }));
    case 'number':
      return fc.oneof(...example, fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true }));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validishValue(schema.items ?? {}), { maxLength: 3 });
    case 'object':
      return schema.properties ? objectValue(schema) : example.length ? example[0] : fc.constant({});
    default:
      return example.length ? example[0] : fc.jsonValue({ maxDepth: 2 });
  }
}

function textValue(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  return fc.string({ minLength: 1, maxLength: Math.min(schema.maxLength ?? 40, 40) });
}

function objectValue(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const fields = Object.fromEntries(properties.map(([name, property]) => [name, validishValue(property, name)]));
  return fc.record(fields, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Record<string, unknown>>;
}

/**
 * The documented example of a whole body: each field's `example` (or default, or first enum value),
 * ids of our own rows pointing at real ones. What a well-behaved client sends.
 */
export function exampleValue(schema: JsonSchema, fieldName?: string): unknown {
  const kind = fieldName === undefined ? undefined : idKindOfField(fieldName);
  if (kind) return idMarker(kind, 0);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, exampleValue(property, name)]));
    case 'array':
      return [];
    case 'string':
      return 'example';
    case 'boolean':
      return false;
    default:
      return schema.minimum ?? 1;
  }
}

/** A body sent as documented. */
export const documentedBody = (schema: JsonSchema): BodyCase => json('valid', [], exampleValue(schema));

/** Every field the schema describes, nested ones as `profile.ai_infra.llm_temperature`, array items as `.0`. */
export function schemaFields(schema: JsonSchema, prefix: string[] = []): { path: string[]; schema: JsonSchema }[] {
  if (prefix.length > 4) return [];
  if (schema.type === 'array' && schema.items) return schemaFields(schema.items, [...prefix, '0']);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const path = [...prefix, name];
    const below = property.type === 'object' || property.type === 'array' ? schemaFields(property, path) : [];
    return [{ path, schema: property }, ...below];
  });
}

/** The object-valued places of a schema (the root included), where keys can be added. */
function schemaObjects(schema: JsonSchema): string[][] {
  return [[], ...schemaFields(schema).filter((field) => field.schema.type === 'object' || (field.schema.type === 'array' && field.schema.items?.type === 'object')).map((field) => (field.schema.type === 'array' ? [...field.path, '0'] : field.path))];
}

interface Damage {
  kind: string;
  value: unknown;
  fragment?: string;
}

const CONTROL_TEXT = ['\u0000', 'a\u0000b', 'x'.repeat(20) + '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', 'two\nlines', 'tab\there', '\r\n', '\u2028', '\u200b', '\ufeff'];
const LONE_SURROGATES = ['\ud800', 'a\udfffb', '\udc00\ud800', '\ud83d'];
const HUGE_NUMBERS = [1e308, -1e308, -0, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER + 2, 5e-324, 2_147_483_648, -2_147_483_649, 1.0000000000000002, 0.1 + 0.2];
const HUGE_NUMBER_TEXT = ['1e400', '-1e400', `1${'0'.repeat(400)}`, `0.${'0'.repeat(400)}1`, '1E-400', '-0.0', '123456789012345678901234567890'];
const WRONG_TYPES: unknown[] = [0, 1.5, -1, true, false, 'text', '', '1', [], ['a'], {}, { a: 1 }];

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value);

function wrongTypeFor(schema: JsonSchema): unknown[] {
  const accepted = schema.type === 'number' ? ['integer', 'number'] : [schema.type ?? 'none'];
  return WRONG_TYPES.filter((value) => !accepted.includes(typeOf(value)));
}

function longStrings(schema: JsonSchema): string[] {
  const max = schema.maxLength;
  const around = max === undefined ? [] : ['x'.repeat(max), 'x'.repeat(max + 1), 'é'.repeat(max + 1), '🙂'.repeat(Math.ceil((max + 1) / 2))];
  return [...around, 'y'.repeat(10_000), ' '.repeat(10_000), '{question}'.repeat(1_000)];
}

export function nestedText(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const deepNesting = fc.record({ depth: fc.integer({ min: 50, max: 3000 }), shape: fc.constantFrom<'array' | 'object'>('array', 'object') });

/** Damage done to one field. */
function fieldDamage(schema: JsonSchema): fc.Arbitrary<Damage> {
  const damage = (kind: string, values: unknown[]): fc.Arbitrary<Damage> => fc.constantFrom(...values).map((value) => ({ kind, value }));
  return fc.oneof(
    fc.constant({ kind: 'null', value: null }),
    damage('wrong-type', wrongTypeFor(schema)),
    damage('control-chars', CONTROL_TEXT),
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }).map((value) => ({ kind: 'control-chars', value })),
    damage('lone-surrogate', LONE_SURROGATES),
    damage('huge-number', HUGE_NUMBERS),
    fc.constantFrom(...HUGE_NUMBER_TEXT).map((fragment) => ({ kind: 'huge-number-text', value: undefined, fragment })),
    damage('long-string', longStrings(schema)),
    deepNesting.map(({ depth, shape }) => ({ kind: 'deep-nesting', value: undefined, fragment: nestedText(depth, shape) })),
  );
}

const PROTOTYPE_KEYS = ['"__proto__"', '"constructor"', '"prototype"'];
const POLLUTION: unknown[] = [{ polluted: 'yes' }, { prototype: { polluted: 'yes' } }, { toString: 'not a function' }, null, 1];

function setAt(root: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root);
  let node = copy as Record<string, unknown>;
  path.slice(0, -1).forEach((key, index) => {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = /^\d+$/.test(path[index + 1]) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]] = value;
  return copy;
}

function getAt(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), root);
}

const json = (kind: string, at: string[], value: unknown, fragments: string[] = []): BodyCase => ({ mutation: { kind, at: at.join('.') }, json: value, fragments });
const raw = (kind: string, text: string | Buffer | undefined, contentType: string | null = 'application/json'): BodyCase => ({ mutation: { kind, at: '' }, raw: text, contentType });

/** One field of a valid-ish body damaged. */
function fieldMutation(schema: JsonSchema, base: unknown): fc.Arbitrary<BodyCase> {
  const fields = schemaFields(schema);
  if (fields.length === 0) return objectMutation(schema, base);
  return fc.constantFrom(...fields).chain((field) =>
    fieldDamage(field.schema).map((damage) =>
      damage.fragment === undefined
        ? json(damage.kind, field.path, setAt(base, field.path, damage.value))
        : json(damage.kind, field.path, setAt(base, field.path, rawMarker(0)), [damage.fragment]),
    ),
  );
}

/** Keys added to, or the shape changed of, one object of a valid-ish body. */
function objectMutation(schema: JsonSchema, base: unknown): fc.Arbitrary<BodyCase> {
  return fc.constantFrom(...schemaObjects(schema)).chain((at) => {
    const target = getAt(base, at);
    const object = typeof target === 'object' && target !== null && !Array.isArray(target) ? target : {};
    return fc.oneof(
      fc.record({ key: fc.constantFrom(...PROTOTYPE_KEYS), value: fc.constantFrom(...POLLUTION) }).map(({ key, value }) =>
        json('prototype-key', at, setAt(base, at, { [rawMarker(0)]: value, ...object }), [key]),
      ),
      fc.record({ key: fc.constantFrom('x_unknown', 'id', 'version', 'created_by', 'token', 'is_default', ''), value: fc.jsonValue({ maxDepth: 1 }) }).map(({ key, value }) =>
        json('unknown-property', at, setAt(base, at, { ...object, [key]: value })),
      ),
      fc.constant(json('array-for-object', at, setAt(base, at, [object]))),
    );
  });
}

const NOT_JSON = ['{', '{"name":', 'not json', "{'name':'x'}", 'NaN', '{"a":1}}', '\u0000', '[1,]', '{"a":01}', '{"a":"\\x41"}', '{"a":"\\ud800"}', '\ufeff{}', '{"a":1,"a":2}'];
const TOP_LEVEL_VALUES = ['[]', '[{}]', 'null', '42', '"text"', 'true', '-0', '1e400'];

/** The body as a whole replaced, emptied or mislabelled. */
function wholeBodyMutation(base: unknown): fc.Arbitrary<BodyCase> {
  const valid = JSON.stringify(base ?? {});
  return fc.oneof(
    fc.constant(raw('empty-body', '')),
    fc.constant(raw('no-body', undefined, null)),
    fc.constantFrom(...NOT_JSON).map((text) => raw('not-json', text)),
    fc.constantFrom(...TOP_LEVEL_VALUES, `[${valid}]`).map((text) => raw('top-level-non-object', text)),
    deepNesting.map(({ depth, shape }) => raw('deep-nesting-body', nestedText(depth, shape))),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/merge-patch+json').map((type) => raw('wrong-content-type', valid, type)),
    fc.constant(raw('invalid-utf8', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","description":"\u00e9"}')]))),
  );
}

/**
 * The documented body with each field in turn set to null, and each text field to text with a NUL;
 * and the whole body as 2,000 nested arrays. Random runs reach every field only by chance.
 */
export function fieldSweep(schema: JsonSchema): BodyCase[] {
  const base = exampleValue(schema);
  const perField = schemaFields(schema).flatMap(({ path, schema: field }) => [
    json('null', path, setAt(base, path, null)),
    ...(field.type === 'string' ? [json('control-chars', path, setAt(base, path, 'a\u0000b'))] : []),
  ]);
  return [...perField, raw('deep-nesting-body', nestedText(2000, 'array'))];
}

/** Bodies for an operation with a JSON request body: valid-ish ones, and valid-ish ones damaged. */
export function bodyArbitrary(schema: JsonSchema): fc.Arbitrary<BodyCase> {
  return validishValue(schema).chain((base) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(json('valid', [], base)) },
      { weight: 8, arbitrary: fieldMutation(schema, base) },
      { weight: 3, arbitrary: objectMutation(schema, base) },
      { weight: 3, arbitrary: wholeBodyMutation(base) },
    ),
  );
}

/** Bodies for an operation that takes none: mostly none, sometimes junk it must ignore or refuse. */
export function strayBodyArbitrary(): fc.Arbitrary<BodyCase> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(raw('no-body', undefined, null)) }, { weight: 1, arbitrary: wholeBodyMutation({ unexpected: true }) });
}

/** The body's bytes, with markers replaced by real ids and raw fragments. */
export function renderBody(body: BodyCase, resolveId: (kind: IdKind, pick: number) => number | string): { text: string | Buffer | undefined; contentType: string | null } {
  if ('raw' in body) return { text: body.raw, contentType: body.contentType };
  const text = JSON.stringify(body.json).replace(/"@@(id|raw):(\w+)(?::(\d+))?@@"/g, (_match, what: string, first: string, second?: string) =>
    what === 'raw' ? body.fragments[Number(first)] : JSON.stringify(resolveId(first as IdKind, Number(second))),
  );
  return { text, contentType: 'application/json' };
}
