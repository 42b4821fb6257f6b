import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/http/problem-responses.js';
import { ReloadQueryDto, ReloadResultDto } from './dto/reload.dto.js';
import { ReloadService } from './reload.service.js';
import { ConfigStatusDto } from './dto/status.dto.js';
import { StatusService } from './status.service.js';

@ApiTags('system')
@Controller('api/config')
export class ReloadController {
  constructor(
    private readonly statusService: StatusService,
    private readonly reloadService: ReloadService,
  ) {}

  @Post('reload')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-read configuration from the database, for one profile or all' })
  @ApiOkResponse({ type: ReloadResultDto })
  @ApiProblems(400, 404, 422)
  reloadConfiguration(@Query() query: ReloadQueryDto): Promise<ReloadResultDto> {
    return this.reloadService.reload(query.profile_id);
  }

  @Get('status')
  @ApiOperation({ summary: 'State of the configuration system on this instance' })
  @ApiOkResponse({ type: ConfigStatusDto })
  getConfigStatus(): Promise<ConfigStatusDto> {
    return this.statusService.getStatus();
  }
}
