// Fault 4: the clearinghouse answers 500s, loses answers after it has taken the claim, and hangs past our
// timeout, for a while. Submissions retry with backoff; the payer still takes exactly one 837 per idempotency
// key (claimId:attempt) and every claim closes, paid once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditClaims, closedCount } from './ledger';
import { startRig, type Rig } from './rig';

const CLAIMS = Number(process.env.FAULT_SIM_CLAIMS ?? 60);
let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ dayMs: 1_000 });
});
afterAll(async () => {
  await rig?.shutdown();
});

const faults = async (body: Record<string, number>) => {
  const res = await fetch(`${rig.simulatorUrl}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${rig.simulatorToken}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
};

describe('clearinghouse 500s and timeouts', () => {
  it(`${CLAIMS} claims through a clearinghouse that fails, drops answers and hangs: one 837 per key, all close`, async () => {
    const t0 = Date.now();
    const worker = await rig.startWorker();
    // Each fault is armed before a batch of claims is created, so that batch's submissions meet it.
    const third = Math.floor(CLAIMS / 3);
    const faulted = () => rig.simulator.stats().faultedRequests;
    const coder = rig.startCoder();
    await faults({ failNextRequests: 40, status: 500 });
    const ids = await rig.createClaims(third);
    await rig.waitUntil('40 requests answered 500', async () => faulted() >= 40, 300_000);
    // Taken and recorded, then answered 503: the worker cannot know the payer has the claim.
    await faults({ failAfterNextRequests: 15, status: 503 });
    ids.push(...(await rig.createClaims(third)));
    await rig.waitUntil('15 answers lost', async () => faulted() >= 55, 300_000);
    // Held past the worker's 15 s clearinghouse timeout, then handled: the retry overtakes the original.
    await faults({ slowNextRequests: 4, delayMs: 17_000 });
    ids.push(...(await rig.createClaims(CLAIMS - 2 * third)));

    await rig.waitUntil(`all ${CLAIMS} claims CLOSED`, async () => (await closedCount(rig, ids)) === CLAIMS, 600_000, 1_000);
    const tookS = (Date.now() - t0) / 1000;
    await coder.stop();
    const ledger = await auditClaims(rig, ids);
    const stats = rig.simulator.stats();
    console.log(
      JSON.stringify({
        fault: 'clearinghouse 500s, lost answers, timeouts',
        tookS,
        faultedRequests: stats.faultedRequests,
        statusInquiries: stats.statusInquiries,
        duplicateStatusInquiries: stats.duplicateStatusInquiries,
        ...ledger,
      }),
    );
    await worker.stop();

    expect(ledger.problems).toEqual([]);
    expect(ledger.closed).toBe(CLAIMS);
    const attempts = Object.entries(ledger.attemptsHistogram).reduce((s, [a, n]) => s + Number(a) * n, 0);
    expect(ledger.distinctSubmissions).toBe(attempts);
    expect(stats.faultedRequests).toBeGreaterThanOrEqual(55);
    // the lost answers and the timed-out requests came back as repeats of a key the payer already had
    expect(ledger.duplicateSubmissionsAbsorbed).toBeGreaterThan(0);
    expect(ledger.payments).toBe(ledger.paymentsPosted);
  }, 900_000);
});
