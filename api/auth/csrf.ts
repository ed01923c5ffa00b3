// Cross-site request forgery: a browser sends the session cookie with whatever request a page makes to us, so a
// state-changing request authenticated by the cookie must prove it came from the workspace itself. It carries
// the session's CSRF token in X-CSRF-Token (a header another site's page cannot set without a CORS preflight,
// which the API never grants), and where the browser says where the request comes from (Sec-Fetch-Site,
// Origin) that must be this origin. Bearer-token requests are not checked: a browser never adds a token by itself.
import type { Request } from 'express';
import { ForbiddenError } from '../http/errors';
import { csrfTokenMatches } from './sessions';

export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A request refused as possibly forged: 403 with a code naming what was wrong. */
export class CsrfError extends ForbiddenError {
  constructor(code: 'CSRF_TOKEN_MISSING' | 'CSRF_TOKEN_INVALID' | 'CROSS_SITE_REQUEST', message: string) {
    super(message, code);
  }
}

export const changesState = (req: Request): boolean => !SAFE_METHODS.has(req.method);

/**
 * Refuses a request the browser marks as coming from another site or origin. Sec-Fetch-Site is set by the
 * browser and cannot be forged by a page; Origin is compared by host only (host and port), since a TLS-terminating
 * proxy that does not say so (CLAIMFLOW_TRUST_PROXY) makes this process think it is spoken to over plain HTTP.
 */
export function assertSameOrigin(req: Request): void {
  const site = req.get('Sec-Fetch-Site');
  if (site !== undefined && site !== 'same-origin') {
    throw new CsrfError('CROSS_SITE_REQUEST', `a request from another site (Sec-Fetch-Site: ${site.slice(0, 20)}) may not use the session`);
  }
  const origin = req.get('Origin');
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  // req.host is the Host header, or X-Forwarded-Host when the proxy is trusted.
  const own: string | undefined = req.host;
  if (!host || !own || host.toLowerCase() !== own.toLowerCase()) {
    throw new CsrfError('CROSS_SITE_REQUEST', 'the request comes from another origin (Origin) and may not use the session');
  }
}

/** For a state-changing request authenticated by session `sessionId`: the origin checks and the CSRF token. */
export function assertNotForged(req: Request, sessionId: string): void {
  if (!changesState(req)) return;
  assertSameOrigin(req);
  const presented = req.get(CSRF_HEADER);
  if (!presented) {
    throw new CsrfError('CSRF_TOKEN_MISSING', `a request that changes something needs the session's CSRF token in ${CSRF_HEADER}`);
  }
  if (!csrfTokenMatches(sessionId, presented)) {
    throw new CsrfError('CSRF_TOKEN_INVALID', `the ${CSRF_HEADER} header does not hold this session's CSRF token`);
  }
}
