import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A configuration domain users registered, with the JSON Schema its values follow. */
@Check('chk_config_domains_name', `name ~ '^[a-z][a-z0-9_]{1,62}$'`)
@Check('chk_config_domains_title_not_blank', `btrim(title) <> ''`)
@Check('chk_config_domains_description_length', `char_length(description) <= 2000`)
@Check('chk_config_domains_schema_object', `json_typeof(schema) = 'object'`)
@Entity('config_domains')
export class DomainEntity {
  @PrimaryColumn({ type: 'varchar', length: 63 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'json' }) // json, not jsonb: keeps the author's property order, which the console's forms follow
  schema: Record<string, unknown>;

  @Column({ type: 'integer', default: 1, insert: false, update: false })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 255 })
  createdBy: string;

  @Column({ name: 'updated_by', type: 'varchar', length: 255 })
  updatedBy: string;
}
