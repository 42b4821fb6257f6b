import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { BadRequestError } from '../common/errors/domain-errors.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { AgentRuntime } from './agent-runtime.service.js';
import { AgentReplyDto, AgentSessionDto, SendMessageDto, StartSessionDto } from './dto/agent.dto.js';

const SessionId = () =>
  Param('session_id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestError('session_id must be a UUID.') }));
const ApiSessionId = () => ApiParam({ name: 'session_id', format: 'uuid', description: 'Agent session' });

@ApiTags('agent')
@Controller('api/agent/sessions')
export class AgentController {
  constructor(private readonly runtime: AgentRuntime) {}

  @Post()
  @ApiOperation({ summary: 'Start a session on a profile (the default one when none is given)' })
  @ApiCreatedResponse({ type: AgentSessionDto })
  @ApiProblems(400, 404, 422)
  startAgentSession(@Body() body: StartSessionDto, @Actor() actor: string): Promise<AgentSessionDto> {
    return this.runtime.start(body.profile_id ?? undefined, actor);
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
