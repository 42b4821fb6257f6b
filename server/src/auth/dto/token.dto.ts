import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { type Role, ROLES } from '../../common/http/access.js';
import { TextField } from '../../common/validation/fields.js';
import { HeldGrantDto } from './grant.dto.js';

export class CreateApiTokenDto {
  @TextField({ description: 'Who or what uses the token; recorded as changed_by in the history', example: 'ci-deployer', maxLength: 100 })
  name: string;

  @ApiProperty({ enum: ROLES, description: 'viewer reads; agent reads too, and gets secrets in resolved configurations; editor also changes configuration; admin also manages domains and tokens', example: 'editor' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;
}

export class ApiTokenDto {
  @ApiProperty({ example: 3 })
  id: number;

  @ApiProperty({ example: 'ci-deployer' })
  name: string;

  @ApiProperty({ enum: ROLES, example: 'editor' })
  role: Role;

  @ApiProperty({ description: 'The first characters of the secret, to tell tokens apart', example: 'sb_Xk3v9Q' })
  token_prefix: string;

  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' })
  created_at: string;

  @ApiProperty({ type: String, nullable: true, example: 'environment-admin' })
  created_by: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Updated at most once a minute', example: '2026-11-23T11:00:00.000Z' })
  last_used_at: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  revoked_at: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  revoked_by: string | null;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The secret. Shown only in this response: store it now.', example: 'sb_Xk3v9Q…' })
  token: string;
}

export class PrincipalDto {
  @ApiProperty({ description: 'Recorded as created_by / updated_by / changed_by', example: 'alice@example.com' })
  name: string;

  @ApiProperty({ enum: ROLES, example: 'editor' })
  role: Role;

  @ApiProperty({ enum: ['token', 'environment', 'proxy'], description: 'How the caller was authenticated', example: 'token' })
  via: 'token' | 'environment' | 'proxy';

  @ApiProperty({
    type: [HeldGrantDto],
    description: 'Roles held on single profiles, in place of the global role there (admins keep theirs everywhere)',
  })
  grants: HeldGrantDto[];
}
