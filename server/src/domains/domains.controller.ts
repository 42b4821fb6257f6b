import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BadRequestError, NotFoundError } from '../common/errors/domain-errors.js';
import { ProfileScoped, RequiresRole } from '../common/http/access.js';
import { ProposesChanges } from '../common/http/proposals.js';
import { Actor } from '../common/http/actor.decorator.js';
import { expectedVersion, versionEtag } from '../common/http/etag.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { DomainValuesService } from './domain-values.service.js';
import { DomainsService } from './domains.service.js';
import { CreateDomainDto, DOMAIN_NAME, DomainDto, DomainValuesDto, PutDomainValuesDto, UpdateDomainDto } from './dto/domain.dto.js';

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag from the last read, e.g. "v3": refuse (412) if it moved on' } as const;

@ApiTags('domains')
@Controller('api/config/domains')
export class DomainsController {
  constructor(
    private readonly domains: DomainsService,
    private readonly values: DomainValuesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every configuration domain: the built-in ones and those registered with a JSON Schema' })
  @ApiOkResponse({ type: [DomainDto] })
  listDomains(): Promise<DomainDto[]> {
    return this.domains.list();
  }

  @Post()
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Register a domain with the JSON Schema (draft 2020-12) of its values' })
  @ApiCreatedResponse({ type: DomainDto })
  @ApiProblems(400, 409, 413, 422)
  async createDomain(@Body() request: CreateDomainDto, @Actor() actor: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<DomainDto> {
    const domain = await this.domains.create(request, actor);
    reply.header('etag', versionEtag(domain.version!)).header('location', `/api/config/domains/${domain.name}`);
    return domain;
  }

  @Get(':name')
  @ApiOperation({ summary: 'One domain and its schema (ETag: its version)' })
  @ApiParam({ name: 'name', example: 'gateway_cache' })
  @ApiOkResponse({ type: DomainDto })
  @ApiProblems(404)
  async getDomain(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<DomainDto> {
    const domain = await this.domains.get(domainName(name));
    if (domain.version !== null) reply.header('etag', versionEtag(domain.version));
    return domain;
  }

  @Put(':name')
  @RequiresRole('admin')
  @ApiOperation({ summary: "Change a domain's title, description or schema; a schema that stored values would break is refused (422)" })
  @ApiParam({ name: 'name', example: 'gateway_cache' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: DomainDto })
  @ApiProblems(400, 404, 409, 412, 413, 422)
  async updateDomain(
    @Param('name') name: string,
    @Body() request: UpdateDomainDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DomainDto> {
    const domain = await this.domains.update(domainName(name), request, actor, expectedVersion(ifMatch));
    reply.header('etag', versionEtag(domain.version!));
    return domain;
  }

  @Delete(':name')
  @RequiresRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a registered domain; refused (409) while profiles hold values of it, unless delete_values=true' })
  @ApiParam({ name: 'name', example: 'gateway_cache' })
  @ApiQuery({ name: 'delete_values', required: false, type: Boolean, description: "Delete the profiles' values of it too" })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  async deleteDomain(@Param('name') name: string, @Query('delete_values') deleteValues: string | undefined, @Actor() actor: string): Promise<void> {
    await this.values.deleteDomain(domainName(name), parseFlag('delete_values', deleteValues), actor);
  }

  @Get(':name/profiles/:profile_id')
  @ApiOperation({ summary: "A profile's values of a registered domain, and with the schema's defaults (ETag: their version)" })
  @ApiParam({ name: 'name', example: 'gateway_cache' })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiOkResponse({ type: DomainValuesDto })
  @ApiProblems(400, 404)
  async getDomainValues(@Param('name') name: string, @IdParam('profile_id') profileId: number, @Res({ passthrough: true }) reply: FastifyReply): Promise<DomainValuesDto> {
    const values = await this.values.get(domainName(name), profileId);
    reply.header('etag', versionEtag(values.version));
    return values;
  }

  @Put(':name/profiles/:profile_id')
  @ProfileScoped({ param: 'profile_id' })
  @ProposesChanges()
  @ApiOperation({ summary: "Replace a profile's values of a registered domain, checked against its schema (422 with a JSON Pointer per failing field)" })
  @ApiParam({ name: 'name', example: 'gateway_cache' })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: DomainValuesDto })
  @ApiProblems(400, 404, 412, 413, 422)
  async putDomainValues(
    @Param('name') name: string,
    @IdParam('profile_id') profileId: number,
    @Body() request: PutDomainValuesDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DomainValuesDto> {
    const values = await this.values.put(domainName(name), profileId, request.values, actor, expectedVersion(ifMatch));
    reply.header('etag', versionEtag(values.version));
    return values;
  }
}

/** A name no domain could have is simply not found. */
function domainName(name: string): string {
  if (!DOMAIN_NAME.test(name)) throw new NotFoundError(`There is no domain "${name.slice(0, 100)}".`);
  return name;
}

function parseFlag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new BadRequestError(`${name} must be true or false.`, [{ field: name, message: 'must be true or false' }]);
}
