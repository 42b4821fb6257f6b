import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { ScheduleRunner } from './schedule-runner.service.js';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesService } from './schedules.service.js';

/** Changes made at a time, once, by whichever instance gets there first. */
@Module({
  imports: [ProfilesModule],
  controllers: [SchedulesController],
  providers: [SchedulesService, ScheduleRunner],
})
export class SchedulesModule {}
