import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '../common/http/actor.decorator.js';
import { BodyLimit } from '../common/http/body-limit.js';
import { versionEtag } from '../common/http/etag.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { ImportProfileQueryDto, ProfileExportDto } from './dto/profile-document.dto.js';
import { ProfileDetailDto } from './dto/profile-responses.dto.js';
import { PROFILE_DOCUMENT_MAX_BYTES } from './profile-document.js';
import { ProfileDocumentsService } from './profile-documents.service.js';

@ApiTags('profiles')
@Controller('api/config/profiles')
export class ProfileDocumentsController {
  constructor(private readonly documents: ProfileDocumentsService) {}

  @Get(':id/export')
  @ApiOperation({ summary: 'A profile as a versioned JSON document: every domain and Genie space; no ids, versions, timestamps or secrets' })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: ProfileExportDto })
  @ApiProblems(400, 404)
  exportProfile(@IdParam('id') id: number): Promise<ProfileExportDto> {
    return this.documents.export(id);
  }

  @Post('import')
  @BodyLimit(PROFILE_DOCUMENT_MAX_BYTES)
  @ApiOperation({
    summary: `Create a profile from an exported document, validated like every write (at most ${PROFILE_DOCUMENT_MAX_BYTES / 1024 / 1024} MiB); a taken name is a 409 unless ?name= gives another`,
  })
  @ApiCreatedResponse({ type: ProfileDetailDto })
  @ApiProblems(400, 409, 413, 422)
  async importProfile(
    @Body() document: ProfileExportDto,
    @Query() query: ImportProfileQueryDto,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileDetailDto> {
    const profile = await this.documents.import(document, query.name, actor);
    reply.header('location', `/api/config/profiles/${profile.id}`).header('etag', versionEtag(profile.version));
    return profile;
  }
}
