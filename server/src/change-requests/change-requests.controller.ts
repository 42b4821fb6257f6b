import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProfileScoped } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { ChangeRequestsService } from './change-requests.service.js';
import { ChangeRequestDto, CreateChangeRequestDto, DecideChangeRequestDto, ListChangeRequestsQueryDto } from './dto/change-request.dto.js';

@ApiTags('change-requests')
@Controller('api/config/change-requests')
export class ChangeRequestsController {
  constructor(private readonly changeRequests: ChangeRequestsService) {}

  @Get()
  @ApiOperation({ summary: 'Change requests, newest first (at most 200), by state and profile' })
  @ApiOkResponse({ type: [ChangeRequestDto] })
  @ApiProblems(400)
  listChangeRequests(@Query() query: ListChangeRequestsQueryDto): Promise<ChangeRequestDto[]> {
    return this.changeRequests.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One change request, with its diff and decision' })
  @ApiIdParam('id', 'Change request id')
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiProblems(400, 404)
  getChangeRequest(@IdParam('id') id: number): Promise<ChangeRequestDto> {
    return this.changeRequests.get(id);
  }

  @Post()
  @ProfileScoped({ body: 'profile_id' })
  @ApiOperation({
    summary: 'Propose values for a profile; another editor approves or rejects them',
    description: 'Only the fields that differ from the profile are kept, with the versions they were read at. Editors writing to a profile that requires approval get one made for them (202 from the PUT).',
  })
  @ApiCreatedResponse({ type: ChangeRequestDto })
  @ApiProblems(400, 404, 422)
  async createChangeRequest(@Body() request: CreateChangeRequestDto, @Actor() actor: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ChangeRequestDto> {
    const created = await this.changeRequests.propose(request.profile_id, request.values, request.message, actor, { versions: request.base_versions });
    reply.header('location', `/api/config/change-requests/${created.change_request_id}`);
    return created;
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ProfileScoped('service')
  @ApiOperation({
    summary: "Approve a change request: its values are applied as its author's change, in the same transaction",
    description: '403 for the author (another editor decides), 409 once decided, 412 when a domain it changes moved since it was made.',
  })
  @ApiIdParam('id', 'Change request id')
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiProblems(400, 403, 404, 409, 412, 422)
  approveChangeRequest(@IdParam('id') id: number, @Body() body: DecideChangeRequestDto, @Actor() actor: string): Promise<ChangeRequestDto> {
    return this.changeRequests.approve(id, body.comment, actor);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ProfileScoped('service')
  @ApiOperation({ summary: 'Reject a change request, saying why (comment); the profile is left as it is' })
  @ApiIdParam('id', 'Change request id')
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiProblems(400, 403, 404, 409, 422)
  rejectChangeRequest(@IdParam('id') id: number, @Body() body: DecideChangeRequestDto, @Actor() actor: string): Promise<ChangeRequestDto> {
    return this.changeRequests.reject(id, body.comment, actor);
  }
}
