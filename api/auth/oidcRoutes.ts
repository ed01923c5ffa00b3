// Single sign-on with OpenID Connect (Authorization Code flow, PKCE, state and nonce), beside passwords: the
// sign-in page asks GET /api/auth/methods whether it is on, GET /api/auth/oidc/start sends the browser to the
// identity provider, and GET /api/auth/oidc/callback, where the provider sends it back, checks everything and
// opens the same session a password opens. Mounted before authentication, as the password sign-in is.
import { Router, type Response } from 'express';
import type { ApiContext } from '../http/context';
import { ApiError, parseInput } from '../http/errors';
import { fixedWindowLimit, type RateLimit } from '../http/rateLimit';
import { clientAddress } from '../http/requestContext';
import { OIDC_CALLBACK_PATH } from '../../infra/config';
import { describeRoute } from '../openapi/openapi';
import { OidcClient, oidcSettings, SsoFailedError, SsoUnavailableError } from './oidcClient';
import { beginLogin, newChecks, takeLogin } from './oidcLogins';
import { signInWithIdentity, SsoUserRefusedError } from './oidcSignIn';
import { oidcCallbackQuery, oidcStartQuery, signInMethodsResponse, type SignInMethods } from './schemas';
import { presentedSessionId, revokeSessionById, setSessionCookie, type SessionPolicy } from './sessions';

const MOUNT = '/api/auth';
const START_PATH = `${MOUNT}/oidc/start`;

/** Starts and callbacks per address and route: each start stores a row, so an anonymous caller may not make them without end. */
export const DEFAULT_SSO_RATE_LIMIT: RateLimit = { windowMs: 60_000, max: 60 };

const routes = {
  methods: describeRoute({
    method: 'get',
    path: `${MOUNT}/methods`,
    auth: 'none',
    tag: 'auth',
    summary: 'How one signs in here: a password always, and single sign-on with the named identity provider when it is configured',
    response: signInMethodsResponse,
  }),
  start: describeRoute({
    method: 'get',
    path: START_PATH,
    auth: 'none',
    tag: 'auth',
    status: 302,
    summary: 'Single sign-on: redirects the browser to the identity provider (Authorization Code flow with PKCE, state and nonce)',
    description:
      'A browser navigation, not an API call. Sets a short-lived HttpOnly cookie that ties the callback to this browser. ' +
      '404 SSO_NOT_CONFIGURED without CLAIMFLOW_OIDC_ISSUER; 503 SSO_UNAVAILABLE when the identity provider cannot be reached.',
    query: oidcStartQuery,
    responseDescription: 'a redirect (Location) to the identity provider',
  }),
  callback: describeRoute({
    method: 'get',
    path: OIDC_CALLBACK_PATH,
    auth: 'none',
    tag: 'auth',
    status: 303,
    summary: "Single sign-on: where the identity provider sends the browser back; opens a session and redirects to the sign-in's returnTo",
    description:
      'The redirect URL to register at the identity provider. Everything is checked (the browser that started the sign-in, state, issuer, ' +
      'the code with its PKCE verifier, the ID token and its nonce) and each sign-in can be finished once. The user is the one linked to ' +
      'the identity, or found as CLAIMFLOW_OIDC_LINK_BY says on a first sign-in; nobody is created. Refusals: 400 SSO_NOT_STARTED (no ' +
      'sign-in of this browser in progress), 401 SSO_FAILED or SSO_REFUSED_BY_PROVIDER, 403 SSO_UNKNOWN_USER or SSO_USER_INACTIVE, as a ' +
      'small page to a browser and as JSON otherwise.',
    query: oidcCallbackQuery,
    responseDescription: 'a redirect (Location) into the workspace, with the session cookie set',
  }),
};

/** SSO is not configured here (no CLAIMFLOW_OIDC_ISSUER). */
export class SsoNotConfiguredError extends ApiError {
  constructor() {
    super(404, 'SSO_NOT_CONFIGURED', 'single sign-on is not configured here; sign in with a user id and password');
  }
}

/** A callback without a sign-in of this browser in progress: none started, expired, or already finished. */
export class SsoNotStartedError extends ApiError {
  constructor() {
    super(
      400,
      'SSO_NOT_STARTED',
      'no single sign-on of this browser is in progress (never started here, older than 10 minutes, or already finished); start again from the sign-in page',
    );
  }
}

const local = (path: string): string => path.slice(MOUNT.length);

export function oidcRouter(
  { prisma, config, log }: ApiContext,
  policy: SessionPolicy,
  rateLimit: RateLimit = DEFAULT_SSO_RATE_LIMIT,
): Router {
  const router = Router();
  const settings = oidcSettings(config);
  const client = settings ? new OidcClient(settings, policy.now) : undefined;
  const limited = fixedWindowLimit(rateLimit);

  router.get(local(routes.methods.path), (_req, res) => {
    const methods: SignInMethods = { password: true, sso: settings ? { name: settings.providerName, startPath: START_PATH } : null };
    res.json(methods);
  });

  router.get(local(routes.start.path), limited, async (req, res) => {
    const { returnTo } = parseInput(oidcStartQuery, req.query);
    if (!client) throw new SsoNotConfiguredError();
    const redirectUri = client.settings.redirectUrl ?? `${req.protocol}://${req.host}${OIDC_CALLBACK_PATH}`;
    const checks = newChecks();
    let url: URL;
    try {
      url = await client.authorizationUrl(redirectUri, checks);
    } catch (err) {
      throw logged(err);
    }
    await beginLogin(prisma, req, res, { redirectUri, returnTo: returnTo ?? '/', checks }, policy.now());
    res.set('Cache-Control', 'no-store');
    res.redirect(302, url.href);
  });

  router.get(local(routes.callback.path), limited, async (req, res) => {
    try {
      parseInput(oidcCallbackQuery, req.query);
      if (!client) throw new SsoNotConfiguredError();
      // Taken before anything else is looked at: whatever this callback holds, the sign-in it names is spent.
      const login = await takeLogin(prisma, req, res, policy.now());
      if (!login) throw new SsoNotStartedError();
      const callbackUrl = new URL(login.redirectUri);
      callbackUrl.search = new URL(req.originalUrl, 'http://callback.invalid').search;
      const identity = await client.exchange(callbackUrl, login);
      const address = clientAddress(req);
      const signedIn = await signInWithIdentity(prisma, policy, identity, client.settings.linkBy, address);
      // Session fixation: the session is one made here, and the one the browser came with ends.
      const previous = presentedSessionId(req);
      if (previous) await revokeSessionById(prisma, previous, policy);
      setSessionCookie(req, res, signedIn.sessionId);
      res.set('Cache-Control', 'no-store');
      // 303 and a same-origin path only (oidcStartQuery checked it); the page's calls carry the new cookie.
      res.redirect(303, login.returnTo);
    } catch (err) {
      const refusal = logged(err);
      if (refusal instanceof ApiError && req.accepts(['json', 'html']) === 'html') {
        refusalPage(res, refusal);
        return;
      }
      throw refusal;
    }
  });

  /** Notes a refused single sign-on in the log (codes only: never a token, a claim or what the provider said). */
  function logged(err: unknown): unknown {
    if (err instanceof SsoFailedError || err instanceof SsoUnavailableError || err instanceof SsoUserRefusedError) {
      log('single sign-on refused', { code: err.code, reason: err.reason }, err instanceof SsoUnavailableError ? 'warn' : 'info');
    }
    return err;
  }

  return router;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A refused callback, for the person in the browser: what went wrong and the way back to the sign-in page. */
function refusalPage(res: Response, err: ApiError): void {
  if (err.retryAfterS !== undefined) res.set('Retry-After', String(err.retryAfterS));
  res
    .status(err.status)
    .type('html')
    .send(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in not completed - claimflow</title></head><body>' +
        `<h1>Sign-in not completed</h1><p>${escapeHtml(err.message)}</p><p><small>${escapeHtml(err.code)}</small></p>` +
        '<p><a href="/">Back to the sign-in page</a></p></body></html>',
    );
}
