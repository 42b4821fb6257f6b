import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '../common/http/actor.decorator.js';
import { expectedVersion, versionEtag } from '../common/http/etag.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { AiInfraService } from './ai-infra.service.js';
import { AiInfraConfigDto, UpdateAiInfraDto } from './dto/ai-infra.dto.js';

@ApiTags('ai-infra')
@Controller('api/config/ai-infra')
export class AiInfraController {
  constructor(private readonly aiInfra: AiInfraService) {}

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
