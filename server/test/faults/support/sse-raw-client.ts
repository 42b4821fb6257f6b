import net from 'node:net';
import { changedEventId, SseEventParser } from './sse-event-parser.js';

/**
 * A change-stream subscriber on a bare TCP socket, so that a test can stop reading (`pause()`)
 * and let the server's writes pile up, as a stuck agent or a saturated link would. It speaks just
 * enough HTTP/1.1: one GET, the response head, a chunked body.
 */
export class RawSseClient {
  /** Ids of the complete `config.changed` events read so far. */
  readonly ids: number[] = [];
  status: number | undefined;
  /** The server closed the connection ('end' or 'close' seen). */
  closedByServer = false;
  /** Set when the response was not an HTTP/1.1 chunked stream. */
  protocolError: string | undefined;
  private head = Buffer.alloc(0);
  private bodyBytes = 0;
  private readonly body = new ChunkedBody((bytes) => this.events.push(bytes));
  private readonly events = new SseEventParser((event) => {
    const id = changedEventId(event);
    if (id !== undefined) this.ids.push(id);
  });

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => (this.closedByServer = true));
    socket.on('close', () => (this.closedByServer = true));
    socket.on('error', () => undefined); // a reset is how some servers cut; 'close' follows
  }

  /** Connects, asks for the stream and resolves once the response has started (its head and first bytes). */
  static async open(baseUrl: string, token: string, lastEventId?: number, timeoutMs = 10_000): Promise<RawSseClient> {
    const { hostname, port } = new URL(baseUrl);
    const socket = net.connect(Number(port), hostname);
    const client = new RawSseClient(socket);
    const lines = [
      'GET /api/config/stream HTTP/1.1',
      `Host: ${hostname}:${port}`,
      `Authorization: Bearer ${token}`,
      'Accept: text/event-stream',
      ...(lastEventId !== undefined ? [`Last-Event-ID: ${lastEventId}`] : []),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    const started = performance.now();
    while (client.bodyBytes === 0 && !client.closedByServer) {
      if (performance.now() - started > timeoutMs) throw new Error(`no stream response within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return client;
  }

  /** Stops reading: what the server sends stays in the kernel's buffers, then in the server's. */
  pause(): void {
    this.socket.pause();
  }

  /** Reads everything left; resolves whether the server closed the connection within the time. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.socket.resume();
    const started = performance.now();
    while (!this.closedByServer && performance.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.closedByServer;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.status === undefined) {
      this.head = Buffer.concat([this.head, chunk]);
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headText = this.head.subarray(0, end).toString('latin1');
      this.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1] ?? 0);
      if (!/\r\ntransfer-encoding: chunked/i.test(headText)) {
        this.protocolError = `expected a chunked stream, got:\n${headText}`;
        this.socket.destroy();
        return;
      }
      chunk = this.head.subarray(end + 4);
    }
    this.bodyBytes += chunk.length;
    this.body.push(chunk);
  }
}

/** Undoes HTTP/1.1 chunked transfer coding as bytes arrive; a chunk cut short still yields what came. */
class ChunkedBody {
  private state: 'size' | 'data' | 'crlf' | 'done' = 'size';
  private sizeLine = '';
  private remaining = 0;
  private crlfLeft = 0;

  constructor(private readonly onBytes: (bytes: Uint8Array) => void) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && this.state !== 'done') {
      if (this.state === 'size') {
        const newline = chunk.indexOf('\n', at);
        if (newline < 0) {
          this.sizeLine += chunk.subarray(at).toString('latin1');
          return;
        }
        this.sizeLine += chunk.subarray(at, newline).toString('latin1');
        at = newline + 1;
        this.remaining = parseInt(this.sizeLine.trim().split(';')[0], 16);
        this.sizeLine = '';
        this.state = this.remaining === 0 ? 'done' : 'data';
      } else if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - at);
        this.onBytes(chunk.subarray(at, at + take));
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) {
          this.state = 'crlf';
          this.crlfLeft = 2;
        }
      } else {
        const skip = Math.min(this.crlfLeft, chunk.length - at);
        at += skip;
        this.crlfLeft -= skip;
        if (this.crlfLeft === 0) this.state = 'size';
      }
    }
  }
}
