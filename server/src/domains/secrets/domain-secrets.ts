import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { UnprocessableError } from '../../common/errors/domain-errors.js';
import type { CompiledSchema } from '../json-schema.js';
import { isEnvelope, SecretBox } from './secret-box.js';

/** What every read shows in place of a secret, and what a write sends to keep the one stored. */
export const SECRET_SET = Object.freeze({ set: true });

type Values = Record<string, unknown>;

/**
 * The secret (`writeOnly`) fields of a domain's values: encrypted before they are stored, shown
 * as `{"set": true}` by every read, decrypted only for resolved configurations given to agents
 * and admins. Values without secrets pass through untouched and uncopied.
 */
@Injectable()
export class DomainSecrets {
  private readonly box = SecretBox.fromEnv();

  /** The values as reads, history, diffs and exports show them. */
  conceal(schema: CompiledSchema, values: Values): Values {
    return this.mapSecrets(schema, values, () => SECRET_SET);
  }

  /** Stored values with their secrets decrypted. */
  reveal(schema: CompiledSchema, stored: Values): Values {
    return this.mapSecrets(schema, stored, (secret, pointer) => (typeof secret === 'string' ? this.box.decrypt(secret, pointer) : secret));
  }

  /**
   * Plain values as they are stored: each secret encrypted (422 when this server has no key). A
   * secret equal to the one `stored` holds at its place keeps that ciphertext: an unchanged secret
   * stays byte for byte what it was (a child's inherited copy stays its parent's).
   */
  seal(schema: CompiledSchema, plain: Values, stored?: Values): Values {
    const storedSecrets = new Set(stored ? schema.secrets(stored) : []);
    return this.mapSecrets(schema, plain, (secret, pointer) => {
      if (typeof secret !== 'string') return secret;
      const kept = storedSecrets.has(pointer) ? valueAt(stored!, pointer) : undefined;
      if (typeof kept === 'string' && isEnvelope(kept) && this.box.decrypt(kept, pointer) === secret) return kept;
      return this.box.encrypt(secret, pointer);
    });
  }

  /**
   * A write's values with each `{"set": true}` at a secret field replaced by the secret stored
   * there (decrypted, so that it is validated like a new one). Where nothing is stored to keep:
   * `keepMissing: 'refuse'` answers 422, `'drop'` leaves the field out (imports: secrets never
   * leave the server, so an exported document only says they were set).
   */
  keep(schema: CompiledSchema, incoming: Values, stored: Values | undefined, keepMissing: 'refuse' | 'drop'): Values {
    const storedSecrets = new Set(stored ? schema.secrets(stored) : []);
    const missing: string[] = [];
    const result = this.mapSecrets(schema, incoming, (value, pointer) => {
      if (!isDeepStrictEqual(value, SECRET_SET)) return value;
      if (storedSecrets.has(pointer)) return this.box.decrypt(valueAt(stored!, pointer) as string, pointer);
      missing.push(pointer);
      return undefined;
    });
    if (missing.length && keepMissing === 'refuse') {
      throw new UnprocessableError(`${missing[0]} says to keep the stored secret, but none is stored there: send the secret itself.`, missing.map((field) => ({ field, message: 'has no stored secret to keep; send the secret itself' })));
    }
    return result;
  }

  private mapSecrets(schema: CompiledSchema, values: Values, map: (secret: unknown, pointer: string) => unknown): Values {
    if (!schema.hasSecrets) return values;
    const pointers = schema.secrets(values);
    if (!pointers.length) return values;
    const copy = structuredClone(values);
    for (const pointer of pointers) replaceAt(copy, pointer, map(valueAt(values, pointer), pointer));
    return copy;
  }
}

function tokens(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAtPath(values: unknown, path: string[]): unknown {
  let node = values;
  for (const token of path) node = (node as Record<string, unknown> | undefined)?.[token];
  return node;
}

function valueAt(values: unknown, pointer: string): unknown {
  return valueAtPath(values, tokens(pointer));
}

/** Sets (or with undefined, removes) the value at a pointer that exists in `root`. */
function replaceAt(root: Values, pointer: string, value: unknown): void {
  const path = tokens(pointer);
  const parent = valueAtPath(root, path.slice(0, -1)) as Record<string, unknown>;
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value;
}
