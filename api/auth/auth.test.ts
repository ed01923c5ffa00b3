// Authentication with bearer tokens, the admin API and command for users and tokens, and the X-User-Id
// header that only a trusting configuration (tests, harness, demo) accepts.
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../infra/config';
import { issueToken } from './accounts';
import { hashesMatch, hashToken } from './tokens';
import { startApi, testConfig, useApiFixture, type TestApi } from '../testSupport';

const f = useApiFixture();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let strict: TestApi; // what production runs: tokens only
let adminToken: string;

beforeAll(async () => {
  strict = await startApi({ prisma: f.db.prisma, temporal: f.env.client, config: { ...testConfig(), trustUserHeader: false } });
  adminToken = (await issueToken(f.db.prisma, 'admin', { name: 'test bootstrap' }, 'test')).token;
});
afterAll(() => strict?.close());

/** Issues a token for `userId` through the admin API. */
async function tokenFor(userId: string, name = 'test'): Promise<{ id: string; token: string }> {
  const res = await strict.request('POST', `/api/admin/users/${userId}/tokens`, { token: adminToken, body: { name } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('authentication', () => {
  it('refuses a request without a token with 401 JSON and WWW-Authenticate: Bearer', async () => {
    const res = await strict.request('GET', '/api/payers', { user: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('bearer token') } });
  });

  it('refuses X-User-Id unless the configuration trusts it, which it does not by default', async () => {
    expect((await strict.request('GET', '/api/payers', { user: 'admin' })).status).toBe(401);
    expect((await strict.request('GET', '/api/claims/summary', { user: 'supervisor-1' })).status).toBe(401);
    expect((await f.api.request('GET', '/api/payers', { user: 'biller-1' })).status).toBe(200);
    const saved = process.env.CLAIMFLOW_TRUST_USER_HEADER;
    try {
      delete process.env.CLAIMFLOW_TRUST_USER_HEADER;
      expect(loadConfig().trustUserHeader).toBe(false);
      process.env.CLAIMFLOW_TRUST_USER_HEADER = '1';
      expect(loadConfig().trustUserHeader).toBe(true);
      process.env.CLAIMFLOW_TRUST_USER_HEADER = 'yes';
      expect(() => loadConfig()).toThrow(/CLAIMFLOW_TRUST_USER_HEADER/);
    } finally {
      if (saved === undefined) delete process.env.CLAIMFLOW_TRUST_USER_HEADER;
      else process.env.CLAIMFLOW_TRUST_USER_HEADER = saved;
    }
  });

  it('an admin creates a user and a token; the token is shown once and acts as that user, in that role', async () => {
    const created = await strict.request('POST', '/api/admin/users', {
      token: adminToken,
      body: {
        id: 'jane',
        name: 'Jane Doe',
        role: 'BILLER',
        skills: ['appeals'],
        payerGroups: ['COMMERCIAL'],
        organizationIds: ['org-riverbend'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'jane', role: 'BILLER', active: true, skills: ['appeals'], payerGroups: ['COMMERCIAL'] });
    expect(
      (
        await strict.request('POST', '/api/admin/users', {
          token: adminToken,
          body: { id: 'jane', name: 'J', role: 'BILLER', organizationIds: ['*'] },
        })
      ).status,
    ).toBe(409);

    const issued = await strict.request('POST', '/api/admin/users/jane/tokens', {
      token: adminToken,
      body: { name: 'laptop', expiresInDays: 30 },
    });
    expect(issued.status).toBe(201);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    expect(issued.body).toMatchObject({
      userId: 'jane',
      name: 'laptop',
      token: expect.stringMatching(/^cf_[A-Za-z0-9_-]{43}$/),
      revokedAt: null,
    });
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    expect((await strict.request('GET', '/api/claims/summary', { token: issued.body.token })).status).toBe(200);
    expect((await strict.request('GET', '/api/admin/users', { token: issued.body.token })).status).toBe(403);

    const listed = await strict.request('GET', '/api/admin/users/jane/tokens', { token: adminToken });
    expect(listed.body.items).toEqual([expect.objectContaining({ id: issued.body.id, name: 'laptop' })]);
    expect(JSON.stringify(listed.body)).not.toMatch(/token"|tokenHash|cf_/);
    expect((await strict.request('POST', '/api/admin/users/nobody/tokens', { token: adminToken, body: { name: 'x' } })).status).toBe(404);
  });

  it('keeps only the sha256 of a token: no table in the database holds the token itself', async () => {
    const { id, token } = await tokenFor('coder-1', 'hash check');
    const row = await f.db.prisma.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    const tables = await f.db.prisma.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    expect(tables.map((t) => t.name)).toContain('ApiToken');
    for (const { name } of tables) {
      const hits = await f.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "${name}" t WHERE t::text LIKE $1`,
        `%${token.slice(3)}%`,
      );
      expect(Number(hits[0].n), name).toBe(0);
    }
  });

  it('compares the presented token hash with the stored one in constant time', async () => {
    const { token } = await tokenFor('coder-2', 'timing');
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    try {
      expect((await strict.request('GET', '/api/claims/summary', { token })).status).toBe(200);
      expect(spy).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([32, 32]);
      expect(a.toString('hex')).toBe(hashToken(token));
    } finally {
      spy.mockRestore();
    }
    expect(hashesMatch(hashToken('a'), hashToken('a'))).toBe(true);
    expect(hashesMatch(hashToken('a'), hashToken('b'))).toBe(false);
    expect(hashesMatch('abcd', hashToken('b'))).toBe(false);
  });

  it('refuses a revoked token; revoking again changes nothing', async () => {
    const { id, token } = await tokenFor('biller-2', 'to revoke');
    expect((await strict.request('GET', '/api/payers', { token })).status).toBe(200);
    const revoked = await strict.request('DELETE', `/api/admin/tokens/${id}`, { token: adminToken });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await strict.request('GET', '/api/payers', { token })).status).toBe(401);
    const again = await strict.request('DELETE', `/api/admin/tokens/${id}`, { token: adminToken });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect(await f.db.prisma.auditEvent.count({ where: { action: 'token.revoke', entityId: id } })).toBe(1);
    expect((await strict.request('DELETE', '/api/admin/tokens/TKNOPE', { token: adminToken })).status).toBe(404);
  });

  it("refuses an expired token and a deactivated user's token, and records when a token was last used", async () => {
    const expired = await tokenFor('coder-1', 'expired');
    await f.db.prisma.apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await strict.request('GET', '/api/payers', { token: expired.token })).status).toBe(401);

    await f.db.prisma.user.create({ data: { id: 'leaver', name: 'Leaving Biller', role: 'BILLER' } });
    const leaver = await tokenFor('leaver');
    expect((await strict.request('GET', '/api/payers', { token: leaver.token })).status).toBe(200);
    expect((await f.db.prisma.apiToken.findUniqueOrThrow({ where: { id: leaver.id } })).lastUsedAt).not.toBeNull();
    const off = await strict.request('PATCH', '/api/admin/users/leaver', { token: adminToken, body: { active: false } });
    expect(off.body.active).toBe(false);
    expect((await strict.request('GET', '/api/payers', { token: leaver.token })).status).toBe(401);
  });

  it('refuses a malformed or unknown bearer, and a bad bearer does not fall back to X-User-Id', async () => {
    for (const authorization of [
      'Basic YWRtaW46YWRtaW4=',
      'Bearer',
      'Bearer not-a-token',
      `Bearer cf_${'A'.repeat(43)}`,
      `Bearer ${adminToken}x`,
    ]) {
      const res = await f.api.request('GET', '/api/payers', { user: 'admin', headers: { Authorization: authorization } });
      expect(res.status, authorization).toBe(401);
    }
    expect((await strict.request('GET', '/api/payers', { headers: { Authorization: `bearer  ${adminToken}` }, user: null })).status).toBe(
      200,
    );
  });

  it('token endpoints are rate-limited per address and route with a 429 JSON and Retry-After', async () => {
    const limited = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: { ...testConfig(), trustUserHeader: false },
      tokenRateLimit: { windowMs: 60_000, max: 3 },
    });
    try {
      const issue = () => limited.request('POST', '/api/admin/users/coder-2/tokens', { token: adminToken, body: { name: 'burst' } });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await issue()).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      const res = await issue();
      expect(res.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/retry in \d+ s/) } });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      // another user's tokens share the route pattern; other routes have their own count
      expect((await limited.request('POST', '/api/admin/users/coder-1/tokens', { token: adminToken, body: { name: 'x' } })).status).toBe(
        429,
      );
      // express routes /API/Admin/... to the same handler: the count does not restart for another way of writing it
      expect((await limited.request('POST', '/API/Admin/Users/coder-1/Tokens', { token: adminToken, body: { name: 'x' } })).status).toBe(
        429,
      );
      expect((await limited.request('GET', '/api/admin/users/coder-1/tokens', { token: adminToken })).status).toBe(200);
      expect((await limited.request('GET', '/api/admin/users', { token: adminToken })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('scripts/admin.ts', () => {
  const run = promisify(execFile);
  const admin = (...args: string[]) =>
    run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/admin.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: f.db.url },
    });

  it('creates a user and a token that works once printed, lists users, and revokes the token', async () => {
    const created = await admin(
      'user',
      'create',
      '--id',
      'cli-jane',
      '--name',
      'Jane Doe',
      '--role',
      'BILLER',
      '--skills',
      'appeals,posting',
      '--practices',
      'org-riverbend',
    );
    expect(created.stdout).toContain('created user cli-jane (BILLER)');
    const issued = await admin('token', 'create', '--user', 'cli-jane', '--name', 'laptop');
    const token = issued.stdout.trim();
    expect(token).toMatch(/^cf_[A-Za-z0-9_-]{43}$/);
    expect(issued.stderr).toContain('shown this once');
    expect((await strict.request('GET', '/api/claims/summary', { token })).status).toBe(200);
    expect((await admin('user', 'list')).stdout).toMatch(
      /cli-jane\tBILLER\tactive\t1 token\(s\)\tJane Doe\tskills appeals,posting; practices org-riverbend/,
    );
    const tokenId = (await f.db.prisma.apiToken.findFirstOrThrow({ where: { userId: 'cli-jane' } })).id;
    expect((await admin('token', 'revoke', '--id', tokenId)).stdout).toContain(`revoked ${tokenId}`);
    expect((await strict.request('GET', '/api/claims/summary', { token })).status).toBe(401);
    const audit = await f.db.prisma.auditEvent.findMany({ where: { actor: 'admin-cli' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'token.create', 'token.revoke']);
  });

  it('sets a password read from standard input (never from the command line), with which the user signs in', async () => {
    const setWith = (stdin: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/admin.ts', 'user', 'password', '--id', 'coder-2'], {
          cwd: root,
          env: { ...process.env, DATABASE_URL: f.db.url },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(stdin);
      });
    const tooShort = await setWith('short\n');
    expect(tooShort.code).toBe(1);
    expect(tooShort.stderr).toContain('the password must be at least 12 characters (password)');
    const done = await setWith('a passphrase set from the CLI\n');
    expect(done.stdout).toContain('password set for coder-2');
    expect(done.stdout + done.stderr).not.toContain('passphrase');
    const signIn = await strict.request('POST', '/api/auth/session', {
      user: null,
      body: { userId: 'coder-2', password: 'a passphrase set from the CLI' },
    });
    expect(signIn.status).toBe(201);
    const audit = await f.db.prisma.auditEvent.findFirstOrThrow({ where: { actor: 'admin-cli', action: 'user.setPassword' } });
    expect(audit.entityId).toBe('coder-2');
  });

  it('explains a mistake and exits 1', async () => {
    await expect(admin('user', 'create', '--id', 'x', '--name', 'X', '--role', 'JANITOR')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('must be one of CODER, BILLER, SUPERVISOR, ADMIN, CLEARINGHOUSE, EHR (role)'),
    });
    await expect(admin('token', 'launch')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('usage:') });
  });
});
