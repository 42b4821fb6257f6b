import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProfileScoped, RequiresRole } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { expectedVersion, noneMatch, versionEtag } from '../common/http/etag.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { setPageHeaders } from '../common/http/paging.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import {
  AgentPromptDto,
  AgentPromptQueryDto,
  CreatePromptVersionDto,
  CreateRegistryPromptDto,
  PromptDiffDto,
  PromptDiffQueryDto,
  PromptVersionDto,
  PromptVersionsQueryDto,
  RegistryPromptDetailDto,
  RegistryPromptDto,
  RenderedPromptDto,
  RenderPromptDto,
  SetPromptLabelDto,
  TemplateValidationDto,
} from './dto/registry-prompt.dto.js';
import { PromptRegistryService } from './prompt-registry.service.js';

const NAME = { name: 'name', description: 'The prompt name', example: 'analyze.parameters' } as const;
const LABEL = { name: 'label', description: 'A label name, e.g. production', example: 'production' } as const;
const DEFAULT_VERSIONS_PAGE = 20;

@ApiTags('prompt registry')
@Controller('api/config/profiles/:id/prompts')
export class PromptRegistryController {
  constructor(private readonly registry: PromptRegistryService) {}

  @Get()
  @ApiOperation({ summary: "The profile's prompts, by name, with their latest version number and labels" })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: [RegistryPromptDto] })
  @ApiProblems(400, 404)
  listPrompts(@IdParam('id') profileId: number): Promise<RegistryPromptDto[]> {
    return this.registry.list(profileId);
  }

  @Post()
  @ProfileScoped({ param: 'id' })
  @ApiOperation({ summary: 'Create a prompt with its first version; every placeholder must be a declared variable (422 with its position)' })
  @ApiIdParam('id', 'Profile id')
  @ApiCreatedResponse({ type: RegistryPromptDetailDto })
  @ApiProblems(400, 404, 409, 413, 422)
  async createPrompt(
    @IdParam('id') profileId: number,
    @Body() request: CreateRegistryPromptDto,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegistryPromptDetailDto> {
    const prompt = await this.registry.create(profileId, request, actor);
    reply.header('etag', versionEtag(prompt.latest_version)).header('location', `/api/config/profiles/${profileId}/prompts/${prompt.name}`);
    return prompt;
  }

  @Get(':name')
  @ApiOperation({ summary: 'A prompt with its latest version (ETag: the latest version number)' })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiOkResponse({ type: RegistryPromptDetailDto })
  @ApiProblems(400, 404)
  async getPrompt(@IdParam('id') profileId: number, @Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<RegistryPromptDetailDto> {
    const prompt = await this.registry.get(profileId, name);
    reply.header('etag', versionEtag(prompt.latest_version));
    return prompt;
  }

  @Delete(':name')
  @ProfileScoped({ param: 'id' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a prompt with its versions and labels (the history keeps every version)' })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async deletePrompt(@IdParam('id') profileId: number, @Param('name') name: string, @Actor() actor: string): Promise<void> {
    await this.registry.delete(profileId, name, actor);
  }

  @Post(':name/versions')
  @ProfileScoped({ param: 'id' })
  @ApiOperation({ summary: 'Add a version (numbered by the database); If-Match with the latest version refuses (412) a concurrent edit' })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the latest version you read, e.g. "v3"' })
  @ApiCreatedResponse({ type: PromptVersionDto })
  @ApiProblems(400, 404, 412, 413, 422)
  async createPromptVersion(
    @IdParam('id') profileId: number,
    @Param('name') name: string,
    @Body() request: CreatePromptVersionDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PromptVersionDto> {
    const version = await this.registry.addVersion(profileId, name, request, actor, expectedVersion(ifMatch));
    reply.header('etag', versionEtag(version.version)).header('location', `/api/config/profiles/${profileId}/prompts/${name}/versions/${version.version}`);
    return version;
  }

  @Get(':name/versions')
  @ApiOperation({ summary: 'Versions, newest first (JSON array; the total in X-Total-Count, pages in Link)' })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiOkResponse({ type: [PromptVersionDto], headers: { 'X-Total-Count': { schema: { type: 'integer' } }, Link: { schema: { type: 'string' } } } })
  @ApiProblems(400, 404, 422)
  async listPromptVersions(
    @IdParam('id') profileId: number,
    @Param('name') name: string,
    @Query() query: PromptVersionsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PromptVersionDto[]> {
    const limit = query.limit ?? DEFAULT_VERSIONS_PAGE;
    const offset = query.offset ?? 0;
    const { items, total } = await this.registry.versions(profileId, name, limit, offset);
    setPageHeaders(request, reply, { total, limit, offset });
    return items;
  }

  @Get(':name/versions/:version')
  @ApiOperation({ summary: 'One version' })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiIdParam('version', 'Version number')
  @ApiOkResponse({ type: PromptVersionDto })
  @ApiProblems(400, 404)
  getPromptVersion(@IdParam('id') profileId: number, @Param('name') name: string, @IdParam('version') version: number): Promise<PromptVersionDto> {
    return this.registry.version(profileId, name, version);
  }

  @Put(':name/labels/:label')
  @ProfileScoped({ param: 'id' })
  @ApiOperation({ summary: 'Point a label at a version; moving production back to an earlier version is the rollback' })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiParam(LABEL)
  @ApiOkResponse({ type: RegistryPromptDetailDto })
  @ApiProblems(400, 404, 422)
  setPromptLabel(
    @IdParam('id') profileId: number,
    @Param('name') name: string,
    @Param('label') label: string,
    @Body() request: SetPromptLabelDto,
    @Actor() actor: string,
  ): Promise<RegistryPromptDetailDto> {
    return this.registry.setLabel(profileId, name, label, request.version, actor);
  }

  @Delete(':name/labels/:label')
  @ProfileScoped({ param: 'id' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a label' })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiParam(LABEL)
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async deletePromptLabel(@IdParam('id') profileId: number, @Param('name') name: string, @Param('label') label: string, @Actor() actor: string): Promise<void> {
    await this.registry.deleteLabel(profileId, name, label, actor);
  }

  @Get(':name/diff')
  @ApiOperation({ summary: 'Line diff between two versions' })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiOkResponse({ type: PromptDiffDto })
  @ApiProblems(400, 404, 422)
  diffPromptVersions(@IdParam('id') profileId: number, @Param('name') name: string, @Query() query: PromptDiffQueryDto): Promise<PromptDiffDto> {
    return this.registry.diff(profileId, name, query.from, query.to);
  }

  @Post(':name/validate')
  @HttpCode(200)
  @RequiresRole('viewer')
  @ApiOperation({ summary: "Checks a would-be version's template against the prompt's declared variables (or the ones sent), with positions; changes nothing" })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiOkResponse({ type: TemplateValidationDto })
  @ApiProblems(400, 404, 413, 422)
  validatePromptVersion(@IdParam('id') profileId: number, @Param('name') name: string, @Body() request: CreatePromptVersionDto): Promise<TemplateValidationDto> {
    return this.registry.validate(profileId, name, request);
  }

  @Post(':name/render')
  @HttpCode(200)
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Preview: a version rendered with values for its variables (a required one missing: 422); changes nothing' })
  @ApiIdParam('id', 'Profile id')
  @ApiParam(NAME)
  @ApiOkResponse({ type: RenderedPromptDto })
  @ApiProblems(400, 404, 413, 422)
  renderPrompt(@IdParam('id') profileId: number, @Param('name') name: string, @Body() request: RenderPromptDto): Promise<RenderedPromptDto> {
    return this.registry.render(profileId, name, request);
  }
}

@ApiTags('prompt registry')
@Controller('api/prompts')
export class AgentPromptsController {
  constructor(private readonly registry: PromptRegistryService) {}

  @Get(':name')
  @ApiOperation({ summary: 'For agents: the version of a prompt a label names (default production, else latest), with a strong ETag and 304' })
  @ApiParam(NAME)
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 while it is current' })
  @ApiOkResponse({ type: AgentPromptDto, headers: { ETag: { description: 'A digest of the body', schema: { type: 'string' } } } })
  @ApiNotModifiedResponse({ description: 'The prompt is still the one If-None-Match names' })
  @ApiProblems(400, 404, 422)
  async getAgentPrompt(
    @Param('name') name: string,
    @Query() query: AgentPromptQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const prompt = await this.registry.forAgent(name, query.profile_id, query.label);
    const body = JSON.stringify(prompt);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (noneMatch(ifNoneMatch, etag)) {
      await reply.status(304).send();
      return;
    }
    await reply.header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
