import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ServiceUnavailableError, UnprocessableError } from '../../common/errors/domain-errors.js';

export const SECRET_KEY_VARIABLE = 'SWITCHBOARD_SECRET_KEY';

/** Stored secrets start with this, then base64url(iv ‖ tag ‖ ciphertext). `v1` names the scheme, for a later rotation. */
export const ENVELOPE_PREFIX = 'sb:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts the secret fields of domain values (AES-256-GCM, a fresh IV per value) with the key in
 * SWITCHBOARD_SECRET_KEY: 32 bytes, as 64 hex digits or base64. Unset: secrets are refused, not
 * stored in the clear. A key that is set but unusable stops the start.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer | null) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox {
    const raw = env[SECRET_KEY_VARIABLE]?.trim();
    return new SecretBox(raw ? parseKey(raw) : null);
  }

  get enabled(): boolean {
    return this.key !== null;
  }

  /** Names the key without revealing it (backups record which key their secrets need), or null without one. */
  get keyId(): string | null {
    return this.key && createHash('sha256').update('switchboard secret key id\0').update(this.key).digest('hex').slice(0, 16);
  }

  /** `field`: the JSON Pointer of the secret, named in a refusal. */
  encrypt(plain: string, field: string): string {
    const key = this.requireKey(field);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ENVELOPE_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
  }

  decrypt(stored: string, field: string): string {
    if (!isEnvelope(stored)) return stored; // stored before the schema marked it secret and not yet re-encrypted
    if (!this.key) throw new ServiceUnavailableError(`The secret ${field} cannot be read: ${SECRET_KEY_VARIABLE} is not set on this server.`);
    const bytes = Buffer.from(stored.slice(ENVELOPE_PREFIX.length), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new ServiceUnavailableError(`The secret ${field} cannot be decrypted with this server's ${SECRET_KEY_VARIABLE}: was the key changed?`);
    }
  }

  private requireKey(field: string): Buffer {
    if (this.key) return this.key;
    throw new UnprocessableError(
      `${field} is a secret (writeOnly) and this server does not store secrets: set ${SECRET_KEY_VARIABLE} (32 random bytes, e.g. \`openssl rand -base64 32\`) and restart.`,
      [{ field, message: `is a secret; secrets cannot be stored until ${SECRET_KEY_VARIABLE} is set` }],
    );
  }
}

export function isEnvelope(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX);
}

function parseKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(raw) ? Buffer.from(raw, 'base64') : null;
  if (!key || key.length !== 32) {
    throw new Error(`${SECRET_KEY_VARIABLE} must be 32 bytes written as 64 hex digits or as base64 (openssl rand -base64 32); the value set has another form`);
  }
  return key;
}
