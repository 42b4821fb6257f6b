import { StatusTally } from './fault-report.js';
import { changedEventId, SseEventParser } from './sse-event-parser.js';

export interface ReconnectingStreamOptions {
  token: string;
  /** Start after this history id (0: replay everything); unset: start at the newest change. */
  lastEventId?: number;
  /** Pause before each reconnect, as the server's `retry:` asks (it says 2000; tests go faster). */
  retryMs?: number;
}

/**
 * A change-stream client that behaves as README asks agents to: whenever its stream ends or
 * cannot be opened, it connects again with `Last-Event-ID` set to the last id it received. It
 * keeps only the ids, so that thousands of events cost next to no memory.
 */
export class ReconnectingStream {
  /** Ids of the `config.changed` events, in arrival order, over every connection. */
  readonly ids: number[] = [];
  /** Status of every attempt to open the stream; 0 when no answer came (refused, reset). */
  readonly attempts = new StatusTally();
  /** Times an open stream ended or broke while the client still wanted it. */
  drops = 0;
  /** Why the last attempt got no answer, for failure messages. */
  lastError: string | undefined;
  private lastId: number | undefined;
  private closed = false;
  private controller: AbortController | undefined;
  private readonly running: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly options: ReconnectingStreamOptions,
  ) {
    this.lastId = options.lastEventId;
    this.running = this.run();
  }

  /** Resolves once an event with this id (or a later one) has arrived. */
  async waitForId(id: number, timeoutMs = 30_000): Promise<void> {
    const started = performance.now();
    while ((this.lastId ?? 0) < id) {
      if (performance.now() - started > timeoutMs) {
        throw new Error(`stream ${this.url} reached id ${this.lastId} of ${id} in ${timeoutMs} ms (attempts ${JSON.stringify(this.attempts)}, last error: ${this.lastError})`);
      }
      await sleep(20);
    }
  }

  /** Drops the current connection, as a proxy or a network blip would; the client reconnects by itself. */
  interrupt(): void {
    this.controller?.abort();
  }

  /** Stops reconnecting and ends the current connection; waits for that at most a second. */
  async close(): Promise<void> {
    this.closed = true;
    this.controller?.abort();
    await Promise.race([this.running, sleep(1000)]);
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        await this.connectOnce();
      } catch {
        // refused, reset or aborted: counted in connectOnce, retried below
      }
      if (!this.closed) await sleep(this.options.retryMs ?? 100);
    }
  }

  private async connectOnce(): Promise<void> {
    this.controller = new AbortController();
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'text/event-stream' };
    if (this.lastId !== undefined) headers['last-event-id'] = String(this.lastId);
    let response: Response;
    try {
      response = await fetch(this.url, { headers, signal: this.controller.signal });
    } catch (error) {
      if (!this.closed) this.attempts.add(0);
      this.lastError = `${String(error)} ${String((error as { cause?: unknown }).cause ?? '')}`;
      throw error;
    }
    this.attempts.add(response.status);
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      return;
    }
    const parser = new SseEventParser((event) => {
      const id = changedEventId(event);
      if (id === undefined) return;
      this.ids.push(id);
      this.lastId = id;
    });
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.push(chunk);
    } finally {
      if (!this.closed) this.drops++;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
