import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { type RowDomain, writeRowDomain } from '../common/database/row-domain.js';
import { DEFAULT_PROMPTS } from '../common/defaults/default-config.js';
import { NotFoundError, UnprocessableError } from '../common/errors/domain-errors.js';
import type { ConfigAction } from '../common/events/config-events.js';
import type { PromptsConfigDto, PromptsValuesDto, PromptValidationDto, UpdatePromptsDto } from './dto/prompts.dto.js';
import { PromptsEntity } from './entities/prompts.entity.js';
import { PROMPT_FIELDS, validatePrompts } from './prompt-template.validator.js';

@Injectable()
export class PromptsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {}

  validate(prompts: UpdatePromptsDto): PromptValidationDto {
    return validatePrompts(prompts);
  }

  /** The 422 a write of these prompts would get, before writing anything (imports check every document first). */
  assertValid(prompts: UpdatePromptsDto): void {
    assertNoTemplateErrors(prompts);
  }

  async get(profileId: number, manager: EntityManager = this.dataSource.manager): Promise<PromptsConfigDto> {
    const row = await manager.findOneBy(PromptsEntity, { profileId });
    if (!row) throw new NotFoundError(`Profile ${profileId} does not exist.`);
    return toDto(row);
  }

  /** Refuses (422) any template error, each with its field and position; warnings do not block. */
  async update(profileId: number, update: UpdatePromptsDto, actor: string, expected?: number): Promise<PromptsConfigDto> {
    assertNoTemplateErrors(update);
    return this.dataSource.transaction((manager) => this.write(manager, profileId, update, actor, 'update', expected));
  }

  /** Puts a profile's prompts back (restore) in the caller's transaction, checked like an update. */
  async restoreFor(manager: EntityManager, profileId: number, values: PromptsValuesDto, actor: string, action: ConfigAction): Promise<void> {
    assertNoTemplateErrors(values);
    await this.write(manager, profileId, values, actor, action);
  }

  /** The row of a new profile: a copy of another profile's, the given prompts (checked), or the built-in ones. */
  async createFor(manager: EntityManager, profileId: number, source?: number | PromptsValuesDto): Promise<void> {
    if (typeof source === 'object') assertNoTemplateErrors(source);
    const values = source === undefined ? DEFAULT_PROMPTS : typeof source === 'number' ? await this.get(source, manager) : source;
    await manager.insert(PromptsEntity, { profileId, ...toColumns(values) });
  }

  private write(manager: EntityManager, profileId: number, values: UpdatePromptsDto, actor: string, action: ConfigAction, expected?: number): Promise<PromptsConfigDto> {
    return writeRowDomain(manager, this.events, PROMPTS_ROWS, { profileId, values, actor, action, expected });
  }
}

const PROMPTS_ROWS: RowDomain<PromptsEntity, PromptsConfigDto> = {
  domain: 'prompts',
  what: 'The prompts',
  entity: PromptsEntity,
  fields: PROMPT_FIELDS,
  toDto,
  toColumns,
};

function assertNoTemplateErrors(prompts: UpdatePromptsDto): void {
  const { errors } = validatePrompts(prompts);
  if (errors.length) {
    throw new UnprocessableError(
      `The prompts have ${errors.length} error(s); the first: ${errors[0].message}`,
      errors.map(({ field, message, code, line, column, offset, length }) => ({ field, message, code, line, column, offset, length })),
    );
  }
}

function toDto(row: PromptsEntity): PromptsConfigDto {
  return {
    profile_id: row.profileId,
    system_prompt: row.systemPrompt,
    slide_editing_instructions: row.slideEditingInstructions,
    user_prompt_template: row.userPromptTemplate,
    inherited: row.inherited,
    version: row.version,
    updated_at: row.updatedAt.toISOString(),
  };
}

function toColumns(values: UpdatePromptsDto): Partial<PromptsEntity> {
  return {
    ...(values.system_prompt !== undefined && { systemPrompt: values.system_prompt }),
    ...(values.slide_editing_instructions !== undefined && { slideEditingInstructions: values.slide_editing_instructions }),
    ...(values.user_prompt_template !== undefined && { userPromptTemplate: values.user_prompt_template }),
  };
}
