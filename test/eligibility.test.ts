// Eligibility (270/271) before submission and the claim status inquiry (276/277) at follow-up, under Temporal's
// time-skipping test server with the real activities, PostgreSQL, API and payer simulator speaking X12.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, PROVIDER_IDS, TERMINATED_COVERAGE_PATIENT_ID, USER_IDS } from '../app/seed';
import { startHarness, type Harness } from './harness';

let h: Harness;
// The simulator's clock runs this far ahead of the real one when a test wants the payer's work to be due.
let simulatorAheadMs = 0;
const DAY_MS = 86_400_000;
const days = (n: number) => `${n * 24} hours`;

beforeAll(async () => {
  h = await startHarness({ timeSkipping: true, simulatorNow: () => Date.now() + simulatorAheadMs });
});
afterAll(async () => {
  await h?.shutdown();
});

const eligibilityInquiries = () => h.simulator.stats().eligibilityInquiries;

async function code(claimId: string, coder: string = USER_IDS.coder1) {
  const review = await h.waitForTask(claimId, 'CODE_REVIEW');
  expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, coder)).status).toBe(200);
}

async function checkRow(claimId: string) {
  const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId }, include: { encounter: true } });
  return h.db.prisma.eligibilityCheck.findUnique({
    where: { coverageId_dateOfService: { coverageId: claim.coverageId, dateOfService: claim.encounter.dateOfService } },
  });
}

async function waitForAudit(claimId: string, action: string, n: number): Promise<any[]> {
  for (let i = 0; i < 200; i++) {
    const rows = await h.db.prisma.auditEvent.findMany({ where: { claimId, action }, orderBy: { id: 'asc' } });
    if (rows.length >= n) return rows.map((r) => r.detail);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`claim ${claimId} has fewer than ${n} ${action} events`);
}

describe('eligibility before submission', () => {
  it('a terminated coverage opens an ELIGIBILITY task instead of a submission; once the coverage is fixed the payer is asked again and the claim goes out', async () => {
    const patient = await h.db.prisma.patient.findUniqueOrThrow({
      where: { id: TERMINATED_COVERAGE_PATIENT_ID },
      include: { coverages: true },
    });
    const coverage = patient.coverages[0];
    expect(coverage.memberId).toMatch(/TERM$/);
    // Lakeside's patient: a biller of every practice and a coder of both
    const claimId = await h.createClaim({ patientId: patient.id, providerId: PROVIDER_IDS.lakesidePediatrics }, USER_IDS.biller2);
    await h.forceScenario(claimId, 'PAY_IN_FULL');
    const before = eligibilityInquiries();
    await code(claimId, USER_IDS.coder2);

    const task = await h.waitForTask(claimId, 'ELIGIBILITY');
    expect(task.queue).toBe('BILLER');
    expect(task.context).toMatchObject({ status: 'inactive', reasons: [expect.stringMatching(/inactive/)] });
    expect(eligibilityInquiries()).toBe(before + 1);
    const row = await checkRow(claimId);
    expect(row).toMatchObject({ status: 'inactive', organizationId: patient.organizationId, checkedBy: 'workflow' });
    expect((row!.plan as { ends?: string }).ends).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await h.db.prisma.submission.count({ where: { claimId } })).toBe(0);
    expect((await h.status(claimId)).state).toBe('READY');

    // Saying "fixed" without fixing it asks the payer again (not the check on file), and the answer is the same.
    expect((await h.completeTask(task.id, { action: 'RECHECK', note: 'asked the family' }, USER_IDS.biller2)).status).toBe(200);
    const again = await waitForNewTask(claimId, 'ELIGIBILITY', task.id);
    expect(eligibilityInquiries()).toBe(before + 2);

    // A Riverbend-only biller sees neither the coverage nor the claim.
    const path = `/api/patients/${patient.id}/coverages/${coverage.id}`;
    expect((await h.api('PATCH', path, { memberId: 'CCH999999' }, USER_IDS.biller1)).status).toBe(404);
    expect((await h.api('POST', `/api/claims/${claimId}/eligibility`, undefined, USER_IDS.biller1)).status).toBe(404);
    const bad = await h.api('PATCH', path, {}, USER_IDS.biller2);
    expect(bad.status).toBe(400);
    expect(await h.db.prisma.coverage.findUniqueOrThrow({ where: { id: coverage.id } })).toMatchObject({ memberId: coverage.memberId });

    // The new card: the member id without the old plan's suffix.
    const fixed = await h.api('PATCH', path, { memberId: coverage.memberId.replace(/TERM$/, '') }, USER_IDS.biller2);
    expect(fixed.status).toBe(200);
    expect(fixed.body.coverages[0].memberId).toBe(coverage.memberId.replace(/TERM$/, ''));
    expect(
      (await h.completeTask(again.id, { action: 'COVERAGE_FIXED', note: 'new member id from the card' }, USER_IDS.biller2)).status,
    ).toBe(200);
    await h.waitForState(claimId, 'SUBMITTED');
    expect(eligibilityInquiries()).toBe(before + 3);
    expect(await checkRow(claimId)).toMatchObject({ status: 'active' });
    const audits = await waitForAudit(claimId, 'claim.eligibility-checked', 3);
    expect(audits.map((a) => [a.status, a.forced])).toEqual([
      ['inactive', false],
      ['inactive', true],
      ['active', true],
    ]);
  });

  it('an active coverage stores its benefits and the claim is submitted; a second claim of the same visit is not checked again', async () => {
    const dateOfService = '2026-11-20';
    const first = await h.createClaim({ patientId: PATIENT_IDS[2], dateOfService });
    await h.forceScenario(first, 'PAY_IN_FULL');
    const before = eligibilityInquiries();
    await code(first);
    await h.waitForState(first, 'SUBMITTED');
    expect(eligibilityInquiries()).toBe(before + 1);
    const row = await checkRow(first);
    expect(row).toMatchObject({ status: 'active', dateOfService: new Date(`${dateOfService}T00:00:00Z`) });
    const kinds = (row!.benefits as { kind: string }[]).map((b) => b.kind).sort();
    expect(kinds).toEqual(['coinsurance', 'copay', 'deductible', 'deductible']);
    // the raw 271 is not kept: nothing in the row names the member
    const member = (await h.db.prisma.coverage.findUniqueOrThrow({ where: { id: row!.coverageId } })).memberId;
    expect(JSON.stringify(row)).not.toContain(member);

    const view = await h.api('GET', `/api/claims/${first}`);
    expect(view.status).toBe(200);
    expect(view.body.eligibility).toMatchObject({ status: 'active', checkedBy: 'workflow', dateOfService });
    expect(view.body.eligibility.benefits.find((b: { kind: string }) => b.kind === 'copay').amount).toBeGreaterThan(0);

    const second = await h.createClaim({ patientId: PATIENT_IDS[2], dateOfService, documentation: 'Second claim of the same visit.' });
    await h.forceScenario(second, 'PAY_IN_FULL');
    await code(second);
    await h.waitForState(second, 'SUBMITTED');
    expect(eligibilityInquiries()).toBe(before + 1);
    const [audit] = await waitForAudit(second, 'claim.eligibility-checked', 1);
    expect(audit).toMatchObject({ status: 'active', cached: true, checkId: row!.id });
  });

  it('a payer that cannot answer now is asked again after a wait, and the claim goes out without a biller', async () => {
    const patient = await h.db.prisma.patient.findUniqueOrThrow({ where: { id: PATIENT_IDS[3] }, include: { coverages: true } });
    const coverage = patient.coverages.find((c) => c.priority === 'PRIMARY')!;
    const path = `/api/patients/${patient.id}/coverages/${coverage.id}`;
    expect((await h.api('PATCH', path, { memberId: `BUSY${coverage.memberId}` })).status).toBe(200);
    try {
      const claimId = await h.createClaim({ patientId: patient.id });
      await h.forceScenario(claimId, 'PAY_IN_FULL');
      const before = eligibilityInquiries();
      await code(claimId);
      const [busy] = await waitForAudit(claimId, 'claim.eligibility-checked', 1);
      expect(busy).toMatchObject({ status: 'rejected', cached: false });
      expect((await checkRow(claimId))?.reasons).toEqual([expect.stringMatching(/cannot answer right now/)]);
      // the first wait (a quarter of a day) passes; the payer answers the second 270
      await h.env.sleep(days(0.5));
      await h.waitForState(claimId, 'SUBMITTED');
      expect(eligibilityInquiries()).toBe(before + 2);
      expect(await h.db.prisma.task.count({ where: { claimId, kind: 'ELIGIBILITY' } })).toBe(0);
      expect((await waitForAudit(claimId, 'claim.eligibility-checked', 2)).map((a) => a.status)).toEqual(['rejected', 'active']);
    } finally {
      await h.api('PATCH', path, { memberId: coverage.memberId });
    }
  });

  it('an on-demand check asks the payer for billing roles of the claim’s practice only, and is audited', async () => {
    const claimId = await h.createClaim({ patientId: PATIENT_IDS[4] });
    await h.waitForTask(claimId, 'CODE_REVIEW');
    const before = eligibilityInquiries();
    const res = await h.api('POST', `/api/claims/${claimId}/eligibility`, undefined, USER_IDS.biller1);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', cached: false, checkedBy: USER_IDS.biller1 });
    expect(res.body.plan.description).toBeTruthy();
    expect(eligibilityInquiries()).toBe(before + 1);
    // asked again: always the payer, never the cache
    expect((await h.api('POST', `/api/claims/${claimId}/eligibility`, undefined, USER_IDS.biller1)).body.cached).toBe(false);
    expect(eligibilityInquiries()).toBe(before + 2);
    expect(await h.db.prisma.auditEvent.count({ where: { claimId, action: 'claim.eligibility-checked', actor: USER_IDS.biller1 } })).toBe(
      2,
    );
    expect((await h.api('GET', `/api/claims/${claimId}`, undefined, USER_IDS.biller1)).body.eligibility.checkedBy).toBe(USER_IDS.biller1);

    expect((await h.api('POST', `/api/claims/${claimId}/eligibility`, undefined, USER_IDS.coder1)).status).toBe(403);
    const missing = await h.api('POST', '/api/claims/NO-SUCH-CLAIM/eligibility', undefined, USER_IDS.biller1);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect(eligibilityInquiries()).toBe(before + 2);
  });
});

describe('claim status (276/277) at follow-up', () => {
  it('a 277 saying finalized and denied, before its 835, takes the denial path; the 835 then refreshes the review with its CARCs', async () => {
    const claimId = await h.createClaim({ patientId: PATIENT_IDS[0] });
    await h.forceScenario(claimId, 'DENY_APPEAL_UPHELD');
    await code(claimId);
    await h.waitForState(claimId, 'SUBMITTED');
    await h.deliver(claimId, 'acknowledgement');
    await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
    // The payer adjudicated weeks ago; its 835 is lost somewhere.
    simulatorAheadMs = 40 * DAY_MS;
    try {
      await h.env.sleep(days(31));
      const denied = await h.waitForState(claimId, 'DENIED');
      expect(denied.history.at(-1)!.reason).toMatch(/finalized, denied/);
      const [status] = await waitForAudit(claimId, 'claim.status-checked', 1);
      expect(status).toMatchObject({ category: 'FINALIZED', statusCode: 'F2', followUp: { kind: 'finalized-denied' } });
      const review = await h.waitForTask(claimId, 'DENIAL_REVIEW');
      expect(review.context.carcs).toEqual([]);
      await h.deliver(claimId, 'remittance');
      const refreshed = await waitForNewTask(claimId, 'DENIAL_REVIEW', review.id);
      expect(refreshed.context.carcs.length).toBeGreaterThan(0);
      expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: review.id } })).status).toBe('CANCELLED');
    } finally {
      simulatorAheadMs = 0;
    }
  });

  it('a 277 saying finalized and paid waits for the 835 a while, then asks a biller with the payer’s words', async () => {
    const claimId = await h.createClaim({ patientId: PATIENT_IDS[0] });
    await h.forceScenario(claimId, 'PAY_IN_FULL');
    await code(claimId);
    await h.waitForState(claimId, 'SUBMITTED');
    await h.deliver(claimId, 'acknowledgement');
    await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
    simulatorAheadMs = 40 * DAY_MS;
    try {
      await h.env.sleep(days(31));
      const [first] = await waitForAudit(claimId, 'claim.status-checked', 1);
      expect(first).toMatchObject({ statusCode: 'F1', followUp: { kind: 'finalized-paid' } });
      expect(await h.db.prisma.task.count({ where: { claimId, kind: 'FOLLOW_UP' } })).toBe(0);
      await h.env.sleep(days(11));
      const task = await h.waitForTask(claimId, 'FOLLOW_UP');
      expect(task.context.says).toMatch(/finalized, paid/);
      expect(task.context.action).toMatch(/remittance/);
      await h.deliver(claimId, 'remittance');
      await h.waitForState(claimId, 'CLOSED');
      expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('CANCELLED');
    } finally {
      simulatorAheadMs = 0;
    }
  });
});

async function waitForNewTask(claimId: string, kind: string, not: string) {
  for (let i = 0; i < 200; i++) {
    const t = await h.db.prisma.task.findFirst({ where: { claimId, kind, status: { in: ['OPEN', 'CLAIMED'] }, id: { not } } });
    if (t) return t as any;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new ${kind} task for ${claimId}`);
}
