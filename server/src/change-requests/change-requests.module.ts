import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DomainsModule } from '../domains/domains.module.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { ApprovalController } from './approval.controller.js';
import { ApprovalGate } from './approval-gate.listener.js';
import { ChangeRequestsController } from './change-requests.controller.js';
import { ChangeRequestsService } from './change-requests.service.js';
import { ProposeOnApprovalInterceptor } from './propose-on-approval.interceptor.js';

/** Profiles that require approval, and the change requests their editors' changes become. */
@Module({
  imports: [DomainsModule, ProfilesModule],
  controllers: [ChangeRequestsController, ApprovalController],
  providers: [ChangeRequestsService, ApprovalGate, { provide: APP_INTERCEPTOR, useClass: ProposeOnApprovalInterceptor }],
  exports: [ChangeRequestsService],
})
export class ChangeRequestsModule {}
