import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AgentController } from './agent.controller.js';
import { AgentRuntime } from './agent-runtime.service.js';
import { LlmModule } from '../llm/llm.module.js';

@Module({
  imports: [LlmModule, ProfilesModule, SessionsModule],
  controllers: [AgentController],
  providers: [AgentRuntime],
})
export class AgentModule {}
