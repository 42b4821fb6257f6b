import type { ResolvedConfigDto } from '../reload/dto/resolved.dto.js';
import type { Resolved } from '../reload/resolved-config.service.js';
import { UnprocessableError } from '../common/errors/domain-errors.js';
import { PromptTemplateError, renderTemplate } from '../prompts/prompt-template.validator.js';
import type { ChatMessage, ChatRequest } from '../llm/llm.client.js';

/**
 * The agent of one session, built from its profile's resolved configuration. Immutable: a change
 * of configuration builds a new one, swapped in before the next message.
 */
export class Agent {
  private constructor(
    readonly profileId: number,
    /** The resolved configuration's ETag: equal means this agent is current. */
    readonly configEtag: string,
    private readonly config: ResolvedConfigDto,
  ) {}

  static from(resolved: Resolved): Agent {
    if (!resolved.body.profile) throw new Error('an agent needs a profile');
    return new Agent(resolved.body.profile.id, resolved.etag, resolved.body);
  }

  /** A pinned session's agent keeps its configuration through changes of its profile. */
  get pinned(): boolean {
    return this.config.pinned_version !== null;
  }

  get profileName(): string {
    return this.config.profile!.name;
  }

  /**
   * The chat request for the next message: the system prompt and editing instructions, every
   * earlier turn, then the user template filled with the question.
   */
  prepare(history: ChatMessage[], question: string, maxSlides: number): { request: ChatRequest; userMessage: string } {
    const { ai_infra: ai, prompts } = this.config;
    const values = { question, max_slides: maxSlides };
    const system = [prompts.system_prompt, prompts.slide_editing_instructions].map((text) => this.render(text, values)).join('\n\n');
    const userMessage = this.render(prompts.user_prompt_template, values);
    const request: ChatRequest = {
      endpoint: ai.llm_endpoint,
      messages: [{ role: 'system', content: system }, ...history, { role: 'user', content: userMessage }],
      temperature: ai.llm_temperature,
      maxTokens: ai.llm_max_tokens,
      topP: ai.llm_top_p,
      timeoutSeconds: ai.llm_timeout_seconds,
    };
    return { request, userMessage };
  }

  /** Prompts are checked on every write, but hand-edited rows are not: say which profile to fix. */
  private render(template: string, values: Record<string, string | number>): string {
    try {
      return renderTemplate(template, values);
    } catch (error) {
      if (!(error instanceof PromptTemplateError)) throw error;
      throw new UnprocessableError(`The prompts of profile "${this.profileName}" cannot be rendered: ${error.message} Fix them through PUT /api/config/prompts/${this.profileId}.`);
    }
  }
}
