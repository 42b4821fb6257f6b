import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConflictError, UnprocessableError, withFieldPrefix } from '../common/errors/domain-errors.js';
import type { ProfileDetailDto } from '../profiles/dto/profile-responses.dto.js';
import { parseProfileDocument, toProfileDocument } from '../profiles/profile-document.js';
import { ALL_REGISTERED_DOMAINS, DOCUMENT_DOMAINS, documentKeyOf, ProfileDocumentsService } from '../profiles/profile-documents.service.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { PROMPT_REGISTRY_DOMAIN, PromptRegistryService } from '../prompt-registry/prompt-registry.service.js';
import type { RestoreHistoryEntryDto } from './dto/restore.dto.js';
import type { ConfigHistoryEntity } from './entities/config-history.entity.js';
import { HistoryService, refuseRegistryEntry } from './history.service.js';
import { ApprovalRequiredError } from '../change-requests/change-request.errors.js';
import type { ProfileDocumentDto } from '../profiles/dto/profile-document.dto.js';
import type { ConfigDomain } from '../common/events/config-events.js';

export const RESTORED_SUFFIX = 'restored';

/**
 * Puts a profile, or one domain of it, back to a history entry's snapshot, in one transaction,
 * through the features' services: the same checks as any write (a snapshot that fails them today
 * is a 422) and audited with action `restore`, one entry per domain that changed. An entry of a
 * deleted profile recreates it (one `restore` entry), under a free name.
 */
@Injectable()
export class HistoryRestoreService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: HistoryService,
    private readonly documents: ProfileDocumentsService,
    private readonly profiles: ProfilesService,
    private readonly promptRegistry: PromptRegistryService,
  ) {}

  async restore(entryId: number, request: RestoreHistoryEntryDto, actor: string): Promise<{ profile: ProfileDetailDto; recreated: boolean }> {
    const entry = await this.history.findEntry(entryId);
    refuseRegistryEntry(entry, 'restored');
    if (entry.domain === PROMPT_REGISTRY_DOMAIN && (request.domain === undefined || request.domain === PROMPT_REGISTRY_DOMAIN)) {
      return { profile: await this.restorePrompt(entry, request, actor), recreated: false };
    }
    if (!entry.snapshot) throw new UnprocessableError(`History entry ${entryId} holds no snapshot to restore.`);
    const profileId = entry.profileId;
    if (profileId !== null && request.name !== undefined) {
      throw new UnprocessableError('name applies only to an entry whose profile was deleted.', [
        { field: 'name', message: `profile ${profileId} still exists; rename it with PUT /api/config/profiles/${profileId}` },
      ]);
    }
    if (profileId === null && request.domain !== undefined) {
      throw new ConflictError(`Profile "${entry.profileName}" was deleted; restore the whole profile (without domain) to recreate it.`);
    }

    return withFieldPrefix('snapshot.', async () => {
      const document = await parseProfileDocument(toProfileDocument(entry.snapshot!));
      return this.dataSource.transaction(async (manager) => {
        if (profileId === null) {
          const name = request.name ?? (await this.documents.freeName(manager, document.name, RESTORED_SUFFIX));
          const changes = { restored_from_entry_id: { old: null, new: entryId } };
          return { profile: await this.documents.create(manager, { ...document, name }, actor, 'restore', changes), recreated: true };
        }
        const domains = request.domain ? [request.domain] : [...DOCUMENT_DOMAINS, ALL_REGISTERED_DOMAINS];
        try {
          return { profile: await this.documents.apply(manager, profileId, document, domains, actor, 'restore'), recreated: false };
        } catch (error) {
          // The profile requires approval: the restore waits as a change request of the snapshot's values
          // (not of its name and description: renaming is for admins there).
          if (!(error instanceof ApprovalRequiredError) || error.proposal || request.domain === 'profile') throw error;
          throw new ApprovalRequiredError(error.message, { profileId, actor, restore: { entryId, values: restoredValues(document, domains) } });
        }
      });
    });
  }

  /** An entry of the prompt registry puts its one prompt back (see PromptRegistryService.restoreEntry). */
  private async restorePrompt(entry: ConfigHistoryEntity, request: RestoreHistoryEntryDto, actor: string): Promise<ProfileDetailDto> {
    const profileId = entry.profileId;
    if (profileId === null) throw new ConflictError(`Profile "${entry.profileName}" was deleted; its prompts went with it.`);
    if (request.name !== undefined) {
      throw new UnprocessableError('name applies only to an entry whose profile was deleted.', [{ field: 'name', message: 'does not apply to a prompt registry entry' }]);
    }
    if (entry.item === null) throw new UnprocessableError(`History entry ${entry.id} does not name its prompt.`, [{ field: 'entry_id', message: 'names no prompt' }]);
    const item = entry.item;
    return this.dataSource.transaction(async (manager) => {
      await this.promptRegistry.restoreEntry(manager, profileId, { id: Number(entry.id), action: entry.action, item, changes: entry.changes, timestamp: entry.timestamp }, actor);
      return this.profiles.get(profileId, manager);
    });
  }
}

/**
 * What a restore puts back, as change-request values: each restored domain's values from the
 * snapshot (approval applies only what differs). Name and description are not proposed: renaming
 * a profile that requires approval is for admins. Registered domains the snapshot lacks are not
 * cleared by a proposal.
 */
/** The built-in domains whose values a proposal carries (not `profile`: its name and description). */
const PROPOSED_DOMAINS: readonly ConfigDomain[] = DOCUMENT_DOMAINS.filter((domain) => domain !== 'profile');

function restoredValues(document: ProfileDocumentDto, domains: readonly ConfigDomain[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const domain of PROPOSED_DOMAINS.filter((candidate) => domains.includes(candidate))) {
    values[documentKeyOf(domain)] = (document as unknown as Record<string, unknown>)[documentKeyOf(domain)];
  }
  const registered = Object.entries(document.domains ?? {}).filter(([name]) => domains.includes(ALL_REGISTERED_DOMAINS) || domains.includes(name));
  if (registered.length) values.domains = Object.fromEntries(registered);
  return values;
}
