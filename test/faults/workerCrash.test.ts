// Fault 1: the worker process is SIGKILLed with hundreds of claims in flight and a new one takes over.
// Every claim still closes; the payer took exactly one 837 per attempt the workflow made (its
// idempotency keys), and no payment posted twice. FAULT_CLAIMS sets the number of claims (default 500).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditClaims, closedCount } from './ledger';
import { startRig, type Rig } from './rig';

const CLAIMS = Number(process.env.FAULT_CLAIMS ?? 500);
let rig: Rig;

beforeAll(async () => {
  // A day is a second: acknowledgements within 0.1–1 s, payment 5–20 s later; the two-day acknowledgement
  // wait (2 s) and the SLA timers run for real while the worker is dead.
  rig = await startRig({ dayMs: 1_000 });
});
afterAll(async () => {
  await rig?.shutdown();
});

describe('worker SIGKILL with claims in flight', () => {
  it(`kills the worker mid-run with ${CLAIMS} claims moving; a new worker closes every one, once`, async () => {
    const t0 = Date.now();
    const first = await rig.startWorker();
    const coder = rig.startCoder();
    const ids = await rig.createClaims(CLAIMS);

    // Kill when claims are spread over the lifecycle: some paid, many submitted, some still being coded.
    const inFlight = await rig.waitUntil(
      'a quarter of the claims submitted',
      async () => {
        const submitted = await rig.db.prisma.submission.count({ where: { claimId: { in: ids } } });
        return submitted >= CLAIMS / 4 ? submitted : undefined;
      },
      300_000,
    );
    const closedAtKill = await closedCount(rig, ids);
    const states = await rig.db.prisma.claim.groupBy({ by: ['state'], where: { id: { in: ids } }, _count: true });
    await first.kill();
    const killedAt = Date.now();
    const second = await rig.startWorker();

    await rig.waitUntil(`all ${CLAIMS} claims CLOSED`, async () => (await closedCount(rig, ids)) === CLAIMS, 1_500_000, 1_000);
    const tookS = (Date.now() - t0) / 1000;
    await coder.stop();
    const ledger = await auditClaims(rig, ids);
    console.log(
      JSON.stringify({
        fault: 'worker SIGKILL',
        tookS,
        recoveredInS: (Date.now() - killedAt) / 1000,
        atKill: { submissions: inFlight, closed: closedAtKill, states: Object.fromEntries(states.map((s) => [s.state, s._count])) },
        codesConfirmed: coder.confirmed(),
        coderRefusals: coder.refusals(),
        ...ledger,
        simulator: rig.simulator.stats().deliveries,
      }),
    );
    await second.stop();

    expect(ledger.problems).toEqual([]);
    expect(ledger.closed).toBe(CLAIMS);
    expect(closedAtKill).toBeLessThan(CLAIMS);
    // one accepted 837 per attempt: the payer's distinct keys are exactly the attempts made
    const attempts = Object.entries(ledger.attemptsHistogram).reduce((s, [a, n]) => s + Number(a) * n, 0);
    expect(ledger.distinctSubmissions).toBe(attempts);
    expect(ledger.paymentsPosted).toBe(ledger.payments);
    expect(ledger.postingAuditEvents).toBe(ledger.payments);
    expect(ledger.payments).toBeGreaterThanOrEqual(CLAIMS);
  }, 1_800_000);
});
