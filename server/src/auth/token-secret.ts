import { hash, randomBytes } from 'node:crypto';

const PREFIX = 'sb_';

/** A new secret: 256 random bits, recognisable by its `sb_` prefix (secret scanners, logs). */
export function generateTokenSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/**
 * What the database keeps. The secrets are random, not passwords, so a fast hash is enough:
 * nobody can guess their way back from it. Every request hashes its token once: the one-shot
 * `hash` costs a third of `createHash(…).update(…).digest()`.
 */
export function hashTokenSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** The first characters, shown in lists so people can tell their tokens apart. */
export function tokenSecretPrefix(secret: string): string {
  return secret.slice(0, PREFIX.length + 6);
}
