import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { ConfigDomain } from '../../common/events/config-events.js';
import { TextField, Optional } from '../../common/validation/fields.js';
import { PROFILE_NAME_FIELD } from '../../profiles/dto/profile-requests.dto.js';
import { DOMAINS } from './history.dto.js';

export class RestoreHistoryEntryDto {
  @ApiPropertyOptional({ enum: DOMAINS, description: 'Restore only this domain (default: the whole profile: name, description and every domain)' })
  @Optional()
  @IsIn(DOMAINS, { message: `domain must be one of ${DOMAINS.join(', ')}` })
  domain?: ConfigDomain;

  @TextField({
    ...PROFILE_NAME_FIELD,
    description: 'Only when the entry\'s profile was deleted: the name to recreate it under (default: its old name, or "<name> (restored)" when that is taken)',
    example: 'Production (before the incident)',
    optional: true,
  })
  name?: string;
}
