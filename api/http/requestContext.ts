// Who is behind the request being handled, for the audit trail: the caller, the address they came from (the
// client the trusted proxies name) and the token they presented. Set once by requireUser; recordAudit reads
// it, so that no audit row written while handling a request can forget where it came from.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request } from 'express';

export interface RequestOrigin {
  actor: string;
  address: string;
  /** the ApiToken presented; absent for X-User-Id (tests and the demo) */
  tokenId?: string;
}

const store = new AsyncLocalStorage<RequestOrigin>();

/** Runs `fn` (the rest of the request) with `origin` as the request's origin. */
export function withOrigin<T>(origin: RequestOrigin, fn: () => T): T {
  return store.run(origin, fn);
}

/** The origin of the request being handled, if any (activities and start-up run outside any request). */
export function currentOrigin(): RequestOrigin | undefined {
  return store.getStore();
}

/** The audit columns for the request being handled: address and token id (null outside a request). */
export function originColumns(): { address: string | null; tokenId: string | null } {
  const o = store.getStore();
  return { address: o?.address ?? null, tokenId: o?.tokenId ?? null };
}

/** The client's address: the one the trusted proxies name (CLAIMFLOW_TRUST_PROXY), else the connecting one. */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? '?';
}
