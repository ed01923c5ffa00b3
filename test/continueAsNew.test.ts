// Long histories: a claim that waits through many follow-ups continues as new, carrying its state
// (open tasks, follow-up count, history) into the next run, and still closes correctly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, USER_IDS } from '../infra/seed';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  // A tiny history budget so that two follow-ups cross it; production uses the default of 8,000 events.
  h = await startHarness({ timeSkipping: true, continueAsNewAfterEvents: 60 });
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
    await h.waitForState(claimId, 'SUBMITTED');
    await h.deliver(claimId, 'acknowledgement');
    await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
    for (let i = 1; i <= 2; i++) {
      await h.env.sleep(`${30 * 24} hours`);
      const t = await h.waitForTask(claimId, 'FOLLOW_UP');
      expect(t.context.followUp).toBe(i);
      expect((await h.completeTask(t.id, { action: 'KEEP_WAITING' })).status).toBe(200);
    }
    await h.deliver(claimId, 'remittance');
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(done.runs).toBeGreaterThan(1);
    expect(done.followUps).toBe(2);
    expect(done.history.map((t) => t.state)).toEqual([
      'CODING', 'SCRUBBING', 'READY', 'SUBMITTED', 'ACKNOWLEDGED', 'AWAITING_ADJUDICATION', 'PAID', 'POSTED', 'CLOSED',
    ]);
    expect((await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } })).balanceCents).toBe(0);
    expect(await h.db.prisma.claimPayment.count({ where: { claimId, postedAt: { not: null } } })).toBe(1);
  });
});
