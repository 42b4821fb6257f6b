import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProfileScoped } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { LlmProbeDto, ProbeLlmDto } from './dto/probe.dto.js';
import { LlmProbeService } from './llm-probe.service.js';

@ApiTags('ai-infra')
@Controller('api/config/ai-infra/:profile_id/probe')
export class ProbeController {
  constructor(private readonly probes: LlmProbeService) {}

  @Post()
  @ProfileScoped({ param: 'profile_id' })
  @HttpCode(200)
  @ApiOperation({
    summary: "Send one minimal completion with a profile's LLM settings (the stored ones, or candidates given in the body) and record the outcome",
    description:
      'Passing: 200 with the latency and the reply size. The LLM answered with an error or could not be reached: 502; it did not answer in time (the settings\' timeout, at most SWITCHBOARD_PROBE_TIMEOUT_SECONDS): 504. Both are recorded. A profile with require_probe (or SWITCHBOARD_REQUIRE_PROBE=true) accepts changes to its LLM settings or prompts only when the settings they leave passed a probe in the last SWITCHBOARD_PROBE_MAX_AGE_SECONDS (default 900).',
  })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiOkResponse({ type: LlmProbeDto })
  @ApiProblems(400, 404, 422, 502, 503, 504)
  probeLlm(@IdParam('profile_id') profileId: number, @Body() candidate: ProbeLlmDto = {}, @Actor() actor: string): Promise<LlmProbeDto> {
    return this.probes.probe(profileId, candidate ?? {}, actor);
  }

  @Get()
  @ApiOperation({ summary: "A profile's latest probes (20), newest first, passing or not" })
  @ApiIdParam('profile_id', 'Profile id')
  @ApiOkResponse({ type: [LlmProbeDto] })
  @ApiProblems(400, 404)
  listLlmProbes(@IdParam('profile_id') profileId: number): Promise<LlmProbeDto[]> {
    return this.probes.list(profileId);
  }
}
