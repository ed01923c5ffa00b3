import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { USER_IDS } from '../../app/seed';
import { createApp } from '../app';
import { mountedRoutes, openApiPath, undocumentedRoutes } from './openapi';
import { createClaimBody } from '../claims/schemas';
import { testConfig, useApiFixture } from '../testSupport';

const f = useApiFixture();

const USER_BY_ROLE = { CODER: USER_IDS.coder1, BILLER: USER_IDS.biller1, SUPERVISOR: USER_IDS.supervisor, ADMIN: USER_IDS.admin } as const;
type Role = keyof typeof USER_BY_ROLE;
const ROLES = Object.keys(USER_BY_ROLE) as Role[];

/** Path parameters that pass the routes' own validation, so that the role check is what a probe meets first. */
const SAMPLE_PARAMS: Record<string, string> = { queue: 'SUPERVISOR', kind: 'CODE_REVIEW', payerGroup: '*' };
const samplePath = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'NO-SUCH-ID');

const appRoutes = () => mountedRoutes(createApp({ prisma: f.db.prisma, temporal: f.env.client, config: testConfig() }));

describe('the OpenAPI document', () => {
  it('describes every route in the express router stack, and nothing else', async () => {
    const res = await f.api.request('GET', '/api/openapi.json', { user: USER_IDS.coder1 });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    const mounted = appRoutes();
    expect(mounted.length).toBeGreaterThan(20);
    expect(undocumentedRoutes(mounted)).toEqual([]);
    for (const r of mounted) {
      expect(doc.paths[openApiPath(r.path)]?.[r.method], `${r.method.toUpperCase()} ${r.path}`).toBeDefined();
    }
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(documented.sort()).toEqual(mounted.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
  });

  it('finds a route that has no description', () => {
    const before = undocumentedRoutes(appRoutes());
    const app = createApp({ prisma: f.db.prisma, temporal: f.env.client, config: testConfig() });
    app.get('/api/undescribed/:id', (_req, res) => res.json({}));
    expect(undocumentedRoutes(mountedRoutes(app)).filter((r) => !before.includes(r))).toEqual(['GET /api/undescribed/:id']);
  });

  it('lists the roles each route enforces (x-roles) and the bearer security scheme', async () => {
    const doc = (await f.api.request('GET', '/api/openapi.json')).body;
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const r of appRoutes()) {
      const op = doc.paths[openApiPath(r.path)][r.method];
      if (r.authenticated) {
        expect(r.roles, `${r.method} ${r.path} declares no roles`).not.toBeNull();
        expect(op['x-roles'], `${r.method} ${r.path}`).toEqual(r.roles);
        expect(op.security).toEqual([{ bearerAuth: [] }]);
      } else {
        expect(op.security, `${r.method} ${r.path}`).toEqual([]);
      }
    }
    expect(doc.paths['/api/supervisor/stuck-claims'].get['x-roles']).toEqual(['SUPERVISOR', 'ADMIN']);
    expect(doc.paths['/api/claims/{id}/timeline'].get['x-roles']).toEqual(['CODER', 'BILLER', 'SUPERVISOR', 'ADMIN']);
  });

  it('takes request schemas from the zod schemas that validate the requests', async () => {
    const doc = (await f.api.request('GET', '/api/openapi.json')).body;
    const { $schema: _, ...createClaim } = z.toJSONSchema(createClaimBody, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    expect(doc.paths['/api/claims'].post.requestBody.content['application/json'].schema).toEqual(createClaim);
    const params = doc.paths['/api/supervisor/stuck-claims'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(params).toEqual(
      expect.arrayContaining(['query:reason', 'query:timelyFilingWithinDays', 'query:limit', 'query:cursor', 'query:asOf']),
    );
    expect(doc.paths['/api/queues/{queue}/tasks'].get.parameters[0]).toMatchObject({
      name: 'queue',
      in: 'path',
      schema: { enum: ['CODER', 'BILLER', 'SUPERVISOR'] },
    });
  });

  it('every role in x-roles gets past the role check and every other role is refused with 403', async () => {
    const doc = (await f.api.request('GET', '/api/openapi.json')).body;
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { 'x-roles': Role[]; security: unknown[] }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.security.length === 0) continue;
        for (const role of ROLES) {
          const res = await f.api.request(method.toUpperCase(), samplePath(path), { user: USER_BY_ROLE[role] });
          // /fhir refuses with an OperationOutcome, the rest of the API with { error }
          const message: string = res.body?.error?.message ?? res.body?.issue?.[0]?.diagnostics ?? '';
          const refusedByRole = res.status === 403 && /needs one of the roles/.test(message);
          expect(refusedByRole, `${role} ${method.toUpperCase()} ${path}: ${res.status}`).toBe(!op['x-roles'].includes(role));
        }
      }
    }
  });
});
