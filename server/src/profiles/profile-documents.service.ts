import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AiInfraService } from '../ai-infra/ai-infra.service.js';
import { lockProfile } from '../common/database/profile-guard.js';
import { ConflictError, DomainError, NotFoundError, UnprocessableError, withFieldPrefix } from '../common/errors/domain-errors.js';
import { createValidationPipe } from '../common/validation/validation-pipe.js';
import { DomainValuesService } from '../domains/domain-values.service.js';
import { DomainsService } from '../domains/domains.service.js';
import type { ConfigAction, ConfigDomain, FieldChanges } from '../common/events/config-events.js';
import { GenieService } from '../genie/genie.service.js';
import { MlflowService } from '../mlflow/mlflow.service.js';
import { PromptsService } from '../prompts/prompts.service.js';
import { PromptRegistryService } from '../prompt-registry/prompt-registry.service.js';
import { PresetsService } from '../presets/presets.service.js';
import { RolloutsService } from '../rollout/rollouts.service.js';
import { type ProfileDocumentDto, ProfileExportDto } from './dto/profile-document.dto.js';
import { type CreateProfileDto, PROFILE_NAME_FIELD } from './dto/profile-requests.dto.js';
import type { ProfileDetailDto } from './dto/profile-responses.dto.js';
import { ProfileEntity } from './entities/profile.entity.js';
import { inYamlTerms, type LegacyYamlFiles, type LegacyYamlWarning, legacyYamlDocument } from './legacy-yaml.js';
import { toProfileDocument, toProfileExport, withParentValues } from './profile-document.js';
import { ProfilesService } from './profiles.service.js';

export const DOCUMENT_DOMAINS: readonly ConfigDomain[] = ['profile', 'ai_infra', 'genie', 'mlflow', 'prompts'];
/** In apply's list of domains: every registered domain too. */
export const ALL_REGISTERED_DOMAINS = '*';

/** Where a document holds a built-in domain's values: its own name, but genie's are its `genie_spaces`. */
export function documentKeyOf(domain: ConfigDomain): string {
  return domain === 'genie' ? 'genie_spaces' : domain;
}

/** What promoting a rollout's candidate copies: every domain but the profile's own name and description. */
const PROMOTED_DOMAINS: readonly ConfigDomain[] = ['ai_infra', 'genie', 'mlflow', 'prompts', ALL_REGISTERED_DOMAINS];

/**
 * Whole profiles as documents: export, import, and writing a document's values back into a
 * profile (history's restore). Each domain is written by its own feature's service, with the same
 * checks as its PUT, and audited by it.
 */
@Injectable()
export class ProfileDocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfilesService,
    private readonly aiInfra: AiInfraService,
    private readonly genie: GenieService,
    private readonly mlflow: MlflowService,
    private readonly prompts: PromptsService,
    private readonly domainValues: DomainValuesService,
    private readonly domains: DomainsService,
    private readonly promptRegistry: PromptRegistryService,
    private readonly rollouts: RolloutsService,
    private readonly presets: PresetsService,
  ) {}

  /** A new profile with a preset's values (and prompt registry, if it has one), audited as `create` naming the preset. */
  async createFromPreset(request: CreateProfileDto & { preset: string }, actor: string): Promise<ProfileDetailDto> {
    return this.dataSource.transaction(async (manager) => {
      const preset = await this.presets.document(request.preset, 'preset', manager);
      const description = request.description !== undefined ? request.description : (preset.description ?? null);
      const created = await this.profiles.createFromDocument(manager, { ...preset, name: request.name, description }, actor, 'create', {
        changes: { preset: { old: null, new: request.preset } },
      });
      if (preset.prompt_registry?.length) await this.promptRegistry.importInto(manager, created.id, created.name, preset.prompt_registry, actor);
      return this.profiles.get(created.id, manager);
    });
  }

  /**
   * Promotes a rollout's candidate, in one transaction: its values of every domain (AI infra,
   * Genie spaces, MLflow, prompts, registered domains with their secrets; not its name, its
   * prompt registry, nor its require_probe: the profile keeps its own rule) are written onto the
   * profile through the usual checks (the probe gate included), each audited, then the rollout ends.
   */
  async promote(profileId: number, actor: string): Promise<ProfileDetailDto> {
    return this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const split = await this.rollouts.splitOf(profileId, manager);
      if (!split) throw new NotFoundError(`Profile ${profileId} has no rollout to promote.`);
      const candidate = await this.document(split.candidateProfileId, manager);
      // Documents show secrets as {"set": true}: the candidate's own, decrypted, are what was tried.
      const secrets = await this.domainValues.revealedSecrets(split.candidateProfileId, await this.domains.customDomains());
      const { require_probe: _ownRule, ...settings } = candidate.ai_infra;
      const promoted = { ...candidate, ai_infra: settings, domains: { ...candidate.domains, ...secrets } };
      await this.apply(manager, profileId, promoted, PROMOTED_DOMAINS, actor, 'update');
      await this.rollouts.end(manager, profileId, profileName, actor, true);
      return this.profiles.get(profileId, manager);
    });
  }

  async export(id: number): Promise<ProfileExportDto> {
    const profile = await this.profiles.get(id);
    // A child's prompts it inherits are its parent's to export.
    return toProfileExport(profile, await this.promptRegistry.exportAll(id, undefined, profile.parent_profile_id !== null));
  }

  async document(id: number, manager: EntityManager = this.dataSource.manager): Promise<ProfileDocumentDto> {
    return toProfileDocument(await this.profiles.get(id, manager));
  }

  /**
   * A new profile from an exported document, under its own name or `name`; a taken name is a 409.
   * A document naming a parent holds only overrides: the parent, found by name, gives the rest.
   */
  async import(exported: ProfileExportDto, name: string | undefined, actor: string): Promise<ProfileDetailDto> {
    const document = { ...exported.profile, ...(name !== undefined && { name }) };
    return this.dataSource.transaction(async (manager) => {
      if (await this.nameTaken(manager, document.name)) throw nameTakenError(document.name, '?name=…');
      const parent = document.parent === undefined ? undefined : await this.parentNamed(manager, document.parent);
      const full = parent ? withParentValues(document, toProfileDocument(parent)) : document;
      return withFieldPrefix('profile.', () =>
        this.profiles.createFromDocument(manager, full, actor, 'import', { parentId: parent?.id, promptRegistry: document.prompt_registry }),
      );
    });
  }

  /**
   * The slide generator's YAML files (seed 001) as a new profile, checked as any import (fields
   * named by file and key), audited as `import`, optionally made the default. `dryRun`: every
   * check, nothing written.
   */
  async importLegacyYaml(
    files: LegacyYamlFiles,
    options: { name?: string; setDefault?: boolean; dryRun?: boolean },
    actor: string,
  ): Promise<{ profile: ProfileDetailDto | null; document: ProfileExportDto; warnings: LegacyYamlWarning[] }> {
    const { document: raw, warnings } = legacyYamlDocument(files, options.name);
    let document: ProfileExportDto;
    try {
      document = (await createValidationPipe(false).transform(raw, { type: 'body', metatype: ProfileExportDto })) as ProfileExportDto;
    } catch (error) {
      if (error instanceof DomainError) throw new UnprocessableError(`The YAML files hold values Switchboard refuses: ${error.message}`, inYamlTerms(error.errors));
      throw error;
    }
    try {
      await this.checkPromptTemplates(document);
    } catch (error) {
      if (error instanceof DomainError) throw new UnprocessableError(`prompts.yaml: ${error.message}`, inYamlTerms(error.errors));
      throw error;
    }
    if (options.dryRun) {
      if (await this.nameTaken(this.dataSource.manager, document.profile.name)) throw nameTakenError(document.profile.name, 'name');
      return { profile: null, document, warnings };
    }
    const created = await this.import(document, undefined, actor).catch((error: unknown) => {
      throw error instanceof ConflictError ? nameTakenError(document.profile.name, 'name') : error;
    });
    const profile = options.setDefault ? await this.profiles.setDefault(created.id, actor) : created;
    return { profile, document, warnings };
  }

  /**
   * The prompt template rules, which run on write, checked before any: a dry run then says all
   * there is, and a file of several documents is refused before the first is written.
   */
  checkPromptTemplates(document: ProfileExportDto): Promise<void> {
    return withFieldPrefix('profile.prompts.', async () => this.prompts.assertValid(document.profile.prompts));
  }

  /** A new profile from a document in the caller's transaction (restore of a deleted profile). */
  create(manager: EntityManager, document: ProfileDocumentDto, actor: string, action: ConfigAction, changes?: FieldChanges): Promise<ProfileDetailDto> {
    return this.profiles.createFromDocument(manager, document, actor, action, { changes });
  }

  /**
   * Puts the given domains of a profile back to a document's values, in the caller's transaction.
   * Each feature audits its own domain when it changed (one `action` entry per changed domain).
   * Registered domains are named by their name; ALL_REGISTERED_DOMAINS stands for all of them:
   * those the document holds are put back, those the profile set since are cleared.
   */
  async apply(
    manager: EntityManager,
    profileId: number,
    document: ProfileDocumentDto,
    domains: readonly ConfigDomain[],
    actor: string,
    action: ConfigAction,
  ): Promise<ProfileDetailDto> {
    const write: Record<ConfigDomain, () => Promise<void>> = {
      profile: () => this.profiles.restoreFor(manager, profileId, { name: document.name, description: document.description ?? null }, actor, action),
      ai_infra: () => this.aiInfra.restoreFor(manager, profileId, document.ai_infra, actor, action),
      genie: () => this.genie.restoreFor(manager, profileId, document.genie_spaces, actor, action),
      mlflow: () => this.mlflow.restoreFor(manager, profileId, document.mlflow, actor, action),
      prompts: () => this.prompts.restoreFor(manager, profileId, document.prompts, actor, action),
    };
    // The profile row first: its lock keeps every other writer of this profile out until commit.
    for (const domain of DOCUMENT_DOMAINS.filter((candidate) => domains.includes(candidate))) {
      await withFieldPrefix(`${documentKeyOf(domain)}.`, write[domain]);
    }
    const stored = document.domains ?? {};
    const registered = domains.includes(ALL_REGISTERED_DOMAINS)
      ? [...new Set([...Object.keys(stored), ...(await this.domainValues.namesOf(manager, profileId))])].sort()
      : domains.filter((domain) => !(DOCUMENT_DOMAINS as readonly string[]).includes(domain));
    for (const name of registered) {
      await withFieldPrefix('domains.', () => this.domainValues.restoreFor(manager, profileId, name, stored[name], actor, action));
    }
    return this.profiles.get(profileId, manager);
  }

  /** Writes only the domains a partial document holds (a scheduled change), each audited as `update`. */
  applyPresent(manager: EntityManager, profileId: number, values: Partial<ProfileDocumentDto>, actor: string): Promise<ProfileDetailDto> {
    const present: ConfigDomain[] = [
      ...(values.ai_infra ? ['ai_infra'] : []),
      ...(values.genie_spaces ? ['genie'] : []),
      ...(values.mlflow ? ['mlflow'] : []),
      ...(values.prompts ? ['prompts'] : []),
      ...Object.keys(values.domains ?? {}),
    ];
    return this.apply(manager, profileId, values as ProfileDocumentDto, present, actor, 'update');
  }

  /** `name` when no profile has it, else the first free of "<name> (<suffix>)", "<name> (<suffix> 2)", … */
  async freeName(manager: EntityManager, name: string, suffix: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const ending = attempt === 0 ? '' : attempt === 1 ? ` (${suffix})` : ` (${suffix} ${attempt})`;
      const candidate = `${name.slice(0, PROFILE_NAME_FIELD.maxLength - ending.length).trimEnd()}${ending}`;
      if (!(await this.nameTaken(manager, candidate))) return candidate;
    }
  }

  /** The profile a document inherits from, locked until the import commits; 422 when none has that name. */
  private async parentNamed(manager: EntityManager, name: string): Promise<ProfileDetailDto> {
    const row = await manager.createQueryBuilder(ProfileEntity, 'p').select('p.id').where('lower(p.name) = lower(:name)', { name }).getOne();
    if (!row) {
      throw new UnprocessableError(`The document inherits from "${name}", and no profile has that name: import or create the parent first.`, [
        { field: 'profile.parent', message: 'names no profile' },
      ]);
    }
    await lockProfile(manager, row.id);
    return this.profiles.get(row.id, manager);
  }

  private nameTaken(manager: EntityManager, name: string): Promise<boolean> {
    return manager.createQueryBuilder(ProfileEntity, 'p').where('lower(p.name) = lower(:name)', { name }).getExists();
  }
}

function nameTakenError(name: string, how: string): ConflictError {
  return new ConflictError(`A profile named "${name}" already exists; import it under another name (${how}).`, [
    { field: 'name', message: 'a profile with this name already exists (names are case-insensitive)' },
  ]);
}
