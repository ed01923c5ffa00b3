// CLAIMFLOW_MAX_CACHED_WORKFLOWS=0: a worker that keeps no claim in memory replays each claim's whole history
// at every step. Interleaved claims must still close exactly as with a full cache: this is what the workflow's
// determinism buys, and what an operator relies on when trading worker memory for CPU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, USER_IDS } from '../app/seed';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxCachedWorkflows: 0 });
});
afterAll(async () => {
  await h?.shutdown();
});

describe('a worker with no workflow cache', () => {
  it('closes three interleaved claims, each replayed from history between its steps', async () => {
    expect(h.worker.options.maxCachedWorkflows).toBe(0);
    const claims: string[] = [];
    for (let i = 0; i < 3; i++) claims.push(await h.createClaim({ patientId: PATIENT_IDS[0] }));
    for (const claimId of claims) await h.forceScenario(claimId, 'PAY_IN_FULL');
    // The claims' steps interleave, so each replay rebuilds a claim among others in flight.
    for (const claimId of claims) {
      const review = await h.waitForTask(claimId, 'CODE_REVIEW');
      expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1)).status).toBe(200);
    }
    for (const claimId of claims) await h.waitForState(claimId, 'SUBMITTED');
    for (const claimId of claims) await h.deliver(claimId, 'acknowledgement');
    for (const claimId of claims) await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
    for (const claimId of claims) await h.deliver(claimId, 'remittance');
    for (const claimId of claims) {
      const done = await h.waitForState(claimId, 'CLOSED');
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
      expect(await h.db.prisma.submission.count({ where: { claimId } })).toBe(1);
      expect(await h.db.prisma.claimPayment.count({ where: { claimId, postedAt: { not: null } } })).toBe(1);
    }
  });
});
