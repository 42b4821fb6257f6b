import { Module } from '@nestjs/common';
import { LlmClient } from './llm.client.js';

/** The LLM the agents talk to, and the probe tries before a change (configured by the environment). */
@Module({
  providers: [{ provide: LlmClient, useFactory: () => new LlmClient() }],
  exports: [LlmClient],
})
export class LlmModule {}
