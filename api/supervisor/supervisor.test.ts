// Supervisor monitoring: measures on a seeded data set whose answers are known, and stuck-claim detection on
// real workflows (a time-skipping harness, and a dev-server harness for retrying a failing step).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PrismaClient } from '../../generated/prisma/client';
import { coverageIdFor, ORGANIZATION_IDS, PATIENT_IDS, PAYER_IDS, PROVIDER_IDS, USER_IDS } from '../../app/seed';
import { startHarness, type Harness } from '../../test/harness';
import { workflowIdForClaim } from '../../workflows/contract';
import { dateFromIso } from '../http/dates';
import { arResponse, claimNote, queueHealthResponse, stuckClaimsResponse, timelineResponse } from './schemas';
import { createTestDatabase, startApi, startTemporal, testConfig, type TestApi, type TestDatabase } from '../testSupport';

const DAY = 86_400_000;
/** Every seeded measure is taken as of this instant. */
const T = new Date('2026-06-30T12:00:00Z');
const AS_OF = encodeURIComponent(T.toISOString());
const ago = (days: number) => new Date(T.getTime() - days * DAY);
const at = (iso: string) => new Date(iso);
const SUPERVISOR = USER_IDS.supervisor;

// Each seeded patient's primary coverage is with one payer.
const PATIENT_FOR_PAYER: Record<string, number> = {
  [PAYER_IDS.medicare]: 0,
  [PAYER_IDS.bluePeak]: 1,
  [PAYER_IDS.cascade]: 2,
  [PAYER_IDS.unity]: 4,
};

async function seedClaim(
  prisma: PrismaClient,
  o: { id: string; payerId: string; dos: string; state: string; enteredAt?: Date; chargeCents?: number; balanceCents?: number },
) {
  const patient = PATIENT_FOR_PAYER[o.payerId];
  await prisma.encounter.create({
    data: {
      id: `E-${o.id}`,
      organizationId: ORGANIZATION_IDS.riverbend,
      patientId: PATIENT_IDS[patient],
      providerId: PROVIDER_IDS.familyMedicine,
      dateOfService: dateFromIso(o.dos),
      placeOfService: '11',
      documentation: 'Seeded encounter for Evelyn Marsh.',
    },
  });
  const charge = o.chargeCents ?? o.balanceCents ?? 10_000;
  await prisma.claim.create({
    data: {
      id: o.id,
      organizationId: ORGANIZATION_IDS.riverbend,
      encounterId: `E-${o.id}`,
      patientId: PATIENT_IDS[patient],
      payerId: o.payerId,
      coverageId: coverageIdFor(patient, 'PRIMARY'),
      providerId: PROVIDER_IDS.familyMedicine,
      state: o.state,
      stateEnteredAt: o.enteredAt ?? ago(1),
      totalChargeCents: charge,
      balanceCents: o.balanceCents ?? charge,
    },
  });
}

let traceNo = 0;
async function seedPayment(
  prisma: PrismaClient,
  claimId: string,
  payerId: string,
  paymentDate: string,
  statusCode: string,
  carcs: string[],
) {
  const remittance = await prisma.remittance.create({
    data: { payerId, traceNumber: `TRN${++traceNo}`, paymentCents: 0, paymentMethod: 'ACH', paymentDate: dateFromIso(paymentDate) },
  });
  await prisma.claimPayment.create({
    data: {
      remittanceId: remittance.id,
      claimId,
      statusCode,
      chargeCents: 10_000,
      paidCents: 0,
      patientRespCents: 0,
      adjustments: { create: carcs.map((carc) => ({ groupCode: 'CO', carc, amountCents: 100 })) },
    },
  });
}

let icn = 0;
async function seedSubmission(
  prisma: PrismaClient,
  claimId: string,
  attempt: number,
  status: 'SENT' | 'ACCEPTED' | 'REJECTED',
  submittedAt: Date,
) {
  await prisma.submission.create({
    data: {
      claimId,
      attempt,
      frequencyCode: '1',
      idempotencyKey: `${claimId}:${attempt}`,
      interchangeControlNumber: ++icn,
      transactionControlNumber: String(icn).padStart(4, '0'),
      status,
      submittedAt,
    },
  });
}

async function seedTransition(prisma: PrismaClient, claimId: string, from: string | null, to: string, when: Date, reason = 'seeded') {
  await prisma.auditEvent.create({
    data: {
      actor: 'workflow',
      action: 'claim.transition',
      entity: 'claim',
      entityId: claimId,
      claimId,
      at: when,
      detail: { from, to, at: when.toISOString(), reason },
    },
  });
}

let taskNo = 0;
async function seedTask(
  prisma: PrismaClient,
  claimId: string,
  o: {
    kind: string;
    queue: 'CODER' | 'BILLER' | 'SUPERVISOR';
    status: 'OPEN' | 'CLAIMED' | 'DONE' | 'CANCELLED';
    dueAt: Date;
    createdAt: Date;
    claimedAt?: Date;
    doneAt?: Date;
    userId?: string;
  },
) {
  const id = `TASK-${++taskNo}`;
  await prisma.task.create({
    data: {
      id,
      claimId,
      workflowId: workflowIdForClaim(claimId),
      queue: o.queue,
      kind: o.kind,
      status: o.status,
      priority: 50,
      dueAt: o.dueAt,
      context: {},
      createdAt: o.createdAt,
      claimedAt: o.claimedAt ?? null,
      doneAt: o.doneAt ?? null,
      assigneeId: o.status === 'CLAIMED' ? (o.userId ?? null) : null,
      doneById: o.status === 'DONE' ? (o.userId ?? null) : null,
      outcome: o.status === 'DONE' ? { action: 'CONFIRM_CODES' } : undefined,
    },
  });
  return id;
}

describe('supervisor measures on a seeded data set', () => {
  let env: TestWorkflowEnvironment;
  // One database for the A/R measures, another for stuck claims and queues, so that each answer is exact.
  let arDb: TestDatabase;
  let opsDb: TestDatabase;
  let arApi: TestApi;
  let opsApi: TestApi;
  const tasks: Record<string, string> = {};

  beforeAll(async () => {
    [env, arDb, opsDb] = await Promise.all([startTemporal(), createTestDatabase(), createTestDatabase()]);
    const config = { ...testConfig(), dayMs: DAY };
    arApi = await startApi({ prisma: arDb.prisma, temporal: env.client, config });
    opsApi = await startApi({ prisma: opsDb.prisma, temporal: env.client, config });

    // ---- A/R: open balances aged from the date of service, payments, first submissions ----
    const p = arDb.prisma;
    const m = PAYER_IDS.medicare;
    const b = PAYER_IDS.bluePeak;
    const open = { state: 'AWAITING_ADJUDICATION', enteredAt: ago(1) };
    await seedClaim(p, { id: 'AR1', payerId: m, dos: '2026-06-30', balanceCents: 10_000, ...open }); // 0 days
    await seedClaim(p, { id: 'AR2', payerId: m, dos: '2026-05-31', balanceCents: 5_000, ...open }); // 30
    await seedClaim(p, { id: 'AR3', payerId: m, dos: '2026-05-30', balanceCents: 2_000, ...open }); // 31
    await seedClaim(p, { id: 'AR4', payerId: b, dos: '2026-04-01', balanceCents: 3_000, ...open }); // 90
    await seedClaim(p, { id: 'AR5', payerId: b, dos: '2026-03-31', balanceCents: 4_000, ...open }); // 91
    await seedClaim(p, { id: 'AR6', payerId: b, dos: '2026-03-01', balanceCents: 7_000, ...open }); // 121
    await seedClaim(p, { id: 'AR7', payerId: b, dos: '2026-02-27', balanceCents: 1_000, ...open }); // 123
    await seedClaim(p, { id: 'C1', payerId: m, dos: '2026-06-15', state: 'CLOSED', chargeCents: 127_000, balanceCents: 0 });
    await seedClaim(p, { id: 'V1', payerId: m, dos: '2026-06-20', state: 'VOIDED', chargeCents: 50_000, balanceCents: 50_000 });
    await seedClaim(p, { id: 'W1', payerId: b, dos: '2026-01-05', state: 'WRITTEN_OFF', chargeCents: 8_000, balanceCents: 0 });
    await seedClaim(p, { id: 'F1', payerId: m, dos: '2026-07-02', state: 'CODING', balanceCents: 6_000 }); // after the as-of date

    // 835 claim payments in the 90-day window (2026-04-02 to 2026-06-30), and one before it
    await seedPayment(p, 'AR1', m, '2026-06-20', '1', ['45']);
    await seedPayment(p, 'AR2', m, '2026-06-21', '1', ['1', '45']);
    await seedPayment(p, 'AR3', m, '2026-06-22', '2', []);
    await seedPayment(p, 'C1', m, '2026-06-23', '3', ['45']);
    await seedPayment(p, 'AR4', b, '2026-05-01', '4', ['50']);
    await seedPayment(p, 'AR5', b, '2026-05-02', '4', ['45', '97']);
    await seedPayment(p, 'AR6', b, '2026-04-02', '4', ['16']);
    await seedPayment(p, 'AR7', b, '2026-06-30', '4', ['16']);
    await seedPayment(p, 'W1', b, '2026-05-05', '4', ['16', '4']);
    await seedPayment(p, 'C1', m, '2026-06-24', '22', ['45']);
    await seedPayment(p, 'AR1', m, '2026-04-01', '4', ['50']); // the day before the window

    // first submissions in the window: 3 clean, 2 rejected, 1 scrub fix, 1 resubmitted, 1 pending
    await seedSubmission(p, 'AR1', 1, 'ACCEPTED', at('2026-06-01T10:00:00Z'));
    await seedSubmission(p, 'AR2', 1, 'ACCEPTED', at('2026-06-02T10:00:00Z'));
    await seedSubmission(p, 'AR3', 1, 'SENT', at('2026-06-03T10:00:00Z'));
    await seedTransition(p, 'AR3', 'SUBMITTED', 'ACKNOWLEDGED', at('2026-06-05T10:00:00Z')); // accepted on a status inquiry
    await seedSubmission(p, 'AR4', 1, 'REJECTED', at('2026-06-04T10:00:00Z'));
    await seedSubmission(p, 'AR4', 2, 'ACCEPTED', at('2026-06-08T10:00:00Z'));
    await seedTask(p, 'AR5', {
      kind: 'SCRUB_FIX_CODING',
      queue: 'CODER',
      status: 'DONE',
      createdAt: at('2026-06-04T09:00:00Z'),
      dueAt: at('2026-06-06T09:00:00Z'),
      doneAt: at('2026-06-04T12:00:00Z'),
      userId: USER_IDS.coder1,
    });
    await seedSubmission(p, 'AR5', 1, 'ACCEPTED', at('2026-06-05T10:00:00Z'));
    await seedSubmission(p, 'AR6', 1, 'SENT', at('2026-06-06T10:00:00Z'));
    await seedSubmission(p, 'AR6', 2, 'SENT', at('2026-06-10T10:00:00Z')); // the payer never got the first
    await seedSubmission(p, 'AR7', 1, 'SENT', at('2026-06-29T10:00:00Z')); // no answer yet
    await seedSubmission(p, 'C1', 1, 'SENT', at('2026-06-16T10:00:00Z'));
    await seedTransition(p, 'C1', 'SUBMITTED', 'REJECTED', at('2026-06-18T10:00:00Z'));
    await seedSubmission(p, 'W1', 1, 'ACCEPTED', at('2026-01-10T10:00:00Z')); // before the window

    // ---- stuck claims and queues ----
    const o = opsDb.prisma;
    const u = PAYER_IDS.unity;
    await seedClaim(o, { id: 'S1', payerId: m, dos: '2026-06-20', state: 'CODING', enteredAt: ago(4) }); // CODING limit 3 days
    await seedClaim(o, { id: 'S2', payerId: m, dos: '2026-06-25', state: 'CODING', enteredAt: ago(2) });
    await seedClaim(o, { id: 'S3', payerId: m, dos: '2026-05-01', state: 'AWAITING_ADJUDICATION', enteredAt: ago(46) }); // limit 45
    await seedClaim(o, { id: 'S4', payerId: m, dos: '2026-05-01', state: 'AWAITING_ADJUDICATION', enteredAt: ago(44) });
    // Blue Peak files within 90 days: a 2026-04-15 service must be accepted by 2026-07-14
    await seedClaim(o, { id: 'S5', payerId: b, dos: '2026-04-15', state: 'SUBMITTED', enteredAt: ago(1) });
    await seedSubmission(o, 'S5', 1, 'SENT', ago(1));
    await seedClaim(o, { id: 'S6', payerId: b, dos: '2026-04-15', state: 'SCRUBBING', enteredAt: ago(0.5) }); // a corrected claim
    await seedTransition(o, 'S6', 'SUBMITTED', 'ACKNOWLEDGED', ago(20));
    await seedClaim(o, { id: 'S7', payerId: b, dos: '2026-05-20', state: 'READY', enteredAt: ago(0.5) }); // limit 2026-08-18
    await seedClaim(o, { id: 'S8', payerId: u, dos: '2026-05-10', state: 'DENIED', enteredAt: ago(2) });
    await seedClaim(o, { id: 'S9', payerId: u, dos: '2026-05-10', state: 'DENIED', enteredAt: ago(3) });
    await seedClaim(o, { id: 'S10', payerId: m, dos: '2025-01-10', state: 'VOIDED', enteredAt: ago(300), balanceCents: 0 });
    await seedTransition(o, 'S10', 'CODING', 'VOIDED', ago(300), 'duplicate of Evelyn Marsh visit');

    tasks.overdueDenial = await seedTask(o, 'S8', {
      kind: 'DENIAL_REVIEW',
      queue: 'BILLER',
      status: 'OPEN',
      createdAt: ago(6),
      dueAt: ago(1),
    });
    tasks.overdueApproval = await seedTask(o, 'S9', {
      kind: 'WRITE_OFF_APPROVAL',
      queue: 'SUPERVISOR',
      status: 'CLAIMED',
      createdAt: ago(5),
      claimedAt: ago(4),
      dueAt: ago(3),
      userId: SUPERVISOR,
    });
    await seedTask(o, 'S4', {
      kind: 'FOLLOW_UP',
      queue: 'BILLER',
      status: 'CLAIMED',
      createdAt: ago(2),
      claimedAt: ago(1),
      dueAt: ago(-1),
      userId: USER_IDS.biller1,
    });
    await seedTask(o, 'S2', { kind: 'CODE_REVIEW', queue: 'CODER', status: 'OPEN', createdAt: ago(2), dueAt: ago(-0.5) });
    // done in the last 7 days: coder-1 two on 06-29 and one on 06-30, biller-1 one on 06-30
    await seedTask(o, 'S2', {
      kind: 'CODE_REVIEW',
      queue: 'CODER',
      status: 'DONE',
      createdAt: at('2026-06-28T12:00:00Z'),
      claimedAt: at('2026-06-29T09:00:00Z'),
      doneAt: at('2026-06-29T10:00:00Z'),
      dueAt: ago(0),
      userId: USER_IDS.coder1,
    });
    await seedTask(o, 'S2', {
      kind: 'CODE_REVIEW',
      queue: 'CODER',
      status: 'DONE',
      createdAt: at('2026-06-29T08:00:00Z'),
      doneAt: at('2026-06-29T11:00:00Z'),
      dueAt: ago(0),
      userId: USER_IDS.coder1,
    });
    await seedTask(o, 'S1', {
      kind: 'CODE_REVIEW',
      queue: 'CODER',
      status: 'DONE',
      createdAt: at('2026-06-30T07:00:00Z'),
      claimedAt: at('2026-06-30T08:00:00Z'),
      doneAt: at('2026-06-30T08:30:00Z'),
      dueAt: ago(-2),
      userId: USER_IDS.coder1,
    });
    await seedTask(o, 'S4', {
      kind: 'FOLLOW_UP',
      queue: 'BILLER',
      status: 'DONE',
      createdAt: at('2026-06-30T07:00:00Z'),
      claimedAt: at('2026-06-30T09:00:00Z'),
      doneAt: at('2026-06-30T09:10:00Z'),
      dueAt: ago(-2),
      userId: USER_IDS.biller1,
    });
    await seedTask(o, 'S3', {
      kind: 'CODE_REVIEW',
      queue: 'CODER',
      status: 'DONE',
      createdAt: at('2026-05-30T07:00:00Z'),
      doneAt: at('2026-06-01T09:10:00Z'),
      dueAt: ago(20),
      userId: USER_IDS.coder2,
    }); // before the window
    await seedTask(o, 'S3', {
      kind: 'FIX_REJECTION',
      queue: 'BILLER',
      status: 'CANCELLED',
      createdAt: ago(2),
      doneAt: at('2026-06-30T10:00:00Z'),
      dueAt: ago(-1),
    });
  }, 120_000);

  afterAll(async () => {
    await arApi?.close();
    await opsApi?.close();
    await arDb?.drop();
    await opsDb?.drop();
    await env?.teardown();
  }, 60_000);

  describe('A/R', () => {
    it('ages open claim balances into 0-30, 31-60, 61-90, 91-120 and 120+ days since service, by payer and in total', async () => {
      const res = await arApi.request('GET', `/api/supervisor/ar?asOf=${AS_OF}`, { user: SUPERVISOR });
      expect(res.status).toBe(200);
      expect(() => arResponse.parse(res.body)).not.toThrow();
      const rows = (row: { buckets: { label: string; balanceCents: number; claims: number }[] }) =>
        row.buckets.map((x) => [x.label, x.balanceCents, x.claims]);
      // closed, voided and written-off claims and a service after the as-of date are not A/R
      expect(rows(res.body.aging.total)).toEqual([
        ['0-30', 15_000, 2],
        ['31-60', 2_000, 1],
        ['61-90', 3_000, 1],
        ['91-120', 4_000, 1],
        ['120+', 8_000, 2],
      ]);
      expect(res.body.aging.total.totalCents).toBe(32_000);
      expect(
        res.body.aging.byPayer.map((x: { payerId: string; payerName: string; totalCents: number }) => [
          x.payerId,
          x.payerName,
          x.totalCents,
        ]),
      ).toEqual([
        [PAYER_IDS.bluePeak, 'Blue Peak Health Plan', 15_000],
        [PAYER_IDS.medicare, 'Medicare Part B (Demo Jurisdiction)', 17_000],
      ]);
      expect(rows(res.body.aging.byPayer[0])).toEqual([
        ['0-30', 0, 0],
        ['31-60', 0, 0],
        ['61-90', 3_000, 1],
        ['91-120', 4_000, 1],
        ['120+', 8_000, 2],
      ]);
    });

    it('gives the denial rate by CARC category: denied over adjudicated claim payments of the window', async () => {
      const res = await arApi.request('GET', `/api/supervisor/ar?asOf=${AS_OF}`, { user: SUPERVISOR });
      expect(res.body.window).toEqual({ from: '2026-04-02', to: '2026-06-30' });
      expect(res.body.denials).toMatchObject({
        adjudicated: 9,
        denied: 5,
        rate: 0.5556,
        byCategory: [
          { category: 'MISSING_INFORMATION', denied: 2, rate: 0.2222, carcs: { '16': 2 } },
          { category: 'BUNDLING', denied: 1, rate: 0.1111, carcs: { '97': 1 } },
          { category: 'CODING', denied: 1, rate: 0.1111, carcs: { '4': 1 } },
          { category: 'MEDICAL_NECESSITY', denied: 1, rate: 0.1111, carcs: { '50': 1 } },
        ],
      });
      // a shorter window: only the payments of 2026-06-21 to 2026-06-30
      const short = await arApi.request('GET', `/api/supervisor/ar?asOf=${AS_OF}&windowDays=10`, { user: SUPERVISOR });
      expect(short.body.denials).toMatchObject({ adjudicated: 4, denied: 1, rate: 0.25 });
    });

    it('gives the clean-claim rate: accepted on the first submission, without rejection or scrub fix', async () => {
      const res = await arApi.request('GET', `/api/supervisor/ar?asOf=${AS_OF}`, { user: SUPERVISOR });
      expect(res.body.cleanClaims).toMatchObject({
        submitted: 8,
        decided: 7,
        clean: 3,
        pending: 1,
        notClean: { rejected: 2, scrubFix: 1, resubmitted: 1 },
        rate: 0.4286,
      });
    });

    it('gives days in A/R with its formula: open A/R over average daily charges of the last 90 days', async () => {
      const res = await arApi.request('GET', `/api/supervisor/ar?asOf=${AS_OF}`, { user: SUPERVISOR });
      // charges of services 2026-04-02..2026-06-30, voided excluded: 10,000 + 5,000 + 2,000 + 127,000 = 144,000
      expect(res.body.daysInAr).toMatchObject({
        value: 20,
        openArCents: 32_000,
        chargesCents: 144_000,
        periodDays: 90,
        averageDailyChargesCents: 1_600,
      });
      expect(res.body.daysInAr.formula).toMatch(/open A\/R .* average daily charges .* last 90 days/);
    });

    it('is for supervisors and admins only', async () => {
      expect((await arApi.request('GET', '/api/supervisor/ar', { user: USER_IDS.biller1 })).status).toBe(403);
      expect((await arApi.request('GET', '/api/supervisor/ar', { user: USER_IDS.admin })).status).toBe(200);
      const bad = await arApi.request('GET', '/api/supervisor/ar?windowDays=0', { user: SUPERVISOR });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('windowDays');
    });
  });

  describe('stuck claims', () => {
    const stuck = (query = '') => opsApi.request('GET', `/api/supervisor/stuck-claims?asOf=${AS_OF}${query}`, { user: SUPERVISOR });
    const codes = (item: { reasons: { code: string }[] }) => item.reasons.map((r) => r.code);

    it('lists each stuck claim once with its reasons, the longest-standing first', async () => {
      const res = await stuck();
      expect(res.status).toBe(200);
      expect(() => stuckClaimsResponse.parse(res.body)).not.toThrow();
      expect(res.body.items.map((i: { claimId: string }) => [i.claimId, codes(i as never)])).toEqual([
        ['S5', ['TIMELY_FILING']],
        ['S9', ['TASK_OVERDUE']],
        ['S1', ['STATE_TOO_LONG']],
        ['S3', ['STATE_TOO_LONG']],
        ['S8', ['TASK_OVERDUE']],
      ]);
      expect(res.body.total).toBe(5);
      expect(res.body.truncated).toBe(false);
      // the dev server answers visibility queries; no seeded claim has a workflow to describe
      expect(res.body.temporal).toEqual({ visibility: 'used', describe: { candidates: 7, described: 7, skipped: 0, failed: 0 } });
    });

    it('a claim longer in its state than the state allows is listed with the state, the limit and the days', async () => {
      const items = (await stuck('&reason=STATE_TOO_LONG')).body.items;
      expect(items.map((i: { claimId: string }) => i.claimId)).toEqual(['S1', 'S3']);
      expect(items[1].reasons[0]).toMatchObject({
        code: 'STATE_TOO_LONG',
        state: 'AWAITING_ADJUDICATION',
        thresholdDays: 45,
        daysInState: 46,
        sources: ['readModel'],
        stateEnteredAt: ago(46).toISOString(),
        since: ago(1).toISOString(),
      });
      expect(items[1].reasons[0].message).toBe('46 days in AWAITING_ADJUDICATION; the limit is 45');
    });

    it('an open or claimed task past due is listed with its queue, assignee and a link to complete it', async () => {
      const items = (await stuck('&reason=TASK_OVERDUE')).body.items;
      expect(items.map((i: { claimId: string }) => i.claimId)).toEqual(['S9', 'S8']);
      expect(items[0].reasons[0]).toMatchObject({
        code: 'TASK_OVERDUE',
        taskId: tasks.overdueApproval,
        kind: 'WRITE_OFF_APPROVAL',
        queue: 'SUPERVISOR',
        status: 'CLAIMED',
        assigneeId: SUPERVISOR,
        daysOverdue: 3,
        complete: { method: 'POST', href: `/api/tasks/${tasks.overdueApproval}/complete`, actions: ['APPROVE', 'REFUSE'] },
      });
      expect(items[1].reasons[0]).toMatchObject({
        taskId: tasks.overdueDenial,
        kind: 'DENIAL_REVIEW',
        queue: 'BILLER',
        status: 'OPEN',
        assigneeId: null,
        daysOverdue: 1,
      });
    });

    it('a claim near its timely-filing limit and not yet accepted by the payer is listed with the days left', async () => {
      const items = (await stuck('&reason=TIMELY_FILING')).body.items;
      // S6 went back to scrubbing after the payer accepted it: its clock stopped then
      expect(items.map((i: { claimId: string }) => i.claimId)).toEqual(['S5']);
      expect(items[0].reasons[0]).toMatchObject({
        code: 'TIMELY_FILING',
        dateOfService: '2026-04-15',
        timelyFilingDays: 90,
        deadline: '2026-07-14T00:00:00.000Z',
        daysLeft: 13.5,
      });
      const wider = (await stuck('&reason=TIMELY_FILING&timelyFilingWithinDays=60')).body.items;
      expect(wider.map((i: { claimId: string }) => i.claimId)).toEqual(['S5', 'S7']);
      expect(wider[1].reasons[0].daysLeft).toBe(48.5);
    });

    it('filters by payer and pages with a cursor', async () => {
      expect((await stuck(`&payerId=${PAYER_IDS.unity}`)).body.items.map((i: { claimId: string }) => i.claimId)).toEqual(['S9', 'S8']);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await stuck(`&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((i: { claimId: string }) => i.claimId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['S5', 'S9', 'S1', 'S3', 'S8']);
    });

    it('refuses an unknown reason and other roles', async () => {
      const bad = await stuck('&reason=LATE');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('reason[0]');
      expect((await opsApi.request('GET', '/api/supervisor/stuck-claims', { user: USER_IDS.coder1 })).status).toBe(403);
    });
  });

  describe('queues', () => {
    it('shows per queue the open and claimed depth, the oldest open task and the overdue count', async () => {
      const res = await opsApi.request('GET', `/api/supervisor/queues?asOf=${AS_OF}`, { user: SUPERVISOR });
      expect(res.status).toBe(200);
      expect(() => queueHealthResponse.parse(res.body)).not.toThrow();
      expect(res.body.queues).toEqual([
        { queue: 'CODER', open: 1, claimed: 0, overdue: 0, oldestOpenCreatedAt: ago(2).toISOString(), oldestOpenAgeDays: 2, claimedBy: [] },
        {
          queue: 'BILLER',
          open: 1,
          claimed: 1,
          overdue: 1,
          oldestOpenCreatedAt: ago(6).toISOString(),
          oldestOpenAgeDays: 6,
          claimedBy: [{ userId: USER_IDS.biller1, claimed: 1 }],
        },
        {
          queue: 'SUPERVISOR',
          open: 0,
          claimed: 1,
          overdue: 1,
          oldestOpenCreatedAt: null,
          oldestOpenAgeDays: null,
          claimedBy: [{ userId: SUPERVISOR, claimed: 1 }],
        },
      ]);
    });

    it('counts tasks done per user per day and the average handling time per kind', async () => {
      const res = await opsApi.request('GET', `/api/supervisor/queues?asOf=${AS_OF}&days=7`, { user: SUPERVISOR });
      expect(res.body.throughput.from).toBe('2026-06-24T00:00:00.000Z');
      expect(res.body.throughput.perUserDay).toEqual([
        { userId: USER_IDS.coder1, day: '2026-06-29T00:00:00.000Z', done: 2 },
        { userId: USER_IDS.biller1, day: '2026-06-30T00:00:00.000Z', done: 1 },
        { userId: USER_IDS.coder1, day: '2026-06-30T00:00:00.000Z', done: 1 },
      ]);
      expect(res.body.throughput.perUser).toEqual([
        { userId: USER_IDS.coder1, done: 3, perDay: 0.4 },
        { userId: USER_IDS.biller1, done: 1, perDay: 0.1 },
      ]);
      const hour = 3_600_000;
      expect(
        res.body.handlingTime.map((h: { kind: string; done: number; averageMs: number; medianMs: number }) => [
          h.kind,
          h.done,
          h.averageMs,
          h.medianMs,
        ]),
      ).toEqual([
        ['CODE_REVIEW', 3, 1.5 * hour, hour], // claimed→done 1 h, opened→done 3 h (never claimed), 30 min
        ['FOLLOW_UP', 1, 10 * 60_000, 10 * 60_000],
      ]);
    });
  });

  describe('claim timeline and notes', () => {
    it('merges the audit log and the tables in time order, without free text', async () => {
      const o = opsDb.prisma;
      await o.auditEvent.create({
        data: {
          actor: USER_IDS.biller1,
          action: 'claim.create',
          entity: 'claim',
          entityId: 'S3',
          claimId: 'S3',
          at: ago(60),
          detail: { lines: 2, diagnoses: 2, totalChargeCents: 10_000, payerId: PAYER_IDS.medicare },
        },
      });
      await seedTransition(o, 'S3', null, 'CODING', ago(60), 'encounter received');
      await seedSubmission(o, 'S3', 1, 'ACCEPTED', ago(50));
      await o.auditEvent.create({
        data: {
          actor: 'clearinghouse',
          action: 'claim.acknowledgement',
          entity: 'claim',
          entityId: 'S3',
          claimId: 'S3',
          at: ago(49),
          detail: { ackId: 'A1', attempt: 1, accepted: true, rejectionCode: null },
        },
      });
      await seedTransition(o, 'S3', 'SUBMITTED', 'AWAITING_ADJUDICATION', ago(46), 'waiting for the payer');
      await o.auditEvent.create({
        data: { actor: USER_IDS.coder1, action: 'claim.read', entity: 'claim', entityId: 'S3', claimId: 'S3', at: ago(45), detail: {} },
      });

      const res = await opsApi.request('GET', '/api/claims/S3/timeline', { user: USER_IDS.coder1 });
      expect(res.status).toBe(200);
      expect(() => timelineResponse.parse(res.body)).not.toThrow();
      expect(res.body.workflowHistory).toBe('not-found');
      const entries = res.body.entries as { at: string; type: string; description: string }[];
      expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());
      expect(entries.map((e) => e.type)).toEqual([
        'claim.created',
        'state.changed',
        'submission.sent',
        'acknowledgement.received',
        'state.changed',
        'task.opened',
        'task.done',
        'task.opened',
        'task.cancelled',
      ]);
      expect(entries[4].description).toBe('SUBMITTED → AWAITING_ADJUDICATION: waiting for the payer');
      expect(entries[3].description).toBe('acknowledgement of attempt 1: accepted');
      // reads are access, not events; the encounter's documentation never appears
      expect(res.text).not.toMatch(/Evelyn|claim\.read/);
    });

    it("keeps a void's free-text reason out of the timeline", async () => {
      const res = await opsApi.request('GET', '/api/claims/S10/timeline', { user: USER_IDS.biller1 });
      expect(res.body.entries.map((e: { description: string }) => e.description)).toContain('CODING → VOIDED');
      expect(res.text).not.toMatch(/Evelyn/);
    });

    it('stores a note on the claim, shows that it was added in the timeline, and never logs its text', async () => {
      const text = 'Evelyn Marsh called: her secondary insurance changed in May.';
      const res = await opsApi.request('POST', '/api/claims/S1/notes', { user: USER_IDS.biller1, body: { text } });
      expect(res.status).toBe(201);
      expect(() => claimNote.parse(res.body)).not.toThrow();
      expect(res.body).toMatchObject({ claimId: 'S1', authorId: USER_IDS.biller1, text });
      const notes = await opsApi.request('GET', '/api/claims/S1/notes', { user: USER_IDS.coder1 });
      expect(notes.body.items).toEqual([res.body]);
      const timeline = await opsApi.request('GET', '/api/claims/S1/timeline', { user: USER_IDS.coder1 });
      expect(timeline.body.entries).toContainEqual(
        expect.objectContaining({ type: 'note.added', actor: USER_IDS.biller1, ref: { noteId: res.body.id } }),
      );
      expect(timeline.text).not.toContain('Evelyn');
      expect(JSON.stringify(opsApi.logs)).not.toContain('Evelyn');
      const event = await opsDb.prisma.auditEvent.findFirstOrThrow({ where: { claimId: 'S1', action: 'claim.note' } });
      expect(event.actor).toBe(USER_IDS.biller1);
    });

    it('refuses an empty note and an unknown claim', async () => {
      const empty = await opsApi.request('POST', '/api/claims/S1/notes', { body: { text: '  ' } });
      expect(empty.status).toBe(400);
      expect(empty.body.error.field).toBe('text');
      expect((await opsApi.request('POST', '/api/claims/NOPE/notes', { body: { text: 'x' } })).status).toBe(404);
      expect((await opsApi.request('GET', '/api/claims/NOPE/timeline')).status).toBe(404);
    });
  });
});

// ---- real workflows -------------------------------------------------------------------------------

const days = (n: number) => `${n * 24} hours`;

async function setFaults(h: Harness, failNextRequests: number) {
  const res = await fetch(`${h.simulatorUrl}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.simulatorToken}` },
    body: JSON.stringify({ failNextRequests, status: 500 }),
  });
  if (!res.ok) throw new Error(`faults: ${res.status}`);
}

/** A claim whose submission keeps failing: the simulator answers 500 to every request from now on. */
async function claimWithFailingSubmission(h: Harness): Promise<string> {
  const claimId = await h.createClaim();
  const review = await h.waitForTask(claimId, 'CODE_REVIEW');
  // The coverage is checked now, so the lifecycle's eligibility step reads this check instead of asking the failing payer.
  const checked = await h.api('POST', `/api/claims/${claimId}/eligibility`, {}, SUPERVISOR);
  expect(checked.status, JSON.stringify(checked.body)).toBe(200);
  await setFaults(h, 10_000);
  expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1)).status).toBe(200);
  return claimId;
}

type StuckItem = { claimId: string; reasons: Record<string, any>[] };

async function waitForFailingActivity(h: Harness, claimId: string, minAttempts = 3, timeoutMs = 30_000): Promise<StuckItem> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await h.api(
      'GET',
      `/api/supervisor/stuck-claims?reason=ACTIVITY_FAILING&minAttempts=${minAttempts}`,
      undefined,
      SUPERVISOR,
    );
    expect(res.status).toBe(200);
    const item = res.body.items.find((i: StuckItem) => i.claimId === claimId);
    if (item) return item;
    if (Date.now() > deadline) throw new Error(`claim ${claimId} was never listed as failing: ${JSON.stringify(res.body.temporal)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('stuck claims on real workflows under time skipping', () => {
  let h: Harness;
  let waitingClaim: string;
  beforeAll(async () => {
    h = await startHarness({ timeSkipping: true });
  });
  afterAll(async () => {
    await h?.shutdown();
  });

  it('a claim 46 days in AWAITING_ADJUDICATION and its overdue follow-up appear with their reasons', async () => {
    waitingClaim = await h.createClaim({ patientId: PATIENT_IDS[0] });
    await h.forceScenario(waitingClaim, 'SILENT_FOREVER');
    const review = await h.waitForTask(waitingClaim, 'CODE_REVIEW');
    await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1);
    await h.waitForState(waitingClaim, 'SUBMITTED');
    // The clearinghouse's acceptance, posted as the JSON acknowledgement it sends.
    const ack = await h.api('POST', '/api/inbound/acknowledgements', {
      ackId: `ack-${waitingClaim}`,
      claimId: waitingClaim,
      attempt: 1,
      accepted: true,
    });
    expect(ack.status).toBe(202);
    await h.waitForState(waitingClaim, 'AWAITING_ADJUDICATION');
    // Medicare is followed up every 30 days. The payer's 277 says the claim is pending, so the workflow asks again
    // each interval without giving anyone a task: at day 46 the claim is stuck by its state alone.
    await h.env.sleep(days(46));
    const stuck = async () => {
      // The workflow's clock is the test server's, days ahead of the wall clock: ask as of that time.
      const asOf = new Date(await h.env.currentTimeMs()).toISOString();
      const res = await h.api('GET', `/api/supervisor/stuck-claims?asOf=${encodeURIComponent(asOf)}`, undefined, SUPERVISOR);
      expect(res.status).toBe(200);
      // the time-skipping test server cannot list workflows: the claims table is the source
      expect(res.body.temporal.visibility).toBe('unavailable');
      return res.body.items.find((i: StuckItem) => i.claimId === waitingClaim);
    };
    let item = await stuck();
    expect(item.state).toBe('AWAITING_ADJUDICATION');
    const stateReason = item.reasons.find((r: { code: string }) => r.code === 'STATE_TOO_LONG');
    expect(stateReason).toMatchObject({ state: 'AWAITING_ADJUDICATION', thresholdDays: 45, sources: ['readModel'] });
    expect(stateReason.daysInState).toBeGreaterThanOrEqual(45.9);
    expect(item.reasons.filter((r: { code: string }) => r.code === 'TASK_OVERDUE')).toEqual([]);

    // After its three follow-ups (day 120) the payer is still "pending": a supervisor decides, within 3 days.
    await h.env.sleep(days(84));
    const escalation = await h.waitForTask(waitingClaim, 'FOLLOW_UP_ESCALATION');
    item = await stuck();
    const overdue = item.reasons.filter((r: { code: string }) => r.code === 'TASK_OVERDUE');
    expect(overdue.map((r: { taskId: string; kind: string; queue: string }) => [r.taskId, r.kind, r.queue])).toEqual([
      [escalation.id, 'FOLLOW_UP_ESCALATION', 'SUPERVISOR'],
    ]);
    expect(overdue[0].daysOverdue).toBeGreaterThanOrEqual(6);
    // as of the wall clock, nothing about it is late yet
    const now = await h.api('GET', '/api/supervisor/stuck-claims', undefined, SUPERVISOR);
    expect(now.body.items.find((i: StuckItem) => i.claimId === waitingClaim)).toBeUndefined();
  });

  it("the claim's timeline merges its transitions, tasks and submission with the workflow's signals, updates and timers", async () => {
    const res = await h.api('GET', `/api/claims/${waitingClaim}/timeline`, undefined, USER_IDS.coder1);
    expect(res.status).toBe(200);
    expect(res.body.workflowHistory).toBe('included');
    const entries = res.body.entries as { at: string; type: string; description: string; source: string }[];
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());
    const descriptions = entries.map((e) => `${e.type}: ${e.description}`);
    expect(descriptions).toEqual(
      expect.arrayContaining([
        'workflow.started: claim workflow started',
        'workflow.update: update accepted: completeTask',
        'workflow.signal: signal received: acknowledgement',
        'workflow.timer-fired: timer fired after 30 days',
        'acknowledgement.received: acknowledgement of attempt 1: accepted',
        expect.stringMatching(/^status\.checked: claim status inquiry: PENDING \([A-Z]\d\)$/),
        'task.done: CODE_REVIEW task done: CONFIRM_CODES',
      ]),
    );
    expect(descriptions.filter((d) => d.startsWith('state.changed')).map((d) => d.split(': ')[1].split(':')[0])).toEqual([
      'new → CODING',
      'CODING → SCRUBBING',
      'SCRUBBING → READY',
      'READY → SUBMITTED',
      'SUBMITTED → ACKNOWLEDGED',
      'ACKNOWLEDGED → AWAITING_ADJUDICATION',
    ]);
    expect(entries.some((e) => e.type === 'submission.sent' && e.source === 'record')).toBe(true);
    // no patient, no documentation, no diagnosis codes
    expect(JSON.stringify(res.body)).not.toMatch(/Evelyn|Marsh|diabetes|E11\.9/);
  });

  it('a claim whose submission keeps failing is listed with the attempt and the last failure', async () => {
    const claimId = await claimWithFailingSubmission(h);
    const item = await waitForFailingActivity(h, claimId);
    const reason = item.reasons.find((r) => r.code === 'ACTIVITY_FAILING')!;
    expect(reason.activityType).toBe('submitClaim');
    expect(reason.attempt).toBeGreaterThanOrEqual(3);
    expect(reason.lastFailure).toMatch(/clearinghouse POST \/claims answered HTTP 500/);
    expect(reason.retry).toEqual({ method: 'POST', href: `/api/supervisor/claims/${claimId}/retry` });
    // this test server has no ResetActivity: the API says so instead of pretending
    const retry = await h.api('POST', `/api/supervisor/claims/${claimId}/retry`, {}, SUPERVISOR);
    expect(retry.status).toBe(501);
    expect(retry.body.error.code).toBe('RETRY_NOT_SUPPORTED');
    expect(retry.body.error.message).toMatch(/submitClaim keeps retrying/);
    await setFaults(h, 0);
  });
});

describe('retrying a failing step on the dev server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ timeSkipping: false });
  });
  afterAll(async () => {
    await h?.shutdown();
  });

  it('lists the failing claim from Temporal visibility too, and a retry runs the step again at once', async () => {
    const claimId = await claimWithFailingSubmission(h);
    // On attempt 4 the backoff (2 s doubling) puts the next attempt 8 s after the last failure.
    const item = await waitForFailingActivity(h, claimId, 4);
    expect(item.reasons.find((r) => r.code === 'ACTIVITY_FAILING')).toMatchObject({
      activityType: 'submitClaim',
      activityState: 'SCHEDULED',
    });

    // Two days on, READY (limit 1 day) is too long both in the claims table and in the workflow's search attributes.
    const later = encodeURIComponent(new Date(Date.now() + 2 * DAY).toISOString());
    const res = await h.api('GET', `/api/supervisor/stuck-claims?reason=STATE_TOO_LONG&asOf=${later}`, undefined, SUPERVISOR);
    expect(res.body.temporal.visibility).toBe('used');
    const listed = res.body.items.find((i: StuckItem) => i.claimId === claimId);
    expect(listed.reasons[0]).toMatchObject({ code: 'STATE_TOO_LONG', state: 'READY', sources: ['readModel', 'workflow'] });

    expect((await h.api('POST', `/api/supervisor/claims/${claimId}/retry`, {}, USER_IDS.biller1)).status).toBe(403);
    await setFaults(h, 0);
    const retry = await h.api('POST', `/api/supervisor/claims/${claimId}/retry`, undefined, SUPERVISOR);
    expect(retry.status).toBe(202);
    expect(retry.body.reset).toEqual([
      { activityId: expect.any(String), activityType: 'submitClaim', previousAttempt: expect.any(Number) },
    ]);
    expect(retry.body.reset[0].previousAttempt).toBeGreaterThanOrEqual(4);
    // the next attempt by backoff would be 8 s or more away; the reset one runs now
    await h.waitForState(claimId, 'SUBMITTED', 4_000);
    const again = await h.api('POST', `/api/supervisor/claims/${claimId}/retry`, {}, SUPERVISOR);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOTHING_TO_RETRY');
    const audit = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { claimId, action: 'claim.activity-reset' } });
    expect(audit.actor).toBe(SUPERVISOR);
  });
});
