import { Body, Controller, Get, Headers, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor } from '../common/http/actor.decorator.js';
import { expectedVersion, versionEtag } from '../common/http/etag.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { PromptsService } from './prompts.service.js';
import { PromptsConfigDto, PromptValidationDto, UpdatePromptsDto } from './dto/prompts.dto.js';
import { ProfileScoped, RequiresRole } from '../common/http/access.js';
import { ProposesChanges } from '../common/http/proposals.js';

@ApiTags('prompts')
@Controller('api/config/prompts')
export class PromptsController {
  constructor(private readonly prompts: PromptsService) {}

  @Post('validate')
  @RequiresRole('viewer') // changes nothing: readers may check values too
  @HttpCode(200)
  @ApiOperation({ summary: 'Check prompts without saving: errors and warnings with their positions, for an editor to mark' })
  @ApiOkResponse({ type: PromptValidationDto })
  @ApiProblems(400, 413)
  validatePrompts(@Body() prompts: UpdatePromptsDto): PromptValidationDto {
    return this.prompts.validate(prompts);
  }

  @Get(':profile_id')
  @ApiOperation({ summary: "A profile's prompts (ETag: their version)" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiOkResponse({ type: PromptsConfigDto })
  @ApiProblems(400, 404)
  async getPromptsConfig(@IdParam('profile_id') profileId: number, @Res({ passthrough: true }) reply: FastifyReply): Promise<PromptsConfigDto> {
    const config = await this.prompts.get(profileId);
    reply.header('etag', versionEtag(config.version));
    return config;
  }

  @Put(':profile_id')
  @ProfileScoped({ param: 'profile_id' })
  @ProposesChanges()
  @ApiOperation({ summary: "Change a profile's prompts; refused (422, with positions) when a template has errors" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from the last read, e.g. "v3": refuse (412) if it moved on' })
  @ApiOkResponse({ type: PromptsConfigDto })
  @ApiProblems(400, 404, 412, 413, 422)
  async updatePromptsConfig(
    @IdParam('profile_id') profileId: number,
    @Body() update: UpdatePromptsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PromptsConfigDto> {
    const config = await this.prompts.update(profileId, update, actor, expectedVersion(ifMatch));
    reply.header('etag', versionEtag(config.version));
    return config;
  }
}
