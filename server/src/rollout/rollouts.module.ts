import { Module } from '@nestjs/common';
import { RolloutsService } from './rollouts.service.js';

/** Gradual rollouts' data and split; their routes are the profile's (profiles/rollout.controller.ts). */
@Module({
  providers: [RolloutsService],
  exports: [RolloutsService],
})
export class RolloutsModule {}
