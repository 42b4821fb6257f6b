import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { ConfigHistoryEntryDto, HistoryQueryDto } from './dto/history.dto.js';
import { HistoryService } from './history.service.js';

const LINK_DOC = { Link: { description: '<…?cursor=…>; rel="next" while more entries follow', schema: { type: 'string' } } };

@ApiTags('history')
@Controller('api/config/history')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

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
}

function withNextLink<T>(request: FastifyRequest, reply: FastifyReply, entries: T[], next: string | undefined): T[] {
  if (next) {
    const url = new URL(request.url, 'http://relative');
    url.searchParams.set('cursor', next);
    reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  return entries;
}
