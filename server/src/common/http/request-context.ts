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
