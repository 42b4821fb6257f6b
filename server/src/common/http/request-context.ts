import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './access.js';

interface RequestContext {
  requestId: string;
  /** Who sent the request, once authentication has run. */
  principal?: Principal;
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

/** Called by the guard: the work the request runs can then ask who is acting (PermissionGate). */
export function enterPrincipal(principal: Principal): void {
  const store = storage.getStore();
  if (store) store.principal = principal;
}

/** The principal of the HTTP request being served; undefined for work no request started (a scheduled change, the CLI). */
export function currentPrincipal(): Principal | undefined {
  return storage.getStore()?.principal;
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
