// Who is calling. `Authorization: Bearer <token>` names an active user through an unrevoked, unexpired
// ApiToken (machines, scripts); the session cookie names the person signed in to the workspace with a password,
// and a request it authenticates that changes anything must also pass the CSRF checks (csrf.ts); `X-User-Id` is
// accepted only when config.trustUserHeader is on (tests, the harness, the demo). A bearer token wins over a
// cookie. Everything downstream reads the caller through callerId() and callerRole().
import type { RequestHandler, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../infra/config';
import { ForbiddenError, UnauthenticatedError } from '../http/errors';
import type { SignInLimiter } from '../http/rateLimit';
import { clientAddress, withOrigin } from '../http/requestContext';
import { callerSelect, MACHINE_ROLES, type Caller, type RoleName } from './caller';
import { assertNotForged } from './csrf';
import { clearSessionCookie, findLiveSession, presentedSessionId, type SessionPolicy } from './sessions';
import { hashesMatch, hashToken, looksLikeToken } from './tokens';

export type { RoleName };
/**
 * People. Machines hold tokens only, never a password or a session: a CLEARINGHOUSE sender may use the inbound
 * routes and nothing else, an EHR the /fhir routes of its practices and nothing else.
 */
export const STAFF_ROLES = ['CODER', 'BILLER', 'SUPERVISOR', 'ADMIN'] as const satisfies readonly RoleName[];
export const ALL_ROLES: readonly RoleName[] = [...STAFF_ROLES, ...MACHINE_ROLES];

/** lastUsedAt is written at most this often per token, so that reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Marks the middleware so that tests can find where authentication starts in the router stack. */
export const AUTHENTICATES = Symbol('authenticates');

/** The 401 for a session cookie that no longer opens anything. */
const SESSION_ENDED = 'your session has ended (signed out, idle too long, past its lifetime, or the password was reset): sign in again';

/**
 * `signIns` limits failed bearer authentications per address. X-User-Id is not limited: a configuration that
 * trusts it lets anyone name any user, so there is nothing to guess. Nor is a stale session cookie (a session id
 * is not guessable, and counting them would lock out a workspace that polls after its session ended). Session
 * cookies are accepted only when `sessions` is given: the clearinghouse's routes take tokens alone.
 */
export function requireUser(
  prisma: PrismaClient,
  config: Pick<Config, 'trustUserHeader'>,
  signIns?: SignInLimiter,
  sessions?: SessionPolicy,
): RequestHandler {
  const handler: RequestHandler = async (req, res, next) => {
    const address = clientAddress(req);
    signIns?.assertAllowed(address);
    const authorization = req.get('Authorization');
    const sessionId = sessions && authorization === undefined ? presentedSessionId(req) : undefined;
    let user: Caller | null = null;
    let tokenId: string | undefined;
    if (sessions && sessionId !== undefined) {
      const live = await findLiveSession(prisma, sessionId, sessions);
      if (!live) {
        clearSessionCookie(req, res);
        throw new UnauthenticatedError(SESSION_ENDED);
      }
      assertNotForged(req, sessionId);
      user = live.user;
    } else if (authorization !== undefined) {
      const presented = presentedTokenHash(authorization);
      const attempt = signIns?.begin(address, presented);
      try {
        const found = presented === undefined ? null : await userForToken(prisma, presented);
        user = found?.user ?? null;
        tokenId = found?.tokenId;
      } catch (err) {
        attempt?.settle('error');
        throw err;
      }
      attempt?.settle(user ? 'valid' : 'invalid');
    } else if (config.trustUserHeader) {
      user = await userForHeader(prisma, req.get('X-User-Id'));
    }
    if (!user) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new UnauthenticatedError();
    }
    res.locals.userId = user.id;
    res.locals.userRole = user.role;
    res.locals.userSkills = user.skills ?? [];
    res.locals.userPayerGroups = user.payerGroups ?? [];
    res.locals.senderPayerIds = user.payerIds ?? [];
    res.locals.userOrganizationIds = user.organizationIds ?? [];
    // The rest of the request runs with its origin, which every audit row it writes records.
    withOrigin({ actor: user.id, address, ...(tokenId ? { tokenId } : {}) }, next);
  };
  return Object.assign(handler, { [AUTHENTICATES]: true });
}

/** sha256 of the bearer token, or undefined when the header holds no well-formed token. */
function presentedTokenHash(authorization: string): string | undefined {
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
  return match && looksLikeToken(match[1]) ? hashToken(match[1]) : undefined;
}

async function userForToken(prisma: PrismaClient, presented: string): Promise<{ user: Caller; tokenId: string } | null> {
  // Looked up by the sha256 of the presented token, never by the token or a prefix of it: how long the index
  // lookup takes can tell an attacker at most something about a hash, which is useless without a preimage.
  const token = await prisma.apiToken.findUnique({ where: { tokenHash: presented }, include: { user: { select: callerSelect } } });
  // The comparison is repeated in constant time so that the decision never rests on the index's own comparison.
  if (!token || !hashesMatch(token.tokenHash, presented)) return null;
  const now = new Date();
  if (token.revokedAt || (token.expiresAt && token.expiresAt <= now) || !token.user.active) return null;
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return { user: token.user as Caller, tokenId: token.id };
}

async function userForHeader(prisma: PrismaClient, header: string | undefined): Promise<Caller | null> {
  const userId = header?.trim();
  if (!userId) return null;
  const user = await prisma.user.findUnique({ where: { id: userId }, select: callerSelect });
  return user && user.active ? (user as Caller) : null;
}

export function callerId(res: Response): string {
  const id = res.locals.userId;
  if (typeof id !== 'string') throw new UnauthenticatedError();
  return id;
}

/** Where requireRole keeps the roles it allows, for the route table test. */
export const ALLOWED_ROLES = Symbol('allowedRoles');

/** Every route declares who may call it; anyone else gets 403 (after authentication's 401). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any route's params: express then types the route's handler by its path
export function requireRole(...roles: RoleName[]): RequestHandler<any> {
  const handler: RequestHandler = (_req, res, next) => {
    const role = res.locals.userRole as RoleName | undefined;
    if (!role) throw new UnauthenticatedError();
    if (!roles.includes(role)) throw new ForbiddenError(`this needs one of the roles ${roles.join(', ')}; you are ${role}`);
    next();
  };
  return Object.assign(handler, { [ALLOWED_ROLES]: roles });
}

export function callerRole(res: Response): RoleName {
  const role = res.locals.userRole;
  if (typeof role !== 'string') throw new UnauthenticatedError();
  return role as RoleName;
}

/** What the caller may take beyond their role: skills and payer groups (empty: every payer). */
export function callerScope(res: Response): { skills: string[]; payerGroups: string[] } {
  return { skills: (res.locals.userSkills as string[]) ?? [], payerGroups: (res.locals.userPayerGroups as string[]) ?? [] };
}

/** Which payers a CLEARINGHOUSE sender may deliver messages for. */
export interface Sender {
  id: string;
  /** Payer.id values; "*" every payer */
  payerIds: readonly string[];
}

export function callerSender(res: Response): Sender {
  return { id: callerId(res), payerIds: (res.locals.senderPayerIds as string[]) ?? [] };
}

export const mayDeliverFor = (sender: Sender, payerId: string): boolean =>
  sender.payerIds.includes('*') || sender.payerIds.includes(payerId);
