// Reading the Cookie header and writing Set-Cookie, for the one cookie the API sets (the workspace session).
// Small enough not to need a library: names and values are our own and never need quoting.
import type { Request } from 'express';

/** The value of cookie `name` in the request, or undefined. A name sent twice gives the first, as browsers order the most specific first. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('Cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  /** seconds until the browser drops it; 0 drops it now. Unset: a cookie that ends with the browser session */
  maxAgeS?: number;
  secure: boolean;
  sameSite: 'Strict' | 'Lax';
}

/** A Set-Cookie value: always HttpOnly and Path=/, never a Domain (so the cookie is this host's alone). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${options.sameSite}`];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeS !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeS))}`);
  return parts.join('; ');
}
