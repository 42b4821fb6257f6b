import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';

export type BuiltInConfigDomain = 'profile' | 'ai_infra' | 'genie' | 'mlflow' | 'prompts';
/** A built-in domain, or the name of one registered in the domain registry. */
export type ConfigDomain = BuiltInConfigDomain | (string & {});
/** `inherit`: a change of a profile's parent (or further up) that reached its inherited values. */
export type ConfigAction = 'create' | 'update' | 'delete' | 'set_default' | 'duplicate' | 'load' | 'restore' | 'import' | 'inherit';
export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

export const CONFIG_CHANGED = 'config.changed';

/** What an audit entry is about: a profile's configuration, or the domain registry itself. */
export type HistorySubject = 'profile' | 'domain';

/** A domain was registered, changed or deleted (not a profile's values of it). */
export const DOMAIN_REGISTRY_CHANGED = 'domain-registry.changed';

/**
 * Emitted with `emitAsync` inside the registry's transaction, like ConfigChangedEvent: the audit
 * entry commits with the change. `registration` is the domain as it stands after the change (as it
 * stood, for a delete).
 */
export class DomainRegistryChangedEvent {
  constructor(
    readonly manager: EntityManager,
    readonly domain: string,
    readonly action: 'create' | 'update' | 'delete',
    readonly actor: string,
    readonly changes: FieldChanges,
    readonly registration: Record<string, unknown>,
  ) {}
}

/**
 * Emitted with `emitAsync` inside the transaction that made the change; listeners write through
 * `manager`, so their work (the audit row) commits or rolls back with the change itself. Writes of
 * one-row-per-profile domains carry the row before and after (as their routes show it), so that
 * nobody needs to read it again.
 */
export class ConfigChangedEvent {
  constructor(
    readonly manager: EntityManager,
    readonly profileId: number,
    readonly profileName: string,
    readonly domain: ConfigDomain,
    readonly action: ConfigAction,
    readonly actor: string,
    readonly changes: FieldChanges,
    readonly values?: { before: unknown; after: unknown },
    /** The named item of the domain the change is about (a prompt of the registry). */
    readonly item?: string,
  ) {}

  /** The audit entry's id, once the history listener wrote it (during emitAsync). */
  historyId?: number;
}

/**
 * Runs CONFIG_CHANGED's listeners one after another, inside the writing transaction: they share
 * its one connection, which takes one query at a time (pg queues the others, which pg 9 no longer
 * does), and the first refusal (a gate) stops the rest. Returns the event, with its audit id.
 */
export async function emitConfigChanged(events: EventEmitter2, event: ConfigChangedEvent): Promise<ConfigChangedEvent> {
  for (const listener of events.listeners(CONFIG_CHANGED)) await (listener as (event: ConfigChangedEvent) => unknown)(event);
  return event;
}

/** The fields whose values differ, as {field: {old, new}}. */
export function diffFields<T extends object>(before: T, after: Partial<T>, fields: readonly (keyof T & string)[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    if (field in after && after[field] !== undefined && after[field] !== before[field]) {
      changes[field] = { old: before[field], new: after[field] };
    }
  }
  return changes;
}

/** An API token was revoked, changed or deleted (on any instance): verified tokens held in memory are forgotten. */
export const TOKENS_CHANGED = 'auth.tokens-changed';

/** The channel every committed change (and every reload request) is announced on. */
export const CONFIG_CHANNEL = 'switchboard_config';

/** Emitted by reload's listener for each notification, i.e. after the change committed. */
export const CONFIG_COMMITTED = 'config.committed';

/** What a notification carries (built by the database: fn_config_history_change). */
export interface ConfigChangeMessage {
  history_id: number;
  profile_id: number | null;
  profile_name: string;
  domain: ConfigDomain;
  /** The named item of the domain: the prompt, for `prompt_registry`; else null. */
  item: string | null;
  action: ConfigAction;
  /** The domain row's new version (null for Genie spaces, whose rows version separately). */
  version: number | null;
  /** The session a `load` pointed at the profile. */
  session_id: string | null;
  /** Who made the change (the history entry's changed_by). */
  changed_by: string;
  timestamp: string;
}

export class ConfigCommittedEvent {
  readonly historyId: number;
  readonly profileId: number | null;
  readonly domain: ConfigDomain;
  readonly action: ConfigAction;
  readonly sessionId: string | null;

  constructor(readonly message: ConfigChangeMessage) {
    this.historyId = message.history_id;
    this.profileId = message.profile_id;
    this.domain = message.domain;
    this.action = message.action;
    this.sessionId = message.session_id;
  }
}

/**
 * Configuration changed without an audit entry to say how: the listener reconnected after
 * missing notifications, someone asked for a reload, or rows were changed outside the API (the
 * database announces those itself, see the NotifyExternalChanges migration). Caches re-read
 * what they hold and agents rebuild.
 */
export const CONFIG_RESYNC = 'config.resync';

export type ConfigResyncReason = 'reconnected' | 'reload' | 'external';

export class ConfigResyncEvent {
  constructor(
    readonly reason: ConfigResyncReason,
    /** Only this profile; null: every profile. */
    readonly profileId: number | null = null,
    /**
     * Whether change streams announce it. The instance serving a reload reacts at once, unannounced;
     * the notification's echo, which every instance (this one too) receives, is announced.
     */
    readonly announce = true,
  ) {}
}

/**
 * A change request was made or decided, or a scheduled change was made, ran, failed or was
 * cancelled (on any instance): change streams send it on.
 */
export const ITEM_STATUS_CHANGED = 'item-status.changed';

/** What the database announces of a change request or a schedule (fn_notify_change_request, fn_notify_schedule). */
export class ItemStatusChangedEvent {
  constructor(
    readonly kind: 'change_request' | 'schedule',
    readonly message: { id: number; profile_id: number; status: string },
  ) {}
}

/** An agent session ended (on any instance): forget what is held for it. */
export const SESSION_ENDED = 'session.ended';

/**
 * This instance moved a session to another profile (a load), and the move has committed. Emitted
 * locally right after the commit, ahead of the notification, which reaches the other instances.
 */
export const SESSION_MOVED = 'session.moved';

export class SessionMovedEvent {
  constructor(readonly sessionId: string) {}
}

export class SessionEndedEvent {
  constructor(readonly sessionId: string) {}
}
