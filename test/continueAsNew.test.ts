// Long histories: a claim that waits through follow-ups continues as new, carrying its state (open tasks,
// follow-up count, history) into the next run, and still closes correctly. Runs on the dev server with a
// short day: Java's time-skipping test server has been seen to stall a skip across a continue-as-new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, USER_IDS } from '../app/seed';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  // A tiny history budget so that a few follow-ups cross it (production: 8,000 events). One day = 150 ms,
  // so the Medicare-like payer's 30-day follow-up interval is 4.5 s.
  h = await startHarness({ timeSkipping: false, dayMs: 150, continueAsNewAfterEvents: 60 });
});
afterAll(async () => {
  await h?.shutdown();
});

describe('long histories', () => {
  it('continues as new with the claim state carried over, and still closes', async () => {
    const claimId = await h.createClaim({ patientId: PATIENT_IDS[0] });
    await h.forceScenario(claimId, 'SILENT_THEN_PAY');
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1)).status).toBe(200);
    await h.deliver(claimId, 'acknowledgement');
    await h.waitForState(claimId, 'AWAITING_ADJUDICATION');

    // The biller keeps answering follow-ups until the payer has been asked twice (then it pays).
    const deadline = Date.now() + 60_000;
    while ((await h.status(claimId)).followUps < 2) {
      if (Date.now() > deadline) throw new Error('no second follow-up within a minute');
      const open = await h.db.prisma.task.findMany({ where: { claimId, kind: 'FOLLOW_UP', status: 'OPEN' } });
      for (const t of open) await h.completeTask(t.id, { action: 'KEEP_WAITING', note: 'payer says in process' });
      await new Promise((r) => setTimeout(r, 200));
    }
    await h.deliver(claimId, 'remittance');
    const done = await h.waitForState(claimId, 'CLOSED', 60_000);
    expect(done.runs).toBeGreaterThan(1);
    expect(done.followUps).toBeGreaterThanOrEqual(2);
    expect(done.history.map((t) => t.state)).toEqual([
      'CODING',
      'SCRUBBING',
      'READY',
      'SUBMITTED',
      'ACKNOWLEDGED',
      'AWAITING_ADJUDICATION',
      'PAID',
      'POSTED',
      'CLOSED',
    ]);
    expect((await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } })).balanceCents).toBe(0);
    expect(await h.db.prisma.claimPayment.count({ where: { claimId, postedAt: { not: null } } })).toBe(1);
    expect(await h.db.prisma.task.count({ where: { claimId, status: { in: ['OPEN', 'CLAIMED'] } } })).toBe(0);
  });
});
