import { Readable } from 'node:stream';
import { Controller, Get, HttpCode, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../common/errors/domain-errors.js';
import { RequiresRole } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { BACKUP_MEDIA_TYPE } from './backup-format.js';
import { BackupService, RESTORE_MAX_BYTES } from './backup.service.js';
import { RestoreQueryDto, RestoreReportDto } from './dto/restore.dto.js';

@ApiTags('admin')
@Controller('api/admin')
export class BackupController {
  constructor(private readonly backups: BackupService) {}

  @Get('backup')
  @RequiresRole('admin')
  @ApiOperation({
    summary:
      'Everything (profiles with every domain, registered domains, prompt registry, sessions, token metadata, the whole history) as one checksummed gzip of JSON lines, streamed from one consistent snapshot',
  })
  @ApiProduces(BACKUP_MEDIA_TYPE)
  @ApiOkResponse({ description: 'The backup file (switchboard-backup-<time>.jsonl.gz)', schema: { type: 'string', format: 'binary' } })
  @ApiProblems(401, 403)
  backup(): StreamableFile {
    const name = `switchboard-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl.gz`;
    return new StreamableFile(this.backups.backup(), { type: BACKUP_MEDIA_TYPE, disposition: `attachment; filename="${name}"` });
  }

  @Post('restore')
  @HttpCode(200)
  @RequiresRole('admin')
  @ApiOperation({
    summary: `Replace the database with a backup, exactly (ids, versions, history), in one transaction; a database that is not empty needs ?force=true (at most ${RESTORE_MAX_BYTES / 1024 / 1024} MiB)`,
  })
  @ApiConsumes(BACKUP_MEDIA_TYPE)
  @ApiBody({ description: 'A file GET /api/admin/backup or switchboard backup wrote', schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: RestoreReportDto })
  @ApiProblems(400, 401, 403, 409, 413, 415, 422, 503)
  restore(@Req() request: FastifyRequest, @Query() query: RestoreQueryDto, @Actor() actor: string): Promise<RestoreReportDto> {
    if (!(request.body instanceof Readable)) throw new UnsupportedMediaTypeError(`Send the backup file as the body, with Content-Type: ${BACKUP_MEDIA_TYPE}.`);
    return this.backups.restore(request.body, { force: query.force ?? false, dryRun: query.dry_run ?? false }, actor);
  }
}
