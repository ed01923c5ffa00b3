// A single sign-on in flight, between the redirect to the identity provider and its callback. State, nonce and
// PKCE verifier stay on the server (OidcLogin); the browser holds only a random key to them in a short-lived
// HttpOnly cookie. That ties the callback to the browser that started the sign-in: a callback URL carried to
// another browser (login CSRF: someone's own code and state, planted on a victim) finds no sign-in there. The
// row goes at the first callback that names it, whatever that callback holds, so nothing can be tried twice.
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import type { OidcLogin, PrismaClient } from '../../generated/prisma/client';
import { readCookie, serializeCookie } from '../http/cookies';
import type { AuthorizationChecks } from './oidcClient';
import { hashToken } from './tokens';

/** Over TLS the __Host- prefix, as for the session cookie (sessions.ts). */
export const OIDC_COOKIE = 'claimflow_sso';
export const SECURE_OIDC_COOKIE = '__Host-claimflow_sso';

/** How long the browser may take at the identity provider (typing a password, a second factor). */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;

const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const cookieName = (req: Request): string => (req.secure ? SECURE_OIDC_COOKIE : OIDC_COOKIE);

/**
 * SameSite=Lax, unlike the session's Strict: the identity provider sends the browser back with a top-level
 * navigation from its own site, and Lax is what lets the cookie come along on that (and on nothing a page of
 * another site posts or loads).
 */
function setLoginCookie(req: Request, res: Response, key: string): void {
  res.append(
    'Set-Cookie',
    serializeCookie(cookieName(req), key, { secure: req.secure, sameSite: 'Lax', maxAgeS: OIDC_LOGIN_TTL_MS / 1000 }),
  );
}

export function clearLoginCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', serializeCookie(cookieName(req), '', { secure: req.secure, sameSite: 'Lax', maxAgeS: 0 }));
}

/** Fresh state, nonce and PKCE verifier (32 random bytes each) for one sign-in. */
export const newChecks = (): AuthorizationChecks => ({
  state: oidc.randomState(),
  nonce: oidc.randomNonce(),
  codeVerifier: oidc.randomPKCECodeVerifier(),
});

/** Opens a sign-in: stores its checks and where it goes afterwards, and sets the browser's cookie. */
export async function beginLogin(
  prisma: PrismaClient,
  req: Request,
  res: Response,
  login: { redirectUri: string; returnTo: string; checks: AuthorizationChecks },
  now: number,
): Promise<void> {
  const key = crypto.randomBytes(32).toString('base64url');
  // Abandoned sign-ins go here, so the table holds at most the last ten minutes' worth.
  await prisma.oidcLogin.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
  await prisma.oidcLogin.create({
    data: {
      idHash: hashToken(key),
      ...login.checks,
      redirectUri: login.redirectUri,
      returnTo: login.returnTo,
      createdAt: new Date(now),
      expiresAt: new Date(now + OIDC_LOGIN_TTL_MS),
    },
  });
  setLoginCookie(req, res, key);
}

/**
 * The sign-in the browser's cookie names, taken (deleted) so that it serves one callback only; null when there is
 * none: no cookie, a stale one, or a sign-in already finished or expired. The cookie is cleared either way.
 */
export async function takeLogin(prisma: PrismaClient, req: Request, res: Response, now: number): Promise<OidcLogin | null> {
  const key = readCookie(req, cookieName(req));
  if (key === undefined) return null;
  clearLoginCookie(req, res);
  if (!KEY_PATTERN.test(key)) return null;
  const idHash = hashToken(key);
  const found = await prisma.oidcLogin.findUnique({ where: { idHash } });
  if (!found) return null;
  // Of two callbacks racing with one cookie, only the one whose delete removed the row goes on.
  const { count } = await prisma.oidcLogin.deleteMany({ where: { idHash } });
  if (count !== 1 || found.expiresAt.getTime() <= now) return null;
  return found;
}
