// API tokens: `cf_` + 32 random bytes (base64url). Only a token's sha256 is stored; a presented token is
// hashed and compared with the stored hash in constant time.
import crypto from 'node:crypto';

export const TOKEN_PREFIX = 'cf_';
const TOKEN_PATTERN = /^cf_[A-Za-z0-9_-]{43}$/;

export function newApiToken(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

/** sha256 of the whole token, lowercase hex: what ApiToken.tokenHash holds. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** Constant-time comparison of two hex sha256 hashes. */
export function hashesMatch(storedHex: string, presentedHex: string): boolean {
  const a = Buffer.from(storedHex, 'hex');
  const b = Buffer.from(presentedHex, 'hex');
  if (a.length !== 32 || b.length !== 32) return false;
  return crypto.timingSafeEqual(a, b);
}
