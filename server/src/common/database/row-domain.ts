import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { NotFoundError } from '../errors/domain-errors.js';
import { type BuiltInConfigDomain, type ConfigAction, ConfigChangedEvent, diffFields, emitConfigChanged } from '../events/config-events.js';
import { assertVersion } from '../http/etag.js';
import { auditInherited, readInheritors } from './inheritance.js';

type RowEntity = ObjectLiteral & { id: number };

/** A built-in domain kept as one typed row per profile (ai_infra, mlflow, prompts), as the write pipeline needs it. */
export interface RowDomain<TEntity extends RowEntity, TDto extends { version: number }> {
  domain: BuiltInConfigDomain;
  /** For messages: "The AI infrastructure configuration". */
  what: string;
  entity: EntityTarget<TEntity>;
  fields: readonly (keyof TDto & string)[];
  toDto(row: TEntity): TDto;
  toColumns(values: Partial<TDto>): Partial<TEntity>;
}

/**
 * THE WRITE PIPELINE of a one-row-per-profile domain, inside the caller's transaction: lock the
 * profile and read its row (one statement), check the version (412), diff, write (one statement,
 * returning the row as stored), then one event carrying before, after and the changes, whose
 * listener writes the audit entry (one statement). With BEGIN and COMMIT: 5 statements. A profile
 * that others inherit from adds two reads of those (before and after) and their `inherit` entries. Values
 * were validated before (DTOs); registered domains run the same steps in DomainValuesService.
 */
export async function writeRowDomain<TEntity extends RowEntity, TDto extends { version: number }>(
  manager: EntityManager,
  events: EventEmitter2,
  spec: RowDomain<TEntity, TDto>,
  write: { profileId: number; values: Partial<TDto>; actor: string; action: ConfigAction; expected?: number },
): Promise<TDto> {
  const { profileName, hasChildren, row } = await lockProfileRow(manager, spec.entity, write.profileId);
  const before = spec.toDto(row);
  assertVersion(spec.what, before.version, write.expected);
  const changes = diffFields(before, write.values, spec.fields);
  if (!Object.keys(changes).length) return before;
  const inheritors = hasChildren ? await readInheritors(manager, write.profileId) : undefined;
  const after = spec.toDto(await updateReturning(manager, spec.entity, row.id, spec.toColumns(write.values)));
  await emitConfigChanged(events, new ConfigChangedEvent(manager, write.profileId, profileName, spec.domain, write.action, write.actor, changes, { before, after }));
  await auditInherited(manager, events, inheritors, write.actor);
  return after;
}

/**
 * Locks the profile the way every writer of it does (FOR NO KEY UPDATE, see lockProfile) and its
 * row of `target` (FOR UPDATE) in one statement, and reads both, and whether profiles inherit
 * from it. 404 when the profile is missing.
 */
async function lockProfileRow<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  profileId: number,
): Promise<{ profileName: string; hasChildren: boolean; row: T }> {
  const table = manager.connection.getMetadata(target).tableName;
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT p.name AS "profile name", EXISTS (SELECT FROM config_profiles c WHERE c.parent_profile_id = p.id) AS "has children", d.*
       FROM config_profiles p JOIN ${table} d ON d.profile_id = p.id
      WHERE p.id = $1 FOR NO KEY UPDATE OF p FOR UPDATE OF d`,
    [profileId],
  );
  if (!rows.length) throw new NotFoundError(`Profile ${profileId} does not exist.`);
  const { 'profile name': profileName, 'has children': hasChildren, ...raw } = rows[0];
  return { profileName: profileName as string, hasChildren: hasChildren as boolean, row: hydrate(manager, target, raw) };
}

/**
 * Updates the row and returns it as stored (what triggers set, version and updated_at, included),
 * in one statement. Written out rather than through the query builder, whose SQL generation was
 * a tenth of a PUT's JavaScript time; column names and transformers come from the entity.
 */
async function updateReturning<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, id: number, columns: Partial<T>): Promise<T> {
  const metadata = manager.connection.getMetadata(target);
  const assignments: string[] = [];
  const parameters: unknown[] = [];
  for (const [property, value] of Object.entries(columns)) {
    if (value === undefined) continue; // left out, as the query builder leaves it
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no column ${property}`);
    parameters.push(manager.connection.driver.preparePersistentValue(value, column));
    assignments.push(`"${column.databaseName}" = $${parameters.length}`);
  }
  parameters.push(id);
  // TypeORM answers an UPDATE with [rows, row count].
  const [rows]: [Record<string, unknown>[], number] = await manager.query(
    `UPDATE ${metadata.tableName} SET ${assignments.join(', ')} WHERE id = $${parameters.length} RETURNING *`,
    parameters,
  );
  return hydrate(manager, target, rows[0]);
}

/** A raw row (database column names) as the entity TypeORM would have read, transformers applied. */
function hydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, raw: Record<string, unknown>): T {
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) column.setEntityValue(entity, manager.connection.driver.prepareHydratedValue(raw[column.databaseName], column));
  return entity;
}
