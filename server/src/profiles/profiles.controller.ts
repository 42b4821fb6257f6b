import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProfileScoped } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { expectedVersion, versionEtag } from '../common/http/etag.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { setPageHeaders } from '../common/http/paging.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { CreateProfileDto, DuplicateProfileDto, ListProfilesQueryDto, LoadProfileDto, UpdateProfileDto } from './dto/profile-requests.dto.js';
import { BulkDeleteProfilesDto, BulkDeleteResultDto } from './dto/bulk-delete.dto.js';
import { LoadedProfileDto, ProfileDetailDto, ProfileListItemDto } from './dto/profile-responses.dto.js';
import { DEFAULT_PAGE_SIZE, ProfilesService } from './profiles.service.js';
import { ProfileDocumentsService } from './profile-documents.service.js';
import { UnprocessableError } from '../common/errors/domain-errors.js';

@ApiTags('profiles')
@Controller('api/config/profiles')
export class ProfilesController {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly documents: ProfileDocumentsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Profiles by name (JSON array; the total in X-Total-Count, pages in Link)' })
  @ApiOkResponse({ type: [ProfileListItemDto], headers: { 'X-Total-Count': { schema: { type: 'integer' } }, Link: { schema: { type: 'string' } } } })
  @ApiProblems(400, 422)
  async listProfiles(@Query() query: ListProfilesQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<ProfileListItemDto[]> {
    const { items, total } = await this.profiles.list(query);
    setPageHeaders(request, reply, { total, limit: query.limit ?? DEFAULT_PAGE_SIZE, offset: query.offset ?? 0 });
    return items;
  }

  @Get('default')
  @ApiOperation({ summary: 'The default profile with every domain' })
  @ApiOkResponse({ type: ProfileDetailDto })
  @ApiProblems(404)
  getDefaultProfile(): Promise<ProfileDetailDto> {
    return this.profiles.getDefault();
  }

  @Get(':id')
  @ApiOperation({ summary: 'A profile with every domain (ETag: the profile row version)' })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: ProfileDetailDto })
  @ApiProblems(400, 404)
  async getProfile(@IdParam('id') id: number, @Res({ passthrough: true }) reply: FastifyReply): Promise<ProfileDetailDto> {
    return withEtag(reply, await this.profiles.get(id));
  }

  @Post()
  @ApiOperation({ summary: 'Create a profile from the built-in defaults, as a copy of copy_from_profile_id, or from a preset' })
  @ApiCreatedResponse({ type: ProfileDetailDto })
  @ApiProblems(400, 409, 413, 422)
  async createProfile(@Body() request: CreateProfileDto, @Actor() actor: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ProfileDetailDto> {
    const { preset } = request;
    if (preset === undefined) return created(reply, await this.profiles.create(request, actor));
    if (request.copy_from_profile_id != null) {
      throw new UnprocessableError('Give copy_from_profile_id or preset, not both.', [{ field: 'preset', message: 'cannot be given with copy_from_profile_id' }]);
    }
    if (request.parent_profile_id != null) {
      throw new UnprocessableError('Give parent_profile_id or preset, not both: create the profile from the preset, then give it its parent (PUT /api/config/profiles/{id}).', [
        { field: 'preset', message: 'cannot be given with parent_profile_id' },
      ]);
    }
    return created(reply, await this.documents.createFromPreset({ ...request, preset }, actor));
  }

  @Put(':id')
  @ProfileScoped({ param: 'id' })
  @ApiOperation({ summary: 'Rename or describe a profile, or give it a parent to inherit from (parent_profile_id; null detaches it)' })
  @ApiIdParam('id', 'Profile id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from the last read, e.g. "v3"' })
  @ApiOkResponse({ type: ProfileDetailDto })
  @ApiProblems(400, 404, 409, 412, 422)
  async updateProfile(
    @IdParam('id') id: number,
    @Body() update: UpdateProfileDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileDetailDto> {
    return withEtag(reply, await this.profiles.update(id, update, actor, expectedVersion(ifMatch)));
  }

  @Delete(':id')
  @ProfileScoped({ param: 'id' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a profile (not the default, nor one a live agent session uses); its history stays' })
  @ApiIdParam('id', 'Profile id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  async deleteProfile(@IdParam('id') id: number, @Actor() actor: string): Promise<void> {
    await this.profiles.remove(id, actor);
  }

  @Post('bulk-delete')
  @ProfileScoped('service')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Delete several profiles, each with the rules of DELETE /api/config/profiles/{id} and in a transaction of its own: one refused (default, in use) or missing does not keep the others; one result per id',
  })
  @ApiOkResponse({ type: BulkDeleteResultDto })
  @ApiProblems(400, 422)
  deleteProfiles(@Body() request: BulkDeleteProfilesDto, @Actor() actor: string): Promise<BulkDeleteResultDto> {
    return this.profiles.removeMany(request.ids, actor);
  }

  @Delete(':id/overrides/:domain/:field')
  @ProfileScoped({ param: 'id' })
  @ApiOperation({
    summary:
      "Reset a field the profile overrides to its parent's value: it is inherited again, and follows the parent from then on (ai_infra, mlflow, prompts by field; a registered domain by top-level key). Audited; profiles inheriting from this one follow",
  })
  @ApiIdParam('id', 'Profile id')
  @ApiParam({ name: 'domain', example: 'ai_infra', description: 'ai_infra, mlflow, prompts, or a registered domain' })
  @ApiParam({ name: 'field', example: 'llm_temperature' })
  @ApiOkResponse({ type: ProfileDetailDto })
  @ApiProblems(400, 404, 409)
  async resetOverride(
    @IdParam('id') id: number,
    @Param('domain') domain: string,
    @Param('field') field: string,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileDetailDto> {
    return withEtag(reply, await this.profiles.resetField(id, domain, field, actor));
  }

  @Post(':id/set-default')
  @ProfileScoped({ param: 'id' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a profile the default (the previous default is demoted)' })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: ProfileDetailDto })
  @ApiProblems(400, 404)
  async setDefaultProfile(@IdParam('id') id: number, @Actor() actor: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ProfileDetailDto> {
    return withEtag(reply, await this.profiles.setDefault(id, actor));
  }

  @Post(':id/duplicate')
  @ApiOperation({ summary: 'Copy a profile, every domain and Genie space, under a new name' })
  @ApiIdParam('id', 'Profile id')
  @ApiCreatedResponse({ type: ProfileDetailDto })
  @ApiProblems(400, 404, 409, 422)
  async duplicateProfile(
    @IdParam('id') id: number,
    @Body() request: DuplicateProfileDto,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileDetailDto> {
    return created(reply, await this.profiles.duplicate(id, request.name, actor));
  }

  @Post(':id/load')
  @ProfileScoped({ param: 'id' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Bind an agent session to this profile (a new session when session_id is omitted), following it or pinned to it as it is now; audited' })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: LoadedProfileDto, headers: { 'X-Session-Id': { schema: { type: 'string', format: 'uuid' } } } })
  @ApiProblems(400, 404)
  async loadProfile(
    @IdParam('id') id: number,
    @Body() request: LoadProfileDto = {},
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoadedProfileDto> {
    const loaded = await this.profiles.load(id, request?.session_id ?? undefined, actor, request?.pin ?? false, request?.subject);
    reply.header('x-session-id', loaded.session_id);
    return loaded;
  }
}

function withEtag<T extends { version: number }>(reply: FastifyReply, profile: T): T {
  reply.header('etag', versionEtag(profile.version));
  return profile;
}

function created(reply: FastifyReply, profile: ProfileDetailDto): ProfileDetailDto {
  reply.header('location', `/api/config/profiles/${profile.id}`);
  return withEtag(reply, profile);
}
