// Response headers that make a browser treat claimflow's answers safely: the API's JSON carries PHI and the web
// workspace (a single-page app from the same origin) must not be framed, sniffed or fed script from elsewhere.
// Mounted first, so that every answer, errors included, carries them.
import type { Request, RequestHandler } from 'express';

/**
 * The workspace is built by Vite into module scripts and stylesheets under /assets, with no inline script:
 * 'self' is enough for scripts. React sets `style` attributes, hence 'unsafe-inline' for styles only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * True when the caller reached us over TLS, directly or through a proxy that says so. Browsers ignore
 * Strict-Transport-Security on a plain-HTTP answer (RFC 6797 §8.1), so a forged X-Forwarded-Proto gains nothing.
 */
function cameOverTls(req: Request): boolean {
  if (req.secure) return true;
  const forwarded = req.get('X-Forwarded-Proto');
  return forwarded?.split(',')[0].trim().toLowerCase() === 'https';
}

export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    // API answers carry PHI: no browser or proxy cache may keep them. The workspace's static files may be cached.
    if (isApiPath(req.path)) res.set('Cache-Control', 'no-store');
    if (cameOverTls(req)) res.set('Strict-Transport-Security', HSTS);
    next();
  };
}

/** /api and below, however it is written: express matches routes without regard to case, so /API/claims is an API call. */
export function isApiPath(path: string): boolean {
  const p = path.toLowerCase();
  return p === '/api' || p.startsWith('/api/');
}
