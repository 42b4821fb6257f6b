import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, UnprocessableError, withFieldPrefix } from '../common/errors/domain-errors.js';
import { DomainValuesService } from '../domains/domain-values.service.js';
import { PromptsService } from '../prompts/prompts.service.js';
import type { ProfileDocumentDto } from '../profiles/dto/profile-document.dto.js';
import type { PresetDto, SavePresetDto } from './dto/preset.dto.js';
import { PresetEntity } from './entities/preset.entity.js';
import { type ShippedPreset, shippedPresets } from './shipped-presets.js';

/** Presets: the shipped ones (read-only) and those admins saved, named uniquely together in any case. */
@Injectable()
export class PresetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly prompts: PromptsService,
    private readonly domainValues: DomainValuesService,
  ) {}

  /** Shipped first, then saved ones by name. */
  async list(): Promise<PresetDto[]> {
    const saved = await this.dataSource.manager.find(PresetEntity, { order: { name: 'ASC' } });
    return [...shippedPresets().map(shippedDto), ...saved.map(savedDto)];
  }

  /** The document of the preset with this name (any case); 422 naming `field` when there is none. */
  async document(name: string, field: string, manager: EntityManager = this.dataSource.manager): Promise<ProfileDocumentDto> {
    const preset = shipped(name) ?? (await this.saved(manager, name));
    if (!preset) throw new UnprocessableError(`There is no preset "${name}".`, [{ field, message: `names no preset (GET /api/config/presets lists them)` }]);
    return preset.document;
  }

  /**
   * Checked as far as a document can be before a profile uses it: the DTO's rules, the prompts'
   * placeholders, registered domains only, and no secret in the clear (it would be stored as is).
   */
  async save(request: SavePresetDto, actor: string): Promise<PresetDto> {
    if (request.document.parent !== undefined) {
      // A child's document holds only its overrides; a preset is whole (a profile starts from it).
      throw new UnprocessableError('A preset holds whole values: it cannot name a parent. Give its values in full, without parent.', [
        { field: 'document.parent', message: 'a preset cannot name a parent' },
      ]);
    }
    await withFieldPrefix('document.prompts.', async () => this.prompts.assertValid(request.document.prompts));
    if (request.document.domains) await this.domainValues.assertStorable(request.document.domains, 'document.domains');
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['switchboard.presets']);
      if (shipped(request.name) || (await this.saved(manager, request.name))) {
        throw new ConflictError(`A preset named "${request.name}" exists already (names are compared in any case).`);
      }
      const row = await manager.save(
        manager.create(PresetEntity, { name: request.name, description: request.description ?? null, document: { ...request.document }, createdBy: actor }),
      );
      return savedDto(row);
    });
  }

  async remove(name: string): Promise<void> {
    if (shipped(name)) throw new ConflictError(`Preset "${name}" ships with Switchboard and cannot be deleted.`);
    const { affected } = await this.dataSource.manager
      .createQueryBuilder()
      .delete()
      .from(PresetEntity)
      .where('lower(name) = lower(:name)', { name })
      .execute();
    if (!affected) throw new NotFoundError(`There is no saved preset "${name}".`);
  }

  private saved(manager: EntityManager, name: string): Promise<PresetEntity | null> {
    return manager.createQueryBuilder(PresetEntity, 'p').where('lower(p.name) = lower(:name)', { name }).getOne();
  }
}

function shipped(name: string): ShippedPreset | undefined {
  return shippedPresets().find((preset) => preset.name.toLowerCase() === name.toLowerCase());
}

function shippedDto(preset: ShippedPreset): PresetDto {
  return { name: preset.name, description: preset.description, built_in: true, created_by: null, created_at: null, document: preset.document };
}

function savedDto(row: PresetEntity): PresetDto {
  return { name: row.name, description: row.description, built_in: false, created_by: row.createdBy, created_at: row.createdAt.toISOString(), document: row.document };
}
