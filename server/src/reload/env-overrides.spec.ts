import { loadEnvOverrides } from './env-overrides.js';

describe('loadEnvOverrides', () => {
  it('reads SWITCHBOARD__<DOMAIN>__<FIELD>, typed like the API, and ignores other variables', () => {
    expect(
      loadEnvOverrides({
        SWITCHBOARD__AI_INFRA__LLM_MAX_TOKENS: '1234',
        SWITCHBOARD__AI_INFRA__LLM_ENDPOINT: '  my-endpoint ',
        SWITCHBOARD__MLFLOW__EXPERIMENT_NAME: '/Shared/exp',
        SWITCHBOARD__GENIE__SPACE_ID: 'a'.repeat(32),
        SWITCHBOARD_ADMIN_TOKEN: 'not an override',
        PATH: '/usr/bin',
      }),
    ).toEqual({
      ai_infra: { llm_max_tokens: 1234, llm_endpoint: 'my-endpoint' },
      genie_space: { space_id: 'a'.repeat(32) },
      mlflow: { experiment_name: '/Shared/exp' },
      prompts: {},
    });
  });

  it('refuses unknown names and values the API would refuse, naming each', () => {
    let message = '';
    try {
      loadEnvOverrides({
        SWITCHBOARD__AI_INFRA__LLM_TEMPERATURE: '3',
        SWITCHBOARD__AI_INFRA__TEMPERATURE: '0.1',
        SWITCHBOARD__WEATHER__RAIN: '1',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SWITCHBOARD__AI_INFRA__LLM_TEMPERATURE: llm_temperature must be at most 1');
    expect(message).toContain('SWITCHBOARD__AI_INFRA__TEMPERATURE is not an override; use one of SWITCHBOARD__AI_INFRA__LLM_ENDPOINT');
    expect(message).toContain('SWITCHBOARD__WEATHER__RAIN is not an override');
    expect(() => loadEnvOverrides({ SWITCHBOARD__PROMPTS__USER_PROMPT_TEMPLATE: 'no placeholders' })).toThrow(/USER_PROMPT_TEMPLATE: .*\{question\}/);
    expect(() => loadEnvOverrides({ SWITCHBOARD__AI_INFRA__LLM_MAX_TOKENS: 'many' })).toThrow(/LLM_MAX_TOKENS: llm_max_tokens must be a whole number/);
  });
});
