import type { EntityManager } from 'typeorm';
import { NotFoundError } from '../errors/domain-errors.js';

/**
 * Checks that a profile exists and, inside a transaction, holds a share lock on it so that it
 * cannot be deleted until the transaction ends. Returns its name (for events and messages).
 * Features use this instead of another feature's repository: it reads one column by key.
 */
export async function lockProfile(manager: EntityManager, profileId: number): Promise<string> {
  const rows: { name: string }[] = await manager.query('SELECT name FROM config_profiles WHERE id = $1 FOR SHARE', [profileId]);
  if (!rows.length) throw new NotFoundError(`Profile ${profileId} does not exist.`);
  return rows[0].name;
}
