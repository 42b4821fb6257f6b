import { Module } from '@nestjs/common';
import { AiInfraModule } from '../ai-infra/ai-infra.module.js';
import { LlmModule } from '../llm/llm.module.js';
import { LlmProbeService } from './llm-probe.service.js';
import { ProbeGate } from './probe-gate.listener.js';
import { ProbeController } from './probe.controller.js';

/** Probe before apply: try a profile's LLM settings, and gate changes behind a passing probe. */
@Module({
  imports: [AiInfraModule, LlmModule],
  controllers: [ProbeController],
  providers: [LlmProbeService, ProbeGate],
})
export class ProbeModule {}
