// The role matrix, read from the express router itself: every route behind authentication must declare its
// roles with requireRole, and each role (and no token at all) gets what the declaration says: 401 without a
// token, 403 for a role not declared, through to the handler for a declared one. A new endpoint without a
// declared role fails here.
import type express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from './accounts';
import { createApp } from '../app';
import { ALLOWED_ROLES, AUTHENTICATES, requireRole, type RoleName } from './auth';
import { startApi, testConfig, useApiFixture, type TestApi } from '../testSupport';
import { SIMULATOR_SENDER_ID } from '../../app/seed';

interface RouteEntry {
  method: string;
  path: string;
  /** null for routes in front of authentication */
  roles: readonly RoleName[] | null;
}

const STAFF: RoleName[] = ['CODER', 'BILLER', 'SUPERVISOR', 'ADMIN'];
/** every role, the machines (clearinghouse sender, EHR) included: each is tried on every route */
const ALL: RoleName[] = [...STAFF, 'CLEARINGHOUSE', 'EHR'];
const FHIR: RoleName[] = ['EHR', 'BILLER', 'SUPERVISOR', 'ADMIN'];

type Layer = {
  route?: { path: string; methods: Record<string, boolean>; stack: Layer[] };
  handle: ((...args: unknown[]) => unknown) & { stack?: Layer[]; [ALLOWED_ROLES]?: RoleName[]; [AUTHENTICATES]?: boolean };
  rawPath?: unknown;
};

const intersect = (a: readonly RoleName[] | undefined, b: readonly RoleName[]) => (a ? a.filter((r) => b.includes(r)) : [...b]);

/** Every route of the app with the roles its middleware declares, in mount order. */
function routeTable(app: express.Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: Layer[], prefix: string, state: { authenticated: boolean; roles?: readonly RoleName[] }) => {
    for (const layer of stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      if (layer.route) {
        let roles = state.roles;
        for (const l of layer.route.stack) if (l.handle[ALLOWED_ROLES]) roles = intersect(roles, l.handle[ALLOWED_ROLES]!);
        const path = `${prefix}${layer.route.path}`.replace(/(.)\/$/, '$1');
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') out.push({ method: method.toUpperCase(), path, roles: state.authenticated ? (roles ?? []) : null });
        }
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, `${prefix}${mount}`, { ...state });
      } else if (layer.handle[AUTHENTICATES]) {
        state.authenticated = true;
      } else if (layer.handle[ALLOWED_ROLES]) {
        state.roles = intersect(state.roles, layer.handle[ALLOWED_ROLES]!);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', { authenticated: false });
  return out;
}

/** Who the issue says may call what. Routes other modules add are held to their own declarations. */
const EXPECTED: Record<string, readonly RoleName[]> = {
  'POST /api/claims': ['BILLER', 'SUPERVISOR', 'ADMIN'],
  'GET /api/claims/summary': STAFF,
  'GET /api/claims': STAFF,
  'GET /api/claims/:id': STAFF,
  'POST /api/claims/:id/void': ['BILLER', 'SUPERVISOR', 'ADMIN'],
  'POST /api/patients': ['BILLER', 'SUPERVISOR', 'ADMIN'],
  'GET /api/patients/:id': ['BILLER', 'SUPERVISOR', 'ADMIN'],
  'GET /api/payers': STAFF,
  'GET /api/providers': STAFF,
  // queue routes are open to every role; the queue itself then decides (see the queue matrix below)
  'GET /api/queues/:queue/tasks': STAFF,
  'POST /api/queues/:queue/next': STAFF,
  'GET /api/routing-rules': STAFF,
  'PUT /api/routing-rules/:kind/:payerGroup': ['SUPERVISOR', 'ADMIN'],
  'DELETE /api/routing-rules/:kind/:payerGroup': ['SUPERVISOR', 'ADMIN'],
  'GET /api/tasks/:id': STAFF,
  'POST /api/tasks/:id/claim': STAFF,
  'POST /api/tasks/:id/release': STAFF,
  'POST /api/tasks/:id/notes': STAFF,
  'POST /api/tasks/:id/complete': STAFF,
  'POST /api/tasks/:id/reassign': ['SUPERVISOR', 'ADMIN'],
  'POST /api/tasks/reassign': ['SUPERVISOR', 'ADMIN'],
  'PATCH /api/tasks/:id/priority': ['SUPERVISOR', 'ADMIN'],
  'GET /api/admin/users': ['ADMIN'],
  'POST /api/admin/users': ['ADMIN'],
  'PATCH /api/admin/users/:id': ['ADMIN'],
  'GET /api/admin/users/:id/tokens': ['ADMIN'],
  'POST /api/admin/users/:id/tokens': ['ADMIN'],
  'DELETE /api/admin/tokens/:id': ['ADMIN'],
  'PUT /api/admin/users/:id/password': ['ADMIN'],
  // what clearinghouses and payers deliver: senders only, never a person's token
  'POST /api/inbound/acknowledgements': ['CLEARINGHOUSE'],
  'POST /api/inbound/remittances': ['CLEARINGHOUSE'],
  'POST /api/inbound/appeal-decisions': ['CLEARINGHOUSE'],
  'POST /api/inbound/x12': ['CLEARINGHOUSE'],
  // FHIR for EHRs: an EHR's token and the people who capture charges, and an EHR's token nowhere else
  'GET /fhir/metadata': FHIR,
  'POST /fhir': FHIR,
  'POST /fhir/Claim': FHIR,
  'GET /fhir/Claim/:id': FHIR,
  'GET /fhir/ClaimResponse': FHIR,
  'GET /fhir/ClaimResponse/:id': FHIR,
  'GET /fhir/ExplanationOfBenefit': FHIR,
  'GET /fhir/ExplanationOfBenefit/:id': FHIR,
};

/**
 * What may answer without a token: the health check, the API docs, and the workspace's sign-in (which reads the
 * session cookie itself): by password, the sign-in methods, and single sign-on's start and callback. The inbound
 * routes want a sender's token.
 */
const PUBLIC_PATH = /^\/api\/(health$|openapi|auth\/(session|methods|oidc\/start|oidc\/callback)$)/;

const f = useApiFixture();
let strict: TestApi;
const tokens = {} as Record<RoleName, string>;
const USERS: Record<RoleName, string> = {
  CODER: 'coder-1',
  BILLER: 'biller-1',
  SUPERVISOR: 'supervisor-1',
  ADMIN: 'admin',
  CLEARINGHOUSE: SIMULATOR_SENDER_ID,
  EHR: 'ehr-matrix',
};
const table = routeTable(createApp({ prisma: {} as never, temporal: {} as never, config: testConfig() }));

beforeAll(async () => {
  strict = await startApi({ prisma: f.db.prisma, temporal: f.env.client, config: { ...testConfig(), trustUserHeader: false } });
  await f.db.prisma.user.create({ data: { id: USERS.EHR, name: 'An EHR', role: 'EHR', organizationIds: ['*'] } });
  for (const role of ALL) tokens[role] = (await issueToken(f.db.prisma, USERS[role], { name: 'matrix' }, 'test')).token;
});
afterAll(() => strict?.close());

/** A request that reaches the handler without doing anything: params that name nothing, an empty body. */
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, 'NOPE');

describe('the role matrix over every route', () => {
  it('finds the routes in the router', () => {
    expect(table.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length);
    expect(table.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(Object.keys(EXPECTED)));
  });

  it('every route behind authentication declares its roles; only known routes are public', () => {
    const undeclared = table.filter((r) => r.roles !== null && r.roles.length === 0).map((r) => `${r.method} ${r.path}`);
    expect(undeclared, 'routes without requireRole(...)').toEqual([]);
    const publicRoutes = table.filter((r) => r.roles === null).map((r) => `${r.method} ${r.path}`);
    expect(
      publicRoutes.filter((r) => !PUBLIC_PATH.test(r.split(' ')[1])),
      'routes in front of authentication',
    ).toEqual([]);
  });

  it('each route declares the roles the issue gives it', () => {
    for (const r of table) {
      const key = `${r.method} ${r.path}`;
      if (EXPECTED[key]) expect([...(r.roles ?? [])].sort(), key).toEqual([...EXPECTED[key]].sort());
    }
  });

  it('answers 401 without a token, 403 to an undeclared role, and lets a declared role through', async () => {
    const problems: string[] = [];
    for (const r of table) {
      const path = concrete(r.path);
      const hasBody = r.method !== 'GET' && r.method !== 'DELETE';
      const call = (token?: string) => strict.request(r.method, path, { user: null, token, body: hasBody ? {} : undefined });
      const anonymous = await call();
      if (r.roles === null) {
        if (anonymous.status === 401 || anonymous.status === 403)
          problems.push(`${r.method} ${r.path} public, but no token: ${anonymous.status}`);
        continue;
      }
      if (anonymous.status !== 401) problems.push(`${r.method} ${r.path} no token: ${anonymous.status}, expected 401`);
      for (const role of ALL) {
        const res = await call(tokens[role]);
        const allowed = r.roles.includes(role);
        const ok = allowed ? res.status !== 401 && res.status !== 403 : res.status === 403;
        if (!ok)
          problems.push(
            `${r.method} ${r.path} as ${role}: ${res.status} ${JSON.stringify(res.body?.error)}, expected ${allowed ? 'through' : '403'}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the route table reader', () => {
  it('notices a route without requireRole, and roles declared on a router', async () => {
    const { default: expressApp } = await import('express');
    const app = expressApp();
    app.get('/api/health', (_req, res) => void res.end());
    app.use(
      '/api',
      Object.assign((_req: unknown, _res: unknown, next: () => void) => next(), { [AUTHENTICATES]: true }),
    );
    const router = expressApp.Router();
    router.get('/forgotten', (_req, res) => void res.end());
    router.get('/declared', requireRole('ADMIN', 'CODER'), (_req, res) => void res.end());
    const narrowed = expressApp.Router();
    narrowed.use(requireRole('ADMIN'));
    narrowed.post('/:id', requireRole('ADMIN', 'CODER'), (_req, res) => void res.end());
    app.use('/api/things', router);
    app.use('/api/narrow', narrowed);
    expect(routeTable(app)).toEqual([
      { method: 'GET', path: '/api/health', roles: null },
      { method: 'GET', path: '/api/things/forgotten', roles: [] },
      { method: 'GET', path: '/api/things/declared', roles: ['ADMIN', 'CODER'] },
      { method: 'POST', path: '/api/narrow/:id', roles: ['ADMIN'] },
    ]);
  });
});

describe('the queue matrix', () => {
  const QUEUE_WORKERS: Record<string, RoleName[]> = {
    CODER: ['CODER', 'SUPERVISOR', 'ADMIN'],
    BILLER: ['BILLER', 'SUPERVISOR', 'ADMIN'],
    SUPERVISOR: ['SUPERVISOR', 'ADMIN'],
  };

  it('a queue is listed and taken from only by the roles that work it', async () => {
    for (const [queue, workers] of Object.entries(QUEUE_WORKERS)) {
      for (const role of ALL) {
        const list = await strict.request('GET', `/api/queues/${queue}/tasks`, { token: tokens[role] });
        const next = await strict.request('POST', `/api/queues/${queue}/next`, { token: tokens[role] });
        const expected = workers.includes(role);
        expect(list.status, `${role} lists ${queue}`).toBe(expected ? 200 : 403);
        // the queues are empty here: a worker of the queue hears QUEUE_EMPTY, anyone else 403
        expect(next.status, `${role} takes from ${queue}`).toBe(expected ? 404 : 403);
      }
    }
  });
});
