import {
  DEFAULT_SLIDE_EDITING_INSTRUCTIONS,
  DEFAULT_SYSTEM_PROMPT,
  DEFAULT_USER_PROMPT_TEMPLATE,
} from './default-prompts.js';

/**
 * Built-in defaults: the values of the seeded default profile, of profiles created without a
 * source, and the last layer of precedence (environment > database > these).
 */
export const DEFAULT_PROFILE = {
  name: 'default',
  description: 'Built-in defaults for the slide-generating data analyst agent.',
} as const;

export const DEFAULT_AI_INFRA = {
  llm_endpoint: 'databricks-claude-sonnet-4-5',
  llm_temperature: 0.7,
  llm_max_tokens: 60000,
  llm_top_p: 1,
  llm_timeout_seconds: 120,
} as const;

/** The seed's Genie space; DATABRICKS_GENIE_SPACE_ID replaces it for a workspace of your own. */
export function defaultGenieSpace(env: NodeJS.ProcessEnv = process.env) {
  return {
    space_id: env.DATABRICKS_GENIE_SPACE_ID?.trim() || '01effebcc2781b6bbb749077a55d31e3',
    space_name: 'Databricks Usage Analytics',
    description: 'Databricks usage data space',
    is_default: true,
  };
}

/** `{username}` is the Databricks user the agent runs as; the agent fills it in at run time. */
export const DEFAULT_MLFLOW = {
  experiment_name: '/Workspace/Users/{username}/ai-slide-generator',
} as const;

export const DEFAULT_PROMPTS = {
  system_prompt: DEFAULT_SYSTEM_PROMPT,
  slide_editing_instructions: DEFAULT_SLIDE_EDITING_INSTRUCTIONS,
  user_prompt_template: DEFAULT_USER_PROMPT_TEMPLATE,
} as const;
