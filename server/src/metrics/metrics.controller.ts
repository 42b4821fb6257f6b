import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MetricsAccess } from '../common/http/access.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('system')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @MetricsAccess()
  @ApiOperation({ summary: 'Prometheus metrics of this instance (public when SWITCHBOARD_METRICS_PUBLIC=true, else any token)' })
  @ApiProduces('text/plain')
  async getMetrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('content-type', this.metrics.contentType);
    return this.metrics.render();
  }
}
