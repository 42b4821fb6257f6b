import { randomBytes, randomInt } from 'node:crypto';
import type pg from 'pg';
import { StatusTally } from './fault-report.js';

export const WRITE_KINDS = [
  'create',
  'duplicate',
  'import',
  'rename',
  'delete',
  'set-default',
  'ai-infra',
  'mlflow',
  'prompts',
  'genie-add',
  'genie-update',
  'genie-delete',
  'genie-set-default',
  'restore',
] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

/** More writes that make profiles than that remove them, so that there is always something to write to. */
const WEIGHTS: Record<WriteKind, number> = {
  create: 8,
  duplicate: 6,
  import: 5,
  rename: 6,
  delete: 6,
  'set-default': 5,
  'ai-infra': 12,
  mlflow: 10,
  prompts: 8,
  'genie-add': 7,
  'genie-update': 6,
  'genie-delete': 5,
  'genie-set-default': 3,
  restore: 4,
};

export interface WriteRecord {
  /** Sent as X-Request-Id: the server stores it in every audit entry the write makes. */
  requestId: string;
  kind: WriteKind;
  /** The profile, Genie space row or history entry the write aimed at (0 for a plain create). */
  target: number;
  /** The value the write sets, unique to it (a name, an experiment, a max-tokens figure). */
  value: string | number;
  /** undefined: no answer came (the write was in flight when the server died). */
  status?: number;
  body?: Record<string, unknown>;
}

/** Profiles and Genie space rows the workload knows of, learnt from the database and from answers. */
interface Known {
  profiles: Set<number>;
  /** Genie space row id -> its profile id. */
  spaces: Map<number, number>;
}

interface PlannedWrite {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  target: number;
  value: string | number;
}

/**
 * Concurrent clients sending every kind of write to one server, each with a request id of its
 * own, until the `stop` condition says so; then `onStop` runs at once (the test's kill -9) and
 * no client starts another write.
 */
export class CrashWorkload {
  readonly records: WriteRecord[] = [];
  readonly statuses = new StatusTally();
  /** Writes started but not answered at the moment of the stop. */
  inFlightAtStop = 0;
  private stopped = false;
  private sequence = 0;

  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly sql: pg.Client,
    /** Distinguishes this run's request ids and values from other runs' on the same database. */
    private readonly tag: string,
    private readonly cycle: number,
    private readonly known: Known,
  ) {}

  static async create(options: { baseUrl: string; token: string; sql: pg.Client; cycle: number }): Promise<CrashWorkload> {
    const profiles = await options.sql.query<{ id: number }>('SELECT id FROM config_profiles');
    const spaces = await options.sql.query<{ id: number; profile_id: number }>('SELECT id, profile_id FROM config_genie_spaces');
    const known: Known = {
      profiles: new Set(profiles.rows.map((row) => row.id)),
      spaces: new Map(spaces.rows.map((row) => [row.id, row.profile_id])),
    };
    return new CrashWorkload(options.baseUrl, options.token, options.sql, `crash-c${options.cycle}`, options.cycle, known);
  }

  get acknowledged(): number {
    return this.records.filter((record) => isSuccess(record.status)).length;
  }

  get unanswered(): WriteRecord[] {
    return this.records.filter((record) => record.status === undefined);
  }

  /** Resolves when every client has stopped and each one's last request has been answered or broken. */
  async run(clients: number, stop: { when: () => boolean; onStop: () => void }): Promise<void> {
    const checkStop = () => {
      if (this.stopped || !stop.when()) return;
      this.stopped = true;
      stop.onStop();
      this.inFlightAtStop = this.unanswered.length;
    };
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (!this.stopped) {
          await this.writeOnce();
          checkStop();
        }
      }),
    );
  }

  private async writeOnce(): Promise<void> {
    const kind = drawKind();
    const sequence = ++this.sequence;
    const requestId = `${this.tag}-w${sequence}`;
    const planned = await this.plan(kind, requestId, sequence);
    if (!planned || this.stopped) return;
    const record: WriteRecord = { requestId, kind, target: planned.target, value: planned.value };
    this.records.push(record);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${planned.path}`, {
        method: planned.method,
        headers: this.headers(requestId, planned.body !== undefined),
        body: planned.body === undefined ? undefined : JSON.stringify(planned.body),
      });
    } catch {
      return; // the server died with this write in flight
    }
    // The status line leaves the server only after the transaction committed: this is the acknowledgement.
    record.status = response.status;
    this.statuses.add(response.status);
    record.body = response.status === 204 ? undefined : ((await response.json().catch(() => undefined)) as WriteRecord['body']);
    this.learn(record);
  }

  /** A write of this kind against something that exists (as far as the workload knows), or undefined. */
  private async plan(kind: WriteKind, requestId: string, sequence: number): Promise<PlannedWrite | undefined> {
    const name = `crash ${requestId}`;
    switch (kind) {
      case 'create':
        return { method: 'POST', path: '/api/config/profiles', body: { name, description: 'made by the crash workload' }, target: 0, value: name };
      case 'duplicate':
        return this.onProfile((id) => ({ method: 'POST', path: `/api/config/profiles/${id}/duplicate`, body: { name }, target: id, value: name }));
      case 'import':
        return this.planImport(name);
      case 'rename':
        return this.onProfile((id) => ({ method: 'PUT', path: `/api/config/profiles/${id}`, body: { name: `${name} renamed` }, target: id, value: `${name} renamed` }));
      case 'delete':
        return this.onProfile((id) => ({ method: 'DELETE', path: `/api/config/profiles/${id}`, target: id, value: id }));
      case 'set-default':
        return this.onProfile((id) => ({ method: 'POST', path: `/api/config/profiles/${id}/set-default`, target: id, value: id }));
      case 'ai-infra': {
        // Unique across the run, so that every acknowledged PUT changes the row (and is audited).
        const maxTokens = 100_000 + this.cycle * 10_000 + sequence;
        const body = { llm_max_tokens: maxTokens, llm_temperature: randomInt(0, 101) / 100 };
        return this.onProfile((id) => ({ method: 'PUT', path: `/api/config/ai-infra/${id}`, body, target: id, value: maxTokens }));
      }
      case 'mlflow': {
        const experiment = `/Shared/crash/${requestId}`;
        return this.onProfile((id) => ({ method: 'PUT', path: `/api/config/mlflow/${id}`, body: { experiment_name: experiment }, target: id, value: experiment }));
      }
      case 'prompts': {
        const prompt = `You are a careful data analyst. Revision ${requestId}.`;
        return this.onProfile((id) => ({ method: 'PUT', path: `/api/config/prompts/${id}`, body: { system_prompt: prompt }, target: id, value: prompt }));
      }
      case 'genie-add': {
        const space = { space_id: randomBytes(16).toString('hex'), space_name: `space ${requestId}` };
        return this.onProfile((id) => ({ method: 'POST', path: `/api/config/genie/${id}`, body: space, target: id, value: space.space_id }));
      }
      case 'genie-update':
        return this.onSpace((id) => ({ method: 'PUT', path: `/api/config/genie/${id}`, body: { space_name: `space ${requestId}` }, target: id, value: `space ${requestId}` }));
      case 'genie-delete':
        return this.onSpace((id) => ({ method: 'DELETE', path: `/api/config/genie/${id}`, target: id, value: id }));
      case 'genie-set-default':
        return this.onSpace((id) => ({ method: 'POST', path: `/api/config/genie/${id}/set-default`, target: id, value: id }));
      case 'restore':
        return this.planRestore();
    }
  }

  private async planImport(name: string): Promise<PlannedWrite | undefined> {
    const source = pick(this.known.profiles);
    if (source === undefined) return undefined;
    const exported = await fetch(`${this.baseUrl}/api/config/profiles/${source}/export`, { headers: this.headers() }).catch(() => undefined);
    if (exported?.status !== 200) return undefined;
    const document = await exported.json();
    return { method: 'POST', path: `/api/config/profiles/import?name=${encodeURIComponent(name)}`, body: document, target: source, value: name };
  }

  /** Any entry with a snapshot: of a live profile (restored in place) or of a deleted one (recreated). */
  private async planRestore(): Promise<PlannedWrite | undefined> {
    const { rows } = await this.sql.query<{ id: string }>('SELECT id FROM config_history WHERE snapshot IS NOT NULL ORDER BY random() LIMIT 1');
    if (!rows.length) return undefined;
    const entryId = Number(rows[0].id);
    return { method: 'POST', path: `/api/config/history/entries/${entryId}/restore`, body: {}, target: entryId, value: entryId };
  }

  private onProfile(plan: (id: number) => PlannedWrite): PlannedWrite | undefined {
    const id = pick(this.known.profiles);
    return id === undefined ? undefined : plan(id);
  }

  private onSpace(plan: (id: number) => PlannedWrite): PlannedWrite | undefined {
    const id = pick(this.known.spaces.keys());
    return id === undefined ? undefined : plan(id);
  }

  private headers(requestId?: string, json = false): Record<string, string> {
    return {
      authorization: `Bearer ${this.token}`,
      ...(requestId && { 'x-request-id': requestId }),
      ...(json && { 'content-type': 'application/json' }),
    };
  }

  /** Keeps the known profiles and spaces up to date from what the server answered. */
  private learn(record: WriteRecord): void {
    const { kind, status, body, target } = record;
    if (status === 404) {
      if (kind.startsWith('genie-') && kind !== 'genie-add') this.known.spaces.delete(target);
      else if (kind !== 'restore' && kind !== 'create') this.forgetProfile(target);
      return;
    }
    if (!isSuccess(status)) return;
    if (['create', 'duplicate', 'import', 'restore'].includes(kind)) this.learnProfile(body);
    else if (kind === 'delete') this.forgetProfile(target);
    else if (kind === 'genie-add' && body) this.known.spaces.set(body.id as number, target);
    else if (kind === 'genie-delete') this.known.spaces.delete(target);
  }

  private learnProfile(body: Record<string, unknown> | undefined): void {
    if (!body) return;
    this.known.profiles.add(body.id as number);
    for (const space of (body.genie_spaces as { id: number }[] | undefined) ?? []) this.known.spaces.set(space.id, body.id as number);
  }

  private forgetProfile(id: number): void {
    this.known.profiles.delete(id);
    for (const [space, profile] of this.known.spaces) if (profile === id) this.known.spaces.delete(space);
  }
}

export function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

function drawKind(): WriteKind {
  const total = WRITE_KINDS.reduce((sum, kind) => sum + WEIGHTS[kind], 0);
  let roll = randomInt(0, total);
  for (const kind of WRITE_KINDS) {
    roll -= WEIGHTS[kind];
    if (roll < 0) return kind;
  }
  return 'mlflow';
}

function pick<T>(values: Iterable<T>): T | undefined {
  const all = [...values];
  return all.length ? all[randomInt(0, all.length)] : undefined;
}
