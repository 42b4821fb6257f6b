import { Body, Controller, Get, Headers, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProfileScoped } from '../common/http/access.js';
import { ProposesChanges } from '../common/http/proposals.js';
import { Actor } from '../common/http/actor.decorator.js';
import { expectedVersion, versionEtag } from '../common/http/etag.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { MlflowService } from './mlflow.service.js';
import { MlflowConfigDto, UpdateMlflowDto } from './dto/mlflow.dto.js';

@ApiTags('mlflow')
@Controller('api/config/mlflow')
export class MlflowController {
  constructor(private readonly mlflow: MlflowService) {}

  @Get(':profile_id')
  @ApiOperation({ summary: "A profile's MLflow experiment (ETag: its version)" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiOkResponse({ type: MlflowConfigDto })
  @ApiProblems(400, 404)
  async getMlflowConfig(@IdParam('profile_id') profileId: number, @Res({ passthrough: true }) reply: FastifyReply): Promise<MlflowConfigDto> {
    const config = await this.mlflow.get(profileId);
    reply.header('etag', versionEtag(config.version));
    return config;
  }

  @Put(':profile_id')
  @ProfileScoped({ param: 'profile_id' })
  @ProposesChanges()
  @ApiOperation({ summary: "Change a profile's MLflow experiment" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from the last read, e.g. "v3": refuse (412) if it moved on' })
  @ApiOkResponse({ type: MlflowConfigDto })
  @ApiProblems(400, 404, 412, 413, 422)
  async updateMlflowConfig(
    @IdParam('profile_id') profileId: number,
    @Body() update: UpdateMlflowDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MlflowConfigDto> {
    const config = await this.mlflow.update(profileId, update, actor, expectedVersion(ifMatch));
    reply.header('etag', versionEtag(config.version));
    return config;
  }
}
