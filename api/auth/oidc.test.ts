// Single sign-on with OpenID Connect, against a real provider (oidc-provider, test/oidc/provider.ts) in a process
// of its own: the whole flow by hand over HTTP (start, the provider's login form, the callback), the session it
// opens, and every way a sign-in must fail: a tampered state, a wrong nonce, a replayed code, a callback carried to
// another browser, an identity no user is linked to, a deactivated user, an open redirect, a fixed session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_IDS } from '../../app/seed';
import { freePort } from '../../infra/process';
import { startIdentityProvider, TestBrowser, type BrowserResponse, type IdentityProvider } from '../../test/oidc/identityProvider';
import { startApi, testConfig, useApiFixture, type TestApi } from '../testSupport';
import { setPassword } from './accounts';
import { OIDC_COOKIE } from './oidcLogins';
import { SESSION_COOKIE } from './sessions';

const f = useApiFixture(); // its API has single sign-on off
let idp: IdentityProvider;
let sso: TestApi;

const CLIENT = { clientId: 'claimflow-test', clientSecret: 'a client secret for the tests only' };
const ACCOUNTS = {
  'sub-coder-1': { password: 'coder idp password', claims: { email: 'Coder.One@Example.TEST', email_verified: true, name: 'Casey Coder' } },
  'sub-stranger': { password: 'stranger password', claims: { email: 'stranger@example.test', email_verified: true } },
  'sub-unverified': { password: 'unverified password', claims: { email: 'coder.two@example.test', email_verified: false } },
  'sub-gone': { password: 'gone password', claims: { email: 'biller.two@example.test', email_verified: true } },
  'sub-impostor': { password: 'impostor password', claims: { email: 'coder.one@example.test', email_verified: true } },
  'sub-supervisor': { password: 'supervisor password', claims: { email: 'supervisor@example.test', email_verified: true } },
};
type Login = keyof typeof ACCOUNTS;

beforeAll(async () => {
  const port = await freePort();
  const callback = `http://127.0.0.1:${port}/api/auth/oidc/callback`;
  idp = await startIdentityProvider({ client: { ...CLIENT, redirectUris: [callback] }, accounts: ACCOUNTS });
  sso = await startApi({
    prisma: f.db.prisma,
    temporal: f.env.client,
    port,
    config: {
      ...testConfig(),
      trustUserHeader: false,
      oidcIssuer: idp.issuer,
      oidcClientId: CLIENT.clientId,
      oidcClientSecret: CLIENT.clientSecret,
      oidcProviderName: 'Test IdP',
    },
    ssoRateLimit: { windowMs: 60_000, max: 1_000 },
  });
  const { prisma } = f.db;
  await prisma.user.update({ where: { id: USER_IDS.coder1 }, data: { email: 'coder.one@example.test' } });
  await prisma.user.update({ where: { id: USER_IDS.coder2 }, data: { email: 'coder.two@example.test' } });
  await prisma.user.update({ where: { id: USER_IDS.biller2 }, data: { email: 'biller.two@example.test', active: false } });
  await prisma.user.update({ where: { id: USER_IDS.supervisor }, data: { email: 'supervisor@example.test' } });
}, 120_000);
afterAll(async () => {
  await sso?.close();
  await idp?.stop();
});

const apiUrl = (path: string) => `${sso.baseUrl}${path}`;
const isCallback = (url: URL) => url.origin === sso.baseUrl && url.pathname === '/api/auth/oidc/callback';

/** A started sign-in: the browser that started it and the provider's authorization URL it was sent to. */
async function start(browser: TestBrowser, returnTo?: string): Promise<{ authorizationUrl: URL; res: BrowserResponse }> {
  const res = await browser.get(apiUrl(`/api/auth/oidc/start${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`));
  expect(res.status, res.text).toBe(302);
  return { authorizationUrl: new URL(res.location!), res };
}

/** At the provider: the login form filled in as `login`; returns the callback URL the provider sends the browser to. */
async function atProvider(browser: TestBrowser, authorizationUrl: URL, login: Login): Promise<string> {
  const form = await browser.follow(authorizationUrl.href, isCallback);
  if ('stoppedAt' in form) return form.stoppedAt; // signed in at the provider already
  expect(form.status, form.text).toBe(200);
  const uid = /action="\/interaction\/([^/"]+)\/login"/.exec(form.text)![1];
  const submitted = await browser.request('POST', `${idp.issuer}/interaction/${uid}/login`, {
    form: { login, password: ACCOUNTS[login].password },
  });
  expect(submitted.status, submitted.text).toBeGreaterThanOrEqual(300);
  const back = await browser.follow(submitted.location!, isCallback);
  if (!('stoppedAt' in back)) throw new Error(`the provider did not send the browser back: ${back.status} ${back.text.slice(0, 300)}`);
  return back.stoppedAt;
}

/** Start to callback URL, in one (new) browser. */
async function throughProvider(login: Login, returnTo?: string): Promise<{ browser: TestBrowser; callbackUrl: string }> {
  const browser = new TestBrowser();
  const { authorizationUrl } = await start(browser, returnTo);
  return { browser, callbackUrl: await atProvider(browser, authorizationUrl, login) };
}

const sessionCookie = (browser: TestBrowser) => browser.cookies(sso.baseUrl).get(SESSION_COOKIE);
const currentSession = (browser: TestBrowser) => browser.get(apiUrl('/api/auth/session')).then((r) => JSON.parse(r.text));
const sessionCount = () => f.db.prisma.session.count();
/** Why the last refused sign-in was refused, as the API logged it (openid-client's or the provider's code). */
const lastRefusalReason = () => sso.logs.filter((l) => l.msg === 'single sign-on refused').at(-1)?.fields;
const errorCode = (res: BrowserResponse) => (JSON.parse(res.text) as { error: { code: string } }).error.code;

describe('whether single sign-on is on', () => {
  it('GET /api/auth/methods names the provider when configured, and says null when not', async () => {
    const on = await new TestBrowser().get(apiUrl('/api/auth/methods'));
    expect(JSON.parse(on.text)).toEqual({ password: true, sso: { name: 'Test IdP', startPath: '/api/auth/oidc/start' } });
    expect((await f.api.request('GET', '/api/auth/methods', { user: null })).body).toEqual({ password: true, sso: null });
  });

  it('without an issuer, start and callback answer 404 SSO_NOT_CONFIGURED', async () => {
    for (const path of ['/api/auth/oidc/start', '/api/auth/oidc/callback?code=x&state=y']) {
      const res = await f.api.request('GET', path, { user: null });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('SSO_NOT_CONFIGURED');
    }
  });
});

describe('signing in through the identity provider', () => {
  it('start redirects to the provider with PKCE (S256), state and nonce, keeping them on the server behind a Lax cookie', async () => {
    const browser = new TestBrowser();
    const { authorizationUrl, res } = await start(browser);
    expect(authorizationUrl.origin).toBe(idp.issuer);
    const q = authorizationUrl.searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: apiUrl('/api/auth/oidc/callback'),
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(q.get(p), p).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${OIDC_COOKIE}=`))!;
    expect(cookie.split('; ')).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', 'Max-Age=600']));
    const key = browser.cookies(sso.baseUrl).get(OIDC_COOKIE)!;
    const row = await f.db.prisma.oidcLogin.findFirst({ where: { state: q.get('state')! } });
    expect(row).toMatchObject({ nonce: q.get('nonce'), returnTo: '/' });
    // the cookie's value is not what the table keeps, and the verifier never left the server
    expect(JSON.stringify(row)).not.toContain(key);
    expect(authorizationUrl.href).not.toContain(row!.codeVerifier);
  });

  it('links the verified e-mail to its user on the first sign-in and opens the same session a password does', async () => {
    const before = await f.db.prisma.auditEvent.findFirst({ orderBy: { id: 'desc' } });
    const { browser, callbackUrl } = await throughProvider('sub-coder-1', '/#/claims?state=CODING');
    expect(new URL(callbackUrl).searchParams.get('iss')).toBe(idp.issuer);
    const done = await browser.get(callbackUrl);
    expect(done.status, done.text).toBe(303);
    expect(done.location).toBe(apiUrl('/#/claims?state=CODING'));
    const set = done.headers.getSetCookie();
    expect(set.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split('; ')).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']),
    );
    expect(set.find((c) => c.startsWith(`${OIDC_COOKIE}=`))).toContain('Max-Age=0');
    expect(browser.cookies(sso.baseUrl).has(OIDC_COOKIE)).toBe(false);

    const session = await currentSession(browser);
    expect(session).toMatchObject({ user: { id: USER_IDS.coder1, role: 'CODER' }, idleTimeoutS: 1800 });
    const user = await f.db.prisma.user.findUniqueOrThrow({ where: { id: USER_IDS.coder1 } });
    expect(user).toMatchObject({ oidcIssuer: idp.issuer, oidcSubject: 'sub-coder-1' });
    const state = new URL(callbackUrl).searchParams.get('state')!;
    expect(await f.db.prisma.oidcLogin.count({ where: { state } })).toBe(0);

    const audit = await f.db.prisma.auditEvent.findMany({ where: { id: { gt: before?.id ?? 0n } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actor, a.detail])).toEqual([
      ['user.ssoLink', USER_IDS.coder1, { issuer: idp.issuer, subject: 'sub-coder-1', by: 'email' }],
      ['session.signIn', USER_IDS.coder1, { userId: USER_IDS.coder1, method: 'oidc', issuer: idp.issuer }],
    ]);

    // the session works like a password's: reads, and changes with its CSRF token
    expect((await browser.get(apiUrl('/api/me'))).status).toBe(200);
    const out = await browser.request('DELETE', apiUrl('/api/auth/session'), { headers: { 'X-CSRF-Token': session.csrfToken } });
    expect(out.status).toBe(204);
    expect(await currentSession(browser)).toEqual({ user: null });
  });

  it('a linked identity signs in by its link, whatever its e-mail says now', async () => {
    await f.db.prisma.user.update({ where: { id: USER_IDS.coder1 }, data: { email: 'casey@example.test' } });
    try {
      const { browser, callbackUrl } = await throughProvider('sub-coder-1');
      expect((await browser.get(callbackUrl)).status).toBe(303);
      expect((await currentSession(browser)).user.id).toBe(USER_IDS.coder1);
    } finally {
      await f.db.prisma.user.update({ where: { id: USER_IDS.coder1 }, data: { email: 'coder.one@example.test' } });
    }
  });
});

describe('a sign-in that does not hold up opens no session', () => {
  it('the code cannot be used twice: the same callback again is refused, and so is the code under another sign-in', async () => {
    const { browser, callbackUrl } = await throughProvider('sub-coder-1');
    expect((await browser.get(callbackUrl)).status).toBe(303);
    const sessions = await sessionCount();

    const again = await browser.get(callbackUrl);
    expect(again.status).toBe(400);
    expect(errorCode(again)).toBe('SSO_NOT_STARTED');

    // the spent code with a new sign-in's own state and cookie: past claimflow's checks, the provider refuses it
    const other = new TestBrowser();
    const { authorizationUrl } = await start(other);
    const replay = new URL(callbackUrl);
    replay.searchParams.set('state', authorizationUrl.searchParams.get('state')!);
    const refused = await other.get(replay.href);
    expect(refused.status, refused.text).toBe(401);
    expect(errorCode(refused)).toBe('SSO_FAILED');
    expect(lastRefusalReason()).toEqual({ code: 'SSO_FAILED', reason: 'invalid_grant' });
    expect(await sessionCount()).toBe(sessions);
    expect(sessionCookie(other)).toBeUndefined();
  });

  it('a tampered state is refused, and the sign-in it named is spent', async () => {
    const { browser, callbackUrl } = await throughProvider('sub-coder-1');
    const sessions = await sessionCount();
    const tampered = new URL(callbackUrl);
    const state = tampered.searchParams.get('state')!;
    tampered.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    const res = await browser.get(tampered.href);
    expect(res.status).toBe(401);
    expect(errorCode(res)).toBe('SSO_FAILED');
    // openid-client's state check, before the code goes anywhere
    expect(lastRefusalReason()).toEqual({ code: 'SSO_FAILED', reason: 'OAUTH_INVALID_RESPONSE' });
    expect((await browser.get(callbackUrl)).status).toBe(400);
    expect(await sessionCount()).toBe(sessions);
    expect(sessionCookie(browser)).toBeUndefined();
  });

  it('an ID token with another nonce than the sign-in sent is refused', async () => {
    const browser = new TestBrowser();
    const { authorizationUrl } = await start(browser);
    authorizationUrl.searchParams.set('nonce', 'a-nonce-someone-else-chose-for-this-sign-in-000');
    const callbackUrl = await atProvider(browser, authorizationUrl, 'sub-coder-1');
    const sessions = await sessionCount();
    const res = await browser.get(callbackUrl);
    expect(res.status).toBe(401);
    expect(errorCode(res)).toBe('SSO_FAILED');
    expect(lastRefusalReason()).toEqual({ code: 'SSO_FAILED', reason: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' });
    expect(await sessionCount()).toBe(sessions);
  });

  it('login CSRF: a callback carried to another browser finds no sign-in there, even one that started its own', async () => {
    const { callbackUrl } = await throughProvider('sub-coder-1'); // the attacker's own, valid, sign-in
    const victim = new TestBrowser();
    const none = await victim.get(callbackUrl);
    expect(none.status).toBe(400);
    expect(errorCode(none)).toBe('SSO_NOT_STARTED');
    await start(victim); // the victim has a sign-in of their own under way
    const mixed = await victim.get(callbackUrl);
    expect(mixed.status).toBe(401);
    expect(lastRefusalReason()).toEqual({ code: 'SSO_FAILED', reason: 'OAUTH_INVALID_RESPONSE' });
    expect(sessionCookie(victim)).toBeUndefined();
  });

  it('the provider sending back an error (cancelled at the provider) is refused by name', async () => {
    const browser = new TestBrowser();
    const { authorizationUrl } = await start(browser);
    const url = new URL(apiUrl('/api/auth/oidc/callback'));
    url.search = new URLSearchParams({
      error: 'access_denied',
      state: authorizationUrl.searchParams.get('state')!,
      iss: idp.issuer,
    }).toString();
    const res = await browser.get(url.href);
    expect(res.status).toBe(401);
    expect(errorCode(res)).toBe('SSO_REFUSED_BY_PROVIDER');
  });
});

describe('who gets in: users are linked, never made', () => {
  it('an identity no user has is refused with no session, as JSON and as a page to a browser', async () => {
    const users = await f.db.prisma.user.count();
    const sessions = await sessionCount();
    const { browser, callbackUrl } = await throughProvider('sub-stranger');
    const res = await browser.get(callbackUrl);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'SSO_UNKNOWN_USER', message: expect.stringContaining('no claimflow user') });
    expect(sessionCookie(browser)).toBeUndefined();
    expect(await sessionCount()).toBe(sessions);
    expect(await f.db.prisma.user.count()).toBe(users);
    const audit = await f.db.prisma.auditEvent.findFirst({ where: { action: 'session.signInRefused' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actor: '(unknown)', detail: { method: 'oidc', reason: 'no-linked-user', issuer: idp.issuer } });

    const page = await throughProvider('sub-stranger');
    const html = await page.browser.get(page.callbackUrl, { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(html.status).toBe(403);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toContain('no claimflow user is linked to that account');
    expect(html.text).toContain('<a href="/">');
  });

  it('an e-mail the provider has not verified links nobody', async () => {
    const { browser, callbackUrl } = await throughProvider('sub-unverified');
    const res = await browser.get(callbackUrl);
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('SSO_UNKNOWN_USER');
    expect((await f.db.prisma.user.findUniqueOrThrow({ where: { id: USER_IDS.coder2 } })).oidcSubject).toBeNull();
  });

  it('a deactivated user is refused', async () => {
    const { browser, callbackUrl } = await throughProvider('sub-gone');
    const res = await browser.get(callbackUrl);
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('SSO_USER_INACTIVE');
    expect(sessionCookie(browser)).toBeUndefined();
  });

  it('a second identity with a linked user’s e-mail is refused; an administrator’s unlink lets the next one link', async () => {
    const impostor = await throughProvider('sub-impostor');
    const res = await impostor.browser.get(impostor.callbackUrl);
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('SSO_UNKNOWN_USER');
    expect((await f.db.prisma.user.findUniqueOrThrow({ where: { id: USER_IDS.coder1 } })).oidcSubject).toBe('sub-coder-1');

    const unlinked = await f.api.request('PATCH', `/api/admin/users/${USER_IDS.coder1}`, { user: USER_IDS.admin, body: { sso: null } });
    expect(unlinked.status, unlinked.text).toBe(200);
    expect(unlinked.body).toMatchObject({ id: USER_IDS.coder1, email: 'coder.one@example.test', sso: null });
    const relinked = await throughProvider('sub-impostor');
    expect((await relinked.browser.get(relinked.callbackUrl)).status).toBe(303);
    const listed = await f.api.request('GET', '/api/admin/users', { user: USER_IDS.admin });
    expect(listed.body.items.find((u: { id: string }) => u.id === USER_IDS.coder1).sso).toMatchObject({
      issuer: idp.issuer,
      subject: 'sub-impostor',
    });
  });
});

describe('attacks on the way in', () => {
  it('returnTo must be a path of this site: other sites, protocol-relative and backslash tricks are 400 naming it', async () => {
    for (const returnTo of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/\t/evil.example',
      'claims',
    ]) {
      const res = await new TestBrowser().get(apiUrl(`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`));
      expect(res.status, returnTo).toBe(400);
      expect(JSON.parse(res.text).error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'returnTo' });
    }
    expect(await f.db.prisma.oidcLogin.count({ where: { returnTo: { contains: 'evil' } } })).toBe(0);
  });

  it('session fixation: the session the browser came with ends, and the new one has a new id', async () => {
    await setPassword(f.db.prisma, USER_IDS.supervisor, 'a supervisor password for fixation', 'test');
    const browser = new TestBrowser();
    const signedIn = await fetch(apiUrl('/api/auth/session'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: USER_IDS.supervisor, password: 'a supervisor password for fixation' }),
    });
    expect(signedIn.status).toBe(201);
    const planted = signedIn.headers.getSetCookie()[0].split(';')[0].split('=')[1];
    browser.cookies(sso.baseUrl).set(SESSION_COOKIE, planted);
    const { authorizationUrl } = await start(browser);
    const callbackUrl = await atProvider(browser, authorizationUrl, 'sub-supervisor');
    expect((await browser.get(callbackUrl)).status).toBe(303);
    expect(sessionCookie(browser)).not.toBe(planted);
    const old = await fetch(apiUrl('/api/auth/session'), { headers: { Cookie: `${SESSION_COOKIE}=${planted}` } });
    expect(await old.json()).toEqual({ user: null });
    expect((await currentSession(browser)).user.id).toBe(USER_IDS.supervisor);
  });

  it('an unreachable identity provider is 503 SSO_UNAVAILABLE, with no cookie and nothing stored', async () => {
    const closed = await freePort();
    const down = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: { ...testConfig(), trustUserHeader: false, oidcIssuer: `http://127.0.0.1:${closed}`, oidcClientId: 'x' },
    });
    try {
      const before = await f.db.prisma.oidcLogin.count();
      const res = await new TestBrowser().get(`${down.baseUrl}/api/auth/oidc/start`);
      expect(res.status).toBe(503);
      expect(errorCode(res)).toBe('SSO_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBe('10');
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await f.db.prisma.oidcLogin.count()).toBe(before);
      expect(down.logs).toContainEqual({ msg: 'single sign-on refused', fields: expect.objectContaining({ code: 'SSO_UNAVAILABLE' }) });
    } finally {
      await down.close();
    }
  });
});
