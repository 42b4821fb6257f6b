import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { ProfileEntity } from '../../profiles/entities/profile.entity.js';
import { DomainEntity } from './domain.entity.js';

/** One profile's values of one registered domain, as the profile set them (defaults are not stored). */
@Check('chk_config_domain_values_object', `jsonb_typeof("values") = 'object'`)
@Unique('uq_config_domain_values_profile_domain', ['profileId', 'domain'])
@Index('idx_config_domain_values_domain', ['domain'])
@Entity('config_domain_values')
export class DomainValueEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @ForeignKey(() => ProfileEntity, { name: 'config_domain_values_profile_id_fkey', onDelete: 'CASCADE' })
  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @ForeignKey(() => DomainEntity, { name: 'config_domain_values_domain_fkey', onDelete: 'RESTRICT' })
  @Column({ type: 'varchar', length: 63 })
  domain: string;

  @Column({ type: 'jsonb' })
  values: Record<string, unknown>;

  /** The keys of `values` taken from the parent profile's row (copies the database keeps equal). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  inherited: string[];

  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 255 })
  updatedBy: string;
}
