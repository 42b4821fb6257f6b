import { Body, Controller, Get, Headers, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
export const ENDPOINTS_SOURCE_HEADER = 'x-endpoints-source';
import type { FastifyReply } from 'fastify';
import { Actor } from '../common/http/actor.decorator.js';
import { expectedVersion, versionEtag } from '../common/http/etag.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { AiInfraService } from './ai-infra.service.js';
import { AiInfraConfigDto, AiInfraValidationDto, UpdateAiInfraDto } from './dto/ai-infra.dto.js';
import { ProfileScoped, RequiresRole } from '../common/http/access.js';
import { ProposesChanges } from '../common/http/proposals.js';

@ApiTags('ai-infra')
@Controller('api/config/ai-infra')
export class AiInfraController {
  constructor(private readonly aiInfra: AiInfraService) {}

  @Get('endpoints')
  @ApiOperation({ summary: 'Serving endpoints of the workspace, databricks- names first (X-Endpoints-Source: workspace | fallback)' })
  @ApiOkResponse({
    type: [String],
    headers: { 'X-Endpoints-Source': { description: '"fallback" when Databricks is not configured', schema: { type: 'string', enum: ['workspace', 'fallback'] } } },
  })
  @ApiProblems(502, 504)
  async listServingEndpoints(@Res({ passthrough: true }) reply: FastifyReply): Promise<string[]> {
    const { endpoints, source } = await this.aiInfra.listEndpoints();
    reply.header(ENDPOINTS_SOURCE_HEADER, source);
    return endpoints;
  }

  @Post('validate')
  @RequiresRole('viewer') // changes nothing: readers may check values too
  @HttpCode(200)
  @ApiOperation({ summary: 'Check AI infrastructure values without saving; says whether the endpoint is known' })
  @ApiOkResponse({ type: AiInfraValidationDto })
  @ApiProblems(400, 422, 502, 504)
  validateAiInfraConfig(@Body() config: UpdateAiInfraDto): Promise<AiInfraValidationDto> {
    return this.aiInfra.validate(config);
  }

  @Get(':profile_id')
  @ApiOperation({ summary: "A profile's LLM endpoint and sampling parameters (ETag: its version)" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiOkResponse({ type: AiInfraConfigDto })
  @ApiProblems(400, 404)
  async getAiInfraConfig(@IdParam('profile_id') profileId: number, @Res({ passthrough: true }) reply: FastifyReply): Promise<AiInfraConfigDto> {
    const config = await this.aiInfra.get(profileId);
    reply.header('etag', versionEtag(config.version));
    return config;
  }

  @Put(':profile_id')
  @ProfileScoped({ param: 'profile_id' })
  @ProposesChanges()
  @ApiOperation({ summary: "Change a profile's AI infrastructure; fields left out keep their values" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from the last read, e.g. "v3": refuse (412) if it moved on' })
  @ApiOkResponse({ type: AiInfraConfigDto })
  @ApiProblems(400, 404, 412, 413, 422)
  async updateAiInfraConfig(
    @IdParam('profile_id') profileId: number,
    @Body() update: UpdateAiInfraDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AiInfraConfigDto> {
    const config = await this.aiInfra.update(profileId, update, actor, expectedVersion(ifMatch));
    reply.header('etag', versionEtag(config.version));
    return config;
  }
}
