import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { InstanceEntity } from './instance.entity.js';

/** When an instance applied a change it heard of (its caches refreshed): the delivery record. */
@Check('chk_change_applied_history_id', `history_id > 0`)
@Index('idx_change_applied_at', { synchronize: false })
@Index('idx_change_applied_instance', { synchronize: false })
@Entity('config_change_applied')
export class ChangeAppliedEntity {
  @PrimaryColumn({ name: 'history_id', type: 'bigint' })
  historyId: string;

  @ForeignKey(() => InstanceEntity, { name: 'config_change_applied_instance_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'instance_id', type: 'uuid' })
  instanceId: string;

  @Column({ name: 'applied_at', type: 'timestamptz' })
  appliedAt: Date;
}
