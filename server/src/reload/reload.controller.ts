import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConfigStatusDto } from './status.dto.js';
import { StatusService } from './status.service.js';

@ApiTags('system')
@Controller('api/config')
export class ReloadController {
  constructor(private readonly statusService: StatusService) {}

  @Get('status')
  @ApiOperation({ summary: 'State of the configuration system on this instance' })
  @ApiOkResponse({ type: ConfigStatusDto })
  getConfigStatus(): Promise<ConfigStatusDto> {
    return this.statusService.getStatus();
  }
}
