import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import {
  CONFIG_COMMITTED,
  CONFIG_RESYNC,
  type ConfigCommittedEvent,
  type ConfigResyncEvent,
  SESSION_ENDED,
  type SessionEndedEvent,
} from '../common/events/config-events.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { DeliveryService } from '../reload/delivery.service.js';
import { ResolvedConfigService } from '../reload/resolved-config.service.js';
import { SESSION_TTL_SECONDS, type SessionSummary, SessionsService } from '../sessions/sessions.service.js';
import { Agent } from './agent.js';
import type { AgentMessageDto, AgentReplyDto, AgentSessionDto, SendMessageDto } from './dto/agent.dto.js';
import { AgentMessageEntity } from './entities/agent-message.entity.js';
import { LlmClient } from '../llm/llm.client.js';

export const DEFAULT_MAX_SLIDES = 10;

/**
 * Runs agent sessions. Each session's agent is built from its profile's resolved configuration
 * and rebuilt when that configuration changes, or when the session loads another profile; the
 * conversation lives in the database, so it survives both, and any instance can continue it.
 */
@Injectable()
export class AgentRuntime {
  private readonly logger = new Logger(AgentRuntime.name);
  /** This instance's agents, by session, with when each last answered (idle ones are dropped). */
  private readonly agents = new Map<string, Agent>();
  private readonly lastUsed = new Map<string, number>();
  /** Messages of one session run one after another (on this instance). */
  private readonly queues = new Map<string, Promise<unknown>>();
  rebuilds = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfilesService,
    private readonly sessions: SessionsService,
    private readonly resolved: ResolvedConfigService,
    private readonly delivery: DeliveryService,
    private readonly llm: LlmClient,
    metrics: MetricsService,
  ) {
    metrics.gauge('switchboard_agents', 'Agents held by this instance, one per active session', () => this.agents.size);
    metrics.gauge('switchboard_agent_rebuilds', 'Agents rebuilt after a configuration change since start', () => this.rebuilds);
  }

  async start(profileId: number | undefined, actor: string, pin = false): Promise<AgentSessionDto> {
    const id = profileId ?? (await this.profiles.defaultProfileId());
    if (id === null) throw new NotFoundError('There is no profile to start a session with.');
    const { session_id } = await this.profiles.load(id, undefined, actor, pin);
    return this.describe(session_id);
  }

  list(query: { profileId?: number; limit: number; offset: number }): Promise<{ items: SessionSummary[]; total: number }> {
    return this.sessions.list(this.dataSource.manager, query);
  }

  async describe(sessionId: string): Promise<AgentSessionDto> {
    const session = await this.sessions.find(this.dataSource.manager, sessionId);
    return {
      session_id: session.id,
      profile_id: session.profileId,
      created_at: session.createdAt.toISOString(),
      last_seen_at: session.lastSeenAt.toISOString(),
      pinned_version: session.pinnedHistoryId === null ? null : Number(session.pinnedHistoryId),
      messages: (await this.conversation(sessionId)).map(toMessageDto),
    };
  }

  send(sessionId: string, message: SendMessageDto): Promise<AgentReplyDto> {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const turn = previous.catch(() => undefined).then(() => this.answer(sessionId, message));
    this.queues.set(sessionId, turn);
    void turn.finally(() => {
      if (this.queues.get(sessionId) === turn) this.queues.delete(sessionId);
    }).catch(() => undefined);
    return turn;
  }

  async end(sessionId: string): Promise<void> {
    await this.dataSource.transaction((manager) => this.sessions.end(manager, sessionId));
    this.forget(sessionId);
  }

  @OnEvent(SESSION_ENDED)
  onSessionEnded(event: SessionEndedEvent): void {
    this.forget(event.sessionId);
  }

  /** Rebuild, ahead of their next message, the agents whose configuration just changed; pinned sessions keep theirs. */
  @OnEvent(CONFIG_COMMITTED)
  onCommitted(event: ConfigCommittedEvent): void {
    for (const [sessionId, agent] of this.agents) {
      if ((agent.profileId === event.profileId && !agent.pinned) || sessionId === event.sessionId) this.refresh(sessionId);
    }
  }

  @OnEvent(CONFIG_RESYNC)
  onResync(event: ConfigResyncEvent): void {
    for (const [sessionId, agent] of this.agents) {
      if (event.profileId === null || agent.profileId === event.profileId) this.refresh(sessionId);
    }
  }

  private refresh(sessionId: string): void {
    this.agentFor(sessionId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return this.forget(sessionId);
      // The database may be away: the next message tries again.
      this.logger.debug(`Agent of session ${sessionId} not rebuilt yet: ${String(error)}`);
    });
  }

  private forget(sessionId: string): void {
    this.agents.delete(sessionId);
    this.lastUsed.delete(sessionId);
  }

  /** Agents idle past the session TTL are rebuilt on their next message, if there is one. */
  private dropIdleAgents(): void {
    const cutoff = Date.now() - SESSION_TTL_SECONDS * 1000;
    for (const [sessionId, at] of this.lastUsed) if (at < cutoff) this.forget(sessionId);
  }

  private async answer(sessionId: string, message: SendMessageDto): Promise<AgentReplyDto> {
    this.dropIdleAgents();
    const agent = await this.agentFor(sessionId);
    this.lastUsed.set(sessionId, Date.now());
    const history = (await this.conversation(sessionId)).map(({ role, content }) => ({ role, content }));
    const { request, userMessage } = agent.prepare(history, message.question, message.max_slides ?? DEFAULT_MAX_SLIDES);
    const reply = await this.llm.chat(request);
    const saved = await this.dataSource.transaction(async (manager) => {
      // Another instance may have answered a message of this session meanwhile: its turn and
      // this one would interleave, so this one is refused rather than saved out of order.
      await this.sessions.lockForTurn(manager, sessionId);
      const count = await manager.countBy(AgentMessageEntity, { sessionId });
      if (count !== history.length) {
        throw new ConflictError('Another message of this session was answered meanwhile; send this one again.');
      }
      await this.sessions.touch(manager, sessionId);
      const rows = await manager.save(
        [userMessage, reply.content].map((content, index) =>
          manager.create(AgentMessageEntity, { sessionId, role: index === 0 ? 'user' : 'assistant', content }),
        ),
      );
      return rows[1];
    });
    return {
      session_id: sessionId,
      profile_id: agent.profileId,
      profile_name: agent.profileName,
      message: toMessageDto(saved),
      llm: { endpoint: request.endpoint, temperature: request.temperature, max_tokens: request.maxTokens, top_p: request.topP },
      usage: reply.usage as Record<string, number> | null,
    };
  }

  /** The session's agent, rebuilt (and swapped in at once) when its configuration is no longer current. */
  private async agentFor(sessionId: string): Promise<Agent> {
    const resolved = await this.resolved.resolve({ sessionId }, true); // the agent itself: it needs its secrets
    const current = this.agents.get(sessionId);
    if (current?.configEtag === resolved.etag) return current;
    const agent = Agent.from(resolved);
    this.agents.set(sessionId, agent);
    if (current) this.rebuilds++;
    // Say which configuration the session now runs with: the change's delivery counts it applied.
    this.delivery.ack(sessionId, resolved.etag, true).catch((error: unknown) => this.logger.debug(`Session ${sessionId} not acknowledged: ${String(error)}`));
    return agent;
  }

  private conversation(sessionId: string): Promise<AgentMessageEntity[]> {
    return this.dataSource.manager.find(AgentMessageEntity, { where: { sessionId }, order: { id: 'ASC' } });
  }
}

function toMessageDto(row: AgentMessageEntity): AgentMessageDto {
  return { role: row.role, content: row.content, created_at: row.createdAt.toISOString() };
}
