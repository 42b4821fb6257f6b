import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { AiInfraService } from '../ai-infra/ai-infra.service.js';
import { DomainValuesService } from '../domains/domain-values.service.js';
import { lockProfile } from '../common/database/profile-guard.js';
import { DEFAULT_PROFILE } from '../common/defaults/default-config.js';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, UnprocessableError, withFieldPrefix } from '../common/errors/domain-errors.js';
import { isConnectionError } from '../common/database/connection-errors.js';
import { type ConfigAction, ConfigChangedEvent, diffFields, type FieldChanges, SESSION_MOVED, SessionMovedEvent, emitConfigChanged } from '../common/events/config-events.js';
import { assertVersion } from '../common/http/etag.js';
import { auditInherited, inheritanceOf, INHERITING_DOMAINS, type InheritingDomain, readInheritors } from '../common/database/inheritance.js';
import { GenieService } from '../genie/genie.service.js';
import { MlflowService } from '../mlflow/mlflow.service.js';
import { PromptsService } from '../prompts/prompts.service.js';
import type { RegistryPromptDocumentDto } from '../prompt-registry/dto/registry-prompt.dto.js';
import { PromptRegistryService } from '../prompt-registry/prompt-registry.service.js';
import type { BulkDeleteItemDto, BulkDeleteResultDto } from './dto/bulk-delete.dto.js';
import { RolloutsService } from '../rollout/rollouts.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { ProfileDocumentDto } from './dto/profile-document.dto.js';
import type { CreateProfileDto, ListProfilesQueryDto, ProfileSort, UpdateProfileDto } from './dto/profile-requests.dto.js';
import type { LoadedProfileDto, ProfileDetailDto, ProfileListItemDto, ProfileSummaryDto } from './dto/profile-responses.dto.js';
import { ProfileEntity } from './entities/profile.entity.js';

export const SYSTEM_PRINCIPAL = 'system';

const PROFILE_ORDER: Record<ProfileSort, string> = {
  name: 'lower(p.name)',
  '-name': 'lower(p.name) DESC',
  last_changed_at: 'last_changed_at',
  '-last_changed_at': 'last_changed_at DESC',
  last_changed_by: 'lower(COALESCE(last.by, p.updated_by, p.created_by)) NULLS LAST',
  '-last_changed_by': 'lower(COALESCE(last.by, p.updated_by, p.created_by)) DESC NULLS LAST',
  default: 'p.is_default DESC',
};

/** SQL: profile `p` matches the escaped ILIKE pattern $1 by name or description (no pattern: all do). */
const MATCHES_SEARCH = `($1::text IS NULL OR p.name ILIKE $1 ESCAPE '\\' OR p.description ILIKE $1 ESCAPE '\\')`;

interface ProfileListRow {
  id: number;
  name: string;
  description: string | null;
  is_default: boolean;
  parent_profile_id: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  last_changed_at: Date;
  last_changed_by: string | null;
  total: number;
}
export const DEFAULT_PAGE_SIZE = 100;

/**
 * Profiles and their lifecycle. A profile's domains belong to their features: this service
 * creates, copies and reads them through those features' services, in its own transaction.
 */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
    private readonly aiInfra: AiInfraService,
    private readonly genie: GenieService,
    private readonly mlflow: MlflowService,
    private readonly prompts: PromptsService,
    private readonly sessions: SessionsService,
    private readonly domainValues: DomainValuesService,
    private readonly promptRegistry: PromptRegistryService,
    private readonly rollouts: RolloutsService,
  ) {}

  /**
   * One page of profiles with their last change: the newest history entry of the profile or any of
   * its domains (a Genie space edit counts; an agent session loading it does not), read in the same
   * statement so the list can sort by it.
   */
  async list(query: ListProfilesQueryDto): Promise<{ items: ProfileListItemDto[]; total: number }> {
    const pattern = query.search ? `%${query.search.replace(/[\\%_]/g, '\\$&')}%` : null;
    const rows: ProfileListRow[] = await this.dataSource.manager.query(
      `SELECT p.id, p.name, p.description, p.is_default, p.parent_profile_id, p.version, p.created_at, p.updated_at,
              COALESCE(last.at, p.updated_at) AS last_changed_at, COALESCE(last.by, p.updated_by, p.created_by) AS last_changed_by,
              count(*) OVER ()::int AS total
         FROM config_profiles p
         LEFT JOIN LATERAL (
           SELECT h."timestamp" AS at, h.changed_by AS by FROM config_history h
            WHERE h.profile_id = p.id AND h.action <> 'load' ORDER BY h."timestamp" DESC, h.id DESC LIMIT 1
         ) last ON true
        WHERE ${MATCHES_SEARCH}
        ORDER BY ${PROFILE_ORDER[query.sort ?? 'name']}, lower(p.name), p.id
        LIMIT $2 OFFSET $3`,
      [pattern, query.limit ?? DEFAULT_PAGE_SIZE, query.offset ?? 0],
    );
    const live = await this.sessions.countLiveByProfile(this.dataSource.manager, rows.map((row) => row.id));
    const items = rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      is_default: row.is_default,
      parent_profile_id: row.parent_profile_id,
      version: row.version,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
      last_changed_at: row.last_changed_at.toISOString(),
      last_changed_by: row.last_changed_by,
      live_sessions: live.get(row.id) ?? 0,
    }));
    // Past the last page the window function has no row to count on: count without it.
    const total = rows[0]?.total ?? (query.offset ? await this.count(pattern) : 0);
    return { items, total };
  }

  private async count(pattern: string | null): Promise<number> {
    const [{ total }]: { total: number }[] = await this.dataSource.manager.query(
      `SELECT count(*)::int AS total FROM config_profiles p WHERE ${MATCHES_SEARCH}`,
      [pattern],
    );
    return total;
  }

  /**
   * One statement (fn_profile_detail, the same that snapshots each audit entry): the profile and
   * every domain's values; a profile with a parent, one more: where its inherited values come from.
   */
  async get(id: number, manager: EntityManager = this.dataSource.manager): Promise<ProfileDetailDto> {
    const [{ detail }]: { detail: Omit<ProfileDetailDto, 'parent_profile_name' | 'inherited_from'> | null }[] = await manager.query('SELECT fn_profile_detail($1) AS detail', [id]);
    if (!detail) throw new NotFoundError(`Profile ${id} does not exist.`);
    if (detail.parent_profile_id === null) return { ...detail, parent_profile_name: null, inherited_from: {} };
    const { parentName, sources } = await inheritanceOf(manager, id);
    return { ...detail, parent_profile_name: parentName, inherited_from: sources };
  }

  /** Id of the default profile; null when there is no profile at all. */
  async defaultProfileId(): Promise<number | null> {
    const row = await this.dataSource.manager.findOne(ProfileEntity, { where: { isDefault: true }, select: { id: true } });
    return row?.id ?? null;
  }

  async getDefault(): Promise<ProfileDetailDto> {
    const row = await this.dataSource.manager.findOneBy(ProfileEntity, { isDefault: true });
    if (!row) throw new NotFoundError('There is no profile yet.');
    return this.get(row.id, this.dataSource.manager);
  }

  async create(request: CreateProfileDto, actor: string, action: ConfigAction = 'create'): Promise<ProfileDetailDto> {
    return this.dataSource.transaction(async (manager) => {
      const parent = request.parent_profile_id ?? undefined;
      if (parent !== undefined) await lockProfile(manager, parent);
      // A child starts as a copy of its parent, unless told to copy another profile.
      const source = request.copy_from_profile_id ?? parent; // the seed's clients send null
      // A copy source named in the body that does not exist is a bad value (422); the profile a
      // duplicate route names, gone meanwhile (a delete won the race), is a missing resource (404).
      if (source !== undefined && action === 'duplicate') await lockProfile(manager, source);
      else if (source !== undefined && source !== parent) await this.lockSource(manager, source);
      let profile = await this.insert(manager, request.name, request.description ?? null, actor, source);
      // A child copying another profile gets its prompts before its parent's: they are its own, the parent's
      // it then lacks are inherited (those the source inherits from the same parent, too).
      if (source !== undefined && parent !== undefined && source !== parent) {
        const ownOnly = (await manager.findOneByOrFail(ProfileEntity, { id: source })).parentProfileId === parent;
        await this.promptRegistry.copy(manager, source, profile.id, profile.name, actor, action, ownOnly);
      }
      // Set once the rows exist: the database then marks each field equal to the parent's inherited,
      // and gives the profile the parent's Genie spaces and prompts it lacks.
      const inheritors = parent === undefined ? undefined : await readInheritors(manager, profile.id, true);
      if (parent !== undefined) {
        profile = await this.setParent(manager, profile, parent, actor);
        await this.domainValues.assertReparentedValid(manager, profile.id);
      }
      await this.emit(manager, profile, action, actor, {
        name: { old: null, new: profile.name },
        ...(source !== undefined && { copied_from_profile_id: { old: null, new: source } }),
        ...(parent !== undefined && { parent_profile_id: { old: null, new: parent } }),
      });
      await auditInherited(manager, this.events, inheritors, actor);
      if (source !== undefined && parent === undefined) await this.promptRegistry.copy(manager, source, profile.id, profile.name, actor, action);
      return this.get(profile.id, manager);
    });
  }

  async duplicate(id: number, name: string, actor: string): Promise<ProfileDetailDto> {
    const original = await this.dataSource.manager.findOneBy(ProfileEntity, { id });
    if (!original) throw new NotFoundError(`Profile ${id} does not exist.`);
    // A copy of a child is a child of the same parent, overriding what the original overrides.
    return this.create({ name, description: original.description, copy_from_profile_id: id, parent_profile_id: original.parentProfileId }, actor, 'duplicate');
  }

  async update(id: number, update: UpdateProfileDto, actor: string, expected?: number): Promise<ProfileDetailDto> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.lockForUpdate(manager, id);
      assertVersion(`Profile ${id}`, row.version, expected);
      return this.get((await this.rewrite(manager, row, update, actor, 'update')).id, manager);
    });
  }

  /** Puts name and description back (restore) in the caller's transaction, audited as `action` if either changed. */
  async restoreFor(manager: EntityManager, id: number, values: UpdateProfileDto, actor: string, action: ConfigAction): Promise<void> {
    await this.rewrite(manager, await this.lockForUpdate(manager, id), values, actor, action);
  }

  /**
   * A new profile holding a document's values (import, restore of a deleted profile), audited as
   * one `action` entry; with `parentId`, a child of that profile (what equals it is inherited).
   * `promptRegistry`: the document's prompts, each audited as `import`, the profile's own.
   */
  async createFromDocument(
    manager: EntityManager,
    document: ProfileDocumentDto,
    actor: string,
    action: ConfigAction,
    { changes = {}, parentId, promptRegistry = [] }: { changes?: FieldChanges; parentId?: number; promptRegistry?: RegistryPromptDocumentDto[] } = {},
  ): Promise<ProfileDetailDto> {
    let profile = await this.insert(manager, document.name, document.description ?? null, actor, document);
    // Before the parent: a child's own prompt then stays its own, where the parent's would be inherited.
    if (promptRegistry.length) await this.promptRegistry.importInto(manager, profile.id, profile.name, promptRegistry, actor);
    const inheritors = parentId === undefined ? undefined : await readInheritors(manager, profile.id, true);
    if (parentId !== undefined) {
      profile = await this.setParent(manager, profile, parentId, actor);
      await this.domainValues.assertReparentedValid(manager, profile.id);
      // A child's document names a default space only when it chose its own.
      if (!document.genie_spaces.some((space) => space.is_default)) await this.genie.followParentDefault(manager, profile.id);
    }
    await this.emit(manager, profile, action, actor, {
      name: { old: null, new: profile.name },
      ...(parentId !== undefined && { parent_profile_id: { old: null, new: parentId } }),
      ...changes,
    });
    await auditInherited(manager, this.events, inheritors, actor);
    return this.get(profile.id, manager);
  }

  async setDefault(id: number, actor: string): Promise<ProfileDetailDto> {
    return this.dataSource.transaction((manager) => this.setDefaultIn(manager, id, actor));
  }

  /** setDefault in the caller's transaction (a scheduled change). */
  async setDefaultIn(manager: EntityManager, id: number, actor: string): Promise<ProfileDetailDto> {
    const row = await this.lockForUpdate(manager, id);
    if (row.isDefault) return this.get(row.id, manager);
    // The lock every statement moving the default queues on (InitialSchema): the default read next is the latest.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('config_profiles.is_default'))`);
    const previous = await manager.findOne(ProfileEntity, { where: { isDefault: true }, lock: { mode: 'pessimistic_write' } });
    // The database demotes the previous default (trigger, serialised by an advisory lock).
    await manager.update(ProfileEntity, { id }, { isDefault: true, updatedBy: actor });
    const after = await manager.findOneByOrFail(ProfileEntity, { id });
    await this.emit(manager, after, 'set_default', actor, { is_default: { old: false, new: true } });
    // Demoting is a change of that profile too: audited, and checked like one (grants, approval).
    if (previous) await this.emit(manager, previous, 'set_default', actor, { is_default: { old: true, new: false } });
    return this.get(after.id, manager);
  }

  /**
   * Deletes each profile as remove() does, each in its own transaction, and reports each: an
   * operator clearing out forty stale profiles wants the deletable ones gone and a list of those
   * that are not (the default, one in use), not an all-or-nothing refusal.
   */
  async removeMany(ids: number[], actor: string): Promise<BulkDeleteResultDto> {
    const results: BulkDeleteItemDto[] = [];
    for (const id of ids) {
      try {
        await this.remove(id, actor);
        results.push({ id, status: 204, detail: null });
      } catch (error) {
        if (error instanceof NotFoundError || error instanceof ConflictError || error instanceof ForbiddenError) {
          results.push({ id, status: error.status as 403 | 404 | 409, detail: error.message });
        } else if ((error instanceof DomainError && error.status === 503) || isConnectionError(error)) {
          // Those before were deleted and committed: say which were not, rather than fail them all.
          results.push({ id, status: 503, detail: `Not deleted: the database was unreachable or busy (${error instanceof Error ? error.message : String(error)}); send it again.` });
        } else {
          throw error;
        }
      }
    }
    const deleted = results.filter((result) => result.status === 204).length;
    return { deleted, refused: results.length - deleted, results };
  }

  async remove(id: number, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.lockForUpdate(manager, id);
      if (row.isDefault) {
        throw new ConflictError(`Profile "${row.name}" is the default profile; set another profile as default before deleting it.`);
      }
      await this.rollouts.refuseIfCandidate(manager, id, row.name);
      const live = await this.sessions.countLive(manager, id);
      if (live) throw new ConflictError(`Profile "${row.name}" is used by ${live} live agent session(s); load another profile in them first.`);
      await this.sessions.removeStale(manager, id);
      // The audit entry is written while the profile still exists; the delete then keeps it with the name.
      await this.emit(manager, row, 'delete', actor, { name: { old: row.name, new: null } });
      await manager.delete(ProfileEntity, { id });
    });
  }

  /**
   * Binds a session to the profile. `pin`: the session keeps the profile as it is now (the
   * snapshot of this load's audit entry, and the prompt versions served now) until it loads again;
   * otherwise it follows every change.
   */
  async load(id: number, sessionId: string | undefined, actor: string, pin = false, subject?: string): Promise<LoadedProfileDto> {
    const loaded = await this.dataSource.transaction(async (manager) => {
      await lockProfile(manager, id);
      // A new session of a profile in a rollout goes to the candidate for its share of subjects.
      const newSession = sessionId === undefined ? randomUUID() : undefined;
      const profileId = newSession ? await this.rollouts.sessionProfile(manager, id, subject ?? newSession) : id;
      if (profileId !== id) await lockProfile(manager, profileId);
      const bound = await this.sessions.bind(manager, profileId, sessionId, newSession);
      const row = await manager.findOneByOrFail(ProfileEntity, { id: profileId });
      const changes: FieldChanges = { session_id: { old: null, new: bound.sessionId } };
      if (pin || bound.wasPinned) changes.pinned = { old: bound.wasPinned, new: pin };
      if (profileId !== id) changes.rollout_of = { old: null, new: id };
      const audit = await this.emit(manager, row, 'load', actor, changes);
      if (pin) await this.sessions.pin(manager, bound.sessionId, audit.historyId!, await this.promptRegistry.servedVersions(profileId, manager));
      return {
        ...(await this.get(row.id, manager)),
        session_id: bound.sessionId,
        pinned_version: pin ? audit.historyId! : null,
        rollout_of: profileId === id ? null : id,
      };
    });
    this.events.emit(SESSION_MOVED, new SessionMovedEvent(loaded.session_id));
    return loaded;
  }

  /** The built-in default profile, when the database has none at all (first start). */
  async seedDefault(): Promise<ProfileDetailDto | undefined> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['switchboard.seed-default-profile']);
      if (await manager.exists(ProfileEntity)) return undefined;
      const profile = await this.insert(manager, DEFAULT_PROFILE.name, DEFAULT_PROFILE.description, SYSTEM_PRINCIPAL);
      await this.emit(manager, profile, 'create', SYSTEM_PRINCIPAL, { name: { old: null, new: profile.name } });
      return this.get(profile.id, manager);
    });
  }

  /** Domain rows copied from another profile (`source` an id), taken from a document, or the built-in defaults. */
  private async insert(manager: EntityManager, name: string, description: string | null, actor: string, source?: number | ProfileDocumentDto) {
    const profile = await manager.save(
      manager.create(ProfileEntity, { name, description, isDefault: false, createdBy: actor, updatedBy: actor }),
    );
    const from = <K extends 'ai_infra' | 'genie_spaces' | 'mlflow' | 'prompts'>(domain: K) =>
      typeof source === 'object' ? source[domain] : source;
    await withFieldPrefix('ai_infra.', () => this.aiInfra.createFor(manager, profile.id, from('ai_infra')));
    await withFieldPrefix('genie_spaces.', () => this.genie.createFor(manager, profile.id, from('genie_spaces')));
    await withFieldPrefix('mlflow.', () => this.mlflow.createFor(manager, profile.id, from('mlflow')));
    await withFieldPrefix('prompts.', () => this.prompts.createFor(manager, profile.id, from('prompts')));
    if (typeof source === 'number') await this.domainValues.copyFor(manager, profile.id, source, actor);
    if (typeof source === 'object' && source.domains) {
      const registered = source.domains;
      await withFieldPrefix('domains.', () => this.domainValues.createFor(manager, profile.id, registered, actor));
    }
    // The first profile became the default in the database: read the row as it is now.
    return manager.findOneByOrFail(ProfileEntity, { id: profile.id });
  }

  /**
   * Name, description and parent. A new parent (or none) may move inherited values of the profile
   * and of those inheriting from it: each such profile gets an `inherit` entry for them.
   */
  private async rewrite(manager: EntityManager, row: ProfileEntity, values: UpdateProfileDto, actor: string, action: ConfigAction): Promise<ProfileEntity> {
    const changes = diffFields(toSummary(row), values, ['name', 'description', 'parent_profile_id']);
    if (!Object.keys(changes).length) return row;
    const reparenting = 'parent_profile_id' in changes;
    if (reparenting && values.parent_profile_id) await lockProfile(manager, values.parent_profile_id);
    const inheritors = reparenting ? await readInheritors(manager, row.id, true) : undefined;
    await manager.update(ProfileEntity, { id: row.id }, {
      ...(values.name !== undefined && { name: values.name }),
      ...(values.description !== undefined && { description: values.description }),
      ...(reparenting && { parentProfileId: values.parent_profile_id }),
      updatedBy: actor,
    });
    if (reparenting) await this.domainValues.assertReparentedValid(manager, row.id);
    const after = await manager.findOneByOrFail(ProfileEntity, { id: row.id });
    await this.emit(manager, after, action, actor, changes);
    await auditInherited(manager, this.events, inheritors, actor);
    return after;
  }

  /** A new profile's parent, in its creating transaction. */
  private async setParent(manager: EntityManager, profile: ProfileEntity, parentId: number, actor: string): Promise<ProfileEntity> {
    await manager.update(ProfileEntity, { id: profile.id }, { parentProfileId: parentId, updatedBy: actor });
    return manager.findOneByOrFail(ProfileEntity, { id: profile.id });
  }

  /**
   * Resets a field a profile overrides to its parent's value: the field is inherited again, and
   * the change passes down to the profiles inheriting it. Audited as an update of the domain
   * (`inherited` and the value, when it moves). The built-in one-row domains, and registered ones
   * by top-level key. 409 for a profile without a parent.
   */
  async resetField(id: number, domain: string, field: string, actor: string): Promise<ProfileDetailDto> {
    const spec = Object.hasOwn(INHERITING_DOMAINS, domain) ? INHERITING_DOMAINS[domain as InheritingDomain] : undefined;
    if (!spec) {
      // A registered domain (404 for any other name), inheriting by top-level key.
      return this.dataSource.transaction(async (manager) => {
        await this.domainValues.resetKeyIn(manager, id, domain, field, actor);
        return this.get(id, manager);
      });
    }
    if (!(spec.fields as readonly string[]).includes(field)) throw new NotFoundError(`Domain ${domain} has no field "${field}"; its fields are ${spec.fields.join(', ')}.`);
    return this.dataSource.transaction(async (manager) => {
      const profile = await this.lockForUpdate(manager, id);
      if (profile.parentProfileId === null) {
        throw new ConflictError(`Profile "${profile.name}" inherits from no profile: there is no value to reset ${field} to. Give it a parent first (parent_profile_id).`);
      }
      const [{ row: before }]: { row: Record<string, unknown> }[] = await manager.query(`SELECT to_jsonb(d) AS row FROM ${spec.table} d WHERE profile_id = $1 FOR UPDATE`, [id]);
      if ((before.inherited as string[]).includes(field)) return this.get(id, manager);
      const inheritors = await readInheritors(manager, id);
      // TypeORM answers an UPDATE with [rows, row count].
      const [[{ row: after }]]: [{ row: Record<string, unknown> }[], number] = await manager.query(
        `UPDATE ${spec.table} d SET inherited = array_append(inherited, $2) WHERE profile_id = $1 RETURNING to_jsonb(d) AS row`,
        [id, field],
      );
      const changes: FieldChanges = { inherited: { old: before.inherited, new: after.inherited } };
      if (!isDeepStrictEqual(before[field], after[field])) changes[field] = { old: before[field], new: after[field] };
      await emitConfigChanged(this.events, new ConfigChangedEvent(manager, id, profile.name, domain, 'update', actor, changes));
      await auditInherited(manager, this.events, inheritors, actor);
      return this.get(id, manager);
    });
  }

  private async lockSource(manager: EntityManager, id: number): Promise<void> {
    try {
      await lockProfile(manager, id);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      throw new UnprocessableError(`There is no profile ${id} to copy from.`, [
        { field: 'copy_from_profile_id', message: `profile ${id} does not exist` },
      ]);
    }
  }

  private async lockForUpdate(manager: EntityManager, id: number): Promise<ProfileEntity> {
    const row = await manager.findOne(ProfileEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new NotFoundError(`Profile ${id} does not exist.`);
    return row;
  }

  /** The event, once its listeners ran: it carries the audit entry's id. */
  private async emit(manager: EntityManager, profile: ProfileEntity, action: ConfigAction, actor: string, changes: FieldChanges): Promise<ConfigChangedEvent> {
    const event = new ConfigChangedEvent(manager, profile.id, profile.name, 'profile', action, actor, changes);
    await emitConfigChanged(this.events, event);
    return event;
  }
}

function toSummary(row: ProfileEntity): ProfileSummaryDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    is_default: row.isDefault,
    parent_profile_id: row.parentProfileId,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
