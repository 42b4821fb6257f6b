import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { DOMAIN_NAME } from '../../domains/dto/domain.dto.js';
import type { ConfigDomain } from '../../common/events/config-events.js';
import { TextField, Optional } from '../../common/validation/fields.js';
import { PROFILE_NAME_FIELD } from '../../profiles/dto/profile-requests.dto.js';
import { DOMAINS } from './history.dto.js';

export class RestoreHistoryEntryDto {
  @ApiPropertyOptional({
    description: `Restore only this domain: ${DOMAINS.join(', ')} or a registered domain's name (default: the whole profile: name, description and every domain)`,
    example: 'ai_infra',
  })
  @Optional()
  @IsString({ message: 'domain must be a string' })
  @Matches(DOMAIN_NAME, { message: `domain must be one of ${DOMAINS.join(', ')} or a registered domain's name` })
  domain?: ConfigDomain;

  @TextField({
    ...PROFILE_NAME_FIELD,
    description: 'Only when the entry\'s profile was deleted: the name to recreate it under (default: its old name, or "<name> (restored)" when that is taken)',
    example: 'Production (before the incident)',
    optional: true,
  })
  name?: string;
}
