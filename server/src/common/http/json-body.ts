import type { FastifyInstance } from 'fastify';
import { BadRequestError, type FieldError, UnprocessableError } from '../errors/domain-errors.js';

/**
 * Requests nest a few levels (an import document: 4), a domain's JSON Schema a few dozen at most
 * (two per level of nested objects). Far deeper bodies are refused before they are parsed:
 * class-transformer and class-validator walk them recursively, so 2 000 levels overflow the
 * stack and a 2 MB nested body holds the event loop for seconds.
 */
export const MAX_JSON_DEPTH = 64;

interface TextFindings {
  tooDeep: boolean;
  /** A `\u0000` escape or a lone surrogate escape: text PostgreSQL cannot store. */
  unstorableText: boolean;
}

/**
 * One pass over the JSON text: nesting depth outside strings, and the escapes that would decode
 * to a NUL or to half a surrogate pair. JSON forbids raw control characters in strings, and a
 * valid UTF-8 body decodes to well-formed text, so escapes are the only way either arrives.
 */
export function scanJsonText(text: string, maxDepth = MAX_JSON_DEPTH): TextFindings {
  let depth = 0;
  let inString = false;
  let unstorableText = false;
  let pendingHighSurrogate = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c /* \ */) {
        const escaped = text.charCodeAt(i + 1);
        if (escaped === 0x75 /* u */) {
          const unit = parseInt(text.slice(i + 2, i + 6), 16);
          const high = unit >= 0xd800 && unit <= 0xdbff;
          const low = unit >= 0xdc00 && unit <= 0xdfff;
          if (unit === 0 || (low && !pendingHighSurrogate) || (pendingHighSurrogate && !low)) unstorableText = true;
          pendingHighSurrogate = high;
          i += 5;
        } else {
          if (pendingHighSurrogate) unstorableText = true;
          pendingHighSurrogate = false;
          i += 1;
        }
        continue;
      }
      if (pendingHighSurrogate) unstorableText = true;
      pendingHighSurrogate = false;
      if (code === 0x22 /* " */) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      if (++depth > maxDepth) return { tooDeep: true, unstorableText };
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) depth--;
  }
  return { tooDeep: false, unstorableText };
}

/** Where in a parsed body the text that PostgreSQL cannot store sits (`genie_spaces.0.description`). */
export function findUnstorableText(value: unknown, path = ''): FieldError[] {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (typeof value === 'string') return isStorable(value) ? [] : [{ field: path || '(body)', message: UNSTORABLE }];
  if (Array.isArray(value)) return value.flatMap((item, index) => findUnstorableText(item, at(String(index))));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(isStorable(key) ? [] : [{ field: at(key), message: `the property name ${UNSTORABLE}` }]),
      ...findUnstorableText(item, at(key)),
    ]);
  }
  return [];
}

const UNSTORABLE = 'must not contain NUL characters (\\u0000) or unpaired surrogates';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isStorable(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/**
 * Replaces Fastify's JSON parser with one that first refuses what would break later: bodies
 * nested deeper than MAX_JSON_DEPTH (400) and text PostgreSQL cannot store (422, per field).
 * Parsing itself stays Fastify's, with its protection against `__proto__` and `constructor` keys.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const findings = scanJsonText(text);
    if (findings.tooDeep) {
      done(new BadRequestError(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
      return;
    }
    parse(request, text, (error, parsed) => {
      if (error || !findings.unstorableText) return done(error, parsed);
      done(new UnprocessableError('Some text cannot be stored.', findUnstorableText(parsed)), undefined);
    });
  });
}
