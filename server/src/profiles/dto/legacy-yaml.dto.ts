import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { Optional, TextField } from '../../common/validation/fields.js';
import { PROFILE_NAME_FIELD } from './profile-requests.dto.js';
import { ProfileDetailDto } from './profile-responses.dto.js';

const YAML_FILE = { maxLength: 1_000_000, line: false, optional: true } as const;

export class ImportLegacyYamlDto {
  @TextField({ ...YAML_FILE, description: 'config.yaml: {llm: {endpoint, temperature, max_tokens}, genie: {default_space_id, description}}', example: 'llm:\n  endpoint: databricks-claude-sonnet-4-5\n  temperature: 0.3\n' })
  config_yaml?: string;

  @TextField({ ...YAML_FILE, description: 'mlflow.yaml: {tracking: {experiment_name}}', example: 'tracking:\n  experiment_name: /Shared/slides\n' })
  mlflow_yaml?: string;

  @TextField({ ...YAML_FILE, description: 'prompts.yaml: {system_prompt, slide_editing_instructions, user_prompt_template}', example: 'system_prompt: You build slides.\n' })
  prompts_yaml?: string;

  @TextField({ ...PROFILE_NAME_FIELD, description: 'The new profile\'s name (default "migrated_from_yaml")', example: 'migrated_from_yaml', optional: true })
  name?: string;

  @ApiPropertyOptional({ description: 'Make the new profile the default one', default: false })
  @Optional()
  @IsBoolean({ message: 'set_default must be true or false' })
  set_default?: boolean;

  @ApiPropertyOptional({ description: 'Check everything and write nothing', default: false })
  @Optional()
  @IsBoolean({ message: 'dry_run must be true or false' })
  dry_run?: boolean;
}

export class LegacyYamlWarningDto {
  @ApiProperty({ example: 'config.yaml:llm.top_p', description: 'The file and the key path' })
  field: string;

  @ApiProperty({ example: 'not a setting Switchboard knows: left out' })
  message: string;
}

export class LegacyYamlImportDto {
  @ApiProperty({ type: ProfileDetailDto, nullable: true, description: 'The profile created; null for a dry run' })
  profile: ProfileDetailDto | null;

  @ApiProperty({ example: false })
  dry_run: boolean;

  @ApiProperty({ type: [LegacyYamlWarningDto], description: 'Keys left out, and settings that took the built-in default' })
  warnings: LegacyYamlWarningDto[];
}
