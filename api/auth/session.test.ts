// Signing in to the workspace with a password: the session cookie, CSRF protection of what the cookie
// authenticates, idle and absolute ends, the lock after failed passwords and an administrator's reset, the
// same answer for every refusal, and bearer tokens going on as before. Tried as an attacker would, too:
// fixation, another user's cookie, another session's CSRF token, another site's page.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYER_IDS, SIMULATOR_SENDER_ID, USER_IDS } from '../../app/seed';
import { issueToken, setPassword } from './accounts';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from './sessions';
import { startApi, testConfig, useApiFixture, type TestApi, type TestResponse } from '../testSupport';

const f = useApiFixture();
const MINUTE = 60_000;

/** The clock the session and lock rules read; tests move it forward. */
let clock = Date.now();
const now = () => clock;

let web: TestApi; // what production runs: no X-User-Id; sign-in failures per address limited far above these tests
let adminToken: string;

const PASSWORDS = {
  coder: 'correct horse battery staple',
  biller: 'billing-is-a-team-sport',
  admin: 'the administrator passphrase',
  supervisor: 'oversight with a long password',
} as const;

beforeAll(async () => {
  web = await startApi({
    prisma: f.db.prisma,
    temporal: f.env.client,
    config: { ...testConfig(), trustUserHeader: false },
    now,
    signInRateLimit: { windowMs: 60_000, max: 1_000 },
  });
  adminToken = (await issueToken(f.db.prisma, USER_IDS.admin, { name: 'session tests' }, 'test')).token;
  await setPassword(f.db.prisma, USER_IDS.coder1, PASSWORDS.coder, 'test');
  await setPassword(f.db.prisma, USER_IDS.biller1, PASSWORDS.biller, 'test');
  await setPassword(f.db.prisma, USER_IDS.admin, PASSWORDS.admin, 'test');
  await setPassword(f.db.prisma, USER_IDS.supervisor, PASSWORDS.supervisor, 'test');
});
afterAll(() => web?.close());

interface SignedIn {
  res: TestResponse;
  sessionId: string;
  csrf: string;
  setCookie: string;
}

function sessionCookieOf(res: TestResponse, name = SESSION_COOKIE): { value: string; header: string } | undefined {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return header ? { value: header.slice(name.length + 1).split(';')[0], header } : undefined;
}

async function signIn(userId: string, password: string, options: { api?: TestApi; headers?: Record<string, string> } = {}) {
  return (options.api ?? web).request('POST', '/api/auth/session', { user: null, body: { userId, password }, headers: options.headers });
}

async function signedIn(userId: string, password: string): Promise<SignedIn> {
  const res = await signIn(userId, password);
  expect(res.status, res.text).toBe(201);
  const cookie = sessionCookieOf(res)!;
  return { res, sessionId: cookie.value, csrf: res.body.csrfToken, setCookie: cookie.header };
}

/** A request with the session cookie (and the CSRF token when given), as the workspace makes it. */
function withSession(
  s: { sessionId: string },
  method: string,
  path: string,
  options: { body?: unknown; csrf?: string; headers?: Record<string, string> } = {},
) {
  return web.request(method, path, {
    user: null,
    body: options.body,
    headers: {
      Cookie: `${SESSION_COOKIE}=${s.sessionId}`,
      ...(options.csrf === undefined ? {} : { 'X-CSRF-Token': options.csrf }),
      ...options.headers,
    },
  });
}

const newPatient = (lastName: string) => ({
  firstName: 'Test',
  lastName,
  birthDate: '1970-01-01',
  sex: 'F',
  addressLine: '1 Test Way',
  city: 'Fairhaven',
  state: 'OR',
  postalCode: '97401',
  coverages: [{ payerId: PAYER_IDS.bluePeak, memberId: 'TEST123' }],
});

describe('signing in with a password', () => {
  it('opens a session: an HttpOnly, SameSite=Strict, Path=/ cookie (not Secure over plain HTTP) and a CSRF token', async () => {
    const { res, setCookie, sessionId } = await signedIn(USER_IDS.coder1, PASSWORDS.coder);
    expect(res.body).toEqual({
      user: { id: 'coder-1', name: 'Casey Coder', role: 'CODER', skills: [], payerGroups: [] },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: new Date(clock + 12 * 60 * MINUTE).toISOString(),
      idleTimeoutS: 1800,
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const attributes = setCookie.split(';').map((a) => a.trim());
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attributes.some((a) => /^(secure|domain|max-age|expires)/i.test(a))).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain(sessionId);
  });

  it('the cookie authenticates reads, as the user who signed in', async () => {
    const s = await signedIn(USER_IDS.coder1, PASSWORDS.coder);
    expect((await withSession(s, 'GET', '/api/claims/summary')).status).toBe(200);
    expect((await withSession(s, 'GET', '/api/me')).body).toMatchObject({ id: 'coder-1', role: 'CODER' });
    const current = await withSession(s, 'GET', '/api/auth/session');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ user: { id: 'coder-1' }, csrfToken: s.csrf });
    // the role still decides
    expect((await withSession(s, 'GET', '/api/admin/users')).status).toBe(403);
    expect((await web.request('GET', '/api/auth/session', { user: null })).body).toEqual({ user: null });
  });

  it('is Secure with the __Host- prefix over TLS, as a trusted proxy reports it, and only then', async () => {
    const proxied = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: { ...testConfig(), trustUserHeader: false, trustProxy: 'loopback' },
      now,
    });
    const untrusted = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: { ...testConfig(), trustUserHeader: false },
      now,
    });
    try {
      const overTls = await signIn(USER_IDS.coder1, PASSWORDS.coder, { api: proxied, headers: { 'X-Forwarded-Proto': 'https' } });
      expect(overTls.status).toBe(201);
      const cookie = sessionCookieOf(overTls, SECURE_SESSION_COOKIE)!;
      expect(cookie.header.split('; ')).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']));
      // over TLS only the __Host- cookie is read: a plain one (which a neighbouring subdomain could plant) is not
      const https = { 'X-Forwarded-Proto': 'https' };
      const read = (name: string) =>
        proxied.request('GET', '/api/me', { user: null, headers: { ...https, Cookie: `${name}=${cookie.value}` } });
      expect((await read(SECURE_SESSION_COOKIE)).status).toBe(200);
      expect((await read(SESSION_COOKIE)).status).toBe(401);

      const forged = await signIn(USER_IDS.coder1, PASSWORDS.coder, { api: untrusted, headers: { 'X-Forwarded-Proto': 'https' } });
      expect(sessionCookieOf(forged)!.header).not.toMatch(/Secure/);
    } finally {
      await proxied.close();
      await untrusted.close();
    }
  });

  it('stores an Argon2id hash of the password and only the sha256 of the session id', async () => {
    const { sessionId, res } = await signedIn(USER_IDS.biller1, PASSWORDS.biller);
    const user = await f.db.prisma.user.findUniqueOrThrow({ where: { id: USER_IDS.biller1 } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const row = await f.db.prisma.session.findUniqueOrThrow({
      where: { idHash: crypto.createHash('sha256').update(sessionId).digest('hex') },
    });
    expect(row).toMatchObject({ userId: USER_IDS.biller1, revokedAt: null, address: expect.stringMatching(/127\.0\.0\.1/) });
    const tables = await f.db.prisma.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    expect(tables.map((t) => t.name)).toContain('Session');
    for (const { name } of tables) {
      for (const secret of [sessionId, res.body.csrfToken as string, PASSWORDS.biller]) {
        const hits = await f.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
          `SELECT count(*) AS n FROM "${name}" t WHERE t::text LIKE $1`,
          `%${secret}%`,
        );
        expect(Number(hits[0].n), name).toBe(0);
      }
    }
  });

  it('answers an unknown user, a wrong password, a user without a password, a deactivated user and a sender the same', async () => {
    await f.db.prisma.user.create({ data: { id: 'gone-user', name: 'Gone', role: 'CODER', active: false } });
    await setPassword(f.db.prisma, 'gone-user', 'a perfectly fine password', 'test');
    const attempts = [
      ['nobody-at-all', 'whatever password'],
      [USER_IDS.coder2, 'coder-2 has no password'],
      [USER_IDS.biller1, 'not the biller password'],
      ['gone-user', 'a perfectly fine password'],
      [SIMULATOR_SENDER_ID, 'a sender has no password'],
    ] as const;
    const answers = [];
    for (const [userId, password] of attempts) {
      const res = await signIn(userId, password);
      answers.push({ status: res.status, body: res.body, cookie: res.headers.getSetCookie() });
    }
    expect(answers[0]).toEqual({
      status: 401,
      body: { error: { code: 'SIGN_IN_FAILED', message: expect.stringContaining('user id or password') } },
      cookie: [],
    });
    for (const a of answers) expect(a).toEqual(answers[0]);
    await f.db.prisma.user.update({ where: { id: USER_IDS.biller1 }, data: { failedSignIns: 0 } });
  });

  it('takes about as long for an unknown user as for a wrong password: a password is checked either way', async () => {
    const median = async (userId: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        expect((await signIn(userId, `wrong password ${i}`)).status).toBe(401);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2];
    };
    await setPassword(f.db.prisma, USER_IDS.biller2, 'biller two password', 'test');
    const unknown = await median('no-such-user');
    const wrong = await median(USER_IDS.biller2);
    // An Argon2id check is most of either; without the dummy check an unknown user would answer in ~1 ms.
    expect(unknown).toBeGreaterThan(wrong / 3);
    expect(unknown).toBeLessThan(wrong * 3);
    await setPassword(f.db.prisma, USER_IDS.biller2, 'biller two password', 'test'); // clears the failure count
  });

  it('audits successes and failures without the password or the id that was typed', async () => {
    const before = await f.db.prisma.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    const typed = 'someone-typed-a-password-here';
    await signIn(typed, 'secret-guess-1234');
    await signIn(USER_IDS.coder1, 'secret-guess-5678');
    const ok = await signedIn(USER_IDS.coder1, PASSWORDS.coder);
    const rows = await f.db.prisma.auditEvent.findMany({ where: { id: { gt: before?.id ?? 0n } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.action, r.actor, r.entityId, r.detail])).toEqual([
      ['session.signInRefused', '(unknown)', '(unknown)', { reason: 'unknown-user' }],
      ['session.signInRefused', 'coder-1', 'coder-1', { reason: 'wrong-password', failures: 1 }],
      ['session.signIn', 'coder-1', expect.stringMatching(/^SE[0-9A-Z]{12}$/), { userId: 'coder-1', method: 'password' }],
    ]);
    expect(rows.every((r) => r.address?.includes('127.0.0.1'))).toBe(true);
    const text = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    for (const secret of [typed, 'secret-guess', PASSWORDS.coder, ok.sessionId]) expect(text).not.toContain(secret);
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    for (const headers of [{ Origin: 'http://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }] as Record<string, string>[]) {
      const res = await signIn(USER_IDS.coder1, PASSWORDS.coder, { headers });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CROSS_SITE_REQUEST');
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    // the workspace's own page: same origin
    const own = await signIn(USER_IDS.coder1, PASSWORDS.coder, { headers: { Origin: web.baseUrl, 'Sec-Fetch-Site': 'same-origin' } });
    expect(own.status).toBe(201);
  });

  it('keeps the per-address limit on failed sign-ins', async () => {
    const limited = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: { ...testConfig(), trustUserHeader: false },
      now,
      signInRateLimit: { windowMs: 60_000, max: 3 },
    });
    try {
      for (let i = 0; i < 3; i++) expect((await signIn(`nobody-${i}`, 'a wrong password', { api: limited })).status).toBe(401);
      const refused = await signIn(USER_IDS.coder1, PASSWORDS.coder, { api: limited });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('CSRF protection of what the cookie authenticates', () => {
  it('refuses a POST with the cookie but without the CSRF token, or with a wrong one, with 403, and changes nothing', async () => {
    const s = await signedIn(USER_IDS.biller1, PASSWORDS.biller);
    const count = () => f.db.prisma.patient.count();
    const before = await count();
    const missing = await withSession(s, 'POST', '/api/patients', { body: newPatient('Csrf') });
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual({ error: { code: 'CSRF_TOKEN_MISSING', message: expect.stringContaining('X-CSRF-Token') } });
    const wrong = await withSession(s, 'POST', '/api/patients', { body: newPatient('Csrf'), csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('CSRF_TOKEN_INVALID');
    expect(await count()).toBe(before);
    // the same request with the token goes through: the body was fine all along
    const ok = await withSession(s, 'POST', '/api/patients', { body: newPatient('Csrf'), csrf: s.csrf });
    expect(ok.status, ok.text).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('refuses the CSRF token of another session, even the same user’s', async () => {
    const mine = await signedIn(USER_IDS.biller1, PASSWORDS.biller);
    const mineAgain = await signedIn(USER_IDS.biller1, PASSWORDS.biller);
    const theirs = await signedIn(USER_IDS.admin, PASSWORDS.admin);
    for (const csrf of [mineAgain.csrf, theirs.csrf]) {
      const res = await withSession(mine, 'POST', '/api/patients', { body: newPatient('Other'), csrf });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CSRF_TOKEN_INVALID');
    }
  });

  it('refuses a request another site makes, even with the right token (Origin, Sec-Fetch-Site)', async () => {
    const s = await signedIn(USER_IDS.biller1, PASSWORDS.biller);
    for (const headers of [
      { Origin: 'http://evil.example' },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ] as Record<string, string>[]) {
      const res = await withSession(s, 'POST', '/api/patients', { body: newPatient('Site'), csrf: s.csrf, headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error.code).toBe('CROSS_SITE_REQUEST');
    }
    const own = await withSession(s, 'POST', '/api/patients', {
      body: newPatient('Site'),
      csrf: s.csrf,
      headers: { Origin: web.baseUrl, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(own.status).toBe(201);
  });

  it('checks PUT, PATCH and DELETE as well, and lets GET through without a token', async () => {
    const s = await signedIn(USER_IDS.admin, PASSWORDS.admin);
    expect((await withSession(s, 'GET', '/api/admin/users')).status).toBe(200);
    const patch = await withSession(s, 'PATCH', `/api/admin/users/${USER_IDS.coder2}`, { body: { skills: ['csrf'] } });
    expect(patch.status).toBe(403);
    const put = await withSession(s, 'PUT', '/api/routing-rules/CODE_REVIEW/*', { body: { requiredSkill: 'csrf' } });
    expect(put.status).toBe(403);
    const del = await withSession(s, 'DELETE', '/api/routing-rules/CODE_REVIEW/*');
    expect(del.status).toBe(403);
    expect((await f.db.prisma.user.findUniqueOrThrow({ where: { id: USER_IDS.coder2 } })).skills).toEqual([]);
    const signOut = await withSession(s, 'DELETE', '/api/auth/session');
    expect(signOut.status).toBe(403);
    expect((await withSession(s, 'GET', '/api/me')).status).toBe(200);
  });

  it('leaves bearer tokens alone: no CSRF token needed, and a token wins over a cookie', async () => {
    const { token } = await issueToken(f.db.prisma, USER_IDS.biller1, { name: 'machine' }, 'test');
    const res = await web.request('POST', '/api/patients', { token, body: newPatient('Bearer') });
    expect(res.status, res.text).toBe(201);
    const coder = await signedIn(USER_IDS.coder1, PASSWORDS.coder);
    const both = await web.request('GET', '/api/me', { token, headers: { Cookie: `${SESSION_COOKIE}=${coder.sessionId}` } });
    expect(both.body.id).toBe(USER_IDS.biller1);
    // and the clearinghouse's door takes no cookie at all
    const inbound = await web.request('POST', '/api/inbound/acknowledgements', {
      user: null,
      body: {},
      headers: { Cookie: `${SESSION_COOKIE}=${coder.sessionId}`, 'X-CSRF-Token': coder.csrf },
    });
    expect(inbound.status).toBe(401);
  });
});

describe('the end of a session', () => {
  it('signs out: the session ends, its cookie is cleared, and it opens nothing any more', async () => {
    const s = await signedIn(USER_IDS.coder1, PASSWORDS.coder);
    const out = await withSession(s, 'DELETE', '/api/auth/session', { csrf: s.csrf });
    expect(out.status).toBe(204);
    expect(sessionCookieOf(out)!.header).toMatch(/^claimflow_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/);
    const after = await withSession(s, 'GET', '/api/me');
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/session has ended/);
    const current = await withSession(s, 'GET', '/api/auth/session');
    expect([current.status, current.body]).toEqual([200, { user: null }]);
    expect(sessionCookieOf(current)!.header).toMatch(/Max-Age=0/);
    expect((await withSession(s, 'DELETE', '/api/auth/session', { csrf: s.csrf })).status).toBe(204);
    const audit = await f.db.prisma.auditEvent.findFirst({ where: { action: 'session.signOut' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actor: 'coder-1', entity: 'session' });
  });

  it('ends after the idle timeout, and each request moves the timeout on', async () => {
    const s = await signedIn(USER_IDS.coder1, PASSWORDS.coder);
    clock += 29 * MINUTE;
    expect((await withSession(s, 'GET', '/api/me')).status).toBe(200);
    clock += 29 * MINUTE;
    expect((await withSession(s, 'GET', '/api/me')).status).toBe(200);
    clock += 31 * MINUTE;
    const idle = await withSession(s, 'GET', '/api/me');
    expect(idle.status).toBe(401);
    expect(sessionCookieOf(idle)!.header).toMatch(/Max-Age=0/);
    // an idle session ends for good: a clock set back does not revive it
    clock -= 5 * MINUTE;
    expect((await withSession(s, 'GET', '/api/me')).status).toBe(401);
    clock += 5 * MINUTE;
  });

  it('ends at its absolute lifetime however active it is', async () => {
    const s = await signedIn(USER_IDS.coder1, PASSWORDS.coder);
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      clock += 20 * MINUTE;
      expect((await withSession(s, 'GET', '/api/me')).status, `after ${minutes + 20} min`).toBe(200);
    }
    clock += 20 * MINUTE;
    expect((await withSession(s, 'GET', '/api/me')).status).toBe(401);
  });
});

describe('the lock after failed passwords, and an administrator’s reset', () => {
  it('locks a user after 5 failures in a row (the right password is refused too), until the lock ends', async () => {
    await setPassword(f.db.prisma, USER_IDS.coder2, 'coder two password', 'test');
    for (let i = 0; i < 5; i++) expect((await signIn(USER_IDS.coder2, `guess number ${i}`)).status).toBe(401);
    const locked = await signIn(USER_IDS.coder2, 'coder two password');
    expect(locked.status).toBe(401);
    expect(locked.body.error.code).toBe('SIGN_IN_FAILED');
    const lock = await f.db.prisma.auditEvent.findFirst({
      where: { action: 'user.lock', entityId: USER_IDS.coder2 },
      orderBy: { id: 'desc' },
    });
    expect(lock?.detail).toEqual({ until: new Date(clock + 15 * MINUTE).toISOString(), failures: 5 });
    clock += 14 * MINUTE;
    expect((await signIn(USER_IDS.coder2, 'coder two password')).status).toBe(401);
    clock += 2 * MINUTE;
    expect((await signIn(USER_IDS.coder2, 'coder two password')).status).toBe(201);
  });

  it('a success clears the count: failures must come in a row', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn(USER_IDS.coder2, `guess ${i}`)).status).toBe(401);
    expect((await signIn(USER_IDS.coder2, 'coder two password')).status).toBe(201);
    for (let i = 0; i < 4; i++) expect((await signIn(USER_IDS.coder2, `guess ${i}`)).status).toBe(401);
    expect((await signIn(USER_IDS.coder2, 'coder two password')).status).toBe(201);
  });

  it('holds a burst of parallel guesses to the limit: no more than 5 passwords are checked before the lock', async () => {
    await setPassword(f.db.prisma, USER_IDS.coder2, 'coder two password', 'test');
    const before = await f.db.prisma.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(USER_IDS.coder2, `parallel guess ${i}`)));
    expect(answers.every((a) => a.status === 401)).toBe(true);
    const refusals = await f.db.prisma.auditEvent.findMany({
      where: { id: { gt: before?.id ?? 0n }, action: 'session.signInRefused', entityId: USER_IDS.coder2 },
    });
    const reasons = refusals.map((r) => (r.detail as { reason: string }).reason);
    expect(reasons).toHaveLength(12);
    expect(reasons.filter((r) => r === 'wrong-password').length).toBeLessThanOrEqual(5);
    const user = await f.db.prisma.user.findUniqueOrThrow({ where: { id: USER_IDS.coder2 } });
    expect(user.lockedUntil?.getTime()).toBeGreaterThan(clock);
    expect((await signIn(USER_IDS.coder2, 'coder two password')).status).toBe(401);
  });

  it('an administrator resets the password: the lock is lifted and every session of the user ends', async () => {
    const first = await signedIn(USER_IDS.supervisor, PASSWORDS.supervisor);
    const second = await signedIn(USER_IDS.supervisor, PASSWORDS.supervisor);
    for (let i = 0; i < 5; i++) await signIn(USER_IDS.supervisor, `wrong ${i}`);
    expect((await signIn(USER_IDS.supervisor, PASSWORDS.supervisor)).status).toBe(401);

    // only an administrator, and the policy holds
    const byCoder = await web.request('PUT', `/api/admin/users/${USER_IDS.supervisor}/password`, {
      token: (await issueToken(f.db.prisma, USER_IDS.coder1, { name: 't' }, 'test')).token,
      body: { password: 'a brand new password' },
    });
    expect(byCoder.status).toBe(403);
    const reset = (userId: string, password: string) =>
      web.request('PUT', `/api/admin/users/${userId}/password`, { token: adminToken, body: { password } });
    expect((await reset(USER_IDS.supervisor, 'short')).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password' });
    expect((await reset(USER_IDS.supervisor, 'SUPERVISOR-1')).status).toBe(400);
    expect((await reset(USER_IDS.supervisor, 'Supervisor-1 ')).status).toBe(400);
    expect((await reset(SIMULATOR_SENDER_ID, 'a password for a machine')).status).toBe(409);
    expect((await reset('nobody-here', 'a password for nobody')).status).toBe(404);

    const done = await reset(USER_IDS.supervisor, 'a brand new password');
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ userId: USER_IDS.supervisor, sessionsEnded: 2, unlocked: true });
    expect((await withSession(first, 'GET', '/api/me')).status).toBe(401);
    expect((await withSession(second, 'GET', '/api/me')).status).toBe(401);
    expect((await signIn(USER_IDS.supervisor, PASSWORDS.supervisor)).status).toBe(401);
    expect((await signIn(USER_IDS.supervisor, 'a brand new password')).status).toBe(201);

    const audit = await f.db.prisma.auditEvent.findFirst({
      where: { action: 'user.setPassword', entityId: USER_IDS.supervisor },
      orderBy: { id: 'desc' },
    });
    expect(audit).toMatchObject({ actor: USER_IDS.admin, detail: { sessionsEnded: 2, unlocked: true } });
    expect(JSON.stringify(audit?.detail)).not.toContain('brand new');
  });

  it('an administrator signed in with a password resets one too, with the CSRF token', async () => {
    const admin = await signedIn(USER_IDS.admin, PASSWORDS.admin);
    const path = `/api/admin/users/${USER_IDS.supervisor}/password`;
    expect((await withSession(admin, 'PUT', path, { body: { password: 'yet another password' } })).status).toBe(403);
    const res = await withSession(admin, 'PUT', path, { body: { password: 'yet another password' }, csrf: admin.csrf });
    expect(res.status).toBe(200);
  });
});

describe('as an attacker would try it', () => {
  it('session fixation: every sign-in makes a new id, never one the browser brought, and ends the one it brought', async () => {
    const planted = crypto.randomBytes(32).toString('base64url');
    const res = await signIn(USER_IDS.coder1, PASSWORDS.coder, { headers: { Cookie: `${SESSION_COOKIE}=${planted}` } });
    expect(res.status).toBe(201);
    expect(sessionCookieOf(res)!.value).not.toBe(planted);
    expect((await withSession({ sessionId: planted }, 'GET', '/api/me')).status).toBe(401);

    const earlier = await signedIn(USER_IDS.coder1, PASSWORDS.coder);
    const again = await signIn(USER_IDS.coder1, PASSWORDS.coder, { headers: { Cookie: `${SESSION_COOKIE}=${earlier.sessionId}` } });
    const later = sessionCookieOf(again)!.value;
    expect(later).not.toBe(earlier.sessionId);
    expect((await withSession(earlier, 'GET', '/api/me')).status).toBe(401);
    expect((await withSession({ sessionId: later }, 'GET', '/api/me')).status).toBe(200);
  });

  it("another user's cookie is that user, nothing more; and it does not carry my CSRF token", async () => {
    const coder = await signedIn(USER_IDS.coder1, PASSWORDS.coder);
    const biller = await signedIn(USER_IDS.biller1, PASSWORDS.biller);
    expect((await withSession(coder, 'GET', '/api/me')).body.id).toBe(USER_IDS.coder1);
    expect((await withSession(biller, 'GET', '/api/me')).body.id).toBe(USER_IDS.biller1);
    const mixed = await withSession(coder, 'POST', '/api/patients', { body: newPatient('Mixed'), csrf: biller.csrf });
    expect(mixed.status).toBe(403);
  });

  it('a malformed or made-up cookie opens nothing', async () => {
    for (const value of ['', 'abc', 'x'.repeat(43), `${'a'.repeat(42)}=`, crypto.randomBytes(32).toString('base64url')]) {
      expect((await withSession({ sessionId: value }, 'GET', '/api/me')).status, value).toBe(401);
    }
  });

  it('a deactivated user’s sessions stop working at once', async () => {
    const s = await signedIn(USER_IDS.biller1, PASSWORDS.biller);
    await f.db.prisma.user.update({ where: { id: USER_IDS.biller1 }, data: { active: false } });
    try {
      expect((await withSession(s, 'GET', '/api/me')).status).toBe(401);
    } finally {
      await f.db.prisma.user.update({ where: { id: USER_IDS.biller1 }, data: { active: true } });
    }
  });
});
