import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsObject, Matches } from 'class-validator';
import { Optional, TextField } from '../../common/validation/fields.js';

export const DOMAIN_NAME = /^[a-z][a-z0-9_]{1,62}$/;

const TITLE = { description: 'Shown to operators', example: 'Gateway cache', maxLength: 200 } as const;
const DESCRIPTION = { description: 'What the domain configures', example: 'Response cache of the LLM gateway', maxLength: 2000, line: false } as const;
const SCHEMA = {
  description: 'JSON Schema (draft 2020-12) of the values, "type": "object" at the top; `default`s fill what a profile has not set',
  example: { type: 'object', properties: { ttl_seconds: { type: 'integer', minimum: 0, default: 300 } }, additionalProperties: false },
} as const;

export class CreateDomainDto {
  @TextField({ description: 'Lower-case name: letters, digits and _ (2–63 characters), not a built-in one', example: 'gateway_cache', maxLength: 63 })
  @Matches(DOMAIN_NAME, { message: 'name must start with a lower-case letter and hold only a-z, 0-9 and _ (2 to 63 characters)' })
  name: string;

  @TextField(TITLE)
  title: string;

  @TextField({ ...DESCRIPTION, optional: true, nullable: true })
  description?: string | null;

  @ApiProperty({ ...SCHEMA, type: 'object', additionalProperties: true })
  @IsObject({ message: 'schema must be a JSON object' })
  schema: Record<string, unknown>;
}

export class UpdateDomainDto {
  @TextField({ ...TITLE, optional: true })
  title?: string;

  @TextField({ ...DESCRIPTION, optional: true, nullable: true })
  description?: string | null;

  @ApiPropertyOptional({ ...SCHEMA, type: 'object', additionalProperties: true })
  @Optional()
  @IsObject({ message: 'schema must be a JSON object' })
  schema?: Record<string, unknown>;
}

export class DomainDto {
  @ApiProperty({ example: 'gateway_cache' })
  name: string;

  @ApiProperty({ example: 'Gateway cache' })
  title: string;

  @ApiProperty({ type: String, nullable: true, example: 'Response cache of the LLM gateway' })
  description: string | null;

  @ApiProperty({ enum: ['object', 'list'], description: 'object: one object of values per profile; list: many items per profile (Genie spaces)' })
  kind: 'object' | 'list';

  @ApiProperty({ description: "Built in: the slide generator's domains, with their own routes and tables" })
  built_in: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema (draft 2020-12) of the values' })
  schema: Record<string, unknown>;

  @ApiProperty({ type: 'integer', nullable: true, example: 2, description: 'Moves on every change of a registered domain (ETag); null for built-ins' })
  version: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 3, description: 'Profiles that hold values of it; null for built-ins (every profile has them)' })
  profiles_with_values: number | null;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-25T12:00:00.000Z' })
  updated_at: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'alice@corp.example' })
  updated_by: string | null;
}

export class PutDomainValuesDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { ttl_seconds: 600 }, description: "The profile's values: replaces what it held; unset fields take the schema's defaults" })
  @IsObject({ message: 'values must be a JSON object' })
  values: Record<string, unknown>;
}

const INHERITED_KEYS: ApiPropertyOptions = {
  type: [String],
  example: ['ttl_seconds'],
  description:
    "The top-level keys this profile takes from its parent profile; the others in `values` are its own. A PUT leaving out a key, or giving it the parent's value, inherits it. Empty for a profile without a parent.",
};

export class DomainValuesDto {
  @ApiProperty({ example: 'gateway_cache' })
  domain: string;

  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { ttl_seconds: 600 },
    description: "What the profile set, and for a profile with a parent what it inherits (the keys in `inherited`)",
  })
  values: Record<string, unknown>;

  @ApiProperty(INHERITED_KEYS)
  inherited: string[];

  @ApiProperty({ type: 'object', additionalProperties: true, example: { ttl_seconds: 600, enabled: true }, description: "What agents get: the values, with the schema's defaults where nothing is set" })
  effective: Record<string, unknown>;

  @ApiProperty({ example: 2, description: '0 while the profile has set nothing (ETag "v0")' })
  version: number;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-25T12:00:00.000Z' })
  updated_at: string | null;
}

/** A custom domain's values as a profile detail (and so each audit snapshot) carries them. */
export class StoredDomainValuesDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { ttl_seconds: 600 } })
  values: Record<string, unknown>;

  @ApiProperty(INHERITED_KEYS)
  inherited: string[];

  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' })
  updated_at: string;
}
