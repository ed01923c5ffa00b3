// A fixed-window request limit per client address and route, in memory: enough to slow down guessing and
// runaway scripts against a single API process (several processes each keep their own count).
import type { RequestHandler } from 'express';
import { RateLimitedError } from './errors';

export interface RateLimit {
  windowMs: number;
  max: number;
}

export const DEFAULT_TOKEN_RATE_LIMIT: RateLimit = { windowMs: 60_000, max: 20 };

export function fixedWindowLimit({ windowMs, max }: RateLimit): RequestHandler<any> {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, _res, next) => {
    const now = Date.now();
    // The matched pattern, not the URL: /api/admin/users/:id/tokens counts once for every user id.
    const key = `${req.ip ?? req.socket.remoteAddress ?? '?'}|${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`;
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    if (w.count > max) throw new RateLimitedError(Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)));
    next();
  };
}
