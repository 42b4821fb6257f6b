import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProfileScoped } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { versionEtag } from '../common/http/etag.js';
import { ApiIdParam, HistoryIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { ProfileDetailDto } from '../profiles/dto/profile-responses.dto.js';
import { ConfigHistoryEntryDto, HistoryQueryDto } from './dto/history.dto.js';
import { RestoreHistoryEntryDto } from './dto/restore.dto.js';
import { HistoryService } from './history.service.js';
import { ProposesChanges } from '../common/http/proposals.js';
import { HistoryRestoreService } from './restore.service.js';

const LINK_DOC = { Link: { description: '<…?cursor=…>; rel="next" while more entries follow', schema: { type: 'string' } } };

@ApiTags('history')
@Controller('api/config/history')
export class HistoryController {
  constructor(
    private readonly history: HistoryService,
    private readonly restorer: HistoryRestoreService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Audit entries of every profile, newest first (JSON array; next page in Link)' })
  @ApiOkResponse({ type: [ConfigHistoryEntryDto], headers: LINK_DOC })
  @ApiProblems(400, 422)
  async listHistory(@Query() query: HistoryQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<ConfigHistoryEntryDto[]> {
    const { entries, next } = await this.history.list(query);
    return withNextLink(request, reply, entries, next);
  }

  @Get(':profile_id')
  @ApiOperation({ summary: "One profile's audit entries, newest first, also after the profile was deleted" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiOkResponse({ type: [ConfigHistoryEntryDto], headers: LINK_DOC })
  @ApiProblems(400, 404, 422)
  async listProfileHistory(
    @IdParam('profile_id') profileId: number,
    @Query() query: HistoryQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConfigHistoryEntryDto[]> {
    const { entries, next } = await this.history.list(query, profileId);
    return withNextLink(request, reply, entries, next);
  }

  @Post('entries/:entry_id/restore')
  @ProfileScoped('service')
  @ProposesChanges()
  @ApiOperation({
    summary: "Put a profile, or one domain, back to a history entry's snapshot (checked like any write, audited as restore); an entry of a deleted profile recreates it (201); an entry of the prompt registry puts its prompt back as the entry left it (a deleted one is recreated with every version and label)",
  })
  @ApiIdParam('entry_id', 'History entry id')
  @ApiBody({ type: RestoreHistoryEntryDto, required: false })
  @ApiOkResponse({ type: ProfileDetailDto, description: 'The profile, restored' })
  @ApiCreatedResponse({ type: ProfileDetailDto, description: 'The deleted profile, recreated (Location: its URL)' })
  @ApiProblems(400, 404, 409, 422)
  async restoreHistoryEntry(
    @HistoryIdParam('entry_id') entryId: number,
    @Body() body: RestoreHistoryEntryDto = {},
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileDetailDto> {
    // The status (200 or 201) depends on the outcome; passthrough, so that a proposal (202) can answer instead.
    const { profile, recreated } = await this.restorer.restore(entryId, body ?? {}, actor);
    if (recreated) reply.header('location', `/api/config/profiles/${profile.id}`);
    reply.status(recreated ? 201 : 200).header('etag', versionEtag(profile.version));
    return profile;
  }
}

function withNextLink<T>(request: FastifyRequest, reply: FastifyReply, entries: T[], next: string | undefined): T[] {
  if (next) {
    const url = new URL(request.url, 'http://relative');
    url.searchParams.set('cursor', next);
    reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  return entries;
}
