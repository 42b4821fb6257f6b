import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AiInfraService } from '../ai-infra/ai-infra.service.js';
import { type AiInfraConfigDto, LLM_SETTINGS_FIELDS } from '../ai-infra/dto/ai-infra.dto.js';
import { CONFIG_CHANGED, type ConfigChangedEvent } from '../common/events/config-events.js';
import { probeRequiredEverywhere } from './llm-settings.js';
import { LlmProbeService } from './llm-probe.service.js';

/**
 * Probe before apply, in one place: every change of an existing profile's LLM settings or
 * built-in prompts passes through here inside its transaction (PUT, restore, promote alike), and
 * a profile that requires a probe (its require_probe, or SWITCHBOARD_REQUIRE_PROBE=true) refuses
 * the change with 409 unless the settings it leaves passed a probe recently. Turning
 * require_probe alone on or off needs none: it changes no setting. Not gated: creating a profile
 * (import, duplicate; it serves nobody until loaded), the prompt registry (released by labels),
 * and a parent's change reaching the profiles that inherit from it (the parent's rule decides).
 */
@Injectable()
export class ProbeGate {
  private readonly everywhere = probeRequiredEverywhere();

  constructor(
    private readonly probes: LlmProbeService,
    private readonly aiInfra: AiInfraService,
  ) {}

  @OnEvent(CONFIG_CHANGED, { suppressErrors: false })
  async check(event: ConfigChangedEvent): Promise<void> {
    if (event.action === 'inherit') return;
    if (event.domain === 'ai_infra') {
      if (!LLM_SETTINGS_FIELDS.some((field) => field in event.changes)) return;
      // A write carries its row before and after; a field reset to its inherited value does not.
      const values = event.values as { before: AiInfraConfigDto; after: AiInfraConfigDto } | undefined;
      const after = values?.after ?? (await this.aiInfra.get(event.profileId, event.manager));
      if (!this.everywhere && !values?.before.require_probe && !after.require_probe) return;
      await this.probes.assertFresh(event.manager, event.profileId, after, 'its LLM settings change');
    } else if (event.domain === 'prompts') {
      const ai = await this.aiInfra.get(event.profileId, event.manager);
      if (!this.everywhere && !ai.require_probe) return;
      await this.probes.assertFresh(event.manager, event.profileId, ai, 'its prompts change');
    }
  }
}
