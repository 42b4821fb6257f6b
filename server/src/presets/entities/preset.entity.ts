import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ProfileDocumentDto } from '../../profiles/dto/profile-document.dto.js';

/** A preset an admin saved: a profile document to create profiles from. */
@Check('chk_config_presets_name_not_blank', `btrim(name) <> ''`)
@Check('chk_config_presets_document', `jsonb_typeof(document) = 'object'`)
@Index('uq_config_presets_name', { synchronize: false })
@Entity('config_presets')
export class PresetEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description: string | null;

  @Column({ type: 'jsonb' })
  document: ProfileDocumentDto;

  @Column({ name: 'created_by', type: 'varchar', length: 255 })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
