import { compileSchema } from '../domains/json-schema.js';
import { loadEnvOverrides, registeredOverrides } from './env-overrides.js';

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
    // Not a built-in domain: left to the registry check (registeredOverrides), once the database is there.
    expect(message).not.toContain('WEATHER');
    expect(() => loadEnvOverrides({ SWITCHBOARD__PROMPTS__USER_PROMPT_TEMPLATE: 'no placeholders' })).toThrow(/USER_PROMPT_TEMPLATE: .*\{question\}/);
    expect(() => loadEnvOverrides({ SWITCHBOARD__AI_INFRA__LLM_MAX_TOKENS: 'many' })).toThrow(/LLM_MAX_TOKENS: llm_max_tokens must be a whole number/);
  });
});

describe('registeredOverrides', () => {
  const schema = {
    type: 'object',
    properties: { rain: { type: 'boolean', default: false }, millimetres: { type: 'number', minimum: 0 }, station: { type: 'string' }, hours: { type: 'array' } },
    additionalProperties: false,
  };
  const weather = { name: 'weather', schema, compiled: compileSchema(schema) };

  it("coerces each variable by its field's type in the schema", () => {
    expect(registeredOverrides({ SWITCHBOARD__WEATHER__RAIN: 'true', SWITCHBOARD__WEATHER__MILLIMETRES: '2.5', SWITCHBOARD__WEATHER__STATION: 'Oslo', SWITCHBOARD__AI_INFRA__LLM_TOP_P: '1' }, [weather])).toEqual({
      weather: { rain: true, millimetres: 2.5, station: 'Oslo' },
    });
  });

  it('refuses an unknown domain or field, a structured field, and a value the schema refuses, naming each variable', () => {
    expect(() => registeredOverrides({ SWITCHBOARD__WEATHER__RAIN: '1' }, [])).toThrow('SWITCHBOARD__WEATHER__RAIN is not an override: no built-in or registered domain is called "weather"');
    expect(() => registeredOverrides({ SWITCHBOARD__WEATHER__SNOW: '1' }, [weather])).toThrow(/SWITCHBOARD__WEATHER__SNOW: "snow" is not a top-level/);
    expect(() => registeredOverrides({ SWITCHBOARD__WEATHER__HOURS: '1' }, [weather])).toThrow(/SWITCHBOARD__WEATHER__HOURS: "hours" is not a top-level/);
    expect(() => registeredOverrides({ SWITCHBOARD__WEATHER__MILLIMETRES: '-1' }, [weather])).toThrow('SWITCHBOARD__WEATHER__MILLIMETRES: must be >= 0');
    expect(() => registeredOverrides({ SWITCHBOARD__WEATHER__RAIN: 'yes' }, [weather])).toThrow('SWITCHBOARD__WEATHER__RAIN: must be boolean');
  });
});
