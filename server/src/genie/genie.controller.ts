import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '../common/http/actor.decorator.js';
import { expectedVersion, versionEtag } from '../common/http/etag.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { CreateGenieSpaceDto, GenieSpaceDto, GenieSpaceIdDto, GenieValidationDto, UpdateGenieSpaceDto } from './dto/genie-space.dto.js';
import { GenieService } from './genie.service.js';
import { ProfileScoped, RequiresRole } from '../common/http/access.js';
import { ProposesChanges } from '../common/http/proposals.js';

@ApiTags('genie')
@Controller('api/config/genie')
export class GenieController {
  constructor(private readonly genie: GenieService) {}

  @Post('validate')
  @RequiresRole('viewer') // changes nothing: readers may check values too
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask Databricks whether a Genie space is reachable with the configured token' })
  @ApiOkResponse({ type: GenieValidationDto })
  @ApiProblems(400, 422, 502, 503, 504)
  validateGenieSpace(@Body() body: GenieSpaceIdDto): Promise<GenieValidationDto> {
    return this.genie.validate(body.space_id);
  }

  @Get(':profile_id')
  @ApiOperation({ summary: "A profile's Genie spaces, the default first" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiOkResponse({ type: [GenieSpaceDto] })
  @ApiProblems(400, 404)
  listGenieSpaces(@IdParam('profile_id') profileId: number): Promise<GenieSpaceDto[]> {
    return this.genie.list(profileId);
  }

  @Get(':profile_id/default')
  @ApiOperation({ summary: "A profile's default Genie space" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiOkResponse({ type: GenieSpaceDto })
  @ApiProblems(400, 404)
  getDefaultGenieSpace(@IdParam('profile_id') profileId: number): Promise<GenieSpaceDto> {
    return this.genie.getDefault(profileId);
  }

  @Post(':profile_id')
  @ProfileScoped({ param: 'profile_id' })
  @ProposesChanges()
  @ApiOperation({ summary: 'Add a Genie space to a profile (its first space becomes the default)' })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiCreatedResponse({ type: GenieSpaceDto })
  @ApiProblems(400, 404, 409, 422)
  async addGenieSpace(
    @IdParam('profile_id') profileId: number,
    @Body() space: CreateGenieSpaceDto,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GenieSpaceDto> {
    const created = await this.genie.add(profileId, space, actor);
    reply.header('location', `/api/config/genie/${created.id}`).header('etag', versionEtag(created.version));
    return created;
  }

  @Put(':id')
  @ProfileScoped('service')
  @ProposesChanges()
  @ApiOperation({ summary: "Rename or describe a Genie space (by its row id)" })
  @ApiIdParam('id', 'Genie space row id (the `id` field)')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from the last read, e.g. "v3"' })
  @ApiOkResponse({ type: GenieSpaceDto })
  @ApiProblems(400, 404, 412, 422)
  async updateGenieSpace(
    @IdParam('id') id: number,
    @Body() update: UpdateGenieSpaceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GenieSpaceDto> {
    const space = await this.genie.update(id, update, actor, expectedVersion(ifMatch));
    reply.header('etag', versionEtag(space.version));
    return space;
  }

  @Delete(':id')
  @ProfileScoped('service')
  @ProposesChanges()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a Genie space (not the default while the profile has others)' })
  @ApiIdParam('id', 'Genie space row id (the `id` field)')
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 404, 409)
  async deleteGenieSpace(@IdParam('id') id: number, @Actor() actor: string): Promise<void> {
    await this.genie.remove(id, actor);
  }

  @Post(':id/set-default')
  @ProfileScoped('service')
  @ProposesChanges()
  @HttpCode(200)
  @ApiOperation({ summary: "Make a Genie space its profile's default (the previous default is demoted)" })
  @ApiIdParam('id', 'Genie space row id (the `id` field)')
  @ApiOkResponse({ type: GenieSpaceDto })
  @ApiProblems(400, 404)
  setDefaultGenieSpace(@IdParam('id') id: number, @Actor() actor: string): Promise<GenieSpaceDto> {
    return this.genie.setDefault(id, actor);
  }
}
