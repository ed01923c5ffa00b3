// A fixed-window request limit per client address and route, in memory: enough to slow down guessing and
// runaway scripts against a single API process (several processes each keep their own count).
import type { RequestHandler } from 'express';
import { RateLimitedError } from './errors';

export interface RateLimit {
  windowMs: number;
  max: number;
}

export const DEFAULT_TOKEN_RATE_LIMIT: RateLimit = { windowMs: 60_000, max: 20 };

/** Counts per key that restart `windowMs` after their first count; keys whose window ended are pruned. */
class FixedWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key's window if it is still open. */
  get(key: string): { start: number; count: number } | undefined {
    const w = this.windows.get(key);
    if (w && this.now() - w.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  /** Counts one for the key, opening a window if none is open; returns the window. */
  add(key: string): { start: number; count: number } {
    let w = this.get(key);
    if (!w) {
      const now = this.now();
      if (this.windows.size > 10_000) for (const [k, v] of this.windows) if (now - v.start >= this.windowMs) this.windows.delete(k);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w;
  }

  /** A 429 telling the client when the window ends. */
  refusal(w: { start: number }): RateLimitedError {
    return new RateLimitedError(Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000)));
  }
}

/** Counts per client address and route (`route`), or per address across everything behind it (`address`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any route's params: express then types the route's handler by its path
export function fixedWindowLimit({ windowMs, max }: RateLimit, per: 'route' | 'address' = 'route'): RequestHandler<any> {
  const windows = new FixedWindows(windowMs);
  return (req, _res, next) => {
    const address = req.ip ?? req.socket.remoteAddress ?? '?';
    // The matched pattern, not the URL: /api/admin/users/:id/tokens counts once for every user id. Lower case:
    // express matches /API/admin/... too, and a count must not restart for each way of writing the path.
    const key = per === 'address' ? address : `${address}|${req.method} ${`${req.baseUrl}${req.route?.path ?? req.path}`.toLowerCase()}`;
    const w = windows.add(key);
    if (w.count > max) throw windows.refusal(w);
    next();
  };
}

/** Failed sign-ins (bearer tokens that name no active user) allowed per address and window. */
export const DEFAULT_SIGN_IN_RATE_LIMIT: RateLimit = { windowMs: 60_000, max: 20 };

/** One presented bearer token on its way through the lookup; settle it with the outcome. */
export interface SignInAttempt {
  /** 'error': the lookup itself failed (database down), which says nothing about the token */
  settle(outcome: 'valid' | 'invalid' | 'error'): void;
}

/**
 * Slows down token guessing: per client address, at most `max` failed bearer authentications per window; past
 * that, every request from the address that needs a user answers 429 until the window ends. Successful requests
 * neither count nor reset the count (a valid token must not buy an attacker fresh guesses).
 *
 * Once an address has failed, its lookups in flight count against the limit too, or a burst of parallel guesses
 * would all be checked before their failures are recorded. Tokens that recently succeeded are exempt from that,
 * and an address that has not failed is not counted at all, so that clients sending many requests at once with
 * valid tokens are never slowed down; an attacker's first burst is held once its first failure is in, milliseconds
 * later.
 */
export class SignInLimiter {
  /** failed authentications per address */
  private readonly failures: FixedWindows;
  private readonly pending = new Map<string, number>();
  /** token hash → when it last authenticated; bounded, oldest dropped first */
  private readonly recentlyValid = new Map<string, number>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly rememberValid = 10_000,
  ) {
    this.failures = new FixedWindows(limit.windowMs, now);
  }

  /** Refuses an address that is over its limit (RateLimitedError); any request that needs a user asks this first. */
  assertAllowed(address: string): void {
    const w = this.failures.get(address);
    if (w && w.count >= this.limit.max) throw this.failures.refusal(w);
  }

  /** A bearer token is about to be looked up; throws RateLimitedError if the lookup may not happen. */
  begin(address: string, tokenHash: string | undefined): SignInAttempt {
    const now = this.now();
    const w = this.failures.get(address);
    const known = tokenHash !== undefined && this.isRecentlyValid(tokenHash, now);
    const inFlight = known ? 0 : (this.pending.get(address) ?? 0);
    if (w && w.count + inFlight >= this.limit.max) throw this.failures.refusal(w);
    if (!known) this.pending.set(address, inFlight + 1);
    let settled = false;
    return {
      settle: (outcome) => {
        if (settled) return;
        settled = true;
        if (!known) {
          const left = (this.pending.get(address) ?? 1) - 1;
          if (left > 0) this.pending.set(address, left);
          else this.pending.delete(address);
        }
        if (outcome === 'valid' && tokenHash !== undefined) this.markValid(tokenHash);
        if (outcome === 'invalid') this.failures.add(address);
      },
    };
  }

  private isRecentlyValid(tokenHash: string, now: number): boolean {
    const at = this.recentlyValid.get(tokenHash);
    return at !== undefined && now - at < this.limit.windowMs;
  }

  private markValid(tokenHash: string): void {
    this.recentlyValid.delete(tokenHash);
    this.recentlyValid.set(tokenHash, this.now());
    if (this.recentlyValid.size > this.rememberValid) this.recentlyValid.delete(this.recentlyValid.keys().next().value!);
  }
}
