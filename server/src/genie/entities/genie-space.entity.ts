import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A Databricks Genie space a profile's agent may query; one per profile is the default. */
@Entity('config_genie_spaces')
export class GenieSpaceEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'profile_id', type: 'integer' })
  profileId: number;

  @Column({ name: 'space_id', type: 'varchar', length: 255 })
  spaceId: string;

  @Column({ name: 'space_name', type: 'varchar', length: 255 })
  spaceName: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
