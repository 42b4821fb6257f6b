import { DEFAULT_AI_INFRA, DEFAULT_MLFLOW, DEFAULT_PROMPTS, defaultGenieSpace } from '../common/defaults/default-config.js';
import type { ProfileDocumentDto } from '../profiles/dto/profile-document.dto.js';

export interface ShippedPreset {
  name: string;
  description: string;
  document: ProfileDocumentDto;
}

/** A document on the built-in defaults, with `changes` over them. */
function onDefaults(name: string, description: string, changes: { ai_infra?: Partial<ProfileDocumentDto['ai_infra']>; system_prompt?: string }): ShippedPreset {
  return {
    name,
    description,
    document: {
      name,
      description,
      ai_infra: { ...DEFAULT_AI_INFRA, ...changes.ai_infra },
      genie_spaces: [defaultGenieSpace()],
      mlflow: { ...DEFAULT_MLFLOW },
      prompts: { ...DEFAULT_PROMPTS, ...(changes.system_prompt && { system_prompt: changes.system_prompt }) },
      domains: {},
      prompt_registry: [],
    },
  };
}

/**
 * The presets every Switchboard ships (read-only; admins save their own beside them). Built when
 * asked, so that DATABRICKS_GENIE_SPACE_ID is taken as the defaults take it.
 */
export function shippedPresets(): ShippedPreset[] {
  return [
    onDefaults('Slide generator — Claude Sonnet', "Seed 001's slide-generating data analyst on Claude Sonnet, as shipped.", {}),
    onDefaults('Low-temperature analysis', 'Predictable, shorter answers for analysis and extraction: temperature 0.1, top p 0.9, 4,096 tokens, 60 s.', {
      ai_infra: { llm_temperature: 0.1, llm_top_p: 0.9, llm_max_tokens: 4096, llm_timeout_seconds: 60 },
      system_prompt: 'You are a careful data analyst. Answer only from the data you are given; say so when it does not hold the answer.',
    }),
    onDefaults('Creative brainstorming', 'Varied, exploratory decks: temperature 0.95.', { ai_infra: { llm_temperature: 0.95 } }),
  ];
}
