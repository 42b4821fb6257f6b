import { ApiProperty } from '@nestjs/swagger';
import { TextField } from '../../common/validation/fields.js';
import { Nested, ProfileDocumentDto } from '../../profiles/dto/profile-document.dto.js';
import { PROFILE_DESCRIPTION_FIELD } from '../../profiles/dto/profile-requests.dto.js';

const PRESET_NAME = { description: 'Unique name among presets (any case), shipped ones included', example: 'Log analysis — strict', maxLength: 100 } as const;

export class SavePresetDto {
  @TextField(PRESET_NAME)
  name: string;

  @TextField({ ...PROFILE_DESCRIPTION_FIELD, optional: true, nullable: true })
  description?: string | null;

  @Nested(ProfileDocumentDto, "The profile's values (an export's `profile`): what profiles created from the preset start with")
  document: ProfileDocumentDto;
}

export class PresetDto {
  @ApiProperty({ example: 'Low-temperature analysis' })
  name: string;

  @ApiProperty({ example: 'Predictable answers for analysis.', nullable: true, type: String })
  description: string | null;

  @ApiProperty({ example: true, description: 'Shipped with Switchboard (read-only); false: saved by an admin' })
  built_in: boolean;

  @ApiProperty({ example: 'alice', nullable: true, type: String, description: 'Who saved it; null for shipped ones' })
  created_by: string | null;

  @ApiProperty({ example: '2026-11-26T12:00:00.000Z', nullable: true, type: String })
  created_at: string | null;

  @ApiProperty({ type: ProfileDocumentDto })
  document: ProfileDocumentDto;
}
