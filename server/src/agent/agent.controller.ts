import { Body, Controller, Delete, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProfileScoped } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiSessionId, SessionId } from '../common/http/id-param.js';
import { setPageHeaders } from '../common/http/paging.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { AgentRuntime } from './agent-runtime.service.js';
import { AgentReplyDto, AgentSessionDto, AgentSessionSummaryDto, ListSessionsQueryDto, SendMessageDto, StartSessionDto } from './dto/agent.dto.js';

@ApiTags('agent')
@Controller('api/agent/sessions')
export class AgentController {
  constructor(private readonly runtime: AgentRuntime) {}

  @Post()
  @ProfileScoped({ body: 'profile_id' })
  @ApiOperation({ summary: 'Start a session on a profile (the default one when none is given)' })
  @ApiCreatedResponse({ type: AgentSessionDto })
  @ApiProblems(400, 404, 422)
  startAgentSession(@Body() body: StartSessionDto, @Actor() actor: string): Promise<AgentSessionDto> {
    return this.runtime.start(body.profile_id ?? undefined, actor, body.pin ?? false);
  }

  @Get()
  @ApiOperation({ summary: 'Sessions, most recently seen first, each with its profile, whether it is live and its number of turns (the total in X-Total-Count, pages in Link)' })
  @ApiOkResponse({ type: [AgentSessionSummaryDto], headers: { 'X-Total-Count': { schema: { type: 'integer' } }, Link: { schema: { type: 'string' } } } })
  @ApiProblems(400)
  async listAgentSessions(@Query() query: ListSessionsQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<AgentSessionSummaryDto[]> {
    const limit = query.limit ?? 100;
    const { items, total } = await this.runtime.list({ profileId: query.profile_id, limit, offset: query.offset ?? 0 });
    setPageHeaders(request, reply, { total, limit, offset: query.offset ?? 0 });
    return items;
  }

  @Get(':session_id')
  @ApiOperation({ summary: 'A session, its profile and its conversation' })
  @ApiSessionId()
  @ApiOkResponse({ type: AgentSessionDto })
  @ApiProblems(400, 404)
  getAgentSession(@SessionId() sessionId: string): Promise<AgentSessionDto> {
    return this.runtime.describe(sessionId);
  }

  @Post(':session_id/messages')
  @HttpCode(200)
  @ApiOperation({
    summary: "Ask the session's agent: prompts rendered from its profile's current configuration, every earlier turn sent along",
  })
  @ApiSessionId()
  @ApiOkResponse({ type: AgentReplyDto })
  @ApiProblems(400, 404, 409, 422, 502, 503, 504)
  sendAgentMessage(@SessionId() sessionId: string, @Body() body: SendMessageDto): Promise<AgentReplyDto> {
    return this.runtime.send(sessionId, body);
  }

  @Delete(':session_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'End a session and forget its conversation' })
  @ApiSessionId()
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiProblems(400, 404)
  async endAgentSession(@SessionId() sessionId: string): Promise<void> {
    await this.runtime.end(sessionId);
  }
}
