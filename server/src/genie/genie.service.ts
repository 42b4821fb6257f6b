import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { auditInherited, type Inheritors, readInheritors } from '../common/database/inheritance.js';
import { lockAncestors, lockProfile, requireProfile } from '../common/database/profile-guard.js';
import { defaultGenieSpace } from '../common/defaults/default-config.js';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import { type ConfigAction, ConfigChangedEvent, diffFields, type FieldChanges, emitConfigChanged } from '../common/events/config-events.js';
import { assertVersion } from '../common/http/etag.js';
import { DatabricksClient } from '../databricks/databricks.client.js';
import type { CreateGenieSpaceDto, GenieSpaceDto, GenieValidationDto, UpdateGenieSpaceDto } from './dto/genie-space.dto.js';
import { GenieSpaceEntity } from './entities/genie-space.entity.js';
import { checkedGenieSet, genieSpaceChanges, type GenieSpaceValues, normaliseGenieSpaces } from './genie-space-diff.js';

/**
 * Genie spaces of a profile. The database keeps one default per profile: making a space the
 * default demotes the previous one, and the default cannot be removed while others remain.
 *
 * A child profile has its parent's spaces as `inherited` copies the database keeps equal to the
 * parent's (InheritedItems): editing one makes it the child's own, adding a space the child
 * inherits overrides it, deleting the child's own space brings the parent's back, and an inherited
 * space cannot be deleted from the child (409). Every change that reaches the profiles inheriting
 * from this one gives each an `inherit` entry.
 */
@Injectable()
export class GenieService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
    private readonly databricks: DatabricksClient,
  ) {}

  /** Asks Databricks whether the space exists and the configured token can read it. */
  async validate(spaceId: string): Promise<GenieValidationDto> {
    const space = await this.databricks.getGenieSpace(spaceId);
    return space
      ? { space_id: spaceId, reachable: true, title: space.title, message: `Genie space "${space.title}" is reachable.` }
      : { space_id: spaceId, reachable: false, message: `Databricks has no Genie space ${spaceId} that the configured token can read.` };
  }

  async list(profileId: number, manager: EntityManager = this.dataSource.manager): Promise<GenieSpaceDto[]> {
    await requireProfile(manager, profileId);
    return this.rowsOf(manager, profileId);
  }

  async getDefault(profileId: number): Promise<GenieSpaceDto> {
    await requireProfile(this.dataSource.manager, profileId);
    const row = await this.dataSource.manager.findOneBy(GenieSpaceEntity, { profileId, isDefault: true });
    if (!row) throw new NotFoundError(`Profile ${profileId} has no Genie space.`);
    return toDto(row);
  }

  /** Adds a space; one the profile inherits becomes its own, with these values (an override). */
  async add(profileId: number, space: CreateGenieSpaceDto, actor: string): Promise<GenieSpaceDto> {
    return this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const before = await this.spacesOf(manager, profileId);
      const inheritors = await readInheritors(manager, profileId);
      const inherited = await manager.findOneBy(GenieSpaceEntity, { profileId, spaceId: space.space_id, inherited: true });
      const values = { spaceName: space.space_name, description: space.description ?? null };
      let id: number;
      if (inherited) {
        await manager.update(GenieSpaceEntity, { id: inherited.id }, { ...values, inherited: false });
        if (space.is_default) await manager.update(GenieSpaceEntity, { id: inherited.id }, { isDefault: true });
        id = inherited.id;
      } else {
        const { identifiers } = await manager.insert(GenieSpaceEntity, { profileId, spaceId: space.space_id, ...values, isDefault: space.is_default ?? false });
        id = identifiers[0].id as number;
      }
      const created = await this.find(manager, id);
      const changes: FieldChanges = inherited
        ? { ...diffFields(toDto(inherited), created, ['space_name', 'description', 'is_default']), inherited: { old: true, new: false } }
        : { space_id: { old: null, new: created.space_id } };
      await this.emit(manager, created.profile_id, profileName, inherited ? 'update' : 'create', actor, changes, before, inheritors);
      return created;
    });
  }

  async update(id: number, update: UpdateGenieSpaceDto, actor: string, expected?: number): Promise<GenieSpaceDto> {
    return this.change(id, actor, 'update', async (manager, before) => {
      assertVersion(`Genie space ${id}`, before.version, expected);
      const changes = diffFields(before, update, ['space_name', 'description']);
      if (Object.keys(changes).length) {
        await manager.update(GenieSpaceEntity, { id }, {
          ...(update.space_name !== undefined && { spaceName: update.space_name }),
          ...(update.description !== undefined && { description: update.description }),
        });
      }
      return changes;
    });
  }

  async setDefault(id: number, actor: string): Promise<GenieSpaceDto> {
    return this.change(id, actor, 'set_default', async (manager, before): Promise<FieldChanges> => {
      if (before.is_default) return {};
      await manager.update(GenieSpaceEntity, { id }, { isDefault: true });
      return { is_default: { old: false, new: true } };
    });
  }

  /** Deletes a space; a child's own space that its parent has too gives way to the parent's (the reset). */
  async remove(id: number, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { before, profileName, spaces } = await this.lockSpace(manager, id);
      if (before.inherited) {
        throw new ConflictError(
          `Genie space ${before.space_id} is inherited from the parent profile: delete it there, or detach this profile (parent_profile_id null) to make it its own.`,
        );
      }
      await lockAncestors(manager, before.profile_id);
      // With the profile itself when its parent has the space: the parent's takes the place of the one deleted.
      const [{ reinherits }]: { reinherits: boolean }[] = await manager.query(
        `SELECT EXISTS (SELECT FROM config_genie_spaces g JOIN config_profiles p ON g.profile_id = p.parent_profile_id WHERE p.id = $1 AND g.space_id = $2) AS reinherits`,
        [before.profile_id, before.space_id],
      );
      const inheritors = await readInheritors(manager, before.profile_id, reinherits);
      await manager.delete(GenieSpaceEntity, { id });
      await this.emit(manager, before.profile_id, profileName, 'delete', actor, { space_id: { old: before.space_id, new: null } }, spaces, inheritors);
    });
  }

  /** The spaces of a new profile: copies of another profile's, the given set (checked), or the built-in default space. */
  async createFor(manager: EntityManager, profileId: number, source?: number | CreateGenieSpaceDto[]): Promise<void> {
    const spaces = source === undefined ? [defaultGenieSpace()] : typeof source === 'number' ? await this.list(source, manager) : checkedGenieSet(source);
    for (const space of spaces) await this.insertSpace(manager, profileId, space);
  }

  /**
   * Makes a profile's spaces (restore) equal to the given set, matched by space_id, including which
   * is the default; audited as one `action` entry holding every difference.
   */
  async restoreFor(manager: EntityManager, profileId: number, target: CreateGenieSpaceDto[], actor: string, action: ConfigAction): Promise<void> {
    const spaces = checkedGenieSet(target);
    const profileName = await lockProfile(manager, profileId);
    const rows = await manager.find(GenieSpaceEntity, { where: { profileId }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    if (!Object.keys(genieSpaceChanges(normaliseGenieSpaces(rows.map(toDto)), spaces)).length) return;
    const inheritors = await readInheritors(manager, profileId);
    await this.replaceSpaces(manager, profileId, rows, spaces);
    // What the rows hold now: a child keeps the spaces it inherits, and a deleted override gives way to its parent's.
    const changes = genieSpaceChanges(normaliseGenieSpaces(rows.map(toDto)), await this.spacesOf(manager, profileId));
    if (!Object.keys(changes).length) return;
    await emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, 'genie', action, actor, changes));
    await auditInherited(manager, this.events, inheritors, actor);
  }

  /** A child whose document names no default of its own: its default is its parent's, and follows it. */
  async followParentDefault(manager: EntityManager, profileId: number): Promise<void> {
    await manager.query(
      `UPDATE config_genie_spaces c SET is_default = true FROM config_profiles p, config_genie_spaces d
        WHERE p.id = $1 AND d.profile_id = p.parent_profile_id AND d.is_default AND c.profile_id = p.id AND c.space_id = d.space_id AND NOT c.is_default`,
      [profileId],
    );
  }

  /**
   * Updates, inserts and deletes rows until they hold `spaces`. The database demotes the old default
   * and refuses to delete a default while others remain: promote first, then remove what the set
   * no longer holds, the old default last. Inherited spaces are the parent's to remove: they stay.
   */
  private async replaceSpaces(manager: EntityManager, profileId: number, rows: GenieSpaceEntity[], spaces: GenieSpaceValues[]): Promise<void> {
    const existing = new Map(rows.map((row) => [row.spaceId, row]));
    for (const space of spaces) {
      const row = existing.get(space.space_id);
      if (!row) await this.insertSpace(manager, profileId, { ...space, is_default: false });
      else if (row.spaceName !== space.space_name || row.description !== space.description) {
        await manager.update(GenieSpaceEntity, { id: row.id }, { spaceName: space.space_name, description: space.description });
      }
    }
    const wanted = spaces.find((space) => space.is_default);
    if (wanted) await manager.update(GenieSpaceEntity, { profileId, spaceId: wanted.space_id, isDefault: false }, { isDefault: true });
    const removed = rows.filter((row) => !row.inherited && !spaces.some((space) => space.space_id === row.spaceId));
    for (const row of removed.sort((a, b) => Number(a.isDefault) - Number(b.isDefault))) {
      await manager.delete(GenieSpaceEntity, { id: row.id });
    }
  }

  private async insertSpace(manager: EntityManager, profileId: number, space: GenieSpaceValues): Promise<void> {
    await manager.insert(GenieSpaceEntity, {
      profileId,
      spaceId: space.space_id,
      spaceName: space.space_name,
      description: space.description,
      isDefault: space.is_default,
    });
  }

  private async change(
    id: number,
    actor: string,
    action: ConfigAction,
    apply: (manager: EntityManager, before: GenieSpaceDto) => Promise<FieldChanges>,
  ): Promise<GenieSpaceDto> {
    return this.dataSource.transaction(async (manager) => {
      const { before, profileName, spaces } = await this.lockSpace(manager, id);
      const inheritors = await readInheritors(manager, before.profile_id);
      const changes = await apply(manager, before);
      if (!Object.keys(changes).length) return before;
      const after = await this.find(manager, id);
      if (after.inherited !== before.inherited) changes.inherited = { old: before.inherited, new: after.inherited };
      await this.emit(manager, after.profile_id, profileName, action, actor, changes, spaces, inheritors);
      return after;
    });
  }

  private async find(manager: EntityManager, id: number): Promise<GenieSpaceDto> {
    const row = await manager.findOneBy(GenieSpaceEntity, { id });
    if (!row) throw new NotFoundError(`Genie space ${id} does not exist.`);
    return toDto(row);
  }

  /**
   * Locks the space's profile, then the space: the same order as deleting a profile (which
   * cascades to its spaces), so the two never deadlock.
   */
  private async lockSpace(manager: EntityManager, id: number): Promise<{ before: GenieSpaceDto; profileName: string; spaces: GenieSpaceValues[] }> {
    const { profile_id } = await this.find(manager, id);
    const profileName = await lockProfile(manager, profile_id);
    const row = await manager.findOne(GenieSpaceEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new NotFoundError(`Genie space ${id} does not exist.`);
    return { before: toDto(row), profileName, spaces: await this.spacesOf(manager, profile_id) };
  }

  /** The profile's spaces, the default first, then by name. */
  private async rowsOf(manager: EntityManager, profileId: number): Promise<GenieSpaceDto[]> {
    const rows = await manager.find(GenieSpaceEntity, { where: { profileId }, order: { isDefault: 'DESC', spaceName: 'ASC', id: 'ASC' } });
    return rows.map(toDto);
  }

  /** The profile's spaces as a document holds them, read under the profile's lock. */
  private async spacesOf(manager: EntityManager, profileId: number): Promise<GenieSpaceValues[]> {
    return normaliseGenieSpaces(await this.rowsOf(manager, profileId));
  }

  /**
   * The change of one space, carrying the profile's whole set before and after it (`values`): a
   * profile that requires approval turns the write into a change request of that set. Then the
   * `inherit` entries of the profiles it reached.
   */
  private async emit(
    manager: EntityManager,
    profileId: number,
    profileName: string,
    action: ConfigAction,
    actor: string,
    changes: FieldChanges,
    before: GenieSpaceValues[],
    inheritors: Inheritors,
  ) {
    const after = await this.spacesOf(manager, profileId);
    await emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, 'genie', action, actor, changes, { before, after }));
    await auditInherited(manager, this.events, inheritors, actor);
  }
}

function toDto(row: GenieSpaceEntity): GenieSpaceDto {
  return {
    id: row.id,
    profile_id: row.profileId,
    space_id: row.spaceId,
    space_name: row.spaceName,
    description: row.description,
    is_default: row.isDefault,
    inherited: row.inherited,
    default_inherited: row.defaultInherited,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
