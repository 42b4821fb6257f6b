import { Body, Controller, Delete, Get, HttpCode, Post, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProfileScoped } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { PutRolloutDto, RolloutDto } from '../rollout/dto/rollout.dto.js';
import { RolloutsService } from '../rollout/rollouts.service.js';
import { ProfileDetailDto } from './dto/profile-responses.dto.js';
import { ProfileDocumentsService } from './profile-documents.service.js';

/** A profile's gradual rollout to a candidate profile: start, raise or lower, promote, abort. */
@ApiTags('profiles')
@Controller('api/config/profiles/:id/rollout')
export class RolloutController {
  constructor(
    private readonly rollouts: RolloutsService,
    private readonly documents: ProfileDocumentsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "A profile's rollout: its candidate and the percentage of subjects sent to it (404 without one)" })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: RolloutDto })
  @ApiProblems(400, 404)
  getRollout(@IdParam('id') id: number): Promise<RolloutDto> {
    return this.rollouts.get(id);
  }

  @Put()
  @ProfileScoped({ param: 'id' })
  @ApiOperation({
    summary: 'Start a rollout to a candidate profile, or move its percentage; audited',
    description:
      'New sessions (POST …/load without session_id) and GET /api/config/resolved?subject= go to the candidate for `percentage` % of subjects, chosen by a hash of the subject: a subject stays on its side while the percentage stays, and raising it only moves subjects to the candidate.',
  })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: RolloutDto, description: 'Changed' })
  @ApiCreatedResponse({ type: RolloutDto, description: 'Started' })
  @ApiProblems(400, 404, 409, 422)
  async putRollout(@IdParam('id') id: number, @Body() request: PutRolloutDto, @Actor() actor: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<RolloutDto> {
    const { rollout, created } = await this.rollouts.put(id, request, actor);
    reply.status(created ? 201 : 200);
    return rollout;
  }

  @Post('promote')
  @ProfileScoped({ param: 'id' })
  @HttpCode(200)
  @ApiOperation({ summary: "Copy the candidate's values (every domain but the name and the prompt registry) onto the profile and end the rollout, in one audited transaction" })
  @ApiIdParam('id', 'Profile id')
  @ApiOkResponse({ type: ProfileDetailDto })
  @ApiProblems(400, 404, 409, 422)
  promoteRollout(@IdParam('id') id: number, @Actor() actor: string): Promise<ProfileDetailDto> {
    return this.documents.promote(id, actor);
  }

  @Delete()
  @ProfileScoped({ param: 'id' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Abort the rollout: every subject goes back to the profile; audited' })
  @ApiIdParam('id', 'Profile id')
  @ApiNoContentResponse({ description: 'Aborted' })
  @ApiProblems(400, 404)
  async abortRollout(@IdParam('id') id: number, @Actor() actor: string): Promise<void> {
    await this.rollouts.abort(id, actor);
  }
}
