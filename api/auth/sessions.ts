// Workspace sessions: what a password sign-in opens. The session id is 32 random bytes in an HttpOnly cookie;
// the database keeps only its sha256, so a copy of the Session table signs nobody in. The CSRF token the
// workspace echoes in X-CSRF-Token is an HMAC keyed by the session id: bound to that one session, recomputed
// on every request, and nothing more to store.
import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { Prisma, PrismaClient, Session } from '../../generated/prisma/client';
import type { Config } from '../../infra/config';
import { readCookie, serializeCookie } from '../http/cookies';
import { callerSelect, isMachine, type Caller, type RoleName } from './caller';
import { hashesMatch, hashToken } from './tokens';

/**
 * Over TLS the cookie carries the __Host- prefix: browsers then accept it only with Secure, Path=/ and no Domain,
 * so a neighbouring subdomain cannot plant a session cookie of its choosing. Plain HTTP (a local `npm start`)
 * cannot have the prefix, and a request reads only the cookie of its own scheme.
 */
export const SESSION_COOKIE = 'claimflow_session';
export const SECURE_SESSION_COOKIE = '__Host-claimflow_session';

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** How long sessions last and how many failed passwords lock a user; `now` is a seam for tests. */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
  maxFailures: number;
  lockMs: number;
  now: () => number;
}

export function sessionPolicy(
  config: Pick<Config, 'sessionIdleMinutes' | 'sessionMaxHours' | 'signInMaxFailures' | 'signInLockMinutes'>,
  now: () => number = Date.now,
): SessionPolicy {
  return {
    idleMs: config.sessionIdleMinutes * 60_000,
    maxMs: config.sessionMaxHours * 3_600_000,
    maxFailures: config.signInMaxFailures,
    lockMs: config.signInLockMinutes * 60_000,
    now,
  };
}

/** The public handle of a session, for the audit trail and listings: never the secret. */
function newSessionHandle(): string {
  let out = 'SE';
  for (let i = 0; i < 12; i++) out += BASE36[crypto.randomInt(36)];
  return out;
}

export const sessionCookieName = (req: Request): string => (req.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

/** The session id the request's cookie carries: undefined without one, '' when it holds something else. */
export function presentedSessionId(req: Request): string | undefined {
  const value = readCookie(req, sessionCookieName(req));
  if (value === undefined) return undefined;
  return SESSION_ID_PATTERN.test(value) ? value : '';
}

/**
 * SameSite=Strict: the workspace is a page of this origin calling this origin, so the cookie is never needed
 * on a request another site starts, not even on a link followed from an e-mail (the page itself needs no
 * cookie; its calls to /api, made from the page, are same-site). Lax would add top-level GET navigations from
 * other sites, which only ever serve the page. No Max-Age: the cookie goes when the browser closes, and the
 * server ends the session earlier still (idle timeout, absolute lifetime).
 */
export function setSessionCookie(req: Request, res: Response, sessionId: string): void {
  res.append('Set-Cookie', serializeCookie(sessionCookieName(req), sessionId, { secure: req.secure, sameSite: 'Strict' }));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', serializeCookie(sessionCookieName(req), '', { secure: req.secure, sameSite: 'Strict', maxAgeS: 0 }));
}

/** The CSRF token of a session: HMAC-SHA256 keyed by the session id, base64url. */
export function csrfTokenFor(sessionId: string): string {
  return crypto.createHmac('sha256', sessionId).update('claimflow csrf v1').digest('base64url');
}

/** Constant-time check of a presented CSRF token against the session's own. */
export function csrfTokenMatches(sessionId: string, presented: string): boolean {
  const expected = Buffer.from(csrfTokenFor(sessionId));
  const given = Buffer.from(presented);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Opens a session for `userId`; the id is returned once, to go into the cookie. */
export async function openSession(
  db: Db,
  userId: string,
  address: string | null,
  policy: SessionPolicy,
): Promise<{ sessionId: string; record: Session }> {
  const sessionId = crypto.randomBytes(32).toString('base64url');
  const now = new Date(policy.now());
  const record = await db.session.create({
    data: {
      id: newSessionHandle(),
      userId,
      idHash: hashToken(sessionId),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + policy.maxMs),
      address,
    },
  });
  return { sessionId, record };
}

export interface LiveSession {
  record: Session;
  user: Caller;
}

/** lastSeenAt is written at most this often (or a tenth of the idle timeout), so that reads do not each cost a write. */
const LAST_SEEN_RESOLUTION_MS = 30_000;

/**
 * The live session a session id names, its lastSeenAt moved on; null when there is none: unknown, revoked, idle
 * past the timeout, past its lifetime, or its user deactivated or a machine.
 */
export async function findLiveSession(prisma: PrismaClient, sessionId: string, policy: SessionPolicy): Promise<LiveSession | null> {
  if (!SESSION_ID_PATTERN.test(sessionId)) return null;
  const presented = hashToken(sessionId);
  const found = await prisma.session.findUnique({ where: { idHash: presented }, include: { user: { select: callerSelect } } });
  // As for tokens: the decision never rests on the index's own comparison.
  if (!found || !hashesMatch(found.idHash, presented)) return null;
  const now = policy.now();
  if (!isLive(found, now, policy)) {
    // Ended by time: recorded, so that it stays ended whatever the clock does later, and the row says when.
    if (found.revokedAt === null) await revokeSession(prisma, found.id, policy);
    return null;
  }
  if (!found.user.active || isMachine(found.user.role as RoleName)) return null;
  const { user, ...record } = found;
  if (now - record.lastSeenAt.getTime() >= Math.min(LAST_SEEN_RESOLUTION_MS, policy.idleMs / 10)) {
    record.lastSeenAt = new Date(now);
    await prisma.session.update({ where: { id: record.id }, data: { lastSeenAt: record.lastSeenAt } });
  }
  return { record, user: user as Caller };
}

function isLive(s: Session, now: number, policy: SessionPolicy): boolean {
  return s.revokedAt === null && now < s.expiresAt.getTime() && now - s.lastSeenAt.getTime() < policy.idleMs;
}

/** Revokes one session; true when it was live until now. */
export async function revokeSession(db: Db, id: string, policy: SessionPolicy): Promise<boolean> {
  const changed = await db.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(policy.now()) } });
  return changed.count === 1;
}

/** Revokes the session a (presented) session id names, whoever's it is and whatever its state. */
export async function revokeSessionById(db: Db, sessionId: string, policy: SessionPolicy): Promise<void> {
  await db.session.updateMany({ where: { idHash: hashToken(sessionId), revokedAt: null }, data: { revokedAt: new Date(policy.now()) } });
}

/** Revokes every session of a user (a password reset); returns how many were not revoked yet. */
export async function revokeUserSessions(db: Db, userId: string, now: Date): Promise<number> {
  const changed = await db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return changed.count;
}
