export interface ParsedSseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Splits a text/event-stream into events as its bytes arrive, however the bytes are cut. Only
 * complete events (ended by a blank line) come out: a stream cut mid-event loses that event, as it
 * does for a real client, which then asks for it again with Last-Event-ID.
 */
export class SseEventParser {
  private readonly decoder = new TextDecoder();
  private buffer = '';

  constructor(private readonly onEvent: (event: ParsedSseEvent) => void) {}

  push(bytes: Uint8Array): void {
    this.buffer += this.decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parseBlock(block);
    }
  }

  private parseBlock(block: string): void {
    const event: Partial<ParsedSseEvent> = {};
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) event.id = line.slice(4);
      else if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length) this.onEvent({ ...event, data: data.join('\n') });
  }
}

/** The history ids of `config.changed` events, as one client saw them. */
export function changedEventId(event: ParsedSseEvent): number | undefined {
  return event.event === 'config.changed' && event.id !== undefined ? Number(event.id) : undefined;
}

/** What a client's ids lack, repeat or put out of order, against every id it should have seen. */
export function compareDelivery(expected: readonly number[], received: readonly number[]): { lost: number; duplicates: number; outOfOrder: number } {
  const seen = new Set(received);
  let outOfOrder = 0;
  for (let i = 1; i < received.length; i++) if (received[i] <= received[i - 1]) outOfOrder++;
  return {
    lost: expected.filter((id) => !seen.has(id)).length,
    duplicates: received.length - seen.size,
    outOfOrder,
  };
}
