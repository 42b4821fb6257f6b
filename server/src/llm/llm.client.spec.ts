import { startFakeLlm } from '../../test/support/fake-llm.js';
import { LlmClient } from './llm.client.js';
import { LlmNotConfiguredError } from './llm.errors.js';

const REQUEST = { endpoint: 'team-llm', messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0.1, maxTokens: 10, topP: 0.5, timeoutSeconds: 5 };

describe('LlmClient', () => {
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;

  beforeAll(async () => {
    llm = await startFakeLlm();
  });
  afterAll(() => llm.close());

  it('calls Databricks model serving by endpoint path, with the workspace token and no model field', async () => {
    const client = new LlmClient({ DATABRICKS_HOST: new URL(llm.url).origin, DATABRICKS_TOKEN: 'dapi-token' });
    const reply = await client.chat(REQUEST);
    expect(reply.content).toMatch(/^reply \d+$/);
    const call = llm.calls.at(-1)!;
    expect(call.url).toBe('/serving-endpoints/team-llm/invocations');
    expect(call.authorization).toBe('Bearer dapi-token');
    expect(call.body).toEqual({ messages: REQUEST.messages, temperature: 0.1, max_tokens: 10, top_p: 0.5 });
  });

  it('prefers LLM_BASE_URL, naming the model in the body', async () => {
    const client = new LlmClient({ LLM_BASE_URL: `${llm.url}/`, DATABRICKS_HOST: 'https://example.cloud.databricks.com', DATABRICKS_TOKEN: 'x' });
    await client.chat(REQUEST);
    expect(llm.calls.at(-1)).toMatchObject({ url: '/v1/chat/completions', authorization: undefined, body: { model: 'team-llm' } });
  });

  it('refuses to run without any LLM configured', async () => {
    await expect(new LlmClient({}).chat(REQUEST)).rejects.toBeInstanceOf(LlmNotConfiguredError);
  });
});
