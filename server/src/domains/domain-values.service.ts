import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, type EntityManager } from 'typeorm';
import { requireProfile } from '../common/database/profile-guard.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../common/errors/domain-errors.js';
import { type ConfigAction, ConfigChangedEvent, type FieldChanges, emitConfigChanged } from '../common/events/config-events.js';
import { auditInherited, readInheritors } from '../common/database/inheritance.js';
import { assertVersion } from '../common/http/etag.js';
import { isPlainObject } from '../common/json.js';
import { type CustomDomain, DomainsService, UnknownDomainError } from './domains.service.js';
import type { DomainValuesDto } from './dto/domain.dto.js';
import { DomainValueEntity } from './entities/domain-value.entity.js';
import { type CompiledSchema, INHERITED_KEY } from './json-schema.js';
import { DomainSecrets, SECRET_SET } from './secrets/domain-secrets.js';

type Values = Record<string, unknown>;
/** What a values row holds that answers show. */
type StoredRow = Pick<DomainValueEntity, 'values' | 'inherited' | 'version' | 'updatedAt'>;

/**
 * Each profile's values of the registered domains: validated against the domain's schema on
 * every write, audited like every other change (one entry per PUT, its changes per top-level
 * field), announced on commit. Defaults are not stored: reads add them (`effective`).
 */
@Injectable()
export class DomainValuesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
    private readonly domains: DomainsService,
    private readonly secrets: DomainSecrets,
  ) {}

  async get(name: string, profileId: number): Promise<DomainValuesDto> {
    const domain = await this.domains.custom(name);
    await requireProfile(this.dataSource.manager, profileId);
    const row = await this.dataSource.manager.findOneBy(DomainValueEntity, { profileId, domain: name });
    return this.toDto(domain.compiled, name, profileId, row);
  }

  async put(name: string, profileId: number, values: Record<string, unknown>, actor: string, expected?: number): Promise<DomainValuesDto> {
    return this.dataSource.transaction((manager) => this.write(manager, profileId, name, values, actor, undefined, expected));
  }

  /**
   * Puts a profile's values of one domain back (restore) in the caller's transaction, audited as
   * `action` if they changed; undefined clears them (the schema's defaults apply again).
   */
  async restoreFor(manager: EntityManager, profileId: number, name: string, values: Record<string, unknown> | undefined, actor: string, action: ConfigAction): Promise<void> {
    await this.write(manager, profileId, name, values, actor, action);
  }

  /** Deletes a registered domain; with `deleteValues`, every profile's values of it go first, each audited as `delete`. */
  async deleteDomain(name: string, deleteValues: boolean, actor: string): Promise<void> {
    await this.domains.remove(name, deleteValues, actor, async (manager, profileIds) => {
      for (const profileId of profileIds) await this.write(manager, profileId, name, undefined, actor, 'delete');
    });
  }

  /** The registered domains a profile holds values of. */
  async namesOf(manager: EntityManager, profileId: number): Promise<string[]> {
    return (await manager.find(DomainValueEntity, { where: { profileId }, select: { domain: true } })).map((row) => row.domain);
  }

  /** A new profile's values from a document (import, restore of a deleted profile), each checked against its schema; not audited apart. */
  async createFor(manager: EntityManager, profileId: number, byDomain: Record<string, unknown>, actor: string): Promise<void> {
    for (const [name, values] of Object.entries(byDomain)) {
      const domain = await this.registered(manager, name);
      if (!isPlainObject(values)) throw new UnprocessableError(`The values of domain "${name}" must be an object.`, [{ field: name, message: 'must be an object' }]);
      const plain = this.secrets.keep(domain.compiled, values, undefined, 'drop');
      assertValid(domain.compiled, plain, name, name);
      const sealed = this.secrets.seal(domain.compiled, plain);
      await manager.query('INSERT INTO config_domain_values (profile_id, domain, "values", updated_by) VALUES ($1, $2, $3, $4)', [profileId, name, sealed, actor]);
    }
  }

  private async write(
    manager: EntityManager,
    profileId: number,
    name: string,
    values: Record<string, unknown> | undefined,
    actor: string,
    restoreAction?: ConfigAction,
    expected?: number,
  ): Promise<DomainValuesDto> {
    const { profileName, inheriting, hasChildren, domain } = await this.lockForWrite(manager, profileId, name, restoreAction !== undefined);
    const schema = domain.compiled;
    const row = await manager.findOne(DomainValueEntity, { where: { profileId, domain: name }, lock: { mode: 'pessimistic_write' } });
    assertVersion(`The ${name} values of profile ${profileId}`, row?.version ?? 0, expected);
    const stored = row?.values ?? {};
    // Secrets are compared and validated in the clear, stored encrypted, shown as {"set": true}.
    const plain = values && this.secrets.keep(schema, values, stored, restoreAction ? 'drop' : 'refuse');
    if (plain !== undefined) assertValid(schema, plain, name, '');

    const proposed = diffValues(this.secrets.reveal(schema, stored), plain ?? {}, this.secrets.conceal(schema, stored), this.secrets.conceal(schema, plain ?? {}));
    // Deleting the domain takes every row, an empty one too (the domain's key restricts it).
    const deleting = restoreAction === 'delete' && row !== null;
    if (!Object.keys(proposed).length && !deleting) return this.toDto(schema, name, profileId, row);
    const inheritors = hasChildren ? await readInheritors(manager, profileId) : undefined;
    // A profile with a parent stores what the database makes of the write: the keys it leaves out,
    // or sets to the parent's value, are inherited. What changed is known only after the write.
    if (inheriting) await manager.query('SAVEPOINT domain_values_write');
    // Clearing a child's values (a restore) leaves it inheriting them all, not without any.
    const cleared = inheriting && !deleting ? {} : undefined;
    const sealed = plain ? this.secrets.seal(schema, plain, stored) : cleared;
    const written = await writeValues(manager, row, { profileId, name, sealed, actor });
    const after = written === UNCHANGED ? row : written;
    const changes = inheriting ? this.storedChanges(schema, row, after) : proposed;
    if (!Object.keys(changes).length) {
      if (inheriting) await manager.query('ROLLBACK TO SAVEPOINT domain_values_write');
      return this.toDto(schema, name, profileId, row);
    }
    if (inheriting && after) assertValid(schema, this.secrets.reveal(schema, after.values), name, '');
    if (inheritors) await this.assertInheritorsValid(manager, schema, name, profileId);
    const action = restoreAction ?? (row ? 'update' : 'create');
    const before = this.toDto(schema, name, profileId, row);
    const dto = this.toDto(schema, name, profileId, after);
    await emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, name, action, actor, changes, { before, after: dto }));
    await auditInherited(manager, this.events, inheritors, actor);
    return dto;
  }

  /** What a write changed of a profile's stored values (inherited ones included), and of which keys it inherits. */
  private storedChanges(schema: CompiledSchema, before: StoredRow | null, after: StoredRow | null): FieldChanges {
    const old = before?.values ?? {};
    const now = after?.values ?? {};
    const changes = diffValues(this.secrets.reveal(schema, old), this.secrets.reveal(schema, now), this.secrets.conceal(schema, old), this.secrets.conceal(schema, now));
    const inherited = { old: before?.inherited ?? [], new: after?.inherited ?? [] };
    if (!isDeepStrictEqual(inherited.old, inherited.new)) changes[INHERITED_KEY] = inherited;
    return changes;
  }

  /**
   * Resets a key the profile sets itself to its parent's value (or, where the parent sets none,
   * to the schema's default), in the caller's transaction: audited like a write, passed down.
   * Nothing to do when the profile inherits the key already. 409 for a profile without a parent.
   */
  async resetKeyIn(manager: EntityManager, profileId: number, name: string, key: string, actor: string): Promise<void> {
    const { profileName, inheriting, hasChildren, domain } = await this.domains.lockForValues(manager, profileId, name);
    const properties = domain.schema.properties;
    if (isPlainObject(properties) && !Object.hasOwn(properties, key)) throw new NotFoundError(`Domain ${name} has no field "${key}"; its fields are ${Object.keys(properties).join(', ')}.`);
    if (!inheriting) throw new ConflictError(`Profile "${profileName}" inherits from no profile: there is no value to reset ${key} to. Give it a parent first (parent_profile_id).`);
    const row = await manager.findOne(DomainValueEntity, { where: { profileId, domain: name }, lock: { mode: 'pessimistic_write' } });
    if (!row || row.inherited.includes(key) || !Object.hasOwn(row.values, key)) return;
    const inheritors = hasChildren ? await readInheritors(manager, profileId) : undefined;
    // TypeORM answers an UPDATE with [rows, row count].
    const [[after]]: [{ values: Values; inherited: string[]; version: number; updated_at: Date }[], number] = await manager.query(
      'UPDATE config_domain_values SET inherited = array_append(inherited, $2) WHERE id = $1 RETURNING "values", inherited, version, updated_at',
      [row.id, key],
    );
    const stored = { values: after.values, inherited: after.inherited, version: after.version, updatedAt: after.updated_at };
    assertValid(domain.compiled, this.secrets.reveal(domain.compiled, stored.values), name, '');
    if (inheritors) await this.assertInheritorsValid(manager, domain.compiled, name, profileId);
    const changes = this.storedChanges(domain.compiled, row, stored);
    await emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, name, 'update', actor, changes));
    await auditInherited(manager, this.events, inheritors, actor);
  }

  /**
   * After a write passed down: the values of every profile inheriting from `profileId` still pass
   * the schema, merged with their own (a rule across keys, such as `dependentRequired`, may not).
   * 422 naming each profile and field otherwise; the caller's transaction then changes nothing.
   */
  private async assertInheritorsValid(manager: EntityManager, schema: CompiledSchema, name: string, profileId: number, self = false): Promise<void> {
    const rows: { profile_id: number; profile_name: string; values: Values }[] = await manager.query(
      `WITH RECURSIVE tree (id, depth) AS (
         SELECT id, 1 FROM config_profiles WHERE parent_profile_id = $1 OR (id = $1 AND $3)
         UNION ALL
         SELECT p.id, tree.depth + 1 FROM config_profiles p JOIN tree ON p.parent_profile_id = tree.id WHERE tree.depth < 10
       )
       SELECT v.profile_id, p.name AS profile_name, v."values" FROM tree JOIN config_domain_values v ON v.profile_id = tree.id AND v.domain = $2
         JOIN config_profiles p ON p.id = v.profile_id ORDER BY tree.depth, v.profile_id`,
      [profileId, name, self],
    );
    const problems = rows.flatMap((row) =>
      schema.validate(schema.withDefaults(this.secrets.reveal(schema, row.values))).map((error) => ({
        field: `profiles/${row.profile_id}${error.field === '/' ? '' : error.field}`,
        message: `${error.message} (profile "${row.profile_name}", which inherits these values)`,
      })),
    );
    if (problems.length) {
      throw new UnprocessableError(`The change would make the ${name} values of ${new Set(problems.map((problem) => problem.field.split('/')[1])).size} profile(s) inheriting from this one invalid; change those first.`, problems);
    }
  }

  /**
   * After a re-parenting, in its transaction: the values the profile and those inheriting from it
   * now hold of each registered domain still pass its schema (the new parent's keys merged with
   * their own may break a rule across keys). 422 naming each profile and field otherwise.
   */
  async assertReparentedValid(manager: EntityManager, profileId: number): Promise<void> {
    const domains: { domain: string }[] = await manager.query(
      `WITH RECURSIVE tree (id, depth) AS (
         SELECT $1::int, 0
         UNION ALL
         SELECT p.id, tree.depth + 1 FROM config_profiles p JOIN tree ON p.parent_profile_id = tree.id WHERE tree.depth < 10
       )
       SELECT DISTINCT v.domain FROM tree JOIN config_domain_values v ON v.profile_id = tree.id ORDER BY v.domain`,
      [profileId],
    );
    for (const { domain } of domains) {
      await this.assertInheritorsValid(manager, (await this.domains.custom(domain, manager)).compiled, domain, profileId, true);
    }
  }

  /** The profile and the domain locked for a write of values. */
  private lockForWrite(manager: EntityManager, profileId: number, name: string, fromDocument: boolean) {
    const locked = this.domains.lockForValues(manager, profileId, name);
    return fromDocument ? locked.catch((error: unknown) => unknownAsBadValue(error, name)) : locked;
  }

  private registered(manager: EntityManager, name: string) {
    return this.domains.custom(name, manager, true).catch((error: unknown) => unknownAsBadValue(error, name));
  }

  /**
   * Values kept outside the domain's own table (a scheduled change, a preset) before they are
   * applied: each must name a registered domain, and hold no secret other than {"set": true}
   * (anything else would be stored in the clear). 422 naming `field`.<domain> otherwise.
   */
  async assertStorable(values: Record<string, unknown>, field: string): Promise<void> {
    const registered = new Map((await this.domains.customDomains()).map((domain) => [domain.name, domain.compiled]));
    for (const [name, domainValues] of Object.entries(values)) {
      const schema = registered.get(name);
      if (!schema) throw new UnprocessableError(`${field}.${name} names no registered domain.`, [{ field: `${field}.${name}`, message: 'is not a registered domain' }]);
      if (!isPlainObject(domainValues)) throw new UnprocessableError(`${field}.${name} must be an object of values.`, [{ field: `${field}.${name}`, message: 'must be an object' }]);
      const plain = schema.hasSecrets ? schema.secrets(domainValues).filter((pointer) => !isDeepStrictEqual(valueAtPointer(domainValues, pointer), SECRET_SET)) : [];
      if (plain.length) {
        throw new UnprocessableError(`${field}.${name} holds a secret (${plain[0]}): secrets are not stored outside their domain; set it on the profile itself.`, [
          { field: `${field}.${name}${plain[0].replace(/\//g, '.')}`, message: 'is a secret: set it on the profile, not here' },
        ]);
      }
    }
  }

  /** Values as readers without access to secrets see them: each secret as {"set": true}. */
  conceal(schema: CompiledSchema, values: Values): Values {
    return this.secrets.conceal(schema, values);
  }

  /**
   * The profile's values of each domain that has secrets, the secrets decrypted: for resolved
   * configurations given to agents and admins. `pinned` (a pinned session's snapshot, secrets
   * concealed as the audit keeps them): its values instead, each secret the one stored now; a
   * secret removed since is left out.
   */
  async revealedSecrets(profileId: number, domains: readonly CustomDomain[], pinned?: Record<string, { values: Values }>): Promise<Record<string, Values>> {
    const withSecrets = new Map(domains.filter((domain) => domain.compiled.hasSecrets).map((domain) => [domain.name, domain.compiled]));
    if (!withSecrets.size) return {};
    const rows = await this.dataSource.manager.find(DomainValueEntity, { where: [...withSecrets.keys()].map((domain) => ({ profileId, domain })) });
    if (!pinned) return Object.fromEntries(rows.map((row) => [row.domain, this.secrets.reveal(withSecrets.get(row.domain)!, row.values)]));
    const stored = new Map(rows.map((row) => [row.domain, row.values]));
    return Object.fromEntries(
      [...withSecrets].filter(([name]) => pinned[name]).map(([name, schema]) => [name, this.secrets.keep(schema, pinned[name].values, stored.get(name), 'drop')]),
    );
  }

  private toDto(schema: CompiledSchema, domain: string, profileId: number, row: StoredRow | null): DomainValuesDto {
    return {
      domain,
      profile_id: profileId,
      values: this.secrets.conceal(schema, row?.values ?? {}),
      inherited: row?.inherited ?? [],
      effective: this.secrets.conceal(schema, schema.withDefaults(row?.values ?? {})),
      version: row?.version ?? 0,
      updated_at: row?.updatedAt.toISOString() ?? null,
    };
  }

  /** A new profile's values: a copy of another profile's (duplicate, copy_from_profile_id). */
  async copyFor(manager: EntityManager, profileId: number, sourceProfileId: number, actor: string): Promise<void> {
    await manager.query(
      `INSERT INTO config_domain_values (profile_id, domain, "values", updated_by)
       SELECT $1, domain, "values", $3 FROM config_domain_values WHERE profile_id = $2`,
      [profileId, sourceProfileId, actor],
    );
  }
}

/** A document (import, restore) naming a domain nobody registered, or one deleted since, holds a bad value (422), not a missing resource. */
function unknownAsBadValue(error: unknown, name: string): never {
  if (!(error instanceof UnknownDomainError)) throw error;
  throw new UnprocessableError(`"${name}" is not a registered domain; register it first (POST /api/config/domains).`, [
    { field: name, message: 'is not a registered domain' },
  ]);
}

/** The database left the row as it was (its trigger found nothing to change). */
const UNCHANGED = Symbol('unchanged');

/**
 * Stores (or with `sealed` undefined, deletes) a profile's values in one statement; the row as
 * stored, null once deleted, UNCHANGED when the database made the write a no-op (a child's write
 * whose merge with its parent's values is what it held).
 */
async function writeValues(
  manager: EntityManager,
  row: DomainValueEntity | null,
  write: { profileId: number; name: string; sealed: Values | undefined; actor: string },
): Promise<StoredRow | null | typeof UNCHANGED> {
  const returning = 'RETURNING "values", inherited, version, updated_at';
  if (write.sealed === undefined) {
    await manager.query('DELETE FROM config_domain_values WHERE id = $1', [row!.id]);
    return null;
  }
  // TypeORM answers an UPDATE with [rows, count], an INSERT with the rows.
  const [stored]: ({ values: Values; inherited: string[]; version: number; updated_at: Date } | undefined)[] = row
    ? (await manager.query(`UPDATE config_domain_values SET "values" = $1, updated_by = $2 WHERE id = $3 ${returning}`, [write.sealed, write.actor, row.id]))[0]
    : await manager.query(`INSERT INTO config_domain_values (profile_id, domain, "values", updated_by) VALUES ($1, $2, $3, $4) ${returning}`, [
        write.profileId,
        write.name,
        write.sealed,
        write.actor,
      ]);
  if (!stored) return UNCHANGED;
  return { values: stored.values, inherited: stored.inherited, version: stored.version, updatedAt: stored.updated_at };
}

/** 422 listing every failing field by JSON Pointer (after `prefix`: the domain's name inside a document). */
function assertValid(compiled: CompiledSchema, values: Record<string, unknown>, name: string, prefix: string): void {
  const problems = compiled.validate(compiled.withDefaults(values)).map((error) => ({ ...error, field: `${prefix}${error.field === '/' && prefix ? '' : error.field}` }));
  if (problems.length) throw new UnprocessableError(`The values break the schema of domain "${name}": ${problems[0].field} ${problems[0].message}.`, problems);
}

/** Top-level fields that differ in the clear, a removed one as `new: null`, shown as `shownBefore`/`shownAfter` have them (secrets concealed). */
function diffValues(before: Values, after: Values, shownBefore: Values, shownAfter: Values): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isDeepStrictEqual(before[field], after[field])) changes[field] = { old: shownBefore[field] ?? null, new: shownAfter[field] ?? null };
  }
  return changes;
}

/** The value at a JSON pointer (/a/0/b). */
function valueAtPointer(values: unknown, pointer: string): unknown {
  let node = values;
  for (const token of pointer.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}
