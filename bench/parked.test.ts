// The idle-scale benchmark's quick path must park a claim where the real path does, or its figures are about
// something else: the same state in the workflow, the read model and Temporal's visibility, nothing pending,
// and the same follow-up timer ahead (time-skipping server, real worker, PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimAwaitingAdjudication, startHarness, type Harness } from '../test/harness';
import { PATIENT_IDS } from '../app/seed';
import { mulberry32 } from '../simulator/random';
import { ClaimStateKey, workflowIdForClaim } from '../workflows/contract';
import { parkedSeeder } from './parked';

const DAY_MS = 86_400_000;

describe('bench/parked: the quick path to AWAITING_ADJUDICATION', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.shutdown();
  });

  it('parks real workflows in the same wait as claims that came the long way', async () => {
    const real = await claimAwaitingAdjudication(h, PATIENT_IDS[0]);
    const seeder = await parkedSeeder(h.db.prisma, h.client, h.config, mulberry32(3), { batch: 2 });
    // demo patient 0, as the real claim: the same payer and follow-up interval
    const before = new Set((await h.db.prisma.claim.findMany({ select: { id: true } })).map((c) => c.id));
    expect(await seeder.park(0, 1)).toEqual({ started: 1 });
    const [seededId] = (await h.db.prisma.claim.findMany({ select: { id: true } })).map((c) => c.id).filter((id) => !before.has(id));

    const seeded = await h.waitForState(seededId, 'AWAITING_ADJUDICATION');
    const longWay = await h.status(real.claimId);
    const comparable = (v: typeof seeded) => ({
      state: v.state,
      openTasks: v.openTasks,
      attempt: v.attempt,
      frequencyCode: v.frequencyCode,
      followUps: v.followUps,
      appealLevel: v.appealLevel,
      patientRespCents: v.patientRespCents,
      states: v.history.map((t) => t.state),
    });
    expect(comparable(seeded)).toEqual(comparable(longWay));
    expect(seeded.history.map((t) => t.state)).toEqual([
      'CODING',
      'SCRUBBING',
      'READY',
      'SUBMITTED',
      'ACKNOWLEDGED',
      'AWAITING_ADJUDICATION',
    ]);
    expect(seeded.runs).toBe(2); // as after a continue-as-new: the documented difference

    for (const claimId of [seededId, real.claimId]) {
      const row = await h.db.prisma.claim.findUniqueOrThrow({
        where: { id: claimId },
        include: { submissions: true, tasks: true, lines: true },
      });
      expect(row.state).toBe('AWAITING_ADJUDICATION');
      expect(row.balanceCents).toBe(row.totalChargeCents);
      expect(row.lines.reduce((n, l) => n + l.chargeCents, 0)).toBe(row.totalChargeCents);
      expect(row.submissions.map((s) => [s.attempt, s.status])).toEqual([[1, 'ACCEPTED']]);
      expect(row.tasks.map((t) => [t.kind, t.status])).toEqual([['CODE_REVIEW', 'DONE']]);
      const d = await h.client.workflow.getHandle(workflowIdForClaim(claimId)).describe();
      expect(d.status.name).toBe('RUNNING');
      expect(d.typedSearchAttributes.get(ClaimStateKey)).toBe('AWAITING_ADJUDICATION');
      expect(d.raw.pendingActivities ?? []).toHaveLength(0);
    }
    // The transition into the wait was recorded by the workflow's own activity, once.
    const transitions = await h.db.prisma.auditEvent.findMany({
      where: { claimId: seededId, action: 'claim.transition' },
      orderBy: { id: 'asc' },
    });
    expect(transitions.map((t) => (t.detail as { to: string }).to)).toEqual([
      'CODING',
      'SCRUBBING',
      'READY',
      'SUBMITTED',
      'ACKNOWLEDGED',
      'AWAITING_ADJUDICATION',
    ]);

    // Both wait on the payer's follow-up interval: after it, each asks the payer (a 276). The simulated payer has the
    // real claim in adjudication ("pending": wait again, no task); the parked one it never received ("not found":
    // a biller's FOLLOW_UP task), the same answers as to claims that came the long way.
    const payer = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: seededId }, include: { payer: true } });
    await h.env.sleep(payer.payer.followUpIntervalDays * DAY_MS + DAY_MS);
    for (const claimId of [seededId, real.claimId]) {
      const checked = () => h.db.prisma.auditEvent.count({ where: { claimId, action: 'claim.status-checked' } });
      const deadline = Date.now() + 20_000;
      while ((await checked()) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await checked()).toBe(1);
      expect((await h.status(claimId)).followUps).toBe(1);
      expect(await h.db.prisma.task.count({ where: { claimId, kind: 'FOLLOW_UP' } })).toBe(claimId === seededId ? 1 : 0);
      expect((await h.status(claimId)).state).toBe('AWAITING_ADJUDICATION');
    }
  });
});
