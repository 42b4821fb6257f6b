import { Body, Controller, Delete, Get, HttpCode, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequiresRole } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { GrantDto, PutGrantDto } from './dto/grant.dto.js';
import { ProfileGrantsService } from './profile-grants.service.js';

/** Roles held on one profile by tokens and proxy users, besides their global roles: admins manage them. */
@ApiTags('auth')
@Controller('api/config/profiles/:id/grants')
export class ProfileGrantsController {
  constructor(private readonly grants: ProfileGrantsService) {}

  @Get()
  @RequiresRole('admin')
  @ApiOperation({ summary: "Who holds a role on this profile in place of their global role" })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: [GrantDto] })
  @ApiProblems(400, 404)
  listProfileGrants(@IdParam('id') id: number): Promise<GrantDto[]> {
    return this.grants.list(id);
  }

  @Put()
  @RequiresRole('admin')
  @ApiOperation({
    summary: 'Grant a token or a proxy user a role on this profile, or change the one granted; audited',
    description:
      'editor lets a global viewer change this profile only; viewer makes it read-only to a global editor. Every instance applies it from the next request on.',
  })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: GrantDto, description: 'Changed, or already so' })
  @ApiCreatedResponse({ type: GrantDto, description: 'Granted' })
  @ApiProblems(400, 404, 422)
  async putProfileGrant(@IdParam('id') id: number, @Body() request: PutGrantDto, @Actor() actor: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<GrantDto> {
    const { grant, created } = await this.grants.put(id, request, actor);
    reply.status(created ? 201 : 200);
    return grant;
  }

  @Delete(':grant_id')
  @HttpCode(204)
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Revoke a grant: the principal is back to its global role on this profile; audited' })
  @ApiIdParam('id', 'Profile id')
  @ApiIdParam('grant_id', 'Grant id')
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems(400, 404)
  async revokeProfileGrant(@IdParam('id') id: number, @IdParam('grant_id') grantId: number, @Actor() actor: string): Promise<void> {
    await this.grants.revoke(id, grantId, actor);
  }
}
