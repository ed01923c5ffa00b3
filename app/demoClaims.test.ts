// The first-run demo claims (CLAIMFLOW_DEMO_CLAIMS): loaded through the real API into a fresh database, once, with
// a load cut short finished rather than doubled, and never into a database that has claims of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTestDatabase, startApi, startTemporal, type TestApi, type TestDatabase } from '../api/testSupport';
import { demoEncounter, ORGANIZATION_IDS, USER_IDS } from './seed';
import { mulberry32 } from '../simulator/random';
import { workflowIdForClaim } from '../workflows/contract';
import { DEMO_CLAIM_KEY_PREFIX, loadDemoClaims, planDemoClaims } from './demoClaims';

const N = 6;

let env: TestWorkflowEnvironment;
let fresh: { db: TestDatabase; api: TestApi };
let busy: { db: TestDatabase; api: TestApi };

async function installation(): Promise<{ db: TestDatabase; api: TestApi }> {
  const db = await createTestDatabase();
  return { db, api: await startApi({ prisma: db.prisma, temporal: env.client }) };
}

beforeAll(async () => {
  env = await startTemporal();
  fresh = await installation();
  busy = await installation();
});

afterAll(async () => {
  for (const i of [fresh, busy]) {
    await i?.api.close();
    await i?.db.drop();
  }
  await env?.teardown();
});

describe('demo claims on a first run', () => {
  it('loads N claims of both practices into a fresh database, finishes a load cut short, and never doubles one', async () => {
    const prisma = fresh.db.prisma;
    const deps = { prisma, apiUrl: fresh.api.baseUrl };

    const first = await planDemoClaims(prisma, N);
    expect(first).toMatchObject({ asked: N, claimsBefore: 0, loadedEarlier: 0, toLoad: [0, 1, 2, 3, 4, 5] });
    expect(first.skipped).toBeUndefined();

    // A start that stopped after three claims ...
    const cut = await loadDemoClaims(deps, { ...first, toLoad: [0, 1, 2] });
    expect(cut.created).toBe(3);
    // ... and the next start adds the three missing ones only.
    const resumed = await planDemoClaims(prisma, N);
    expect(resumed).toMatchObject({ claimsBefore: 3, loadedEarlier: 3, toLoad: [3, 4, 5] });
    expect(await loadDemoClaims(deps, resumed)).toMatchObject({ created: 3, replayed: 0 });

    expect(await prisma.claim.count()).toBe(N);
    const practices = await prisma.claim.groupBy({ by: ['organizationId'], _count: { _all: true } });
    expect(Object.fromEntries(practices.map((p) => [p.organizationId, p._count._all]))).toEqual({
      [ORGANIZATION_IDS.riverbend]: 5,
      [ORGANIZATION_IDS.lakeside]: 1,
    });
    // They are ordinary claims from the biller, waiting for coding, each with its workflow started by the API.
    const claims = await prisma.claim.findMany({ select: { state: true, id: true } });
    expect(new Set(claims.map((c) => c.state))).toEqual(new Set(['CODING']));
    const audits = await prisma.auditEvent.findMany({ where: { action: 'claim.create' }, select: { actor: true } });
    expect(audits.map((a) => a.actor)).toEqual(Array(N).fill(USER_IDS.biller2));
    const keys = await prisma.inboundMessage.findMany({ where: { externalId: { startsWith: DEMO_CLAIM_KEY_PREFIX } } });
    expect(keys).toHaveLength(N);
    for (const c of claims) await env.client.workflow.getHandle(workflowIdForClaim(c.id)).describe();

    // Called again: nothing to do.
    const again = await planDemoClaims(prisma, N);
    expect(again).toMatchObject({ skipped: 'loaded-earlier', claimsBefore: N, loadedEarlier: N, toLoad: [] });
    expect(await loadDemoClaims(deps, again)).toMatchObject({ created: 0, replayed: 0 });
    // A start that died after the API answered but before it knew: the same keys find the same claims.
    const stale = await loadDemoClaims(deps, first);
    expect(stale).toMatchObject({ created: 0, replayed: N });
    expect(await prisma.claim.count()).toBe(N);

    // The load's own token does not outlive it.
    const tokens = await prisma.apiToken.findMany({ where: { name: 'demo claims' } });
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((t) => t.revokedAt !== null)).toBe(true);
  });

  it('loads nothing into a database that has claims of its own', async () => {
    const rng = mulberry32(7);
    const own = await busy.api.request('POST', '/api/claims', { user: USER_IDS.biller1, body: demoEncounter(rng, 0) });
    expect(own.status).toBe(201);

    const plan = await planDemoClaims(busy.db.prisma, N);
    expect(plan).toMatchObject({ skipped: 'has-claims', claimsBefore: 1, loadedEarlier: 0, toLoad: [] });
    expect(await loadDemoClaims({ prisma: busy.db.prisma, apiUrl: busy.api.baseUrl }, plan)).toMatchObject({ created: 0 });
    expect(await busy.db.prisma.claim.count()).toBe(1);
  });

  it('is off at 0', async () => {
    expect(await planDemoClaims(busy.db.prisma, 0)).toMatchObject({ skipped: 'off', toLoad: [] });
  });
});
