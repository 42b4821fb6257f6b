import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import { type RowDomain, writeRowDomain } from '../common/database/row-domain.js';
import { DEFAULT_MLFLOW } from '../common/defaults/default-config.js';
import { NotFoundError } from '../common/errors/domain-errors.js';
import type { ConfigAction } from '../common/events/config-events.js';
import type { MlflowConfigDto, MlflowValuesDto, UpdateMlflowDto } from './dto/mlflow.dto.js';
import { MlflowEntity } from './entities/mlflow.entity.js';

@Injectable()
export class MlflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {}

  async get(profileId: number, manager: EntityManager = this.dataSource.manager): Promise<MlflowConfigDto> {
    const row = await manager.findOneBy(MlflowEntity, { profileId });
    if (!row) throw new NotFoundError(`Profile ${profileId} does not exist.`);
    return toDto(row);
  }

  async update(profileId: number, update: UpdateMlflowDto, actor: string, expected?: number): Promise<MlflowConfigDto> {
    return this.dataSource.transaction((manager) => this.write(manager, profileId, update, actor, 'update', expected));
  }

  /** Puts a profile's value back (restore) in the caller's transaction, audited as `action` if it changed. */
  async restoreFor(manager: EntityManager, profileId: number, values: MlflowValuesDto, actor: string, action: ConfigAction): Promise<void> {
    await this.write(manager, profileId, values, actor, action);
  }

  /** The row of a new profile: a copy of another profile's, the given value, or the built-in default. */
  async createFor(manager: EntityManager, profileId: number, source?: number | MlflowValuesDto): Promise<void> {
    const values = source === undefined ? DEFAULT_MLFLOW : typeof source === 'number' ? await this.get(source, manager) : source;
    await manager.insert(MlflowEntity, { profileId, experimentName: values.experiment_name });
  }

  private write(manager: EntityManager, profileId: number, values: UpdateMlflowDto, actor: string, action: ConfigAction, expected?: number): Promise<MlflowConfigDto> {
    return writeRowDomain(manager, this.events, MLFLOW_ROWS, { profileId, values, actor, action, expected });
  }
}

const MLFLOW_ROWS: RowDomain<MlflowEntity, MlflowConfigDto> = {
  domain: 'mlflow',
  what: 'The MLflow configuration',
  entity: MlflowEntity,
  fields: ['experiment_name'],
  toDto,
  toColumns: (values) => ({ ...(values.experiment_name !== undefined && { experimentName: values.experiment_name }) }),
};

function toDto(row: MlflowEntity): MlflowConfigDto {
  return {
    profile_id: row.profileId,
    experiment_name: row.experimentName,
    inherited: row.inherited,
    version: row.version,
    updated_at: row.updatedAt.toISOString(),
  };
}
