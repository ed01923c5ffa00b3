// Every path of a claim's lifecycle under Temporal's time-skipping test server, with the real
// activities, PostgreSQL, API and payer simulator. Months pass in seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { startClaimWorkflow } from '../api/claims/claimWorkflow';
import { PATIENT_IDS, USER_IDS } from '../app/seed';
import { completeTaskUpdate, remittanceSignal, TASK_QUEUE, workflowIdForClaim, type ClaimState } from '../workflows/contract';
import type { PayloadCodec } from '@temporalio/common';
import { clientDataConverter, workerDataConverter } from '../infra/codec';
import { startHarness, type Harness } from './harness';

let h: Harness;
const finished: string[] = [];
// Patient 1 is covered by the Medicare-like demo payer: follow up every 30 days, at most 3 times, 2 appeal levels.
const MEDICARE_PATIENT = PATIENT_IDS[0];

beforeAll(async () => {
  h = await startHarness({ timeSkipping: true });
});
afterAll(async () => {
  await h?.shutdown();
});

async function newClaim(scenario: Parameters<Harness['forceScenario']>[1]) {
  const claimId = await h.createClaim({ patientId: MEDICARE_PATIENT });
  await h.forceScenario(claimId, scenario);
  return claimId;
}

async function codeAndSubmit(claimId: string, diagnoses = ['E11.9', 'I10']) {
  const review = await h.waitForTask(claimId, 'CODE_REVIEW');
  expect(review.queue).toBe('CODER');
  expect(review.context.suggestions.map((s: { code: string }) => s.code)).toContain('E11.9');
  const res = await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses }, USER_IDS.coder1);
  expect(res.status).toBe(200);
  await h.waitForState(claimId, 'SUBMITTED');
}

async function acknowledge(claimId: string) {
  await h.deliver(claimId, 'acknowledgement');
  await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
}

const states = (v: { history: { state: ClaimState }[] }) => v.history.map((t) => t.state);

/** The payer's status answers the workflow recorded (one audit row per 276/277), oldest first. */
async function statusChecks(claimId: string): Promise<any[]> {
  const rows = await h.db.prisma.auditEvent.findMany({ where: { claimId, action: 'claim.status-checked' }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.detail);
}
async function waitForStatusChecks(claimId: string, n: number): Promise<any[]> {
  for (let i = 0; i < 200; i++) {
    const checks = await statusChecks(claimId);
    if (checks.length >= n) return checks;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`claim ${claimId} has fewer than ${n} status inquiries`);
}
const days = (n: number) => `${n * 24} hours`;

describe('doors the workflow keeps shut', () => {
  /**
   * A client on the same Temporal port that sends in the clear, as anyone reaching 7233 can. It reads the
   * answers with claimflow's key, which the attacker would not have, so that the test can see the reason.
   */
  const outsider = () => {
    const sealed = clientDataConverter(h.payloadKeys);
    const sealedReader: PayloadCodec = { encode: async (p) => p, decode: (p) => sealed.payloadCodecs[0].decode(p) };
    const dataConverter = { ...sealed, payloadCodecs: [sealedReader] };
    return new Client({ connection: h.env.connection, namespace: 'default', dataConverter });
  };

  /** A claim of 80.00 (below the 100.00 approval threshold) denied with `scenario`, and the review task it opens. */
  async function smallDeniedClaim(scenario: 'CODING_DENIAL' | 'DENY_APPEAL_UPHELD', kind: 'CHART_AUDIT' | 'DENIAL_REVIEW') {
    const claimId = await h.createClaim({
      patientId: MEDICARE_PATIENT,
      lines: [{ procedureCode: '99213', units: 1, chargeCents: 8_000, diagnosisPointers: [1] }],
    });
    await h.forceScenario(claimId, scenario);
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    await h.waitForState(claimId, 'DENIED');
    return { claimId, taskId: (await h.waitForTask(claimId, kind)).id };
  }

  it("a coder's write-off from a chart audit waits for a supervisor's approval whatever the amount; a biller's below the threshold does not", async () => {
    const { claimId, taskId } = await smallDeniedClaim('CODING_DENIAL', 'CHART_AUDIT');
    const res = await h.completeTask(taskId, { action: 'WRITE_OFF', note: 'documentation cannot support the code' }, USER_IDS.coder1);
    expect(res.status).toBe(200);
    const approval = await h.waitForTask(claimId, 'WRITE_OFF_APPROVAL');
    expect(approval).toMatchObject({
      queue: 'SUPERVISOR',
      context: expect.objectContaining({ amountCents: 8_000, requestedBy: USER_IDS.coder1, requestedByRole: 'CODER' }),
    });
    // nothing is written off on the coder's word
    expect(
      await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId }, select: { writtenOffCents: true, balanceCents: true } }),
    ).toEqual({ writtenOffCents: 0, balanceCents: 8_000 });
    expect((await h.status(claimId)).state).toBe('DENIED');
    expect((await h.completeTask(approval.id, { action: 'APPROVE', note: 'agreed after review' }, USER_IDS.supervisor)).status).toBe(200);
    const closed = await h.waitForState(claimId, 'CLOSED');
    expect(states(closed)).toContain('WRITTEN_OFF');
    expect((await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } })).writtenOffCents).toBe(8_000);
    finished.push(claimId);

    const billed = await smallDeniedClaim('DENY_APPEAL_UPHELD', 'DENIAL_REVIEW');
    expect((await h.completeTask(billed.taskId, { action: 'WRITE_OFF', note: 'not worth an appeal' }, USER_IDS.biller1)).status).toBe(200);
    await h.waitForState(billed.claimId, 'CLOSED');
    expect(await h.db.prisma.task.count({ where: { claimId: billed.claimId, kind: 'WRITE_OFF_APPROVAL' } })).toBe(0);
    finished.push(billed.claimId);
  });

  it("an Update, a signal or a start sent in the clear (without claimflow's payload key) is refused, and the claim carries on", async () => {
    const claimId = await newClaim('PAY_IN_FULL');
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    const plain = outsider().workflow.getHandle(workflowIdForClaim(claimId));
    // An Update naming a supervisor: refused before it is accepted, with the reason.
    const update = await plain
      .executeUpdate(completeTaskUpdate, {
        args: [
          {
            taskId: review.id,
            userId: USER_IDS.supervisor,
            role: 'SUPERVISOR',
            outcome: { action: 'CONFIRM_CODES', diagnoses: ['Z00.00'] },
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(update).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((update as WorkflowUpdateFailedError).cause?.message).toMatch(
      /^payload refused: it was not encrypted; only claimflow's own processes/,
    );
    expect(await h.db.prisma.task.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ status: 'OPEN', doneById: null });
    // A forged remittance signal is dropped: recorded in the history, but it posts nothing and jams nothing.
    await plain.signal(remittanceSignal, {
      claimPaymentId: 'forged',
      statusCode: '1',
      chargeCents: 20_500,
      paidCents: 20_500,
      patientRespCents: 0,
      carcs: [],
    });
    await (plain.signal as (def: typeof remittanceSignal) => Promise<void>)(remittanceSignal); // no payload at all
    expect((await h.status(claimId)).state).toBe('CODING');
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(done.balanceCents).toBe(0);
    expect(await h.db.prisma.claimPayment.count({ where: { claimId } })).toBe(1);
    // A claim workflow started in the clear fails at once: there is no claim to run.
    const started = await outsider().workflow.start('claimLifecycle', {
      taskQueue: TASK_QUEUE,
      workflowId: workflowIdForClaim('CFFORGED0001'),
      args: [{ claimId: 'CFFORGED0001', dateOfService: '2026-10-01', totalChargeCents: 1, payer: {} }],
    });
    const failed = await started.result().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    expect((failed as WorkflowFailedError).cause?.message).toMatch(/^payload refused: it was not encrypted/);
    finished.push(claimId);
  });
});

describe('claim lifecycle', () => {
  it('a clean claim is coded, scrubbed, submitted, acknowledged, paid in full, posted and closed', async () => {
    const claimId = await newClaim('PAY_IN_FULL');
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(states(done)).toEqual([
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
    expect(done.balanceCents).toBe(0);
    const claim = await h.db.prisma.claim.findUniqueOrThrow({
      where: { id: claimId },
      include: { lines: true, submissions: true, diagnoses: true },
    });
    expect(claim.state).toBe('CLOSED');
    expect(claim.closedAt).not.toBeNull();
    expect(claim.diagnoses.map((d) => d.code)).toEqual(['E11.9', 'I10']);
    expect(claim.paidCents).toBeGreaterThan(0);
    expect(claim.paidCents + claim.adjustedCents).toBe(claim.totalChargeCents);
    expect(claim.patientRespCents).toBe(0);
    expect(claim.submissions).toHaveLength(1);
    expect(claim.lines.reduce((s, l) => s + l.paidCents, 0)).toBe(claim.paidCents);
    const transitions = await h.db.prisma.auditEvent.count({ where: { claimId, action: 'claim.transition' } });
    expect(transitions).toBe(9);
    finished.push(claimId);
  });

  it('a partial payment moves patient responsibility to the patient and produces a statement', async () => {
    const claimId = await newClaim('PARTIAL_PATIENT_RESP');
    const before = await h.db.prisma.patient.findUniqueOrThrow({ where: { id: MEDICARE_PATIENT } });
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    const [remittance] = await h.deliver(claimId, 'remittance');
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(states(done)).toContain('PARTIALLY_PAID');
    // the payer sends the same 835 again: it is recognised and nothing posts twice
    const again = await h.api('POST', '/api/inbound/remittances', remittance.body);
    expect(again.status).toBe(202);
    expect(again.body.duplicate).toBe(true);
    expect(await h.db.prisma.claimPayment.count({ where: { claimId } })).toBe(1);
    const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId }, include: { statements: true } });
    expect(claim.patientRespCents).toBeGreaterThan(0);
    expect(claim.paidCents + claim.adjustedCents + claim.patientRespCents).toBe(claim.totalChargeCents);
    expect(claim.balanceCents).toBe(0);
    expect(claim.statements).toHaveLength(1);
    expect(claim.statements[0].amountCents).toBe(claim.patientRespCents);
    const after = await h.db.prisma.patient.findUniqueOrThrow({ where: { id: MEDICARE_PATIENT } });
    expect(after.balanceCents - before.balanceCents).toBe(claim.patientRespCents);
    finished.push(claimId);
  });

  it('a front-end rejection goes back to the biller, is fixed and resubmitted, and is paid', async () => {
    const claimId = await newClaim('FRONT_END_REJECT');
    await codeAndSubmit(claimId);
    await h.deliver(claimId, 'acknowledgement');
    await h.waitForState(claimId, 'REJECTED');
    const fix = await h.waitForTask(claimId, 'FIX_REJECTION');
    expect(fix.queue).toBe('BILLER');
    expect((await h.completeTask(fix.id, { action: 'RESUBMIT', note: 'corrected the subscriber id' })).status).toBe(200);
    await h.waitForState(claimId, 'SUBMITTED');
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(states(done)).toEqual([
      'CODING',
      'SCRUBBING',
      'READY',
      'SUBMITTED',
      'REJECTED',
      'SCRUBBING',
      'READY',
      'SUBMITTED',
      'ACKNOWLEDGED',
      'AWAITING_ADJUDICATION',
      'PAID',
      'POSTED',
      'CLOSED',
    ]);
    expect(states(done)).not.toContain('APPEALED');
    const subs = await h.db.prisma.submission.findMany({ where: { claimId }, orderBy: { attempt: 'asc' } });
    expect(subs.map((s) => [s.attempt, s.status, s.frequencyCode])).toEqual([
      [1, 'REJECTED', '1'],
      [2, 'ACCEPTED', '1'],
    ]);
    expect(subs[1].interchangeControlNumber).toBeGreaterThan(subs[0].interchangeControlNumber);
    finished.push(claimId);
  });

  it('silence is followed up with a 276 at N days and again at 2N days; "pending" answers wait without a task, then the claim is paid', async () => {
    const claimId = await newClaim('SILENT_THEN_PAY');
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    await h.env.sleep(days(29));
    expect(await statusChecks(claimId)).toHaveLength(0);
    await h.env.sleep(days(2));
    const [first] = await waitForStatusChecks(claimId, 1);
    // the payer's 277 says P1 (pending): the workflow asks again next interval, no biller is bothered
    expect(first).toMatchObject({ category: 'PENDING', statusCode: 'P1', followUp: { kind: 'pending' } });
    expect((await h.status(claimId)).followUps).toBe(1);
    await h.env.sleep(days(30));
    const both = await waitForStatusChecks(claimId, 2);
    expect(both[1].followUp.kind).toBe('pending');
    expect((await h.status(claimId)).followUps).toBe(2);
    expect(await h.db.prisma.task.count({ where: { claimId, kind: 'FOLLOW_UP' } })).toBe(0);
    // two inquiries are what this payer waits for before it pays
    await h.deliver(claimId, 'remittance');
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(done.balanceCents).toBe(0);
    expect(await h.db.prisma.task.count({ where: { claimId, status: { in: ['OPEN', 'CLAIMED'] } } })).toBe(0);
    finished.push(claimId);
  });

  it('silence past the payer maximum of follow-ups escalates to a supervisor', async () => {
    const claimId = await newClaim('SILENT_FOREVER');
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    for (let i = 1; i <= 3; i++) {
      await h.env.sleep(days(30));
      await waitForStatusChecks(claimId, i);
    }
    expect(await h.db.prisma.task.count({ where: { claimId, kind: { in: ['FOLLOW_UP', 'FOLLOW_UP_ESCALATION'] } } })).toBe(0);
    await h.env.sleep(days(30));
    const escalation = await h.waitForTask(claimId, 'FOLLOW_UP_ESCALATION');
    expect(escalation.queue).toBe('SUPERVISOR');
    expect(escalation.context.reason).toMatch(/3 follow-ups/);
    const res = await h.completeTask(
      escalation.id,
      { action: 'WRITE_OFF', note: 'payer never answered; below collection threshold after review' },
      USER_IDS.supervisor,
    );
    expect(res.status).toBe(200);
    const approval = await h.waitForTask(claimId, 'WRITE_OFF_APPROVAL');
    await h.completeTask(approval.id, { action: 'APPROVE', note: 'approved' }, USER_IDS.supervisor);
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(states(done)).toContain('WRITTEN_OFF');
    finished.push(claimId);
  });

  it('a coding denial opens a coder chart audit, and the corrected claim (frequency 7) is paid', async () => {
    const claimId = await newClaim('CODING_DENIAL');
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    await h.waitForState(claimId, 'DENIED');
    const audit = await h.waitForTask(claimId, 'CHART_AUDIT');
    expect(audit.queue).toBe('CODER');
    expect(audit.context.category).toMatch(/CODING|BUNDLING/);
    const res = await h.completeTask(
      audit.id,
      { action: 'CORRECTED_CLAIM', diagnoses: ['E11.65', 'I10'], note: 'hyperglycemia documented' },
      USER_IDS.coder1,
    );
    expect(res.status).toBe(200);
    await h.waitForState(claimId, 'SUBMITTED');
    expect((await h.status(claimId)).frequencyCode).toBe('7');
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(states(done)).toContain('DENIED');
    const subs = await h.db.prisma.submission.findMany({ where: { claimId }, orderBy: { attempt: 'asc' } });
    expect(subs.map((s) => s.frequencyCode)).toEqual(['1', '7']);
    const claim = await h.db.prisma.claim.findUniqueOrThrow({
      where: { id: claimId },
      include: { diagnoses: { orderBy: { seq: 'asc' } } },
    });
    expect(claim.diagnoses.map((d) => d.code)).toEqual(['E11.65', 'I10']);
    expect(claim.balanceCents).toBe(0);
    finished.push(claimId);
  });

  it('a denial is appealed, the appeal is overturned and the claim is paid', async () => {
    const claimId = await newClaim('DENY_APPEAL_OVERTURNED');
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    const review = await h.waitForTask(claimId, 'DENIAL_REVIEW');
    expect(review.queue).toBe('BILLER');
    expect(review.context.category).toBe('MEDICAL_NECESSITY');
    expect(new Date(review.dueAt).getTime()).toBeLessThanOrEqual(Date.parse(review.context.appealDeadline) + 86_400_000);
    expect((await h.completeTask(review.id, { action: 'APPEAL', note: 'records show medical necessity' })).status).toBe(200);
    await h.waitForState(claimId, 'APPEALED');
    await h.deliver(claimId, 'appeal-decision');
    await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
    await h.deliver(claimId, 'remittance');
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(states(done)).toEqual(expect.arrayContaining(['DENIED', 'APPEALED', 'PAID', 'CLOSED']));
    const appeals = await h.db.prisma.appeal.findMany({ where: { claimId } });
    expect(appeals.map((a) => [a.level, a.status])).toEqual([[1, 'OVERTURNED']]);
    finished.push(claimId);
  });

  it('an appeal upheld at every level ends in a supervisor-approved write-off and the claim closes', async () => {
    const claimId = await newClaim('DENY_APPEAL_UPHELD');
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    const review = await h.waitForTask(claimId, 'DENIAL_REVIEW');
    await h.completeTask(review.id, { action: 'APPEAL', note: 'level 1' });
    await h.waitForState(claimId, 'APPEALED');
    await h.deliver(claimId, 'appeal-decision');
    const upheld1 = await h.waitForTask(claimId, 'APPEAL_UPHELD_REVIEW');
    expect(upheld1.context.levelsLeft).toBe(1);
    await h.completeTask(upheld1.id, { action: 'APPEAL', note: 'level 2' });
    await expect.poll(() => h.db.prisma.appeal.count({ where: { claimId } })).toBe(2);
    await h.deliver(claimId, 'appeal-decision');
    const upheld2 = await h.waitForTask(claimId, 'APPEAL_UPHELD_REVIEW');
    expect(upheld2.context.levelsLeft).toBe(0);
    // no third level with this payer: the validator refuses, and the task stays open
    const refused = await h.completeTask(upheld2.id, { action: 'APPEAL', note: 'level 3?' });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/appeal levels/);
    expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: upheld2.id } })).status).toBe('OPEN');
    await h.completeTask(upheld2.id, { action: 'WRITE_OFF', note: 'upheld twice' });
    const approval = await h.waitForTask(claimId, 'WRITE_OFF_APPROVAL');
    expect(approval.queue).toBe('SUPERVISOR');
    // only a supervisor's approval writes it off
    expect((await h.completeTask(approval.id, { action: 'APPROVE', note: 'ok' }, USER_IDS.supervisor)).status).toBe(200);
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(states(done).slice(-2)).toEqual(['WRITTEN_OFF', 'CLOSED']);
    const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId }, include: { appeals: true } });
    expect(claim.writtenOffCents).toBe(claim.totalChargeCents);
    expect(claim.balanceCents).toBe(0);
    expect(claim.appeals.map((a) => a.status).sort()).toEqual(['UPHELD', 'UPHELD']);
    const writeOff = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { claimId, action: 'claim.written-off' } });
    expect(writeOff.actor).toBe(USER_IDS.supervisor);
    finished.push(claimId);
  });

  it('a task past its due time escalates to a supervisor without losing the original', async () => {
    const claimId = await newClaim('PAY_IN_FULL');
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    await h.env.sleep(days(3));
    const escalation = await h.waitForTask(claimId, 'OVERDUE_TASK');
    expect(escalation.queue).toBe('SUPERVISOR');
    expect(escalation.context.overdueTaskId).toBe(review.id);
    const original = await h.db.prisma.task.findUniqueOrThrow({ where: { id: review.id } });
    expect(original.status).toBe('OPEN');
    expect(original.priority).toBeGreaterThan(review.priority);
    expect(original.escalatedAt).not.toBeNull();
    expect((await h.status(claimId)).openTasks.map((t) => t.kind).sort()).toEqual(['CODE_REVIEW', 'OVERDUE_TASK']);
    // once the coder finishes, the escalation is moot
    await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1);
    await h.waitForState(claimId, 'SUBMITTED');
    expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: escalation.id } })).status).toBe('CANCELLED');
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    await h.waitForState(claimId, 'CLOSED');
    finished.push(claimId);
  });

  it('starting a claim twice is harmless', async () => {
    const claimId = await newClaim('PAY_IN_FULL');
    await h.waitForTask(claimId, 'CODE_REVIEW');
    const again = await startClaimWorkflow(h.client, h.db.prisma, h.config, claimId);
    expect(again.started).toBe(false);
    await expect(
      h.client.workflow.start('claimLifecycle', {
        taskQueue: 'claimflow-claims',
        workflowId: workflowIdForClaim(claimId),
        args: [{} as any],
      }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    expect(await h.db.prisma.task.count({ where: { claimId, kind: 'CODE_REVIEW' } })).toBe(1);
    await codeAndSubmit(claimId);
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    await h.waitForState(claimId, 'CLOSED');
    finished.push(claimId);
  });

  it('a stale or invalid task completion is refused by the validator and changes nothing', async () => {
    const claimId = await newClaim('PAY_IN_FULL');
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    const handle = h.client.workflow.getHandle(workflowIdForClaim(claimId));
    const { temporal } = await import('@temporalio/proto');
    const eventName = (e: { eventType?: number | null }) => temporal.api.enums.v1.EventType[e.eventType ?? 0];
    // The task row is written by an activity; the workflow then starts its SLA timer. Measure from after that timer,
    // or a slow machine counts it as something the refused completions added.
    let historyBefore = 0;
    for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      const events = (await handle.fetchHistory()).events ?? [];
      const last = events.filter((e) => !/WORKFLOW_TASK/.test(eventName(e))).at(-1);
      historyBefore = events.length;
      if (last && eventName(last) === 'EVENT_TYPE_TIMER_STARTED') break;
    }

    const wrongAction = await h.completeTask(review.id, { action: 'APPEAL', note: 'x' }, USER_IDS.coder1);
    expect(wrongAction.status).toBe(409);
    expect(JSON.stringify(wrongAction.body)).toMatch(/CONFIRM_CODES/);
    // the workflow's own validator, not only the API, refuses an outcome that does not fit the task
    await expect(
      handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: review.id, userId: USER_IDS.coder1, outcome: { action: 'APPEAL', note: 'x' } }],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const badCode = await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['NOT-A-CODE'] }, USER_IDS.coder1);
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.field).toMatch(/diagnoses/);
    await expect(
      handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: 'no-such-task', userId: USER_IDS.coder1, outcome: { action: 'CONFIRM_CODES', diagnoses: ['I10'] } }],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    // a rejected update leaves no update, activity or state change in the history, the task row or the claim
    const added = ((await handle.fetchHistory()).events ?? []).slice(historyBefore);
    const kinds = added.map(eventName);
    expect(kinds.filter((k) => !/WORKFLOW_TASK/.test(k))).toEqual([]);
    expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: review.id } })).status).toBe('OPEN');
    expect((await h.status(claimId)).state).toBe('CODING');

    expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1)).status).toBe(200);
    // the same completion again is stale
    const staleUpdate = await handle
      .executeUpdate(completeTaskUpdate, {
        args: [{ taskId: review.id, userId: USER_IDS.coder1, outcome: { action: 'CONFIRM_CODES', diagnoses: ['I10'] } }],
      })
      .catch((err) => err);
    expect(staleUpdate).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String(staleUpdate.cause?.message)).toMatch(/already completed|not open/);
    const stale = await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['I10'] }, USER_IDS.coder1);
    expect(stale.status).toBe(409);
    await h.waitForState(claimId, 'SUBMITTED');
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    await h.waitForState(claimId, 'CLOSED');
    finished.push(claimId);
  });

  it('replaying every recorded history with the current workflow code is deterministic', async () => {
    const { Worker } = await import('@temporalio/worker');
    const { inject } = await import('vitest');
    expect(finished.length).toBeGreaterThanOrEqual(8);
    const histories = await Promise.all(
      finished.map(async (id) => ({
        workflowId: workflowIdForClaim(id),
        history: await h.client.workflow.getHandle(workflowIdForClaim(id)).fetchHistory(),
      })),
    );
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: workerDataConverter(h.payloadKeys) },
      histories,
    )) {
      expect(result.error, `${result.workflowId}: ${result.error}`).toBeUndefined();
      replayed++;
    }
    expect(replayed).toBe(finished.length);
  });
});

describe('deadlines', () => {
  it('a claim not yet accepted within 30 days of its timely-filing limit raises a supervisor warning', async () => {
    const dos = new Date(Date.now() - 340 * 86_400_000).toISOString().slice(0, 10); // the limit is 365 days
    const claimId = await h.createClaim({ patientId: MEDICARE_PATIENT, dateOfService: dos });
    const warning = await h.waitForTask(claimId, 'TIMELY_FILING_RISK');
    expect(warning.queue).toBe('SUPERVISOR');
    const deadline = new Date(Date.parse(`${dos}T00:00:00Z`) + 365 * 86_400_000).toISOString().slice(0, 10);
    expect(warning.context.timelyFilingDeadline).toBe(deadline);
    expect(warning.priority).toBeGreaterThanOrEqual(90);
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    expect(review.priority).toBeGreaterThan(30);
    await h.api('POST', `/api/claims/${claimId}/void`, { reason: 'test done' });
    await h.waitForState(claimId, 'VOIDED');
  });
});

describe('voiding', () => {
  it('a claim voided before submission cancels its open task and ends VOIDED', async () => {
    const claimId = await newClaim('PAY_IN_FULL');
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    const res = await h.api('POST', `/api/claims/${claimId}/void`, { reason: 'duplicate encounter entered' });
    expect(res.status).toBe(200);
    const done = await h.waitForState(claimId, 'VOIDED');
    expect(done.openTasks).toEqual([]);
    expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: review.id } })).status).toBe('CANCELLED');
    expect((await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } })).state).toBe('VOIDED');
    // nothing was ever sent to the payer
    expect(await h.db.prisma.submission.count({ where: { claimId } })).toBe(0);
  });
});

describe('scrubbing', () => {
  it('a claim failing a coding edit goes to a coder, and passes once fixed', async () => {
    const claimId = await newClaim('PAY_IN_FULL');
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    // E11 is a category header, not a billable code
    await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11', 'I10'] }, USER_IDS.coder1);
    const fix = await h.waitForTask(claimId, 'SCRUB_FIX_CODING');
    expect(fix.queue).toBe('CODER');
    expect(fix.context.failures.map((f: { editId: string }) => f.editId)).toEqual(['DX-003']);
    expect(fix.context.editsRun.length).toBeGreaterThanOrEqual(10);
    await h.completeTask(fix.id, { action: 'FIXED', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1);
    await h.waitForState(claimId, 'SUBMITTED');
    const v = await h.status(claimId);
    expect(states(v)).toEqual(['CODING', 'SCRUBBING', 'READY', 'SUBMITTED']);
    await acknowledge(claimId);
    await h.deliver(claimId, 'remittance');
    await h.waitForState(claimId, 'CLOSED');
  });
});
