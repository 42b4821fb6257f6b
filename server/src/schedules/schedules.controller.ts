import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProfileScoped } from '../common/http/access.js';
import { Actor } from '../common/http/actor.decorator.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { CreateScheduleDto, ListSchedulesQueryDto, ScheduleDto } from './dto/schedule.dto.js';
import { SchedulesService } from './schedules.service.js';

@ApiTags('schedules')
@Controller('api/config/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get()
  @ApiOperation({ summary: 'Scheduled changes, latest run time first (500 at most)' })
  @ApiOkResponse({ type: [ScheduleDto] })
  @ApiProblems(400)
  listSchedules(@Query() query: ListSchedulesQueryDto): Promise<ScheduleDto[]> {
    return this.schedules.list(query.profile_id);
  }

  @Post()
  @ProfileScoped({ body: 'profile_id' })
  @ApiOperation({
    summary: 'Schedule a change: set a profile as the default, or apply values to it, at a time',
    description: 'Run once, by one instance, within about a second of run_at; audited as the scheduling principal with request id schedule-<id>. Refused at run time: failed with last_error (retried three times when the reason passes: the database away, a concurrent change).',
  })
  @ApiCreatedResponse({ type: ScheduleDto })
  @ApiProblems(400, 404, 422)
  createSchedule(@Body() request: CreateScheduleDto, @Actor() actor: string): Promise<ScheduleDto> {
    return this.schedules.create(request, actor);
  }

  @Delete(':id')
  @ProfileScoped('service')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel a scheduled change that has not run (409 once it has)' })
  @ApiIdParam('id', 'Schedule id')
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiProblems(400, 404, 409)
  async cancelSchedule(@IdParam('id') id: number): Promise<void> {
    await this.schedules.cancel(id);
  }
}
