import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AiInfraService } from '../ai-infra/ai-infra.service.js';
import { LlmClient } from '../llm/llm.client.js';
import { LlmTimeoutError, LlmUpstreamError } from '../llm/llm.errors.js';
import type { LlmProbeDto, ProbeLlmDto } from './dto/probe.dto.js';
import { LlmProbeEntity } from './entities/llm-probe.entity.js';
import { type LlmSettings, llmSettingsOf, PROBE_MAX_AGE_SECONDS, PROBE_TIMEOUT_SECONDS } from './llm-settings.js';
import { ProbeRequiredError } from './probe.errors.js';

/** The smallest exchange that proves the model answers: a fixed question, a few tokens. */
const PROBE_MESSAGES = [
  { role: 'system' as const, content: 'You are being health-checked by Switchboard. Answer in one word.' },
  { role: 'user' as const, content: 'Reply with: ok' },
];
const PROBE_MAX_TOKENS = 16;
const PROBES_LISTED = 20;

/**
 * Probes a profile's LLM settings (stored, or candidates over them) with one minimal completion,
 * records every outcome, and tells the probe gate whether settings have a fresh passing probe.
 */
@Injectable()
export class LlmProbeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly aiInfra: AiInfraService,
    private readonly llm: LlmClient,
  ) {}

  /** Passing: the record. Failing: recorded, then the upstream error (502, or 504 on a timeout). */
  async probe(profileId: number, candidate: ProbeLlmDto, actor: string): Promise<LlmProbeDto> {
    const stored = await this.aiInfra.get(profileId);
    const settings = await this.asStored({ ...llmSettingsOf(stored), ...definedOnly(candidate) });
    const started = performance.now();
    let outcome: { replyChars: number } | { error: LlmUpstreamError | LlmTimeoutError };
    try {
      const reply = await this.llm.chat({
        endpoint: settings.llm_endpoint,
        messages: PROBE_MESSAGES,
        temperature: settings.llm_temperature,
        maxTokens: Math.min(settings.llm_max_tokens, PROBE_MAX_TOKENS),
        topP: settings.llm_top_p,
        timeoutSeconds: Math.min(settings.llm_timeout_seconds, PROBE_TIMEOUT_SECONDS),
      });
      outcome = { replyChars: reply.content.length };
    } catch (error) {
      if (!(error instanceof LlmUpstreamError || error instanceof LlmTimeoutError)) throw error;
      outcome = { error };
    }
    const latencyMs = Math.round(performance.now() - started);
    const failed = 'error' in outcome ? outcome.error : undefined;
    const row = await this.dataSource.manager.save(
      this.dataSource.manager.create(LlmProbeEntity, {
        profileId,
        settings,
        ok: !failed,
        latencyMs,
        replyChars: failed ? null : (outcome as { replyChars: number }).replyChars,
        error: failed ? failed.message.slice(0, 500) : null,
        probedBy: actor,
      }),
    );
    if (failed) throw failed;
    return toDto(await this.dataSource.manager.findOneByOrFail(LlmProbeEntity, { id: row.id }));
  }

  /** The profile's latest probes, newest first. */
  async list(profileId: number): Promise<LlmProbeDto[]> {
    await this.aiInfra.get(profileId); // 404 for an unknown profile
    const rows = await this.dataSource.manager.find(LlmProbeEntity, { where: { profileId }, order: { probedAt: 'DESC', id: 'DESC' }, take: PROBES_LISTED });
    return rows.map(toDto);
  }

  /** Inside a writer's transaction: refuses (409) unless exactly these settings passed a probe recently. */
  async assertFresh(manager: EntityManager, profileId: number, settings: LlmSettings, change: string): Promise<void> {
    const [{ fresh }]: { fresh: boolean }[] = await manager.query(
      `SELECT EXISTS (
         SELECT 1 FROM llm_probes
          WHERE profile_id = $1 AND ok AND settings = $2::jsonb AND probed_at > now() - make_interval(secs => $3)
       ) AS fresh`,
      [profileId, JSON.stringify(llmSettingsOf(settings)), PROBE_MAX_AGE_SECONDS],
    );
    if (fresh) return;
    const minutes = Math.round(PROBE_MAX_AGE_SECONDS / 60);
    throw new ProbeRequiredError(
      `Profile ${profileId} requires a passing probe before ${change}: no probe of endpoint "${settings.llm_endpoint}" with these settings passed in the last ${minutes} minute(s). ` +
        `Probe them (POST /api/config/ai-infra/${profileId}/probe), then save again.`,
    );
  }

  /** The settings as the database would store them: temperature and top p rounded to two decimals as numeric(3,2) does. */
  private async asStored(settings: LlmSettings): Promise<LlmSettings> {
    const [rounded]: { temperature: number; top_p: number }[] = await this.dataSource.query(
      'SELECT $1::numeric(3,2)::float8 AS temperature, $2::numeric(3,2)::float8 AS top_p',
      [settings.llm_temperature, settings.llm_top_p],
    );
    return { ...settings, llm_temperature: rounded.temperature, llm_top_p: rounded.top_p };
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function toDto(row: LlmProbeEntity): LlmProbeDto {
  return {
    probe_id: Number(row.id),
    profile_id: row.profileId,
    ok: row.ok,
    settings: row.settings,
    latency_ms: row.latencyMs,
    reply_chars: row.replyChars,
    error: row.error,
    probed_by: row.probedBy,
    probed_at: row.probedAt.toISOString(),
    valid_until: row.ok ? new Date(row.probedAt.getTime() + PROBE_MAX_AGE_SECONDS * 1000).toISOString() : null,
  };
}
