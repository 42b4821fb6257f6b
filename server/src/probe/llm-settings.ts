import { LLM_SETTINGS_FIELDS } from '../ai-infra/dto/ai-infra.dto.js';

/** What an LLM call is made with, as stored (temperature and top p to two decimals): what a probe tries and a change is checked against. */
export type LlmSettings = {
  llm_endpoint: string;
  llm_temperature: number;
  llm_max_tokens: number;
  llm_top_p: number;
  llm_timeout_seconds: number;
};

export function llmSettingsOf(values: LlmSettings): LlmSettings {
  return Object.fromEntries(LLM_SETTINGS_FIELDS.map((field) => [field, values[field]])) as LlmSettings;
}

/** Seconds a passing probe vouches for its settings. */
export const PROBE_MAX_AGE_SECONDS = Number(process.env.SWITCHBOARD_PROBE_MAX_AGE_SECONDS ?? 900);

/** The longest a probe waits for the LLM, whatever the settings' own timeout. */
export const PROBE_TIMEOUT_SECONDS = Number(process.env.SWITCHBOARD_PROBE_TIMEOUT_SECONDS ?? 15);

/** Every profile needs a passing probe before its LLM settings or prompts change, whatever its own require_probe says. */
export function probeRequiredEverywhere(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SWITCHBOARD_REQUIRE_PROBE?.trim().toLowerCase() === 'true';
}
