import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, UnprocessableError } from '../common/errors/domain-errors.js';
import { requireProfile } from '../common/database/profile-guard.js';
import { CONFIG_RESYNC, type ConfigResyncEvent, DOMAIN_REGISTRY_CHANGED, DomainRegistryChangedEvent, type FieldChanges } from '../common/events/config-events.js';
import { assertVersion } from '../common/http/etag.js';
import { BUILT_IN_DOMAINS, RESERVED_DOMAIN_NAMES } from './built-in-domains.js';
import type { CreateDomainDto, DomainDto, UpdateDomainDto } from './dto/domain.dto.js';
import { DomainEntity } from './entities/domain.entity.js';
import { DomainValueEntity } from './entities/domain-value.entity.js';
import { type CompiledSchema, compileSchema, schemaProblems } from './json-schema.js';
import { DomainSecrets } from './secrets/domain-secrets.js';

/** No domain has this name (a 404 on its routes; a document naming it is a 422 instead). */
export class UnknownDomainError extends NotFoundError {
  constructor(
    readonly domain: string,
    message = `There is no domain "${domain}".`,
  ) {
    super(message);
  }
}

/** A registered domain, ready to validate values and fill defaults. */
export interface CustomDomain {
  name: string;
  version: number;
  schema: Record<string, unknown>;
  compiled: CompiledSchema;
}

/**
 * The registry of configuration domains: the built-in ones (described, read-only) and those users
 * register with a JSON Schema. A schema is checked before it is stored, compiled once per version,
 * and a new schema is refused while any stored value would break it.
 */
@Injectable()
export class DomainsService {
  /** Registered domains with their compiled schemas, by `name@version`: a version never changes its schema. */
  private readonly compiled = new Map<string, CustomDomain>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: DomainSecrets,
    private readonly events: EventEmitter2,
  ) {}

  /** A restore may have put another schema under a name@version compiled here: compile them again. */
  @OnEvent(CONFIG_RESYNC)
  onResync(event: ConfigResyncEvent): void {
    if (event.profileId === null) this.compiled.clear();
  }

  async list(): Promise<DomainDto[]> {
    const rows = await this.dataSource.manager.find(DomainEntity, { order: { name: 'ASC' } });
    const counts = await this.valueCounts();
    return [...BUILT_IN_DOMAINS.map(builtInDto), ...rows.map((row) => toDto(row, counts.get(row.name) ?? 0))];
  }

  async get(name: string): Promise<DomainDto> {
    const builtIn = BUILT_IN_DOMAINS.find((domain) => domain.name === name);
    if (builtIn) return builtInDto(builtIn);
    const row = await this.dataSource.manager.findOneBy(DomainEntity, { name });
    if (!row) throw new UnknownDomainError(name);
    return toDto(row, (await this.valueCounts(name)).get(name) ?? 0);
  }

  async create(request: CreateDomainDto, actor: string): Promise<DomainDto> {
    if (RESERVED_DOMAIN_NAMES.has(request.name)) {
      throw new ConflictError(`"${request.name}" is a built-in domain or a reserved word; choose another name.`, [
        { field: 'name', message: 'is reserved' },
      ]);
    }
    assertSchema(request.schema);
    await this.dataSource.transaction(async (manager) => {
      const [row]: RegistrationRow[] = await manager.query(
        `INSERT INTO config_domains (name, title, description, schema, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${REGISTRATION}`,
        [request.name, request.title, request.description ?? null, request.schema, actor],
      );
      await this.audit(manager, 'create', actor, null, row);
    });
    return this.get(request.name);
  }

  async update(name: string, request: UpdateDomainDto, actor: string, expected?: number): Promise<DomainDto> {
    this.refuseBuiltIn(name, 'changed');
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(DomainEntity, { where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new UnknownDomainError(name);
      assertVersion(`Domain "${name}"`, row.version, expected);
      const unchanged =
        (request.title === undefined || request.title === row.title) &&
        (request.description === undefined || request.description === row.description) &&
        (request.schema === undefined || sameJson(request.schema, row.schema));
      if (unchanged) return; // same version, no audit entry: nothing happened
      if (request.schema !== undefined) {
        assertSchema(request.schema);
        await this.refitValues(manager, name, this.ready(row).compiled, compileSchema(request.schema));
      }
      const [[after]]: [RegistrationRow[], number] = await manager.query(
        `UPDATE config_domains SET title = coalesce($2, title), description = CASE WHEN $3 THEN $4 ELSE description END,
                schema = coalesce($5, schema), updated_by = $6 WHERE name = $1 RETURNING ${REGISTRATION}`,
        [name, request.title ?? null, request.description !== undefined, request.description ?? null, request.schema ?? null, actor],
      );
      await this.audit(manager, 'update', actor, registrationOf(row), after);
    });
    return this.get(name);
  }

  /**
   * Refused while profiles hold values of it, unless `deleteValues`: then `clearValues` removes
   * each profile's values first, in the same transaction (DomainValuesService, which audits them).
   */
  async remove(name: string, deleteValues: boolean, actor: string, clearValues: (manager: EntityManager, profileIds: number[]) => Promise<void>): Promise<void> {
    this.refuseBuiltIn(name, 'deleted');
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(DomainEntity, { where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new UnknownDomainError(name);
      const holders = await manager.find(DomainValueEntity, { where: { domain: name }, select: { profileId: true }, order: { profileId: 'ASC' } });
      if (holders.length && !deleteValues) {
        throw new ConflictError(`${holders.length} profile(s) hold values of domain "${name}"; delete with ?delete_values=true to delete those values too.`);
      }
      await clearValues(manager, holders.map((holder) => holder.profileId));
      await manager.delete(DomainEntity, { name });
      await this.audit(manager, 'delete', actor, registrationOf(row), null);
    });
  }

  /**
   * A registered (not built-in) domain with its compiled schema; 404 for any other name. A writer
   * of values (`forWrite`, inside its transaction) holds the domain's row until it commits, so a
   * schema change cannot slip between its check and its write.
   */
  async custom(name: string, manager: EntityManager = this.dataSource.manager, forWrite = false): Promise<CustomDomain> {
    this.refuseBuiltInValues(name);
    const row = await manager.findOne(DomainEntity, { where: { name }, ...(forWrite && { lock: { mode: 'pessimistic_read' as const } }) });
    if (!row) throw new UnknownDomainError(name);
    return this.ready(row);
  }

  /**
   * For a writer of a profile's values, inside its transaction, in one statement: locks the
   * profile as every writer of it does (see lockProfile) and holds the domain's row until commit,
   * so that a schema change cannot slip between the check and the write; says whether the profile
   * has a parent and children (inheritance). 404 for a missing profile or domain; the schema is
   * read only when this version is not compiled yet.
   */
  async lockForValues(manager: EntityManager, profileId: number, name: string): Promise<{ profileName: string; inheriting: boolean; hasChildren: boolean; domain: CustomDomain }> {
    this.refuseBuiltInValues(name);
    const rows: { profile_name: string; inheriting: boolean; has_children: boolean; version: number }[] = await manager.query(
      `SELECT p.name AS profile_name, p.parent_profile_id IS NOT NULL AS inheriting,
              EXISTS (SELECT FROM config_profiles c WHERE c.parent_profile_id = p.id) AS has_children, d.version
         FROM config_profiles p CROSS JOIN config_domains d
        WHERE p.id = $1 AND d.name = $2 FOR NO KEY UPDATE OF p FOR SHARE OF d`,
      [profileId, name],
    );
    if (!rows.length) {
      await requireProfile(manager, profileId);
      throw new UnknownDomainError(name);
    }
    const [{ profile_name: profileName, inheriting, has_children: hasChildren, version }] = rows;
    const located = { profileName, inheriting, hasChildren };
    const known = this.compiled.get(`${name}@${version}`);
    if (known) return { ...located, domain: known };
    return { ...located, domain: this.ready((await manager.findOneBy(DomainEntity, { name }))!) };
  }

  /** Every registered domain, for what iterates them (resolved configurations). */
  async customDomains(manager: EntityManager = this.dataSource.manager): Promise<CustomDomain[]> {
    const rows = await manager.find(DomainEntity, { order: { name: 'ASC' } });
    return rows.map((row) => this.ready(row));
  }

  /**
   * The registry's own audit entry (history `subject: domain`), in the changing transaction:
   * each of title, description and schema that changed, and the registration after the change
   * (before it, for a delete). An update that changes nothing is not audited.
   */
  private async audit(manager: EntityManager, action: 'create' | 'update' | 'delete', actor: string, before: RegistrationRow | null, after: RegistrationRow | null): Promise<void> {
    const changes: FieldChanges = {};
    for (const field of ['title', 'description', 'schema'] as const) {
      const old = before?.[field] ?? null;
      const now = after?.[field] ?? null;
      if (!sameJson(old, now)) changes[field] = { old, new: now };
    }
    if (!Object.keys(changes).length) return;
    const registration = (after ?? before)!;
    await this.events.emitAsync(DOMAIN_REGISTRY_CHANGED, new DomainRegistryChangedEvent(manager, registration.name, action, actor, changes, { ...registration }));
  }

  /**
   * Every profile's stored values must pass the new schema, or nothing changes (422 naming each).
   * Fields that become secret, or stop being one, are encrypted or decrypted in place.
   */
  private async refitValues(manager: EntityManager, name: string, before: CompiledSchema, after: CompiledSchema): Promise<void> {
    const rows: { id: number; profile_id: number; profile_name: string; values: Record<string, unknown>; inherited: string[] }[] = await manager.query(
      `SELECT v.id, v.profile_id, p.name AS profile_name, v."values", v.inherited
         FROM config_domain_values v JOIN config_profiles p ON p.id = v.profile_id
        WHERE v.domain = $1 ORDER BY v.profile_id FOR UPDATE OF v`,
      [name],
    );
    const plain = rows.map((row) => this.secrets.reveal(before, row.values));
    const problems = rows.flatMap((row, index) =>
      after.validate(after.withDefaults(plain[index])).map((error) => ({
        field: `profiles/${row.profile_id}${error.field === '/' ? '' : error.field}`,
        message: `${error.message} (profile "${row.profile_name}")`,
      })),
    );
    if (problems.length) {
      throw new UnprocessableError(`The new schema would make the values of ${new Set(problems.map((p) => p.field.split('/')[1])).size} profile(s) invalid; change those first.`, problems);
    }
    for (const [index, row] of rows.entries()) {
      if (samePointers(before.secrets(row.values), after.secrets(plain[index]))) continue;
      // What a child inherits is left out: the database copies it from its parent's row, re-encrypted
      // there (a copy encrypted here would differ from the parent's, and count as the child's own).
      const own = Object.fromEntries(Object.entries(plain[index]).filter(([key]) => !row.inherited.includes(key)));
      await manager.query('UPDATE config_domain_values SET "values" = $1 WHERE id = $2', [this.secrets.seal(after, own), row.id]);
    }
  }

  private ready(row: DomainEntity): CustomDomain {
    const key = `${row.name}@${row.version}`;
    let domain = this.compiled.get(key);
    if (!domain) {
      domain = { name: row.name, version: row.version, schema: row.schema, compiled: compileSchema(row.schema) };
      this.compiled.set(key, domain);
    }
    return domain;
  }

  private refuseBuiltInValues(name: string): void {
    const builtIn = BUILT_IN_DOMAINS.find((domain) => domain.name === name);
    if (builtIn) throw new UnknownDomainError(name, `"${name}" is a built-in domain: its values have their own routes. ${builtIn.description}`);
  }

  private refuseBuiltIn(name: string, verb: string): void {
    if (BUILT_IN_DOMAINS.some((domain) => domain.name === name)) {
      throw new ConflictError(`"${name}" is a built-in domain: it is defined by Switchboard itself and cannot be ${verb}.`);
    }
  }

  private async valueCounts(name?: string): Promise<Map<string, number>> {
    const rows: { domain: string; n: number }[] = await this.dataSource.query(
      'SELECT domain, count(*)::int AS n FROM config_domain_values WHERE $1::text IS NULL OR domain = $1 GROUP BY domain',
      [name ?? null],
    );
    return new Map(rows.map((row) => [row.domain, row.n]));
  }
}

function assertSchema(schema: unknown): void {
  const problems = schemaProblems(schema);
  if (problems.length) throw new UnprocessableError(`The schema cannot be used: ${problems[0].field} ${problems[0].message}.`, problems);
}

/** A registration as audit entries keep it. */
interface RegistrationRow {
  name: string;
  title: string;
  description: string | null;
  schema: Record<string, unknown>;
  version: number;
}
const REGISTRATION = 'name, title, description, schema, version';

function registrationOf(row: DomainEntity): RegistrationRow {
  return { name: row.name, title: row.title, description: row.description, schema: row.schema, version: row.version };
}

/** Equal as JSON text: a schema whose properties only moved is a change (forms follow their order). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function samePointers(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((pointer) => b.includes(pointer));
}

function builtInDto(domain: (typeof BUILT_IN_DOMAINS)[number]): DomainDto {
  return { ...domain, built_in: true, version: null, profiles_with_values: null, updated_at: null, updated_by: null };
}

function toDto(row: DomainEntity, profilesWithValues: number): DomainDto {
  return {
    name: row.name,
    title: row.title,
    description: row.description,
    kind: 'object',
    built_in: false,
    schema: row.schema,
    version: row.version,
    profiles_with_values: profilesWithValues,
    updated_at: row.updatedAt.toISOString(),
    updated_by: row.updatedBy,
  };
}
