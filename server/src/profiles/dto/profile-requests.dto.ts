import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { QueryIntegerField, TextField, Optional } from '../../common/validation/fields.js';

export const PROFILE_NAME_FIELD = { description: 'Unique name (case-insensitive)', example: 'High Creativity', maxLength: 100 } as const;
export const PROFILE_DESCRIPTION_FIELD = { description: 'What the profile is for', example: 'Higher temperature for brainstorming decks', maxLength: 2000, line: false } as const;

/** A profile to inherit from: a whole number, or null (none). */
function ParentProfileIdField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, example: 1, type: 'integer', nullable: true }),
    Optional({ nullable: true }),
    IsInt({ message: 'parent_profile_id must be a whole number' }),
    Min(1, { message: 'parent_profile_id must be a profile id' }),
  );
}

export class CreateProfileDto {
  @TextField(PROFILE_NAME_FIELD)
  name: string;

  @TextField({ ...PROFILE_DESCRIPTION_FIELD, optional: true, nullable: true })
  description?: string | null;

  @ApiPropertyOptional({ description: 'Copy every domain and Genie space from this profile (otherwise the built-in defaults)', example: 1, type: 'integer', nullable: true })
  @Optional({ nullable: true })
  @IsInt({ message: 'copy_from_profile_id must be a whole number' })
  @Min(1, { message: 'copy_from_profile_id must be a profile id' })
  copy_from_profile_id?: number | null;

  @TextField({ description: 'Start from this preset (GET /api/config/presets) instead; not with copy_from_profile_id', example: 'Low-temperature analysis', maxLength: 100, optional: true })
  preset?: string;

  @ParentProfileIdField(
    "Inherit from this profile: the new profile starts with its values (or those of copy_from_profile_id), and takes every value equal to the parent's from it from then on. Unknown: 404; a chain longer than 5 profiles: 422",
  )
  parent_profile_id?: number | null;
}

export class UpdateProfileDto {
  @TextField({ ...PROFILE_NAME_FIELD, optional: true })
  name?: string;

  @TextField({ ...PROFILE_DESCRIPTION_FIELD, optional: true, nullable: true })
  description?: string | null;

  @ParentProfileIdField(
    "Make the profile a child of this one (its fields equal to the new parent's then inherit; values do not move), move it under another parent (inherited fields take the new parent's values), or detach it with null (it keeps every value as its own). Audited; profiles inheriting from this one follow. Unknown: 404; a cycle or a chain longer than 5 profiles: 422",
  )
  parent_profile_id?: number | null;
}

export class DuplicateProfileDto {
  @TextField({ ...PROFILE_NAME_FIELD, description: 'Name of the copy', example: 'Production (copy)' })
  name: string;
}

export class LoadProfileDto {
  @ApiPropertyOptional({ description: 'Session to point at this profile; omitted or null: a new session is started', example: '6f1c1f7e-8a2b-4c51-9d1e-0d6b7c1a2b3c', type: String, nullable: true })
  @Optional({ nullable: true })
  @IsUUID('all', { message: 'session_id must be a UUID' })
  session_id?: string | null;

  @ApiPropertyOptional({
    description: 'true: the session keeps the profile as it is now (pinned) until it loads again; false (default): it follows every change',
    example: false,
    default: false,
  })
  @Optional()
  @IsBoolean({ message: 'pin must be true or false' })
  pin?: boolean;

  @TextField({
    description: "A new session of a profile in a rollout: the stable key (a user, a tenant) that decides whether it goes to the candidate; default: the new session's id",
    example: 'user-42',
    maxLength: 200,
    optional: true,
  })
  subject?: string;
}

/** What the profile list can be ordered by; a leading `-` reverses it. `default` is the default profile first, then by name. */
export const PROFILE_SORTS = ['name', '-name', 'last_changed_at', '-last_changed_at', 'last_changed_by', '-last_changed_by', 'default'] as const;
export type ProfileSort = (typeof PROFILE_SORTS)[number];

export class ListProfilesQueryDto {
  @TextField({ description: 'Only profiles whose name or description contains this (case-insensitive)', example: 'prod', maxLength: 100, optional: true })
  search?: string;

  @ApiPropertyOptional({ enum: PROFILE_SORTS, default: 'name', description: 'Order: by name, by last change or by who made it (last_changed_at, last_changed_by); a leading - reverses it; default = the default profile first, then by name' })
  @IsOptional()
  @IsIn(PROFILE_SORTS, { message: `sort must be one of ${PROFILE_SORTS.join(', ')}` })
  sort?: ProfileSort;

  @QueryIntegerField({ description: 'Page size', example: 50, default: 100, min: 1, max: 500 })
  limit?: number;

  @QueryIntegerField({ description: 'Profiles to skip', example: 0, default: 0, min: 0 })
  offset?: number;
}
