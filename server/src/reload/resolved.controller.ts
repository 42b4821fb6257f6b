import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BadRequestError } from '../common/errors/domain-errors.js';
import { type Role, seesSecrets } from '../common/http/access.js';
import { CallerRole } from '../common/http/actor.decorator.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { validatedOnce } from '../common/validation/validation-pipe.js';
import { ResolvedConfigDto, ResolvedQueryDto } from './dto/resolved.dto.js';
import { answerResolved } from './resolved-answer.js';
import { type ResolvedAnswer, ResolvedConfigService } from './resolved-config.service.js';

@ApiTags('resolved')
@Controller('api/config/resolved')
export class ResolvedController {
  constructor(private readonly resolved: ResolvedConfigService) {}

  @Get()
  @ApiOperation({
    summary: 'The effective configuration an agent runs with: env > database > default, with the source of each value',
    description: 'Secret fields of registered domains are given in the clear only to the agent and admin roles; others see {"set": true}.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer: 304 while it is current' })
  @ApiOkResponse({
    type: ResolvedConfigDto,
    headers: {
      ETag: { description: 'Validator of this configuration: strong for the uncompressed body, weak (W/) for its br or gzip form', schema: { type: 'string' } },
      'X-Config-Stale': { description: '"true" when served from memory because the database is unreachable', schema: { type: 'string' } },
      'X-Rollout': {
        description: 'With subject, when the profile is in a rollout: which side served it, e.g. "served=candidate; profile_id=1; candidate_profile_id=2; percentage=10"',
        schema: { type: 'string' },
      },
    },
  })
  @ApiNotModifiedResponse({ description: 'The configuration is still the one If-None-Match names' })
  @ApiProblems(400, 404, 422, 503)
  async getResolvedConfig(
    @Query() raw: ResolvedQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('accept-encoding') acceptEncoding: string | undefined,
    @CallerRole() role: Role,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const query = await parseQuery(raw as unknown as Record<string, unknown>);
    if (query.profile_id !== undefined && query.session_id !== undefined) {
      throw new BadRequestError('Give profile_id or session_id, not both.');
    }
    if (query.subject !== undefined && query.session_id !== undefined) {
      throw new BadRequestError("Give subject or session_id, not both: a session's profile was chosen when it loaded.");
    }
    const resolved = await this.resolved.resolve({ profileId: query.profile_id, sessionId: query.session_id, subject: query.subject }, seesSecrets(role));
    // The cached body goes out as it was serialised and compressed for the first reader.
    const { status, headers, bytes } = answerResolved(resolved, ifNoneMatch, acceptEncoding);
    if (resolved.rollout) reply.header('x-rollout', rolloutHeader(resolved.rollout));
    await reply.status(status).headers(headers).send(bytes);
  }
}

const parseQuery = validatedOnce(ResolvedQueryDto);

function rolloutHeader({ split, served }: NonNullable<ResolvedAnswer['rollout']>): string {
  return `served=${served}; profile_id=${split.profileId}; candidate_profile_id=${split.candidateProfileId}; percentage=${split.percentage}`;
}

