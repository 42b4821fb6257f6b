import { type DynamicModule, Module } from '@nestjs/common';
import { ChangeRequestsModule } from '../change-requests/change-requests.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { ScheduleRunner } from './schedule-runner.service.js';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesService } from './schedules.service.js';

/**
 * Changes made at a time, once, by whichever instance gets there first. `run`: false for the
 * command line, whose commands must not run due changes behind the operator's back.
 */
@Module({})
export class SchedulesModule {
  static forRoot({ run }: { run: boolean }): DynamicModule {
    return {
      module: SchedulesModule,
      imports: [DomainsModule, ProfilesModule, ChangeRequestsModule],
      controllers: [SchedulesController],
      providers: [SchedulesService, ...(run ? [ScheduleRunner] : [])],
    };
  }
}
