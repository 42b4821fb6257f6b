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

/**
 * For a writer of a child's items that takes one from its parent (the reset a delete is), after
 * locking the profile itself: locks each ancestor, nearest first (the order re-parenting locks
 * in), so that an ancestor's change being passed down is committed before the item is copied.
 */
export async function lockAncestors(manager: EntityManager, profileId: number): Promise<void> {
  const rows: { id: number }[] = await manager.query(
    `WITH RECURSIVE chain (id, depth) AS (
       SELECT parent_profile_id, 1 FROM config_profiles WHERE id = $1 AND parent_profile_id IS NOT NULL
       UNION ALL
       SELECT p.parent_profile_id, chain.depth + 1 FROM config_profiles p JOIN chain ON p.id = chain.id WHERE p.parent_profile_id IS NOT NULL AND chain.depth < 10
     )
     SELECT id FROM chain ORDER BY depth`,
    [profileId],
  );
  for (const { id } of rows) await lockProfile(manager, id);
}
