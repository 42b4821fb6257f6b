import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const key = randomBytes(32);

  it('reads the key as 64 hex digits or as base64, and round-trips a secret through a fresh IV each time', () => {
    for (const written of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
      const box = SecretBox.fromEnv({ SWITCHBOARD_SECRET_KEY: written });
      const first = box.encrypt('sk-live-1234', '/api_key');
      expect(first).toMatch(/^sb:v1:/);
      expect(first).not.toContain('sk-live');
      expect(box.encrypt('sk-live-1234', '/api_key')).not.toBe(first);
      expect(SecretBox.fromEnv({ SWITCHBOARD_SECRET_KEY: key.toString('hex') }).decrypt(first, '/api_key')).toBe('sk-live-1234');
    }
  });

  it('stops the start on a key of the wrong length or form, naming the variable', () => {
    for (const bad of ['too-short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), 'z'.repeat(64)]) {
      expect(() => SecretBox.fromEnv({ SWITCHBOARD_SECRET_KEY: bad })).toThrow(/SWITCHBOARD_SECRET_KEY must be 32 bytes/);
    }
  });

  it('refuses to encrypt without a key (422), and reports a tampered or foreign ciphertext (503) without its text', () => {
    expect(SecretBox.fromEnv({}).enabled).toBe(false);
    expect(() => SecretBox.fromEnv({}).encrypt('x', '/token')).toThrow(expect.objectContaining({ status: 422, message: expect.stringMatching(/set SWITCHBOARD_SECRET_KEY/) }));
    const box = SecretBox.fromEnv({ SWITCHBOARD_SECRET_KEY: key.toString('hex') });
    const sealed = box.encrypt('sk-live-1234', '/api_key');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.decrypt(tampered, '/api_key')).toThrow(expect.objectContaining({ status: 503 }));
    const other = SecretBox.fromEnv({ SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('hex') });
    expect(() => other.decrypt(sealed, '/api_key')).toThrow(/cannot be decrypted/);
    expect(() => SecretBox.fromEnv({}).decrypt(sealed, '/api_key')).toThrow(/SWITCHBOARD_SECRET_KEY is not set/);
  });
});
