import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import safeRegex from 'safe-regex2';
import type { FieldError } from '../common/errors/domain-errors.js';
import { isPlainObject } from '../common/json.js';

/** A registered schema may be at most this large (its JSON text). */
export const MAX_SCHEMA_BYTES = 256 * 1024;
/** Nesting of a schema's own objects and arrays; far past any configuration a person writes. */
export const MAX_SCHEMA_DEPTH = 32;

/**
 * ajv for draft 2020-12, every error reported, formats such as `uri` and `email` checked. The
 * validator is strict about the schema itself (an unknown keyword or format is a mistake, not an
 * extension) but not about valid JSON Schema that ajv's other strict modes dislike (a type union,
 * `required` without `properties`). The filler only applies `default`s: it ignores, rather than
 * refuses, defaults where ajv cannot apply them (at the root, inside `oneOf`).
 * Compiled schemas are kept per domain version by the registry, so a schema is compiled once.
 */
function createAjv(role: 'validator' | 'filler' | 'secret-finder'): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, strictSchema: role === 'validator', allErrors: true, useDefaults: role === 'filler' });
  formats.default(ajv); // a CommonJS module: its function is the default export's `default`
  if (role === 'secret-finder') {
    // writeOnly is an annotation ajv ignores; here it notes where a value sits under it, through $ref, items, oneOf…
    ajv.removeKeyword('writeOnly');
    ajv.addKeyword({ keyword: 'writeOnly', schemaType: 'boolean', errors: false, validate: noteSecret });
  }
  return ajv;
}

/** Where the running secret search writes what it finds (validation is synchronous: one search at a time). */
let secretsFound: string[] | null = null;

function noteSecret(writeOnly: boolean, data: unknown, _schema: unknown, context?: { instancePath: string }): boolean {
  if (writeOnly && secretsFound && data !== undefined && context) secretsFound.push(context.instancePath);
  return true;
}

const checker = createAjv('validator');

/** The key under which an audit entry of a domain's values lists the keys the profile inherits: no property may have it. */
export const INHERITED_KEY = 'inherited';

/** The draft this registry speaks; a schema may name it in `$schema`, or leave `$schema` out. */
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

export interface CompiledSchema {
  /** Checks stored values: reports every failing field with its JSON Pointer. */
  validate(values: unknown): FieldError[];
  /** The values with the schema's `default`s filled in where the profile set nothing. */
  withDefaults(values: Record<string, unknown>): Record<string, unknown>;
  /** Whether any field is a secret (`"writeOnly": true`). */
  readonly hasSecrets: boolean;
  /** The JSON Pointers of the secret fields these values hold (each at most once). */
  secrets(values: unknown): string[];
}

/**
 * Why a schema cannot be registered, as field errors under `schema` (empty: it can). Checked
 * before anything is stored: size, depth, references that would leave the document, then the
 * schema against the draft 2020-12 meta-schema, then that ajv can compile it.
 */
export function schemaProblems(schema: unknown): FieldError[] {
  const text = JSON.stringify(schema);
  if (text.length > MAX_SCHEMA_BYTES) return [{ field: 'schema', message: `must be at most ${MAX_SCHEMA_BYTES / 1024} KB of JSON` }];
  if (!isPlainObject(schema) || schema.type !== 'object') {
    return [{ field: 'schema', message: 'must be a JSON Schema whose top level is "type": "object" (a domain holds an object of values)' }];
  }
  if (isPlainObject(schema.properties) && Object.hasOwn(schema.properties, INHERITED_KEY)) {
    // A profile's audit entries list the keys it inherits under this name, beside the changed keys.
    return [{ field: `/schema/properties/${INHERITED_KEY}`, message: `is reserved: the history lists a profile's inherited keys under "${INHERITED_KEY}"; choose another name` }];
  }
  if (schema.$schema !== undefined && schema.$schema !== DRAFT_2020_12) {
    return [{ field: '/schema/$schema', message: `must be ${DRAFT_2020_12} (draft 2020-12), or left out` }];
  }
  const walked = walk(schema, '/schema', 0);
  if (walked.length) return walked;
  if (!checker.validateSchema(schema)) return toFieldErrors(checker.errors ?? [], '/schema');
  try {
    compileSchema(schema); // exactly what the registry will compile, both validator and filler
  } catch (error) {
    return [{ field: 'schema', message: `cannot be compiled: ${(error as Error).message}` }];
  }
  return [];
}

export function compileSchema(schema: Record<string, unknown>): CompiledSchema {
  const validator = createAjv('validator').compile(schema);
  const filler = createAjv('filler').compile(schema);
  const hasSecrets = JSON.stringify(schema).includes('"writeOnly":true');
  const finder = hasSecrets ? createAjv('secret-finder').compile(schema) : undefined;
  return {
    hasSecrets,
    secrets: (values) => {
      if (!finder) return [];
      secretsFound = [];
      try {
        finder(values);
        return [...new Set(secretsFound)];
      } finally {
        secretsFound = null;
      }
    },
    validate: (values) => (validator(values) ? [] : toFieldErrors(validator.errors ?? [], '')),
    withDefaults: (values) => {
      const copy = structuredClone(values);
      filler(copy); // fills defaults in place; validity is validate()'s business
      return copy;
    },
  };
}

/** ajv's errors as field errors whose `field` is the JSON Pointer of the value concerned. */
function toFieldErrors(errors: ErrorObject[], prefix: string): FieldError[] {
  return errors.map((error) => {
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    const child = params.missingProperty ?? params.additionalProperty;
    const pointer = `${prefix}${error.instancePath}${child === undefined ? '' : `/${escapePointer(child)}`}`;
    const message =
      error.keyword === 'additionalProperties' ? 'is not a field of this domain' : error.keyword === 'required' ? 'is required' : (error.message ?? 'is not valid');
    return { field: pointer || '/', message };
  });
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Patterns run on every value written, in this process: one whose repetitions nest ("(a+)+") can
 * take exponential time on a crafted value and stall the service, so such a schema is refused.
 */
const UNSAFE_PATTERN = 'is a regular expression that can take exponential time (a repetition inside a repetition): rewrite it without nesting';

/** Depth, `$ref`s (only within the document, `#…`: the registry never fetches anything), and patterns that could take exponential time. */
function walk(node: unknown, pointer: string, depth: number): FieldError[] {
  if (depth > MAX_SCHEMA_DEPTH) return [{ field: pointer, message: `nests deeper than ${MAX_SCHEMA_DEPTH} levels` }];
  if (Array.isArray(node)) return node.flatMap((item, index) => walk(item, `${pointer}/${index}`, depth + 1));
  if (!isPlainObject(node)) return [];
  const problems: FieldError[] = [];
  for (const [key, value] of Object.entries(node)) {
    const at = `${pointer}/${escapePointer(key)}`;
    if ((key === '$ref' || key === '$dynamicRef') && (typeof value !== 'string' || !value.startsWith('#'))) {
      problems.push({ field: at, message: 'must point inside this schema (start with #): remote references are not fetched' });
    } else if (key === 'pattern' && typeof value === 'string' && !safeRegex(value)) {
      problems.push({ field: at, message: UNSAFE_PATTERN });
    } else if (key === 'patternProperties' && isPlainObject(value)) {
      for (const pattern of Object.keys(value)) if (!safeRegex(pattern)) problems.push({ field: `${at}/${escapePointer(pattern)}`, message: UNSAFE_PATTERN });
      problems.push(...walk(value, at, depth + 1));
    } else if (key === 'writeOnly' && value === true && node.type !== 'string') {
      problems.push({ field: at, message: 'marks a secret, and a secret must be a string field ("type": "string")' });
    } else {
      problems.push(...walk(value, at, depth + 1));
    }
  }
  return problems;
}

