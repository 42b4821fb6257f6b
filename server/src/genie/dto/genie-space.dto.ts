import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, Matches } from 'class-validator';
import { TextField, Optional } from '../../common/validation/fields.js';

/** Databricks Genie space ids are 32 hexadecimal characters. */
export const GENIE_SPACE_ID = /^[0-9a-f]{32}$/;

export class GenieSpaceIdDto {
  @TextField({ description: 'Databricks Genie space id (32 hexadecimal characters)', example: '01effebcc2781b6bbb749077a55d31e3', maxLength: 255 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Matches(GENIE_SPACE_ID, { message: 'space_id must be 32 hexadecimal characters, as Databricks shows it in the space URL' })
  space_id: string;
}

export class CreateGenieSpaceDto extends GenieSpaceIdDto {
  @TextField({ description: 'Name shown to operators', example: 'Databricks Usage Analytics', maxLength: 255 })
  space_name: string;

  @TextField({ description: 'What the space holds', example: 'Databricks usage data space', maxLength: 2000, optional: true, nullable: true, line: false })
  description?: string | null;

  @ApiPropertyOptional({ description: 'Make it the default space of its profile', example: false, default: false })
  @Optional()
  @IsBoolean({ message: 'is_default must be true or false' })
  is_default?: boolean;
}

export class UpdateGenieSpaceDto {
  @TextField({ description: 'Name shown to operators', example: 'Usage analytics', maxLength: 255, optional: true })
  space_name?: string;

  @TextField({ description: 'What the space holds', example: 'Databricks usage data space', maxLength: 2000, optional: true, nullable: true, line: false })
  description?: string | null;
}

export class GenieSpaceDto {
  @ApiProperty({ example: 7, description: 'Row id, used in the /genie/{id} routes' })
  id: number;

  @ApiProperty({ example: 1 })
  profile_id: number;

  @ApiProperty({ example: '01effebcc2781b6bbb749077a55d31e3' })
  space_id: string;

  @ApiProperty({ example: 'Databricks Usage Analytics' })
  space_name: string;

  @ApiProperty({ example: 'Databricks usage data space', nullable: true, type: String })
  description: string | null;

  @ApiProperty({ example: true })
  is_default: boolean;

  @ApiProperty({ example: false, description: "A copy of the parent profile's space of the same space_id, following it; editing it makes it this profile's own" })
  inherited: boolean;

  @ApiProperty({ example: false, description: "This default is the parent's default space and moves when the parent's default does (false: this profile's own choice)" })
  default_inherited: boolean;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  updated_at: string;
}

export class GenieValidationDto {
  @ApiProperty({ example: '01effebcc2781b6bbb749077a55d31e3' })
  space_id: string;

  @ApiProperty({ example: true, description: 'Databricks knows the space and the configured token can read it' })
  reachable: boolean;

  @ApiPropertyOptional({ example: 'Databricks Usage Analytics', description: "The space's title in Databricks" })
  title?: string;

  @ApiProperty({ example: 'Genie space "Databricks Usage Analytics" is reachable.' })
  message: string;
}
