import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { type RowDomain, writeRowDomain } from '../common/database/row-domain.js';
import { DEFAULT_AI_INFRA } from '../common/defaults/default-config.js';
import { NotFoundError } from '../common/errors/domain-errors.js';
import type { ConfigAction } from '../common/events/config-events.js';
import { DatabricksClient, type ServingEndpointList } from '../databricks/databricks.client.js';
import { AI_INFRA_FIELDS as FIELDS, type AiInfraConfigDto, type AiInfraValidationDto, type AiInfraValuesDto, type UpdateAiInfraDto } from './dto/ai-infra.dto.js';
import { AiInfraEntity } from './entities/ai-infra.entity.js';

@Injectable()
export class AiInfraService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
    private readonly databricks: DatabricksClient,
  ) {}

  listEndpoints(): Promise<ServingEndpointList> {
    return this.databricks.listServingEndpoints();
  }

  /** Values were checked by the DTO (422 otherwise); this says whether the endpoint is known. */
  async validate(config: UpdateAiInfraDto): Promise<AiInfraValidationDto> {
    const { endpoints, source } = await this.databricks.listServingEndpoints();
    const known = config.llm_endpoint === undefined ? null : endpoints.includes(config.llm_endpoint);
    const where = source === 'workspace' ? "the workspace's serving endpoints" : 'the fallback list (Databricks is not configured)';
    return {
      valid: true,
      endpoint_known: known,
      endpoints_source: source,
      warnings: known === false ? [`Endpoint "${config.llm_endpoint}" is not among ${where}.`] : [],
    };
  }

  async get(profileId: number, manager: EntityManager = this.dataSource.manager): Promise<AiInfraConfigDto> {
    const row = await manager.findOneBy(AiInfraEntity, { profileId });
    if (!row) throw new NotFoundError(`Profile ${profileId} does not exist.`);
    return toDto(row);
  }

  async update(profileId: number, update: UpdateAiInfraDto, actor: string, expected?: number): Promise<AiInfraConfigDto> {
    return this.dataSource.transaction((manager) => this.write(manager, profileId, update, actor, 'update', expected));
  }

  /** Puts a profile's values back (restore) in the caller's transaction, audited as `action` if any changed. */
  async restoreFor(manager: EntityManager, profileId: number, values: AiInfraValuesDto, actor: string, action: ConfigAction): Promise<void> {
    await this.write(manager, profileId, values, actor, action);
  }

  /** The row of a new profile: a copy of another profile's, the given values, or the built-in defaults. */
  async createFor(manager: EntityManager, profileId: number, source?: number | AiInfraValuesDto): Promise<void> {
    const values = source === undefined ? DEFAULT_AI_INFRA : typeof source === 'number' ? await this.get(source, manager) : source;
    await manager.insert(AiInfraEntity, { profileId, ...toColumns(values) });
  }

  private write(manager: EntityManager, profileId: number, values: UpdateAiInfraDto, actor: string, action: ConfigAction, expected?: number): Promise<AiInfraConfigDto> {
    return writeRowDomain(manager, this.events, AI_INFRA_ROWS, { profileId, values, actor, action, expected });
  }
}

const AI_INFRA_ROWS: RowDomain<AiInfraEntity, AiInfraConfigDto> = {
  domain: 'ai_infra',
  what: 'The AI infrastructure configuration',
  entity: AiInfraEntity,
  fields: FIELDS,
  toDto,
  toColumns,
};

function toDto(row: AiInfraEntity): AiInfraConfigDto {
  return {
    profile_id: row.profileId,
    llm_endpoint: row.llmEndpoint,
    llm_temperature: row.llmTemperature,
    llm_max_tokens: row.llmMaxTokens,
    llm_top_p: row.llmTopP,
    llm_timeout_seconds: row.llmTimeoutSeconds,
    require_probe: row.requireProbe,
    inherited: row.inherited,
    version: row.version,
    updated_at: row.updatedAt.toISOString(),
  };
}

function toColumns(values: Partial<Record<(typeof FIELDS)[number], unknown>>): Partial<AiInfraEntity> {
  const columns: Partial<AiInfraEntity> = {
    llmEndpoint: values.llm_endpoint as string | undefined,
    llmTemperature: values.llm_temperature as number | undefined,
    llmMaxTokens: values.llm_max_tokens as number | undefined,
    llmTopP: values.llm_top_p as number | undefined,
    llmTimeoutSeconds: values.llm_timeout_seconds as number | undefined,
    requireProbe: values.require_probe as boolean | undefined,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}
