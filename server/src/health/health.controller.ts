import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ServiceUnavailableError } from '../common/errors/domain-errors.js';
import { Public } from '../common/http/access.js';
import { ConfigListener } from '../reload/config-listener.service.js';

export class HealthDto {
  @ApiProperty({ example: 'ok' })
  status: 'ok';

  @ApiProperty({ example: 'up', required: false })
  database?: 'up';

  @ApiProperty({ example: 'connected', required: false, description: 'The LISTEN connection that brings other instances\' changes' })
  listener?: 'connected';
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly listener: ConfigListener,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is running' })
  @ApiOkResponse({ type: HealthDto })
  getLiveness(): HealthDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'The service can serve requests: its database answers and it hears about changes' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ description: 'The database is unreachable' })
  async getReadiness(): Promise<HealthDto> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableError('The database is unreachable.');
    }
    if (!this.listener.connected) {
      throw new ServiceUnavailableError('The change listener is reconnecting; changes made elsewhere may not have arrived yet.');
    }
    return { status: 'ok', database: 'up', listener: 'connected' };
  }
}
