// Fault 2: the Temporal dev server is stopped mid-run and started again on the same port from its state on
// disk. The worker process and the API reconnect by themselves; every claim resumes where it was and closes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditClaims, closedCount } from './ledger';
import { startRig, type Rig } from './rig';

const CLAIMS = Number(process.env.FAULT_RESTART_CLAIMS ?? 100);
let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ dayMs: 1_000 });
});
afterAll(async () => {
  await rig?.shutdown();
});

describe('Temporal dev server stopped and restarted', () => {
  it(`stops the dev server with ${CLAIMS} claims in flight, starts it again: the same worker and API carry on and all close`, async () => {
    const t0 = Date.now();
    const worker = await rig.startWorker();
    const coder = rig.startCoder();
    const ids = await rig.createClaims(CLAIMS);
    await rig.waitUntil(
      'a quarter of the claims submitted',
      async () => (await rig.db.prisma.submission.count({ where: { claimId: { in: ids } } })) >= CLAIMS / 4,
      300_000,
    );
    const closedAtStop = await closedCount(rig, ids);

    await rig.stopTemporal();
    const stoppedAt = Date.now();
    // While it is down the API answers 503 to what needs Temporal (a coder's completion, an inbound signal),
    // and the payer's messages wait in its outbox.
    const failedBefore = rig.simulator.stats().deliveries.failedAttempts;
    const probe = await rig.waitUntil(
      'a 503 from the API while Temporal is down',
      async () => {
        const deliveriesFailed = rig.simulator.stats().deliveries.failedAttempts - failedBefore;
        const refused503 = coder.refusals()[503] ?? 0;
        // down for at least 10 s, long enough for every poll, signal and timer to notice
        const noticed = (deliveriesFailed > 0 || refused503 > 0) && Date.now() - stoppedAt >= 10_000;
        return noticed ? { deliveriesFailed, refused503 } : undefined;
      },
      120_000,
    );
    const downForMs = Date.now() - stoppedAt;

    await rig.startTemporal();
    const restartedAt = Date.now();
    await rig.waitUntil(`all ${CLAIMS} claims CLOSED`, async () => (await closedCount(rig, ids)) === CLAIMS, 900_000, 1_000);
    const tookS = (Date.now() - t0) / 1000;
    // the worker that lived through the outage is the one that finished the work
    expect(worker.alive(), worker.output().slice(-2000)).toBe(true);
    await coder.stop();
    const ledger = await auditClaims(rig, ids);
    console.log(
      JSON.stringify({
        fault: 'Temporal dev server stop/start',
        tookS,
        downForS: downForMs / 1000,
        closedAtStop,
        resumedToClosedInS: (Date.now() - restartedAt) / 1000,
        duringOutage: probe,
        coderRefusals: coder.refusals(),
        deliveries: rig.simulator.stats().deliveries,
        ...ledger,
      }),
    );
    await worker.stop();

    expect(ledger.problems).toEqual([]);
    expect(ledger.closed).toBe(CLAIMS);
    expect(closedAtStop).toBeLessThan(CLAIMS);
    const attempts = Object.entries(ledger.attemptsHistogram).reduce((s, [a, n]) => s + Number(a) * n, 0);
    expect(ledger.distinctSubmissions).toBe(attempts);
    expect(ledger.paymentsPosted).toBe(ledger.payments);
  }, 1_200_000);
});
