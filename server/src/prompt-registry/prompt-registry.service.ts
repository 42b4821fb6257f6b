import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { diffArrays } from 'diff';
import { DataSource, type EntityManager } from 'typeorm';
import { auditInherited, readInheritors } from '../common/database/inheritance.js';
import { lockAncestors, lockProfile, requireProfile } from '../common/database/profile-guard.js';
import { ConflictError, NotFoundError, UnprocessableError, withFieldPrefix } from '../common/errors/domain-errors.js';
import { type ConfigAction, ConfigChangedEvent, type FieldChanges, emitConfigChanged } from '../common/events/config-events.js';
import { assertVersion } from '../common/http/etag.js';
import { checkDeclaredTemplate } from '../prompts/prompt-template.validator.js';
import type {
  AgentPromptDto,
  CreatePromptVersionDto,
  CreateRegistryPromptDto,
  DeclaredVariableDto,
  PromptDiffDto,
  PromptVersionDto,
  RegistryPromptDetailDto,
  RegistryPromptDto,
  RenderedPromptDto,
  RegistryPromptDocumentDto,
  RenderPromptDto,
  ServedPromptDto,
  TemplateValidationDto,
  VersionContentDto,
} from './dto/registry-prompt.dto.js';
import type { DeclaredVariable } from './entities/registry-prompt.entity.js';
import {
  assertLabelName,
  checkTemplate,
  declared,
  fill,
  findVersion,
  insertPrompt,
  insertVersion,
  labelledVersion,
  PROMPT_COLUMNS,
  type PromptRow,
  toPromptDto,
  toVariableDto,
  toVersionDto,
  type VersionRow,
} from './prompt-rows.js';

/** The history's domain for changes to a profile's prompt registry. */
export const PROMPT_REGISTRY_DOMAIN = 'prompt_registry';
/** The label an agent gets when it names none, if the prompt has it (else the latest version). */
const DEFAULT_AGENT_LABEL = 'production';

/** A pinned session's prompts: by name, the prompt (its id: a prompt recreated under the name is another) and its version. */
export type PinnedPrompts = Record<string, { prompt_id: number; version: number }>;

interface AgentPromptRow {
  profile_id: number;
  prompt_id: number | null;
  variables: DeclaredVariable[] | null;
  version: number | null;
  template: string | null;
  model_parameters: Record<string, unknown> | null;
  label: string;
}

/** What history's restore hands over of a registry entry. */
export interface RegistryHistoryEntry {
  id: number;
  action: ConfigAction;
  /** The prompt's name. */
  item: string;
  changes: FieldChanges;
  timestamp: Date;
}

/** A deleted prompt as its delete entry keeps it. */
interface DeletedPrompt {
  created_at: string;
  description: string;
  variables: DeclaredVariableDto[];
  labels: Record<string, number>;
  versions: VersionContentDto[];
}

/**
 * A profile's prompt registry: named prompts with declared variables, immutable numbered versions
 * (numbered by the database) and labels that point at one version each. Every change is one
 * transaction that locks the profile as every writer does (so the audit entry's snapshot is
 * ordered with the profile's other changes), and is audited as domain `prompt_registry`.
 *
 * A child profile has its parent's prompts as `inherited` copies the database keeps equal to the
 * parent's, versions and labels included (InheritedItems): adding a version, moving a label or
 * changing the variables of one makes it the child's own; deleting the child's own prompt brings
 * the parent's back; an inherited prompt cannot be deleted from the child (409). A change that
 * reaches the profiles inheriting from this one gives each an `inherit` entry.
 */
@Injectable()
export class PromptRegistryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {}

  async list(profileId: number): Promise<RegistryPromptDto[]> {
    const manager = this.dataSource.manager;
    await requireProfile(manager, profileId);
    const rows: PromptRow[] = await manager.query(`SELECT ${PROMPT_COLUMNS} FROM config_registry_prompts r WHERE r.profile_id = $1 ORDER BY r.name`, [profileId]);
    return rows.map(toPromptDto);
  }

  async get(profileId: number, name: string): Promise<RegistryPromptDetailDto> {
    const manager = this.dataSource.manager;
    await requireProfile(manager, profileId);
    const prompt = await this.findPrompt(manager, profileId, name, '');
    return this.detail(manager, prompt);
  }

  async create(profileId: number, request: CreateRegistryPromptDto, actor: string): Promise<RegistryPromptDetailDto> {
    const variables = declared(request.variables ?? []);
    checkTemplate(request.template, variables);
    return this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const inheritors = await readInheritors(manager, profileId);
      await this.refuseInherited(manager, profileId, request.name, 'create');
      const id = await insertPrompt(manager, profileId, request, variables, actor);
      const version = await insertVersion(manager, id, request, actor);
      await this.audit(manager, profileId, profileName, request.name, 'create', actor, {
        [request.name]: { old: null, new: { description: request.description ?? '', variables, version: version.version, template: version.template } },
      });
      await auditInherited(manager, this.events, inheritors, actor);
      return this.detail(manager, await this.findPrompt(manager, profileId, request.name, ''));
    });
  }

  /** `expected`: the latest version the caller saw (If-Match); another version since then is a 412. */
  async addVersion(profileId: number, name: string, request: CreatePromptVersionDto, actor: string, expected?: number): Promise<PromptVersionDto> {
    return this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const prompt = await this.findPrompt(manager, profileId, name, 'FOR UPDATE');
      assertVersion(`Prompt "${name}"`, prompt.latest_version, expected);
      const inheritors = await readInheritors(manager, profileId);
      const variables = request.variables === undefined ? prompt.variables : declared(request.variables);
      checkTemplate(request.template, variables);
      const changes: FieldChanges = {};
      if (request.variables !== undefined) {
        await manager.query(`UPDATE config_registry_prompts SET variables = $2 WHERE id = $1`, [prompt.id, JSON.stringify(variables)]);
        changes[`${name}.variables`] = { old: prompt.variables, new: variables };
      }
      const previous = await findVersion(manager, prompt, prompt.latest_version);
      const version = await insertVersion(manager, prompt.id, request, actor);
      changes[`${name}.version`] = { old: prompt.latest_version, new: version.version };
      changes[`${name}.template`] = { old: previous.template, new: version.template };
      if (prompt.inherited) changes[`${name}.inherited`] = { old: true, new: false };
      await this.audit(manager, profileId, profileName, name, 'update', actor, changes);
      await auditInherited(manager, this.events, inheritors, actor);
      return toVersionDto(name, version);
    });
  }

  async versions(profileId: number, name: string, limit: number, offset: number): Promise<{ items: PromptVersionDto[]; total: number }> {
    const manager = this.dataSource.manager;
    await requireProfile(manager, profileId);
    const prompt = await this.findPrompt(manager, profileId, name, '');
    const rows: VersionRow[] = await manager.query(
      `SELECT version, template, model_parameters, message, created_by, created_at FROM config_registry_prompt_versions
        WHERE prompt_id = $1 ORDER BY version DESC LIMIT $2 OFFSET $3`,
      [prompt.id, limit, offset],
    );
    return { items: rows.map((row) => toVersionDto(name, row)), total: prompt.latest_version };
  }

  async version(profileId: number, name: string, version: number): Promise<PromptVersionDto> {
    const manager = this.dataSource.manager;
    await requireProfile(manager, profileId);
    const prompt = await this.findPrompt(manager, profileId, name, '');
    return toVersionDto(name, await findVersion(manager, prompt, version));
  }

  /** Points `label` at `version` (moving `production` back is the rollback). */
  async setLabel(profileId: number, name: string, label: string, version: number, actor: string): Promise<RegistryPromptDetailDto> {
    assertLabelName(label);
    return this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const prompt = await this.findPrompt(manager, profileId, name, 'FOR UPDATE');
      await findVersion(manager, prompt, version);
      const inheritors = await readInheritors(manager, profileId);
      const changes = await this.pointLabels(manager, prompt.id, prompt.labels ?? {}, { [label]: version }, actor, name);
      if (Object.keys(changes).length) {
        if (prompt.inherited) changes[`${name}.inherited`] = { old: true, new: false };
        await this.audit(manager, profileId, profileName, name, 'update', actor, changes);
        await auditInherited(manager, this.events, inheritors, actor);
      }
      return this.detail(manager, await this.findPrompt(manager, profileId, name, ''));
    });
  }

  async deleteLabel(profileId: number, name: string, label: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const prompt = await this.findPrompt(manager, profileId, name, 'FOR UPDATE');
      if (prompt.labels?.[label] === undefined) throw new NotFoundError(`Prompt "${name}" has no label "${label}".`);
      const inheritors = await readInheritors(manager, profileId);
      const changes = await this.pointLabels(manager, prompt.id, prompt.labels, { [label]: null }, actor, name);
      if (prompt.inherited) changes[`${name}.inherited`] = { old: true, new: false };
      await this.audit(manager, profileId, profileName, name, 'update', actor, changes);
      await auditInherited(manager, this.events, inheritors, actor);
    });
  }

  /**
   * Deletes the prompt with its versions and labels; the audit entry keeps every version. A
   * child's own prompt that its parent has too gives way to the parent's (the reset).
   */
  async delete(profileId: number, name: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      await lockAncestors(manager, profileId);
      const prompt = await this.findPrompt(manager, profileId, name, 'FOR UPDATE');
      if (prompt.inherited) {
        throw new ConflictError(`Prompt "${name}" is inherited from the parent profile: delete it there, or detach this profile (parent_profile_id null) to make it its own.`);
      }
      // With the profile itself when its parent has the name: the parent's prompt takes the deleted one's place.
      const [{ reinherits }]: { reinherits: boolean }[] = await manager.query(
        `SELECT EXISTS (SELECT FROM config_registry_prompts r JOIN config_profiles p ON r.profile_id = p.parent_profile_id WHERE p.id = $1 AND r.name = $2) AS reinherits`,
        [profileId, name],
      );
      const inheritors = await readInheritors(manager, profileId, reinherits);
      const versions: VersionRow[] = await manager.query(
        `SELECT version, template, model_parameters, message, created_by, created_at FROM config_registry_prompt_versions WHERE prompt_id = $1 ORDER BY version`,
        [prompt.id],
      );
      await manager.query(`DELETE FROM config_registry_prompts WHERE id = $1`, [prompt.id]);
      const { latest_version: _latest, ...kept } = toPromptDto(prompt);
      await this.audit(manager, profileId, profileName, name, 'delete', actor, {
        [name]: { old: { ...kept, versions: versions.map((row) => toVersionDto(name, row)) }, new: null },
      });
      await auditInherited(manager, this.events, inheritors, actor);
    });
  }

  /** A prompt the profile inherits cannot be created again in it: 409 saying how to override it. */
  private async refuseInherited(manager: EntityManager, profileId: number, name: string, action: 'create'): Promise<void> {
    const [row]: { inherited: boolean }[] = await manager.query(`SELECT inherited FROM config_registry_prompts WHERE profile_id = $1 AND name = $2`, [profileId, name]);
    if (row?.inherited) {
      throw new ConflictError(`Prompt "${name}" is inherited from the parent profile: add a version to it (or move a label) to make it this profile's own instead of trying to ${action} it.`);
    }
  }

  /**
   * Puts a prompt back as a history entry of the registry left it, in the caller's transaction
   * (history's restore), audited as `restore`. The entry that deleted it recreates it with every
   * version and label it had. Any other entry: the version that was latest after it comes back as
   * a new latest version (versions are immutable) unless the latest already holds its text and
   * parameters, with the variables the entry set; the labels it set point where they pointed after
   * it, and a label it removed is removed. Nothing that already matches is written or audited.
   */
  async restoreEntry(manager: EntityManager, profileId: number, entry: RegistryHistoryEntry, actor: string): Promise<void> {
    const profileName = await lockProfile(manager, profileId);
    const inheritors = await readInheritors(manager, profileId);
    await this.restoreEntryIn(manager, profileId, profileName, entry, actor);
    await auditInherited(manager, this.events, inheritors, actor);
  }

  private async restoreEntryIn(manager: EntityManager, profileId: number, profileName: string, entry: RegistryHistoryEntry, actor: string): Promise<void> {
    const name = entry.item;
    const [prompt]: (PromptRow | undefined)[] = await manager.query(
      `SELECT ${PROMPT_COLUMNS} FROM config_registry_prompts r WHERE r.profile_id = $1 AND r.name = $2 FOR UPDATE`,
      [profileId, name],
    );
    const restored = { restored_from_entry_id: { old: null, new: entry.id } };
    if (entry.action === 'delete') {
      if (prompt?.inherited) {
        throw new ConflictError(
          `Profile ${profileId} inherits a prompt "${name}" from its parent now, which took the place of the one history entry ${entry.id} deleted; add a version to it to make it this profile's own.`,
        );
      }
      if (prompt) throw new ConflictError(`Profile ${profileId} has a prompt "${name}" again; delete it before recreating the one history entry ${entry.id} deleted.`);
      const deleted = entry.changes[name]?.old as DeletedPrompt | undefined;
      if (!deleted?.versions?.length) throw unrestorable(entry);
      await refuseLaterLifetime(manager, profileId, entry);
      const variables = declared(deleted.variables.map(withoutNulls));
      // Its first creation time comes back with it: the entries of its life before the deletion stay restorable.
      const id = await insertPrompt(manager, profileId, { name, description: deleted.description }, variables, actor, deleted.created_at);
      for (const version of deleted.versions) await insertVersion(manager, id, { ...version, model_parameters: version.model_parameters ?? undefined }, actor);
      await this.pointLabels(manager, id, {}, deleted.labels, actor);
      const recreated = { description: deleted.description, variables, versions: deleted.versions.length, labels: deleted.labels };
      await this.audit(manager, profileId, profileName, name, 'restore', actor, { [name]: { old: null, new: recreated }, ...restored });
      return;
    }
    if (!prompt) throw new ConflictError(`Prompt "${name}" was deleted after history entry ${entry.id}; restore the entry of its deletion to recreate it.`);
    if (new Date(prompt.created_at) > entry.timestamp) {
      throw new ConflictError(`Prompt "${name}" was deleted and created again after history entry ${entry.id}: its version numbers name other texts now.`);
    }
    const after = stateAfter(name, entry.changes);
    if (after.version === undefined && after.variables === undefined && !Object.keys(after.labels).length) throw unrestorable(entry);
    const changes: FieldChanges = {};
    let variables = prompt.variables;
    if (after.variables && !isDeepStrictEqual(declared(after.variables.map(withoutNulls)), prompt.variables)) {
      variables = declared(after.variables.map(withoutNulls));
      await manager.query(`UPDATE config_registry_prompts SET variables = $2 WHERE id = $1`, [prompt.id, JSON.stringify(variables)]);
      changes[`${name}.variables`] = { old: prompt.variables, new: variables };
    }
    if (after.version !== undefined) {
      const [target, latest] = [await findVersion(manager, prompt, after.version), await findVersion(manager, prompt, prompt.latest_version)];
      if (target.template !== latest.template || !isDeepStrictEqual(target.model_parameters, latest.model_parameters)) {
        checkTemplate(target.template, variables);
        const message = `Restored version ${target.version} (history entry ${entry.id})`;
        const version = await insertVersion(manager, prompt.id, { template: target.template, model_parameters: target.model_parameters ?? undefined, message }, actor);
        changes[`${name}.version`] = { old: prompt.latest_version, new: version.version };
        changes[`${name}.template`] = { old: latest.template, new: version.template };
      }
    }
    Object.assign(changes, await this.pointLabels(manager, prompt.id, prompt.labels ?? {}, after.labels, actor, name));
    if (Object.keys(changes).length) await this.audit(manager, profileId, profileName, name, 'restore', actor, { ...changes, ...restored });
  }

  /** Points each label at its version (null: removes it); returns the changes, keyed as the audit keys them. */
  private async pointLabels(
    manager: EntityManager,
    promptId: number,
    current: Record<string, number>,
    wanted: Record<string, number | null>,
    actor: string,
    name = '',
  ): Promise<FieldChanges> {
    const changes: FieldChanges = {};
    for (const [label, version] of Object.entries(wanted)) {
      const before = current[label] ?? null;
      if (before === version) continue;
      if (version === null) {
        await manager.query(`DELETE FROM config_registry_prompt_labels WHERE prompt_id = $1 AND label = $2`, [promptId, label]);
      } else {
        await manager.query(
          `INSERT INTO config_registry_prompt_labels (prompt_id, label, version, updated_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (prompt_id, label) DO UPDATE SET version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [promptId, label, version, actor],
        );
      }
      changes[`${name}.labels.${label}`] = { old: before, new: version };
    }
    return changes;
  }

  /** What creating this version would say about its template, without creating it. */
  async validate(profileId: number, name: string, request: CreatePromptVersionDto): Promise<TemplateValidationDto> {
    const manager = this.dataSource.manager;
    await requireProfile(manager, profileId);
    const prompt = await this.findPrompt(manager, profileId, name, '');
    const { errors, warnings } = checkDeclaredTemplate(request.template, request.variables === undefined ? prompt.variables : declared(request.variables));
    return { valid: errors.length === 0, errors, warnings };
  }

  /** Renders a version (by number, by label, or the latest) with the given values of its variables. */
  async render(profileId: number, name: string, request: RenderPromptDto): Promise<RenderedPromptDto> {
    const manager = this.dataSource.manager;
    await requireProfile(manager, profileId);
    const prompt = await this.findPrompt(manager, profileId, name, '');
    const version = await findVersion(manager, prompt, request.version ?? labelledVersion(prompt, request.label ?? 'latest'));
    const text = fill(prompt, version.template, request.variables);
    return { prompt: name, version: version.version, text, length: text.length };
  }

  async diff(profileId: number, name: string, from: number, to: number): Promise<PromptDiffDto> {
    const manager = this.dataSource.manager;
    await requireProfile(manager, profileId);
    const prompt = await this.findPrompt(manager, profileId, name, '');
    const [older, newer] = [await findVersion(manager, prompt, from), await findVersion(manager, prompt, to)];
    const lines: PromptDiffDto['lines'] = [];
    // By lines as a reader counts them: a last line without a newline is the same line with one after it.
    for (const part of diffArrays(older.template.split('\n'), newer.template.split('\n'))) {
      const op = part.added ? 'added' : part.removed ? 'removed' : 'equal';
      for (const text of part.value) lines.push({ op, text });
    }
    const count = (op: string) => lines.filter((line) => line.op === op).length;
    return { from, to, added: count('added'), removed: count('removed'), lines };
  }

  /** Every prompt with every version (oldest first) and its labels: what an export carries. `ownOnly`: not those inherited. */
  async exportAll(profileId: number, manager: EntityManager = this.dataSource.manager, ownOnly = false): Promise<RegistryPromptDocumentDto[]> {
    const rows: RegistryPromptDocumentDto[] = await manager.query(
      `SELECT r.name, r.description, r.variables,
              coalesce((SELECT jsonb_object_agg(l.label, l.version ORDER BY l.label) FROM config_registry_prompt_labels l WHERE l.prompt_id = r.id), '{}') AS labels,
              (SELECT jsonb_agg(jsonb_build_object('template', v.template, 'model_parameters', v.model_parameters, 'message', v.message) ORDER BY v.version)
                 FROM config_registry_prompt_versions v WHERE v.prompt_id = r.id) AS versions
         FROM config_registry_prompts r WHERE r.profile_id = $1 AND NOT (r.inherited AND $2) ORDER BY r.name`,
      [profileId, ownOnly],
    );
    return rows;
  }

  /**
   * An export's prompts into a profile being created in the caller's transaction, each audited as
   * `import`. The newest version is checked against the declared variables (older ones were
   * valid under the variables of their time); labels must name one of the versions.
   */
  async importInto(
    manager: EntityManager,
    profileId: number,
    profileName: string,
    prompts: RegistryPromptDocumentDto[],
    actor: string,
    action: ConfigAction = 'import',
  ): Promise<void> {
    for (const [index, prompt] of prompts.entries()) {
      await withFieldPrefix(`prompt_registry[${index}].`, async () => {
        const variables = declared(prompt.variables ?? []);
        await withFieldPrefix(`versions[${prompt.versions.length - 1}].`, async () => checkTemplate(prompt.versions.at(-1)!.template, variables));
        const labels = Object.entries(prompt.labels ?? {});
        for (const [label, version] of labels) {
          await withFieldPrefix('labels.', async () => assertLabelName(label));
          if (!Number.isInteger(version) || version < 1 || version > prompt.versions.length) {
            throw new UnprocessableError(`Label ${label} names version ${String(version)}, which the document does not hold.`, [
              { field: `labels.${label}`, message: `must be a version number from 1 to ${prompt.versions.length}` },
            ]);
          }
        }
        const id = await insertPrompt(manager, profileId, prompt, variables, actor);
        for (const version of prompt.versions) await insertVersion(manager, id, version, actor);
        await this.pointLabels(manager, id, {}, prompt.labels ?? {}, actor);
        await this.audit(manager, profileId, profileName, prompt.name, action, actor, {
          [prompt.name]: { old: null, new: { description: prompt.description ?? '', variables, versions: prompt.versions.length, labels: prompt.labels ?? {} } },
        });
      });
    }
  }

  /**
   * A copied profile's prompts (duplicate, copy_from_profile_id), in the caller's transaction,
   * audited as `action`. `ownOnly`: not those the source inherits (the copy will inherit them too).
   */
  async copy(manager: EntityManager, fromProfileId: number, toProfileId: number, toProfileName: string, actor: string, action: ConfigAction, ownOnly = false): Promise<void> {
    await this.importInto(manager, toProfileId, toProfileName, await this.exportAll(fromProfileId, manager, ownOnly), actor, action);
  }

  /**
   * Every prompt of the profile as agents get it without naming a label (production when it
   * exists, else the latest version), by name: what `resolved` carries. `pinned` (a pinned
   * session's prompts) serves those versions instead, labelled `pinned`; a prompt deleted since
   * is left out, also when another of the same name was created (a pin names the prompt's id).
   * One statement.
   */
  async served(profileId: number, pinned?: PinnedPrompts, manager: EntityManager = this.dataSource.manager): Promise<Record<string, ServedPromptDto>> {
    return Object.fromEntries((await this.servedRows(profileId, pinned, manager)).map(({ name, prompt }) => [name, prompt]));
  }

  /** The prompt and version each prompt of the profile serves now, by name: what pinning a session keeps. */
  async servedVersions(profileId: number, manager: EntityManager): Promise<PinnedPrompts> {
    const rows = await this.servedRows(profileId, undefined, manager);
    return Object.fromEntries(rows.map(({ name, promptId, prompt }) => [name, { prompt_id: promptId, version: prompt.version }]));
  }

  private async servedRows(profileId: number, pinned: PinnedPrompts | undefined, manager: EntityManager) {
    const rows: (ServedPromptDto & { name: string; prompt_id: number; variables: DeclaredVariable[] })[] = await manager.query(
      `SELECT r.id AS prompt_id, r.name, r.variables, v.version, v.template, v.model_parameters,
              CASE WHEN $2::jsonb IS NOT NULL THEN 'pinned' WHEN l.version IS NULL THEN 'latest' ELSE '${DEFAULT_AGENT_LABEL}' END AS label
         FROM config_registry_prompts r
         LEFT JOIN config_registry_prompt_labels l ON l.prompt_id = r.id AND l.label = '${DEFAULT_AGENT_LABEL}'
         JOIN config_registry_prompt_versions v ON v.prompt_id = r.id
              AND v.version = CASE WHEN $2::jsonb IS NULL THEN coalesce(l.version, r.latest_version) ELSE ($2::jsonb -> r.name ->> 'version')::int END
        WHERE r.profile_id = $1 AND ($2::jsonb IS NULL OR ($2::jsonb -> r.name ->> 'prompt_id')::int = r.id)
        ORDER BY r.name`,
      [profileId, pinned ? JSON.stringify(pinned) : null],
    );
    return rows.map(({ name, prompt_id, variables, version, label, template, model_parameters }) => ({
      name,
      promptId: prompt_id,
      prompt: { version, label, template, variables: variables.map(toVariableDto), model_parameters } satisfies ServedPromptDto,
    }));
  }

  /**
   * What an agent runs: the version `label` names (default production, else latest) of the
   * profile (default: the default one). One statement: agents call it often.
   */
  async forAgent(name: string, profileId: number | undefined, label: string | undefined): Promise<AgentPromptDto> {
    const rows: AgentPromptRow[] = await this.dataSource.manager.query(
      `SELECT o.id AS profile_id, r.id AS prompt_id, r.variables, v.version, v.template, v.model_parameters,
              CASE WHEN $3::text IS NOT NULL THEN $3 WHEN l.version IS NOT NULL THEN '${DEFAULT_AGENT_LABEL}' ELSE 'latest' END AS label
         FROM config_profiles o
         LEFT JOIN config_registry_prompts r ON r.profile_id = o.id AND r.name = $2
         LEFT JOIN config_registry_prompt_labels l ON l.prompt_id = r.id AND l.label = coalesce($3, '${DEFAULT_AGENT_LABEL}')
         LEFT JOIN config_registry_prompt_versions v ON v.prompt_id = r.id
              AND v.version = CASE WHEN $3 IS NULL OR $3 = 'latest' THEN coalesce(l.version, r.latest_version) ELSE l.version END
        WHERE o.id = coalesce($1::int, (SELECT id FROM config_profiles WHERE is_default))`,
      [profileId ?? null, name, label ?? null],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError(profileId === undefined ? 'There is no profile yet, so no default profile to read prompts from.' : `Profile ${profileId} does not exist.`);
    if (row.prompt_id === null) throw new NotFoundError(`Profile ${row.profile_id} has no prompt "${name}".`);
    if (row.version === null) throw new NotFoundError(`Prompt "${name}" has no label "${label}".`);
    return {
      name,
      profile_id: row.profile_id,
      version: row.version,
      label: row.label,
      template: row.template!,
      variables: row.variables!.map(toVariableDto),
      model_parameters: row.model_parameters,
    };
  }

  private async findPrompt(manager: EntityManager, profileId: number, name: string, lock: 'FOR UPDATE' | ''): Promise<PromptRow> {
    const rows: PromptRow[] = await manager.query(`SELECT ${PROMPT_COLUMNS} FROM config_registry_prompts r WHERE r.profile_id = $1 AND r.name = $2 ${lock}`, [profileId, name]);
    if (!rows.length) throw new NotFoundError(`Profile ${profileId} has no prompt "${name}".`);
    return rows[0];
  }

  private async detail(manager: EntityManager, prompt: PromptRow): Promise<RegistryPromptDetailDto> {
    const latest = await findVersion(manager, prompt, prompt.latest_version);
    return { ...toPromptDto(prompt), latest: toVersionDto(prompt.name, latest), warnings: checkDeclaredTemplate(latest.template, prompt.variables).warnings };
  }

  private audit(manager: EntityManager, profileId: number, profileName: string, prompt: string, action: ConfigAction, actor: string, changes: FieldChanges): Promise<unknown> {
    return emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, PROMPT_REGISTRY_DOMAIN, action, actor, changes, undefined, prompt));
  }
}

/**
 * The prompt as an entry left it, as far as the entry says: a whole prompt (create, import,
 * recreate) or keyed changes (`<name>.version`, `<name>.variables`, `<name>.labels.<label>`).
 */
function stateAfter(name: string, changes: FieldChanges): { version?: number; variables?: DeclaredVariableDto[]; labels: Record<string, number | null> } {
  const whole = changes[name]?.new as { version?: number; versions?: number; variables?: DeclaredVariableDto[]; labels?: Record<string, number> } | undefined;
  const state = { version: whole?.version ?? whole?.versions, variables: whole?.variables, labels: { ...whole?.labels } as Record<string, number | null> };
  for (const [key, { new: value }] of Object.entries(changes)) {
    if (key === `${name}.version`) state.version = value as number;
    else if (key === `${name}.variables`) state.variables = value as DeclaredVariableDto[];
    else if (key.startsWith(`${name}.labels.`)) state.labels[key.slice(`${name}.labels.`.length)] = value as number | null;
  }
  return state;
}

/** A declared variable as responses show it (null for unset) or as stored (absent), as a request would send it. */
function withoutNulls(variable: DeclaredVariableDto | DeclaredVariable): DeclaredVariableDto {
  return {
    name: variable.name,
    required: variable.required,
    ...(variable.description != null && { description: variable.description }),
    ...(variable.sample != null && { sample: variable.sample }),
  };
}

function unrestorable(entry: RegistryHistoryEntry): UnprocessableError {
  return new UnprocessableError(`History entry ${entry.id} does not say how prompt "${entry.item}" stood after it.`, [{ field: 'entry_id', message: 'holds no restorable state of its prompt' }]);
}

/**
 * A deletion can be undone only while it is the prompt's last event: a later entry means the name
 * lived again (and was deleted again) since, and its own last deletion is the one to restore.
 */
async function refuseLaterLifetime(manager: EntityManager, profileId: number, entry: RegistryHistoryEntry): Promise<void> {
  const [later]: { id: string }[] = await manager.query(
    `SELECT id FROM config_history WHERE profile_id = $1 AND domain = $2 AND item = $3 AND id > $4 ORDER BY id DESC LIMIT 1`,
    [profileId, PROMPT_REGISTRY_DOMAIN, entry.item, entry.id],
  );
  if (later) {
    throw new ConflictError(`Prompt "${entry.item}" was created again after history entry ${entry.id}; restore its latest deletion (entry ${later.id} or earlier) instead.`);
  }
}
