import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, type EntityManager } from 'typeorm';
import { lockProfile, requireProfile } from '../common/database/profile-guard.js';
import { UnprocessableError } from '../common/errors/domain-errors.js';
import { CONFIG_CHANGED, ConfigChangedEvent, type FieldChanges } from '../common/events/config-events.js';
import { assertVersion } from '../common/http/etag.js';
import { DomainsService } from './domains.service.js';
import type { DomainValuesDto, StoredDomainValuesDto } from './dto/domain.dto.js';
import { DomainValueEntity } from './entities/domain-value.entity.js';

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
  ) {}

  async get(name: string, profileId: number): Promise<DomainValuesDto> {
    const domain = await this.domains.custom(name);
    await requireProfile(this.dataSource.manager, profileId);
    const row = await this.dataSource.manager.findOneBy(DomainValueEntity, { profileId, domain: name });
    return toDto(name, profileId, row, domain.compiled.withDefaults(row?.values ?? {}));
  }

  async put(name: string, profileId: number, values: Record<string, unknown>, actor: string, expected?: number): Promise<DomainValuesDto> {
    return this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const domain = await this.domains.custom(name, manager);
      const row = await manager.findOne(DomainValueEntity, { where: { profileId, domain: name }, lock: { mode: 'pessimistic_write' } });
      assertVersion(`The ${name} values of profile ${profileId}`, row?.version ?? 0, expected);
      const effective = domain.compiled.withDefaults(values);
      const problems = domain.compiled.validate(effective);
      if (problems.length) throw new UnprocessableError(`The values break the schema of domain "${name}": ${problems[0].field} ${problems[0].message}.`, problems);

      const changes = diffValues(row?.values ?? {}, values);
      if (!Object.keys(changes).length) return toDto(name, profileId, row, effective);
      if (row) await manager.query('UPDATE config_domain_values SET "values" = $1, updated_by = $2 WHERE id = $3', [values, actor, row.id]);
      else await manager.query('INSERT INTO config_domain_values (profile_id, domain, "values", updated_by) VALUES ($1, $2, $3, $4)', [profileId, name, values, actor]);
      const after = await manager.findOneByOrFail(DomainValueEntity, { profileId, domain: name });
      await this.events.emitAsync(CONFIG_CHANGED, new ConfigChangedEvent(manager, profileId, profileName, name, row ? 'update' : 'create', actor, changes));
      return toDto(name, profileId, after, effective);
    });
  }

  /** A profile's values of every registered domain it has set, as its detail (and audit snapshots) carry them. */
  async forProfile(manager: EntityManager, profileId: number): Promise<Record<string, StoredDomainValuesDto>> {
    const rows = await manager.find(DomainValueEntity, { where: { profileId }, order: { domain: 'ASC' } });
    return Object.fromEntries(rows.map((row) => [row.domain, { values: row.values, version: row.version, updated_at: row.updatedAt.toISOString() }]));
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

/** Top-level fields that differ, a removed one as `new: null`. */
function diffValues(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isDeepStrictEqual(before[field], after[field])) changes[field] = { old: before[field] ?? null, new: after[field] ?? null };
  }
  return changes;
}

function toDto(domain: string, profileId: number, row: DomainValueEntity | null, effective: Record<string, unknown>): DomainValuesDto {
  return {
    domain,
    profile_id: profileId,
    values: row?.values ?? {},
    effective,
    version: row?.version ?? 0,
    updated_at: row?.updatedAt.toISOString() ?? null,
  };
}
