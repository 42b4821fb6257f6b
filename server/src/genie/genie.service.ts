import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { lockProfile, requireProfile } from '../common/database/profile-guard.js';
import { defaultGenieSpace } from '../common/defaults/default-config.js';
import { NotFoundError } from '../common/errors/domain-errors.js';
import { type ConfigAction, ConfigChangedEvent, diffFields, type FieldChanges, emitConfigChanged } from '../common/events/config-events.js';
import { assertVersion } from '../common/http/etag.js';
import { DatabricksClient } from '../databricks/databricks.client.js';
import type { CreateGenieSpaceDto, GenieSpaceDto, GenieValidationDto, UpdateGenieSpaceDto } from './dto/genie-space.dto.js';
import { GenieSpaceEntity } from './entities/genie-space.entity.js';
import { checkedGenieSet, genieSpaceChanges, type GenieSpaceValues, normaliseGenieSpaces } from './genie-space-diff.js';

/**
 * Genie spaces of a profile. The database keeps one default per profile: making a space the
 * default demotes the previous one, and the default cannot be removed while others remain.
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

  async add(profileId: number, space: CreateGenieSpaceDto, actor: string): Promise<GenieSpaceDto> {
    return this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const before = await this.spacesOf(manager, profileId);
      const { identifiers } = await manager.insert(GenieSpaceEntity, {
        profileId,
        spaceId: space.space_id,
        spaceName: space.space_name,
        description: space.description ?? null,
        isDefault: space.is_default ?? false,
      });
      const created = await this.find(manager, identifiers[0].id as number);
      await this.emit(manager, created.profile_id, profileName, 'create', actor, { space_id: { old: null, new: created.space_id } }, before);
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

  async remove(id: number, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { before, profileName, spaces } = await this.lockSpace(manager, id);
      await manager.delete(GenieSpaceEntity, { id });
      await this.emit(manager, before.profile_id, profileName, 'delete', actor, { space_id: { old: before.space_id, new: null } }, spaces);
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
    const changes = genieSpaceChanges(normaliseGenieSpaces(rows.map(toDto)), spaces);
    if (!Object.keys(changes).length) return;
    await this.replaceSpaces(manager, profileId, rows, spaces);
    await emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, 'genie', action, actor, changes));
  }

  /**
   * Updates, inserts and deletes rows until they hold `spaces`. The database demotes the old default
   * and refuses to delete a default while others remain: promote first, then remove what the set
   * no longer holds, the old default last.
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
    const removed = rows.filter((row) => !spaces.some((space) => space.space_id === row.spaceId));
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
      const changes = await apply(manager, before);
      if (!Object.keys(changes).length) return before;
      const after = await this.find(manager, id);
      await this.emit(manager, after.profile_id, profileName, action, actor, changes, spaces);
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
   * profile that requires approval turns the write into a change request of that set.
   */
  private async emit(manager: EntityManager, profileId: number, profileName: string, action: ConfigAction, actor: string, changes: FieldChanges, before: GenieSpaceValues[]) {
    const after = await this.spacesOf(manager, profileId);
    return emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, 'genie', action, actor, changes, { before, after }));
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
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
