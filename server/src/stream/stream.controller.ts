import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from '../common/errors/domain-errors.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { StreamQueryDto } from './stream.dto.js';
import { StreamService } from './stream.service.js';

@ApiTags('stream')
@Controller('api/config/stream')
export class StreamController {
  constructor(private readonly stream: StreamService) {}

  @Get()
  @ApiOperation({
    summary: 'Server-Sent Events: one `config.changed` event per committed change, its id the history id',
    description:
      'Data: {history_id, profile_id, profile_name, domain, item, action, version, session_id, changed_by, timestamp} (item: the prompt, for prompt_registry). Reconnect with ' +
      'Last-Event-ID to get what was missed. A comment line every 15 s keeps proxies from closing the stream; ' +
      '`config.reload` events announce reloads.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless text/event-stream' })
  @ApiProblems(400, 422)
  async streamConfigChanges(
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const lastEventId = lastEventIdHeader !== undefined ? parseLastEventId(lastEventIdHeader) : query.last_event_id;
    await this.stream.subscribe(reply.raw, { profileId: query.profile_id, lastEventId }, () => {
      reply.hijack();
      reply.raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      request.raw.on('close', () => reply.raw.end());
    });
  }
}

function parseLastEventId(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new BadRequestError(`Last-Event-ID must be a history id (a whole number), got "${raw}".`);
  return Number(raw);
}
