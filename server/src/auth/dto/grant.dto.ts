import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { GRANT_ROLES, type GrantRole } from '../../common/http/access.js';
import { IntegerField, TextField } from '../../common/validation/fields.js';

/** Exactly one of token_id and user names who is granted the role. */
export class PutGrantDto {
  @IntegerField({ description: 'The API token granted the role (its id); or give `user`', example: 4, min: 1, max: 2_147_483_647, optional: true })
  token_id?: number;

  @TextField({ description: 'The proxy user (SSO e-mail) granted the role; or give `token_id`', example: 'alice@example.com', maxLength: 254, optional: true })
  @Matches(/^[^@\s]{1,64}@[^@\s]{1,189}$/, { message: 'user must be an e-mail address' })
  user?: string;

  @ApiProperty({ enum: GRANT_ROLES, description: 'editor: may change this profile; viewer: may only read it, whatever the global role (admins excepted)', example: 'editor' })
  @IsIn(GRANT_ROLES, { message: `role must be one of ${GRANT_ROLES.join(', ')}` })
  role: GrantRole;
}

export class GrantDto {
  @ApiProperty({ example: 7 })
  id: number;

  @ApiProperty({ example: 2 })
  profile_id: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 4 })
  token_id: number | null;

  @ApiProperty({ type: String, nullable: true, description: "The token's name", example: 'team-a-ci' })
  token_name: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  user: string | null;

  @ApiProperty({ enum: GRANT_ROLES, example: 'editor' })
  role: GrantRole;

  @ApiProperty({ example: 'environment-admin' })
  granted_by: string;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' })
  granted_at: string;
}

/** A role the caller holds on one profile. */
export class HeldGrantDto {
  @ApiProperty({ example: 2 })
  profile_id: number;

  @ApiProperty({ example: 'Team A' })
  profile_name: string;

  @ApiProperty({ enum: GRANT_ROLES, example: 'editor' })
  role: GrantRole;
}
