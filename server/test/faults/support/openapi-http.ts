import http, { type IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpCall {
  method: string;
  /** Path and query, already percent-encoded: sent byte for byte. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text; empty for an event stream, which is closed once its head arrives. */
  text: string;
  ms: number;
}

/**
 * One request over a fresh loopback connection, with no client-side rewriting (supertest would
 * serialise bodies itself and refuses some of what the fuzzer sends). An event stream is closed as
 * soon as its head arrives.
 */
export function sendHttp(baseUrl: string, call: HttpCall, timeoutMs = 15_000): Promise<HttpAnswer> {
  const url = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const headers = { ...call.headers, ...(call.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(call.body)) }) };
    const request = http.request({ host: url.hostname, port: url.port, method: call.method, path: call.path, headers, agent: false }, (response) => {
      const head = { status: response.statusCode ?? 0, headers: response.headers };
      if (String(response.headers['content-type']).startsWith('text/event-stream')) {
        request.destroy();
        finish(() => resolve({ ...head, text: '', ms: performance.now() - started }));
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => finish(() => resolve({ ...head, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started })));
      response.on('error', (error) => finish(() => reject(error)));
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish(() => reject(new Error(`no answer within ${timeoutMs} ms`)));
    }, timeoutMs);
    // A server may answer (413, 400) and close before it has read the whole body: the answer counts.
    request.on('error', (error) => finish(() => reject(error)));
    request.end(call.body);
  });
}

/** The body parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
