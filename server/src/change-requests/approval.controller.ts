import { Controller, Delete, Get, HttpCode, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequiresRole } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { ChangeRequestsService } from './change-requests.service.js';
import { ApprovalRuleDto } from './dto/change-request.dto.js';

/** Whether a profile requires approval: admins decide, since an editor could otherwise switch it off. */
@ApiTags('change-requests')
@Controller('api/config/profiles/:id/approval')
export class ApprovalController {
  constructor(private readonly changeRequests: ChangeRequestsService) {}

  @Get()
  @ApiOperation({ summary: 'Whether changes editors make to this profile become change requests' })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: ApprovalRuleDto })
  @ApiProblems(400, 404)
  getApprovalRule(@IdParam('id') id: number): Promise<ApprovalRuleDto> {
    return this.changeRequests.rule(id);
  }

  @Put()
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Require approval for changes to this profile (admins still change it directly); audited' })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: ApprovalRuleDto, description: 'Already required' })
  @ApiCreatedResponse({ type: ApprovalRuleDto, description: 'Now required' })
  @ApiProblems(400, 404)
  async requireApproval(@IdParam('id') id: number, @Actor() actor: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ApprovalRuleDto> {
    const { rule, changed } = await this.changeRequests.setRule(id, true, actor);
    reply.status(changed ? 201 : 200);
    return rule;
  }

  @Delete()
  @HttpCode(200)
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Stop requiring approval; open change requests stay open; audited' })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: ApprovalRuleDto })
  @ApiProblems(400, 404)
  async dropApproval(@IdParam('id') id: number, @Actor() actor: string): Promise<ApprovalRuleDto> {
    return (await this.changeRequests.setRule(id, false, actor)).rule;
  }
}
