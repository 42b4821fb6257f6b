import { ApiProperty } from '@nestjs/swagger';
import { QueryFlagField } from '../../common/validation/fields.js';

export class RestoreQueryDto {
  @QueryFlagField({ description: 'Replace what the database holds; without it, a database that is not empty is refused (409)' })
  force?: boolean;

  @QueryFlagField({ description: 'Read and check the whole backup and whether it would be accepted; change nothing' })
  dry_run?: boolean;
}

class RestoredBackupDto {
  @ApiProperty({ example: 'HistoryItem1796600000000', description: 'The newest migration of the database it was made from' })
  schema!: string;

  @ApiProperty({ example: '2026-11-26T02:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ example: '0.1.0' })
  switchboard_version!: string;
}

export class RestoreReportDto {
  @ApiProperty({ example: false })
  dry_run!: boolean;

  @ApiProperty({ example: true, description: 'Whether the database held something, which the restore replaced (force)' })
  replaced_existing!: boolean;

  @ApiProperty({ type: RestoredBackupDto })
  backup!: RestoredBackupDto;

  @ApiProperty({ example: { config_profiles: 3, config_history: 120 }, description: 'Rows restored per table', type: 'object', additionalProperties: { type: 'integer' } })
  tables!: Record<string, number>;

  @ApiProperty({ example: 240, description: 'Rows restored in all' })
  rows!: number;

  @ApiProperty({ example: 0, description: 'Schedules the backup held as pending whose time had passed: marked failed (last_error says why), not run late (a dry run does not look: 0)' })
  missed_schedules!: number;

  @ApiProperty({ example: 180 })
  duration_ms!: number;
}
