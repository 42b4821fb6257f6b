import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole, seesSecrets } from '../common/http/access.js';
import type { AuthenticatedRequest } from '../common/http/actor.decorator.js';
import { ApiIdParam, ApiSessionId, HistoryIdParam, SessionId } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { ChangeDeliveryDto, InstanceDto, SessionAckDto, SessionAckResultDto } from './dto/delivery.dto.js';
import { DeliveryService } from './delivery.service.js';

@ApiTags('system')
@Controller('api/config')
export class DeliveryController {
  constructor(private readonly delivery: DeliveryService) {}

  @Get('instances')
  @ApiOperation({ summary: 'Every live Switchboard instance (registered, with a recent heartbeat) and the newest change it applied' })
  @ApiOkResponse({ type: [InstanceDto] })
  listInstances(): Promise<InstanceDto[]> {
    return this.delivery.instances();
  }

  @Get('changes/:history_id/delivery')
  @ApiOperation({ summary: 'Where one change (a history entry) has arrived: each live instance and each live session of its profile, applied or pending' })
  @ApiIdParam('history_id', 'History entry of the change')
  @ApiOkResponse({ type: ChangeDeliveryDto })
  @ApiProblems(400, 404)
  getChangeDelivery(@HistoryIdParam('history_id') historyId: number): Promise<ChangeDeliveryDto> {
    return this.delivery.delivery(historyId);
  }

  @Post('sessions/:session_id/ack')
  @HttpCode(200)
  @RequiresRole('agent')
  @ApiOperation({ summary: "An agent confirms the configuration its session applied (the resolved configuration's ETag); changes up to it count as delivered" })
  @ApiSessionId()
  @ApiOkResponse({ type: SessionAckResultDto })
  @ApiProblems(400, 403, 404, 409, 422)
  ackSession(@SessionId() sessionId: string, @Body() body: SessionAckDto, @Req() request: AuthenticatedRequest): Promise<SessionAckResultDto> {
    return this.delivery.ack(sessionId, body.etag, seesSecrets(request.principal!.role));
  }
}
