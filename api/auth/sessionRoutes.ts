// /api/auth/session: the workspace signs in with a user id and a password (POST), learns who is signed in and
// its CSRF token (GET), and signs out (DELETE). Mounted before authentication: these routes read the session
// cookie themselves. Sign-in counts against the same per-address limit as failed bearer tokens.
import express, { Router } from 'express';
import type { Session } from '../../generated/prisma/client';
import { recordAudit } from '../http/audit';
import type { ApiContext } from '../http/context';
import { NotFoundError, parseInput, UnauthenticatedError } from '../http/errors';
import type { SignInLimiter } from '../http/rateLimit';
import { clientAddress, withOrigin } from '../http/requestContext';
import { describeRoute } from '../openapi/openapi';
import type { Caller } from './caller';
import { assertNotForged, assertSameOrigin, CSRF_HEADER } from './csrf';
import { currentSessionResponse, sessionResponse, signInBody, type CurrentSession, type SessionView } from './schemas';
import {
  clearSessionCookie,
  csrfTokenFor,
  findLiveSession,
  presentedSessionId,
  revokeSession,
  revokeSessionById,
  setSessionCookie,
  type SessionPolicy,
} from './sessions';
import { SignInFailedError, signInWithPassword } from './signIn';

const MOUNT = '/api/auth';

const routes = {
  signIn: describeRoute({
    method: 'post',
    path: `${MOUNT}/session`,
    auth: 'none',
    tag: 'auth',
    status: 201,
    summary: 'Sign in with a user id and password: a session in an HttpOnly cookie, and its CSRF token',
    description:
      'For people in the web workspace; machines keep using API tokens. The answer sets the session cookie (HttpOnly, SameSite=Strict, ' +
      `Path=/, Secure over TLS) and carries the CSRF token, which every POST, PUT, PATCH and DELETE made with the cookie sends back in ${CSRF_HEADER}. ` +
      'Every refusal is the same 401 SIGN_IN_FAILED, whether the user is unknown, the password wrong or the account locked after too many ' +
      'failures; 429 when the address made too many failed attempts. A session cookie the browser already had is ended.',
    body: signInBody,
    // no user id or password comes near this; a small limit keeps an unauthenticated body small
    bodyLimitBytes: 16 * 1024,
    response: sessionResponse,
  }),
  current: describeRoute({
    method: 'get',
    path: `${MOUNT}/session`,
    auth: 'none',
    tag: 'auth',
    summary: 'Who the session cookie signs in, its CSRF token and when it ends; { user: null } without a live session',
    response: currentSessionResponse,
  }),
  signOut: describeRoute({
    method: 'delete',
    path: `${MOUNT}/session`,
    auth: 'none',
    tag: 'auth',
    status: 204,
    summary: `Sign out: the session ends and its cookie is cleared (with the session's CSRF token in ${CSRF_HEADER}); 204 also without a session`,
  }),
};

/** A described path as the router mounted at MOUNT sees it. */
const local = (path: string): string => path.slice(MOUNT.length);

export function sessionRouter({ prisma }: ApiContext, policy: SessionPolicy, signIns: SignInLimiter): Router {
  const router = Router();
  // Nothing else parses these bodies: the routes sit before the /api authentication and its body parser.
  router.use(express.json({ limit: routes.signIn.bodyLimitBytes }));

  router.post(local(routes.signIn.path), async (req, res) => {
    // Login CSRF: another site's page must not sign this browser in as someone else.
    assertSameOrigin(req);
    const address = clientAddress(req);
    signIns.assertAllowed(address);
    const body = parseInput(signInBody, req.body);
    const attempt = signIns.begin(address, undefined);
    let signedIn;
    try {
      signedIn = await signInWithPassword(prisma, policy, body, address);
    } catch (err) {
      attempt.settle(err instanceof SignInFailedError ? 'invalid' : 'error');
      throw err;
    }
    attempt.settle('valid');
    // Session fixation: a session is only ever opened with an id made here, and the one the browser came with ends.
    const previous = presentedSessionId(req);
    if (previous) await revokeSessionById(prisma, previous, policy);
    setSessionCookie(req, res, signedIn.sessionId);
    const name = await userName(prisma, signedIn.user.id);
    res.status(201).json(sessionView(signedIn.sessionId, signedIn.session, signedIn.user, name, policy));
  });

  router.get(local(routes.current.path), async (req, res) => {
    const sessionId = presentedSessionId(req);
    const live = sessionId === undefined ? null : await findLiveSession(prisma, sessionId, policy);
    if (sessionId === undefined || !live) {
      if (sessionId !== undefined) clearSessionCookie(req, res);
      res.json({ user: null } satisfies CurrentSession);
      return;
    }
    const name = await userName(prisma, live.user.id);
    res.json(sessionView(sessionId, live.record, live.user, name, policy));
  });

  router.delete(local(routes.signOut.path), async (req, res) => {
    const sessionId = presentedSessionId(req);
    const live = sessionId ? await findLiveSession(prisma, sessionId, policy) : null;
    if (sessionId && live) {
      // Signing someone out is a change like any other: another site may not do it for them.
      assertNotForged(req, sessionId);
      await revokeSession(prisma, live.record.id, policy);
      const origin = { actor: live.user.id, address: clientAddress(req) };
      await withOrigin(origin, () =>
        recordAudit(prisma, { actor: origin.actor, action: 'session.signOut', entity: 'session', entityId: live.record.id }),
      );
    }
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  return router;
}

async function userName(prisma: ApiContext['prisma'], userId: string): Promise<string> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { name: true } });
  if (!user) throw new NotFoundError('user');
  return user.name;
}

function sessionView(sessionId: string, session: Session, user: Caller, name: string, policy: SessionPolicy): SessionView {
  // Sign-in and findLiveSession never let a machine in; this keeps the type honest.
  if (user.role === 'CLEARINGHOUSE' || user.role === 'EHR') throw new UnauthenticatedError();
  return {
    user: { id: user.id, name, role: user.role, skills: user.skills, payerGroups: user.payerGroups },
    csrfToken: csrfTokenFor(sessionId),
    expiresAt: session.expiresAt.toISOString(),
    idleTimeoutS: Math.round(policy.idleMs / 1000),
  };
}
