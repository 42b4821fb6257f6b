import { loadDatabricksConfig } from '../databricks/databricks.config.js';
import { LlmNotConfiguredError, LlmTimeoutError, LlmUpstreamError } from './llm.errors.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  endpoint: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  topP: number;
  timeoutSeconds: number;
}

export interface ChatReply {
  content: string;
  usage: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
}

interface Target {
  url(endpoint: string): string;
  key?: string;
  /** OpenAI-style servers pick the model from the body; Databricks from the path. */
  sendsModel: boolean;
}

/**
 * OpenAI-compatible chat completions: `LLM_BASE_URL` + /chat/completions (any compatible server),
 * else Databricks model serving at DATABRICKS_HOST/serving-endpoints/<endpoint>/invocations.
 */
export class LlmClient {
  private readonly target: Target | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const baseUrl = env.LLM_BASE_URL?.trim().replace(/\/+$/, '');
    const databricks = loadDatabricksConfig(env);
    if (baseUrl) {
      this.target = { url: () => `${baseUrl}/chat/completions`, key: env.LLM_API_KEY?.trim() || undefined, sendsModel: true };
    } else if (databricks.host && databricks.token) {
      this.target = {
        url: (endpoint) => `${databricks.host}/serving-endpoints/${encodeURIComponent(endpoint)}/invocations`,
        key: databricks.token,
        sendsModel: false,
      };
    }
  }

  async chat(request: ChatRequest): Promise<ChatReply> {
    if (!this.target) throw new LlmNotConfiguredError();
    const url = this.target.url(request.endpoint);
    const timeout = () =>
      new LlmTimeoutError(`The LLM endpoint "${request.endpoint}" did not answer within ${request.timeoutSeconds} s (llm_timeout_seconds).`);
    let response: Response;
    let body: { choices?: { message?: { content?: unknown } }[]; usage?: ChatReply['usage'] } | undefined;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.target.key && { authorization: `Bearer ${this.target.key}` }) },
        body: JSON.stringify({
          ...(this.target.sendsModel && { model: request.endpoint }),
          messages: request.messages,
          temperature: request.temperature,
          max_tokens: request.maxTokens,
          top_p: request.topP,
        }),
        signal: AbortSignal.timeout(request.timeoutSeconds * 1000),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new LlmUpstreamError(`The LLM endpoint "${request.endpoint}" answered HTTP ${response.status}.`);
      }
      body = (await response.json()) as typeof body;
    } catch (error) {
      if (error instanceof LlmUpstreamError) throw error;
      if ((error as { name?: unknown })?.name === 'TimeoutError') throw timeout();
      if (error instanceof SyntaxError) throw new LlmUpstreamError(`The LLM endpoint "${request.endpoint}" answered with something other than JSON.`);
      throw new LlmUpstreamError(`The LLM at ${new URL(url).host} could not be reached (${(error as { cause?: { code?: string } })?.cause?.code ?? 'network error'}).`);
    }
    const content = body?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') {
      throw new LlmUpstreamError(`The LLM endpoint "${request.endpoint}" answered without choices[0].message.content.`);
    }
    return { content, usage: body?.usage ?? null };
  }
}
