// Fault 3: PostgreSQL goes away for 30 seconds under a running system. The machine's server is shared with
// other test files, so a TCP proxy between claimflow (API and worker) and PostgreSQL cuts every connection
// and refuses new ones. Meanwhile the API answers 503 DATABASE_UNAVAILABLE with Retry-After (never a 500),
// activities retry with backoff, the payer's messages wait; afterwards everything completes, nothing lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIdForClaim } from '../../workflows/contract';
import { auditClaims, closedCount } from './ledger';
import { sleep, startRig, type Rig } from './rig';

const CLAIMS = Number(process.env.FAULT_DB_CLAIMS ?? 100);
const OUTAGE_MS = 30_000;
let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ dayMs: 1_000 });
});
afterAll(async () => {
  await rig?.shutdown();
});

describe('PostgreSQL unavailable for 30 seconds', () => {
  it('health reports the database', async () => {
    const up = await rig.api('GET', '/api/health');
    expect(up).toMatchObject({ status: 200, body: { ok: true } });
    await rig.pgProxy.down();
    try {
      const down = await rig.api('GET', '/api/health');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable; try again shortly' } });
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await rig.pgProxy.up();
    }
    await rig.waitUntil('health 200 again', async () => (await rig.api('GET', '/api/health')).status === 200, 30_000, 200);
  });

  it(`cuts PostgreSQL for 30 s with ${CLAIMS} claims in flight: 503s meanwhile, then every claim closes, once`, async () => {
    const t0 = Date.now();
    const worker = await rig.startWorker();
    const coder = rig.startCoder();
    const ids = await rig.createClaims(CLAIMS);
    await rig.waitUntil(
      'a quarter of the claims submitted',
      async () => (await rig.db.prisma.submission.count({ where: { claimId: { in: ids } } })) >= CLAIMS / 4,
      300_000,
    );
    const closedAtCut = await closedCount(rig, ids);
    const deliveriesBefore = rig.simulator.stats().deliveries.failedAttempts;

    await rig.pgProxy.down();
    const cutAt = Date.now();
    // What callers see while it is down: every answer is a 503 with the error body, none a 500.
    const seen: Record<string, number> = {};
    const bodies = new Set<string>();
    let retryAfter: string | null = null;
    const probes = [
      () => rig.api('GET', '/api/health'),
      () => rig.api('GET', `/api/claims/${ids[0]}`),
      () => rig.api('GET', '/api/queues/CODER/tasks'),
      () => rig.api('POST', '/api/claims', { patientId: 'pat-01' }),
    ];
    let retriesSeen = 0;
    while (Date.now() - cutAt < OUTAGE_MS) {
      for (const probe of probes) {
        const res = await probe();
        seen[res.status] = (seen[res.status] ?? 0) + 1;
        bodies.add(JSON.stringify(res.body));
        retryAfter ??= res.headers.get('retry-after');
      }
      // Activities failing on the database and retrying with backoff, as the server sees them.
      if (Date.now() - cutAt > OUTAGE_MS - 8_000 && retriesSeen === 0) retriesSeen = await pendingActivityRetries(rig, ids);
      await sleep(1_000);
    }
    await rig.pgProxy.up();
    const restoredAt = Date.now();
    await rig.waitUntil('health 200 again', async () => (await rig.api('GET', '/api/health')).status === 200, 30_000, 200);

    await rig.waitUntil(`all ${CLAIMS} claims CLOSED`, async () => (await closedCount(rig, ids)) === CLAIMS, 900_000, 1_000);
    const tookS = (Date.now() - t0) / 1000;
    expect(worker.alive(), worker.output().slice(-2000)).toBe(true);
    await coder.stop();
    const ledger = await auditClaims(rig, ids);
    const deliveries = rig.simulator.stats().deliveries;
    console.log(
      JSON.stringify({
        fault: 'PostgreSQL down 30 s',
        tookS,
        outageS: (restoredAt - cutAt) / 1000,
        closedAtCut,
        afterOutageToAllClosedS: (Date.now() - restoredAt) / 1000,
        apiAnswersDuringOutage: seen,
        retryAfter,
        activitiesRetryingAtOutageEnd: retriesSeen,
        inboundDeliveriesRefused: deliveries.failedAttempts - deliveriesBefore,
        coderRefusals: coder.refusals(),
        proxy: rig.pgProxy.stats(),
        ...ledger,
      }),
    );
    await worker.stop();

    expect(Object.keys(seen)).toEqual(['503']);
    expect([...bodies]).toEqual([
      JSON.stringify({ error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable; try again shortly' } }),
    ]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(retriesSeen).toBeGreaterThan(0);
    expect(ledger.problems).toEqual([]);
    expect(ledger.closed).toBe(CLAIMS);
    expect(closedAtCut).toBeLessThan(CLAIMS);
    const attempts = Object.entries(ledger.attemptsHistogram).reduce((s, [a, n]) => s + Number(a) * n, 0);
    expect(ledger.distinctSubmissions).toBe(attempts);
    expect(ledger.paymentsPosted).toBe(ledger.payments);
  }, 1_200_000);
});

/** Activities of these claims' workflows that have failed at least once and are waiting to retry. */
async function pendingActivityRetries(rig: Rig, ids: string[]): Promise<number> {
  let n = 0;
  for (const id of ids.slice(0, 60)) {
    try {
      const d = await rig.client.workflow.getHandle(workflowIdForClaim(id)).describe();
      n += (d.raw.pendingActivities ?? []).filter((a) => (a.attempt ?? 0) > 1).length;
    } catch {
      // a claim's workflow may be closed already
    }
  }
  return n;
}
