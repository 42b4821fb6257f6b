import type { EntityManager } from 'typeorm';
import { NotFoundError } from '../errors/domain-errors.js';

/**
 * For writers, inside their transaction: checks that the profile exists and locks its row until
 * the transaction ends. Returns its name (for events and messages).
 *
 * The lock (FOR NO KEY UPDATE) makes writes to one profile take turns, whichever domain they
 * change, so that each audit entry's snapshot of the whole profile includes every change
 * committed before it; it also keeps the profile from being deleted meanwhile. Inserting domain
 * rows (FOR KEY SHARE through their foreign key) does not wait for it.
 * Features use this instead of another feature's repository: it reads one column by key.
 */
export async function lockProfile(manager: EntityManager, profileId: number): Promise<string> {
  return nameOf(manager, profileId, 'FOR NO KEY UPDATE');
}

/** For readers: checks that the profile exists, without waiting for its writers. */
export async function requireProfile(manager: EntityManager, profileId: number): Promise<string> {
  return nameOf(manager, profileId, '');
}

async function nameOf(manager: EntityManager, profileId: number, lock: 'FOR NO KEY UPDATE' | ''): Promise<string> {
  const rows: { name: string }[] = await manager.query(`SELECT name FROM config_profiles WHERE id = $1 ${lock}`, [profileId]);
  if (!rows.length) throw new NotFoundError(`Profile ${profileId} does not exist.`);
  return rows[0].name;
}
