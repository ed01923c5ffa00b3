// Security checks over the real app, PostgreSQL and Temporal: response headers on every kind of answer, failed
// sign-ins and token endpoints rate-limited per address, tokens that give nothing away by their prefix, and
// error bodies and log lines free of stack traces, SQL, file paths and PHI when real parts fail.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PAYER_IDS } from '../../app/seed';
import { issueToken } from '../auth/accounts';
import { createApp } from '../app';
import { createLogger } from '../../infra/log';
import { RateLimitedError } from './errors';
import { SignInLimiter } from './rateLimit';
import { CONTENT_SECURITY_POLICY, HSTS } from './securityHeaders';
import { hashesMatch, hashToken } from '../auth/tokens';
import { startApi, testConfig, useApiFixture, type TestApi } from '../testSupport';

const f = useApiFixture();
const strictConfig = () => ({ ...testConfig(), trustUserHeader: false });
let strict: TestApi; // production's authentication: bearer tokens only, default limits
const tokens: Record<string, string> = {};

beforeAll(async () => {
  strict = await startApi({ prisma: f.db.prisma, temporal: f.env.client, config: strictConfig() });
  for (const user of ['admin', 'biller-1', 'coder-1'])
    tokens[user] = (await issueToken(f.db.prisma, user, { name: 'security test' }, 'test')).token;
});
afterAll(() => strict?.close());

/** A well-formed token that names nobody. */
const guess = () => `cf_${crypto.randomBytes(32).toString('base64url')}`;

/** A GET from a chosen loopback source address (127.0.0.2 is another client as far as the server can tell). */
function getFrom(localAddress: string, url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

function expectSecurityHeaders(headers: Headers, what: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers.get(name), `${name} on ${what}`).toBe(value);
  expect(headers.get('x-powered-by'), `x-powered-by on ${what}`).toBeNull();
  expect(headers.get('strict-transport-security'), `HSTS over plain HTTP on ${what}`).toBeNull();
}

describe('security headers', () => {
  it('are on every answer: success, 401, 403, 404, 400, public routes and the workspace; /api answers are never cached', async () => {
    const answers: [string, Awaited<ReturnType<TestApi['request']>>][] = [
      ['health', await strict.request('GET', '/api/health', { user: null })],
      ['signed-in read', await strict.request('GET', '/api/payers', { token: tokens['biller-1'] })],
      ['sign-in', await strict.request('GET', '/api/me', { token: tokens['coder-1'] })],
      ['no token', await strict.request('GET', '/api/claims', { user: null })],
      ['wrong role', await strict.request('GET', '/api/admin/users', { token: tokens['coder-1'] })],
      ['unknown api route', await strict.request('GET', '/api/nothing-here', { token: tokens['coder-1'] })],
      ['malformed JSON', await strict.request('POST', '/api/patients', { token: tokens['biller-1'], rawBody: '{"firstName":' })],
      ['inbound', await strict.request('POST', '/api/inbound/nothing', { user: null, body: {} })],
      ['openapi', await strict.request('GET', '/api/openapi.json', { token: tokens['coder-1'] })],
      // express routes without regard to case: /API/... is the API, and must not be cached either
      ['upper-case path', await strict.request('GET', '/API/payers', { token: tokens['biller-1'] })],
      ['mixed-case path', await strict.request('GET', '/Api/Claims', { user: null })],
    ];
    expect(answers.map(([what, r]) => [what, r.status])).toEqual([
      ['health', 200],
      ['signed-in read', 200],
      ['sign-in', 200],
      ['no token', 401],
      ['wrong role', 403],
      ['unknown api route', 404],
      ['malformed JSON', 400],
      ['inbound', 401],
      ['openapi', 200],
      ['upper-case path', 200],
      ['mixed-case path', 401],
    ]);
    for (const [what, r] of answers) {
      expectSecurityHeaders(r.headers, what);
      expect(r.headers.get('cache-control'), what).toBe('no-store');
    }

    // Outside /api: the workspace page and a path nobody serves. Their caching is the workspace's business.
    for (const p of ['/', '/no-such-page']) {
      const r = await strict.request('GET', p, { user: null });
      expect([200, 404, 503], p).toContain(r.status);
      expectSecurityHeaders(r.headers, p);
      expect(r.headers.get('cache-control') ?? '', p).not.toContain('public, max-age=31536000');
    }
  });

  it('the workspace page works under the policy: same-origin module scripts and stylesheets only, no inline script or eval', async () => {
    const page = await strict.request('GET', '/', { user: null });
    expect(page.status, 'web/dist must be built (npm run build:web)').toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, inline] of scripts) {
      expect(inline.trim(), 'inline script').toBe('');
      expect(attrs).toMatch(/\bsrc="\/[^/]/);
    }
    expect(page.text, 'inline event handlers').not.toMatch(/\son[a-z]+\s*=/i);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset, 'an asset from another origin').toMatch(/^\/[^/]/);
      const res = await fetch(`${strict.baseUrl}${asset}`);
      expect(res.status, asset).toBe(200);
      expectSecurityHeaders(res.headers, asset);
      if (asset.endsWith('.js')) {
        const code = await res.text();
        // 'unsafe-eval' is not in the policy: a bundle that evals would break in the browser.
        expect(code, `${asset} uses eval`).not.toMatch(/\beval\(|new Function\(/);
        // Every request the workspace makes must be same-origin (connect-src 'self').
        expect(code, `${asset} calls another origin`).not.toMatch(/fetch\(\s*["'`]https?:\/\//);
      }
    }
  });

  it('adds Strict-Transport-Security over TLS and behind a proxy that forwarded https, and only then', async () => {
    const forwarded = await strict.request('GET', '/api/health', { user: null, headers: { 'X-Forwarded-Proto': 'https' } });
    expect(forwarded.headers.get('strict-transport-security')).toBe(HSTS);
    const plainForwarded = await strict.request('GET', '/api/health', { user: null, headers: { 'X-Forwarded-Proto': 'http' } });
    expect(plainForwarded.headers.get('strict-transport-security')).toBeNull();

    // A real TLS listener on a throwaway self-signed certificate.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimflow-tls-'));
    try {
      const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'],
        { stdio: 'ignore' },
      );
      const app = createApp({ prisma: f.db.prisma, temporal: f.env.client, config: strictConfig(), log: () => {} });
      const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
          https
            .get(
              { host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/api/health', rejectUnauthorized: false },
              (res) => {
                res.resume();
                resolve(res.headers);
              },
            )
            .on('error', reject);
        });
        expect(headers['strict-transport-security']).toBe(HSTS);
        expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rate limiting of sign-in', () => {
  it('20 failed sign-ins per minute from one address, then 429 with Retry-After and a JSON body, for every token', async () => {
    const api = await startApi({ prisma: f.db.prisma, temporal: f.env.client, config: strictConfig() });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++)
        statuses.push((await api.request('GET', '/api/me', { token: i % 2 ? guess() : 'not-even-a-token' })).status);
      expect(statuses).toEqual([...Array(20).fill(401), 429, 429]);
      const refused = await api.request('GET', '/api/me', { token: tokens['coder-1'] });
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        error: { code: 'RATE_LIMITED', message: expect.stringMatching(/^too many requests; retry in \d+ s$/) },
      });
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // nothing about the token in the refusal, and the usual headers on it
      expect(refused.headers.get('www-authenticate')).toBeNull();
      expectSecurityHeaders(refused.headers, 'the 429');
      expect(refused.headers.get('cache-control')).toBe('no-store');
      // the health check (load balancers) is not behind sign-in
      expect((await api.request('GET', '/api/health', { user: null })).status).toBe(200);
      // another address is not affected
      expect((await getFrom('127.0.0.2', `${api.baseUrl}/api/me`, tokens['coder-1'])).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('does not limit successful traffic, sequential or in parallel, and a valid token does not reset the count', async () => {
    const api = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: strictConfig(),
      signInRateLimit: { windowMs: 60_000, max: 5 },
    });
    try {
      for (let i = 0; i < 40; i++) expect((await api.request('GET', '/api/me', { token: tokens['biller-1'] })).status).toBe(200);
      const parallel = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          api.request('GET', i % 2 ? '/api/payers' : '/api/me', { token: tokens[i % 3 ? 'biller-1' : 'coder-1'] }),
        ),
      );
      expect(parallel.map((r) => r.status)).toEqual(Array(60).fill(200));

      const mixed: number[] = [];
      for (let i = 0; i < 5; i++) {
        mixed.push((await api.request('GET', '/api/me', { token: guess() })).status);
        mixed.push((await api.request('GET', '/api/me', { token: tokens['biller-1'] })).status);
      }
      expect(mixed).toEqual([401, 200, 401, 200, 401, 200, 401, 200, 401, 429]);
      expect((await api.request('GET', '/api/me', { token: tokens['biller-1'] })).status).toBe(429);
    } finally {
      await api.close();
    }
  });

  it('a burst of parallel guesses from an address that has failed is held to the limit: lookups in flight count', async () => {
    const api = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: strictConfig(),
      signInRateLimit: { windowMs: 60_000, max: 5 },
    });
    try {
      expect((await api.request('GET', '/api/me', { token: guess() })).status).toBe(401);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => api.request('GET', '/api/me', { token: i === 49 ? tokens['coder-1'] : guess() })),
      );
      const counts: Record<number, number> = {};
      for (const a of answers.slice(0, 49)) counts[a.status] = (counts[a.status] ?? 0) + 1;
      expect(counts).toEqual({ 401: 4, 429: 45 });
      expect(answers[49].status).toBe(429);
    } finally {
      await api.close();
    }
  });

  it('the count starts over when the window ends', async () => {
    const api = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: strictConfig(),
      signInRateLimit: { windowMs: 1_500, max: 3 },
    });
    try {
      for (let i = 0; i < 3; i++) expect((await api.request('GET', '/api/me', { token: guess() })).status).toBe(401);
      const refused = await api.request('GET', '/api/me', { token: tokens['coder-1'] });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^[12]$/);
      await new Promise((r) => setTimeout(r, 1_600));
      const me = await api.request('GET', '/api/me', { token: tokens['coder-1'] });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: 'coder-1', role: 'CODER' });
      expect((await api.request('GET', '/api/me', { token: guess() })).status).toBe(401);
    } finally {
      await api.close();
    }
  });

  it('behind a proxy named in CLAIMFLOW_TRUST_PROXY, counts each client by its forwarded address; otherwise X-Forwarded-For is ignored', async () => {
    const limit = { windowMs: 60_000, max: 3 };
    const from = (client: string) => ({ 'X-Forwarded-For': client });
    const proxied = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: { ...strictConfig(), trustProxy: 'loopback' },
      signInRateLimit: limit,
    });
    try {
      for (let i = 0; i < 3; i++)
        expect((await proxied.request('GET', '/api/me', { token: guess(), headers: from('203.0.113.7') })).status).toBe(401);
      expect((await proxied.request('GET', '/api/me', { token: tokens['coder-1'], headers: from('203.0.113.7') })).status).toBe(429);
      // the office's other users, behind the same proxy, still sign in
      expect((await proxied.request('GET', '/api/me', { token: tokens['coder-1'], headers: from('203.0.113.8') })).status).toBe(200);
      // a client cannot escape by putting another address in front: the proxy appends the one it saw
      expect((await proxied.request('GET', '/api/me', { token: guess(), headers: from('203.0.113.9, 203.0.113.7') })).status).toBe(429);
    } finally {
      await proxied.close();
    }
    const direct = await startApi({ prisma: f.db.prisma, temporal: f.env.client, config: strictConfig(), signInRateLimit: limit });
    try {
      for (let i = 0; i < 3; i++)
        expect((await direct.request('GET', '/api/me', { token: guess(), headers: from(`198.51.100.${i}`) })).status).toBe(401);
      expect((await direct.request('GET', '/api/me', { token: tokens['coder-1'], headers: from('198.51.100.50') })).status).toBe(429);
    } finally {
      await direct.close();
    }
  });

  it('the token endpoints are limited per address and route: issuing, listing and revoking', async () => {
    const api = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: strictConfig(),
      tokenRateLimit: { windowMs: 60_000, max: 2 },
    });
    try {
      const admin = tokens.admin;
      const issued = [];
      for (let i = 0; i < 3; i++)
        issued.push(await api.request('POST', '/api/admin/users/biller-1/tokens', { token: admin, body: { name: `burst ${i}` } }));
      expect(issued.map((r) => r.status)).toEqual([201, 201, 429]);
      expect(issued[2].body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/retry in \d+ s/) } });
      expect(Number(issued[2].headers.get('retry-after'))).toBeGreaterThan(0);
      expect(issued[2].headers.get('cache-control')).toBe('no-store');
      expect(JSON.stringify(issued[2].body)).not.toContain('cf_');

      const list = [];
      for (let i = 0; i < 3; i++) list.push((await api.request('GET', '/api/admin/users/coder-1/tokens', { token: admin })).status);
      expect(list).toEqual([200, 200, 429]);
      const revoke = [];
      for (const r of issued.slice(0, 2))
        revoke.push((await api.request('DELETE', `/api/admin/tokens/${r.body.id}`, { token: admin })).status);
      revoke.push((await api.request('DELETE', `/api/admin/tokens/${issued[0].body.id}`, { token: admin })).status);
      expect(revoke).toEqual([200, 200, 429]);
      // routes that are not token endpoints keep going
      expect((await api.request('GET', '/api/admin/users', { token: admin })).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});

describe('SignInLimiter', () => {
  const hash = (t: string) => hashToken(t);
  it('counts lookups in flight once an address has failed, except for tokens that recently succeeded', () => {
    const now = 1_000_000;
    const limiter = new SignInLimiter({ windowMs: 10_000, max: 3 }, () => now);
    // an address that has not failed is never held back, however many lookups it has in flight
    const clean = Array.from({ length: 10 }, (_, i) => limiter.begin('10.0.0.1', hash(`t${i}`)));
    limiter.begin('10.0.0.1', hash('good')).settle('valid');
    for (const a of clean) a.settle('error');

    limiter.begin('10.0.0.1', hash('guess-1')).settle('invalid');
    const inFlight = [limiter.begin('10.0.0.1', hash('guess-2'))];
    expect(() => limiter.begin('10.0.0.1', hash('guess-3'))).not.toThrow(); // 1 failure + 1 in flight < 3
    expect(() => limiter.begin('10.0.0.1', hash('guess-4'))).toThrow(RateLimitedError); // 1 + 2 in flight
    expect(() => limiter.begin('10.0.0.1', undefined)).toThrow(RateLimitedError);
    const known = limiter.begin('10.0.0.1', hash('good')); // succeeded recently: not held back by lookups in flight
    known.settle('valid');
    expect(() => limiter.begin('10.0.0.2', hash('guess-5'))).not.toThrow(); // per address
    inFlight[0].settle('error'); // a failed lookup says nothing about the token: no failure counted
    expect(() => limiter.assertAllowed('10.0.0.1')).not.toThrow();
  });

  it('refuses an address with max failures until its window ends, saying how long in whole seconds', () => {
    let now = 5_000_000;
    const limiter = new SignInLimiter({ windowMs: 60_000, max: 2 }, () => now);
    for (let i = 0; i < 2; i++) limiter.begin('a', undefined).settle('invalid');
    now += 15_500;
    const refusal = (() => {
      try {
        limiter.assertAllowed('a');
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfterS).toBe(45);
    expect(() => limiter.begin('a', hash('good'))).toThrow(RateLimitedError); // a valid token is refused too
    now += 44_500;
    expect(() => limiter.assertAllowed('a')).not.toThrow();
    limiter.begin('a', hash('good')).settle('valid');
    limiter.begin('a', undefined).settle('invalid');
    expect(() => limiter.assertAllowed('a')).not.toThrow(); // a new window: 1 of 2
  });
});

describe('tokens', () => {
  it('answers a near miss exactly like a wild guess: nothing depends on how much of the token was right', async () => {
    const real = tokens['coder-1'];
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    const nearMisses = [3, 10, 25, 45].map((keep) => real.slice(0, keep) + flip(real[keep]) + real.slice(keep + 1));
    const answers = [];
    for (const token of [...nearMisses, guess()]) {
      const r = await strict.request('GET', '/api/me', { token });
      answers.push({ status: r.status, text: r.text, auth: r.headers.get('www-authenticate'), length: r.headers.get('content-length') });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].status).toBe(401);
    // the lookup key is the hash: a near miss shares no prefix with the stored hash beyond chance
    const stored = (await f.db.prisma.apiToken.findFirstOrThrow({ where: { tokenHash: hashToken(real) } })).tokenHash;
    for (const miss of nearMisses) expect(hashToken(miss)).not.toBe(stored);
  });

  it('compares hashes with crypto.timingSafeEqual on 32-byte buffers, and matches exactly when they are equal', () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    try {
      fc.assert(
        fc.property(fc.string(), fc.string(), (a, b) => {
          spy.mockClear();
          const equal = hashesMatch(hashToken(a), hashToken(b));
          expect(equal).toBe(a === b);
          expect(spy).toHaveBeenCalledTimes(1);
          expect((spy.mock.calls[0] as unknown as Buffer[]).map((x) => x.length)).toEqual([32, 32]);
        }),
        { numRuns: 300 },
      );
      expect(hashesMatch(hashToken('x'), hashToken('x').slice(0, 62))).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('error bodies and logs', () => {
  const PHI = { firstName: 'Zebediah', lastName: 'Quillfeather', birthDate: '1961-07-23', memberId: 'ZQ-PHI-99172' };
  const patientBody = {
    firstName: PHI.firstName,
    lastName: PHI.lastName,
    birthDate: PHI.birthDate,
    sex: 'M',
    addressLine: '77 Hidden Hollow Rd',
    city: 'Fairhaven',
    state: 'OR',
    postalCode: '97401',
    coverages: [{ payerId: PAYER_IDS.bluePeak, memberId: PHI.memberId }],
  };
  /** what neither an answer nor a log line may carry: PHI, stack frames, file paths, SQL and the database's words */
  const LEAKS: (string | RegExp)[] = [
    ...Object.values(PHI),
    '77 Hidden Hollow',
    /\bat .+\(/,
    /\.(ts|js|mjs|cjs):\d+/,
    /\/work\/|node_modules/,
    /\bSELECT\b|\bINSERT\b|\bUPDATE\b|\bviolates\b|\brelation\b|\bFailing row\b/i,
    /constraint|security_probe/i,
  ];
  /** an answer also names no part of the server: Prisma, its error codes */
  const ANSWER_LEAKS: (string | RegExp)[] = [...LEAKS, /prisma|invocation/i, /\bP\d{4}\b/];
  const expectClean = (text: string, what: string, leaks = ANSWER_LEAKS) => {
    for (const leak of leaks) {
      if (typeof leak === 'string') expect(text, `${what} contains ${leak}`).not.toContain(leak);
      else expect(text, `${what} matches ${leak}`).not.toMatch(leak);
    }
  };
  const expectErrorBody = (r: { body: any; text: string }, code: string) => {
    expect(r.body).toEqual({ error: { code, message: expect.any(String) } });
    expect(Object.keys(r.body)).toEqual(['error']);
  };

  it('a failing database call (a check the row breaks, whose PostgreSQL message quotes the whole row) is a plain 500', async () => {
    const before = f.api.logs.length;
    await f.db.prisma.$executeRawUnsafe(`ALTER TABLE "Patient" ADD CONSTRAINT security_probe CHECK ("lastName" <> '${PHI.lastName}')`);
    try {
      const r = await f.api.request('POST', '/api/patients', { user: 'biller-1', body: patientBody });
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
      expectClean(r.text, 'the 500 body');
      expectSecurityHeaders(r.headers, 'the 500');
    } finally {
      await f.db.prisma.$executeRawUnsafe('ALTER TABLE "Patient" DROP CONSTRAINT security_probe');
    }
    const logged = f.api.logs.slice(before);
    expect(logged).toEqual([
      { msg: 'request failed', fields: expect.objectContaining({ method: 'POST', route: '/api/patients', status: 500, code: 'INTERNAL' }) },
    ]);
    expectClean(JSON.stringify(logged), 'the log line', LEAKS);
    // the row really was refused, and the same request goes through once the check is gone
    expect(await f.db.prisma.patient.count({ where: { lastName: PHI.lastName } })).toBe(0);
    expect((await f.api.request('POST', '/api/patients', { user: 'biller-1', body: patientBody })).status).toBe(201);
  });

  it('a missing table (SQL in the driver error) is a plain 500 too, and the default log writes one JSON line without it', async () => {
    const lines: string[] = [];
    // no `log`: the app's own default, the process logger (infra/log.ts: one JSON line per event), here writing
    // into `lines` instead of stderr
    const logger = createLogger({
      level: 'info',
      base: { component: 'api' },
      destination: { write: (line: string) => void lines.push(line) },
    });
    const app = createApp({ prisma: f.db.prisma, temporal: f.env.client, config: testConfig(), logger });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    await f.db.prisma.$executeRawUnsafe('ALTER TABLE "Payer" RENAME TO "PayerAway"');
    try {
      const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/payers`, {
        headers: { 'X-User-Id': 'biller-1' },
      });
      const text = await r.text();
      expect(r.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
      expectClean(text, 'the 500 body');
      expect(text).not.toContain('Payer');
    } finally {
      await f.db.prisma.$executeRawUnsafe('ALTER TABLE "PayerAway" RENAME TO "Payer"');
      await new Promise((r) => server.close(r));
    }
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({
      time: expect.any(String),
      msg: 'request failed',
      method: 'GET',
      route: '/api/payers',
      status: 500,
      code: 'INTERNAL',
    });
    expect(lines[0].trimEnd()).not.toMatch(/\bat .+\(|SELECT|relation|PayerAway|\n/);
  });

  it('an unknown route, malformed JSON, a malformed URL and refused input answer with the error body and echo no PHI', async () => {
    const asBiller = { user: 'biller-1' };
    const unknown = await f.api.request('GET', '/api/nothing-here', asBiller);
    expect(unknown.status).toBe(404);
    expectErrorBody(unknown, 'NOT_FOUND');

    const malformed = await f.api.request('POST', '/api/patients', {
      ...asBiller,
      rawBody: `{"firstName": "${PHI.firstName}", "lastName": ${PHI.lastName}}`,
    });
    expect(malformed.status).toBe(400);
    expectErrorBody(malformed, 'MALFORMED_JSON');
    expectClean(malformed.text, 'malformed JSON');
    expect(malformed.text).not.toMatch(/SyntaxError|Unexpected token|position/);

    const before = f.api.logs.length;
    const badUrl = await f.api.request('GET', `/api/patients/%E0%A4%A${PHI.lastName}`, asBiller);
    expect(badUrl.status).toBe(400);
    expectErrorBody(badUrl, 'MALFORMED_URL');
    expectClean(badUrl.text, 'malformed URL');
    expect(f.api.logs.length, 'a caller mistake is no server failure').toBe(before);

    // Values in the wrong place: the 400 names the field, never the value.
    const refused = [
      { ...patientBody, birthDate: `${PHI.firstName} ${PHI.lastName}` },
      { ...patientBody, sex: PHI.lastName },
      { ...patientBody, state: PHI.lastName },
      { ...patientBody, postalCode: PHI.birthDate },
      { ...patientBody, coverages: [{ payerId: PAYER_IDS.bluePeak, memberId: PHI.memberId, relationship: PHI.lastName }] },
      { ...patientBody, coverages: [{ payerId: PAYER_IDS.bluePeak, memberId: PHI.memberId, priority: PHI.firstName }] },
      { ...patientBody, nickname: `${PHI.firstName} ${PHI.birthDate}` },
    ];
    for (const body of refused) {
      const r = await f.api.request('POST', '/api/patients', { ...asBiller, body });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error).toEqual({ code: 'VALIDATION_FAILED', message: expect.any(String), field: expect.any(String) });
      const message = `${r.body.error.code} ${r.body.error.message}`;
      expectClean(message, `400 for ${r.body.error.field}`);
    }
    const unknownPayer = await f.api.request('POST', '/api/patients', {
      ...asBiller,
      body: { ...patientBody, coverages: [{ payerId: PHI.lastName, memberId: PHI.memberId }] },
    });
    expect([400, 422]).toContain(unknownPayer.status);
    expectClean(unknownPayer.body.error.message, 'the 422');
  });
});
