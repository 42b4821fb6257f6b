import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Entered by a Fastify onRequest hook; everything the request then runs can read it. */
export function enterRequestContext(context: RequestContext): void {
  storage.enterWith(context);
}

/** The id of the HTTP request being served, if any (written into audit entries). */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** The caller's X-Request-Id when it is a sensible one, or a new UUID. */
export function requestIdOf(headers: { [name: string]: string | string[] | undefined }): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Runs work that no HTTP request started (a scheduled change) under its own id, for its audit entries. */
export function runWithRequestId<T>(requestId: string, work: () => Promise<T>): Promise<T> {
  return storage.run({ requestId }, work);
}
