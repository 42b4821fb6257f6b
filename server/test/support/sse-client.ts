import { TEST_ADMIN_TOKEN } from './test-app.js';

export interface SseEvent {
  id?: string;
  event?: string;
  data: unknown;
  /** performance.now() when the event arrived. */
  receivedAt: number;
}

export interface SseStream {
  status: number;
  headers: Headers;
  events: SseEvent[];
  comments: string[];
  /** Resolves once `count` events of the given type have arrived. */
  waitFor(count: number, type?: string, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

/** A Server-Sent Events client over fetch, as an agent would write one (headers included). */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();

  const parse = (block: string) => {
    const event: Partial<SseEvent> = {};
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) event.id = line.slice(4);
      else if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length) events.push({ ...event, data: JSON.parse(data.join('\n')), receivedAt: performance.now() });
    waiters.forEach((wake) => wake());
  };

  if (response.body && response.ok) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            parse(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }

  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    close: () => controller.abort(),
    waitFor: (count, type = 'config.changed', timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const matching = () => events.filter((e) => e.event === type);
        const check = () => {
          if (matching().length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(matching());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} ${type} event(s), got ${matching().length}: ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}
