import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AgentController } from './agent.controller.js';
import { AgentRuntime } from './agent-runtime.service.js';
import { LlmClient } from './llm.client.js';

@Module({
  imports: [ProfilesModule, SessionsModule],
  controllers: [AgentController],
  providers: [AgentRuntime, { provide: LlmClient, useFactory: () => new LlmClient() }],
})
export class AgentModule {}
