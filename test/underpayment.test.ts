// A payer paying below the practice's contracted fee schedule, under Temporal's time-skipping test server with the real
// activities, PostgreSQL, API and payer simulator: the expected amounts are stored at submission and the 835's
// shortfall opens a biller's UNDERPAYMENT task; a payment at the schedule opens none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { PATIENT_IDS, USER_IDS } from '../app/seed';
import { FEE_SCHEDULE } from '../simulator/feeSchedule';
import { UNDERPAID_PERCENT } from '../simulator/scenarios';
import { workflowIdForClaim, type ClaimState } from '../workflows/contract';
import { workerDataConverter } from '../infra/codec';
import { startHarness, type Harness } from './harness';

let h: Harness;
const finished: string[] = [];
const MEDICARE_PATIENT = PATIENT_IDS[0];

beforeAll(async () => {
  h = await startHarness({ timeSkipping: true });
});
afterAll(async () => {
  await h?.shutdown();
});

/** 99214 at 180.00 (schedule 168.00) and 36415 at 25.00 (schedule 3.00), the harness's default claim. */
async function postedClaim(scenario: 'UNDERPAY' | 'PAY_IN_FULL'): Promise<string> {
  const claimId = await h.createClaim({ patientId: MEDICARE_PATIENT });
  await h.forceScenario(claimId, scenario);
  const review = await h.waitForTask(claimId, 'CODE_REVIEW');
  expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1)).status).toBe(200);
  await h.waitForState(claimId, 'SUBMITTED');
  const lines = await h.db.prisma.claimLine.findMany({ where: { claimId }, orderBy: { lineNo: 'asc' } });
  // priced when submitted, from the demo practice's schedule for the Medicare-like payer
  expect(lines.map((l) => [l.procedureCode, l.expectedAllowedCents])).toEqual([
    ['99214', FEE_SCHEDULE['99214']],
    ['36415', FEE_SCHEDULE['36415']],
  ]);
  await h.deliver(claimId, 'acknowledgement');
  await h.waitForState(claimId, 'AWAITING_ADJUDICATION');
  await h.deliver(claimId, 'remittance');
  return claimId;
}

const states = (v: { history: { state: ClaimState }[] }) => v.history.map((t) => t.state);

describe('underpayment', () => {
  it('a payer allowing less than the contract opens a biller UNDERPAYMENT task with the figures per line; accepting it closes the claim', async () => {
    const claimId = await postedClaim('UNDERPAY');
    const task = await h.waitForTask(claimId, 'UNDERPAYMENT');
    const expected = FEE_SCHEDULE['99214'];
    const allowed = Math.round((expected * (100 - UNDERPAID_PERCENT)) / 100);
    // 36415 is short by 30 cents too, inside the default 100-cent tolerance
    expect(task.queue).toBe('BILLER');
    expect(task.context).toMatchObject({
      expectedCents: expected,
      allowedCents: allowed,
      differenceCents: expected - allowed,
      carcs: ['CO-45'],
      uncheckedLineNos: [],
      state: 'POSTED',
      lines: [
        {
          lineNo: 1,
          procedureCode: '99214',
          expectedCents: expected,
          allowedCents: allowed,
          paidCents: allowed,
          patientRespCents: 0,
          differenceCents: expected - allowed,
          carcs: ['CO-45'],
        },
      ],
    });
    expect((await h.status(claimId)).state).toBe('POSTED');
    // the biller sees the figures through the API, as the workspace's task screen does
    const view = await h.api('GET', `/api/tasks/${task.id}`, undefined, USER_IDS.biller1);
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).toContain(`"differenceCents":${expected - allowed}`);
    const audit = await h.db.prisma.auditEvent.findFirst({ where: { claimId, action: 'payment.underpaid' } });
    expect(audit?.detail).toEqual({ differenceCents: expected - allowed, lines: [1] });

    expect((await h.completeTask(task.id, { action: 'ACCEPT', note: 'contract rate confirmed lower this year' })).status).toBe(200);
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(states(done).slice(-3)).toEqual(['PAID', 'POSTED', 'CLOSED']);
    finished.push(claimId);
  });

  it('an underpayment the biller appeals goes to the payer as an appeal', async () => {
    const claimId = await postedClaim('UNDERPAY');
    const task = await h.waitForTask(claimId, 'UNDERPAYMENT');
    expect((await h.completeTask(task.id, { action: 'APPEAL', note: 'paid 10% under contract' })).status).toBe(200);
    await h.waitForState(claimId, 'APPEALED');
    const appeal = await h.db.prisma.appeal.findFirstOrThrow({ where: { claimId } });
    expect(appeal.level).toBe(1);
    // the simulator upholds it; the biller then writes nothing off (the balance is zero) and the claim closes
    await h.deliver(claimId, 'appeal-decision');
    const upheld = await h.waitForTask(claimId, 'APPEAL_UPHELD_REVIEW');
    expect((await h.completeTask(upheld.id, { action: 'WRITE_OFF', note: 'payer stands by its rate' })).status).toBe(200);
    await h.waitForState(claimId, 'CLOSED');
    finished.push(claimId);
  });

  it('a payment at the contracted amounts opens no UNDERPAYMENT task and the claim closes', async () => {
    const claimId = await postedClaim('PAY_IN_FULL');
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(states(done).slice(-3)).toEqual(['PAID', 'POSTED', 'CLOSED']);
    expect(await h.db.prisma.task.count({ where: { claimId, kind: 'UNDERPAYMENT' } })).toBe(0);
    const lines = await h.db.prisma.claimLine.findMany({ where: { claimId } });
    expect(lines.every((l) => l.paidCents === l.expectedAllowedCents)).toBe(true);
    finished.push(claimId);
  });

  it('the A/R view shows expected against collected per payer, the shortfall where the payer underpaid', async () => {
    const res = await h.api('GET', '/api/supervisor/ar', undefined, USER_IDS.supervisor);
    expect(res.status).toBe(200);
    const medicare = res.body.expectedVsCollected.byPayer.find((p: { payerId: string }) => p.payerId === 'payer-medicare-demo');
    // three claims answered: two underpaid by 10% on both lines, one paid at the schedule
    const perClaim = FEE_SCHEDULE['99214'] + FEE_SCHEDULE['36415'];
    const shortPerClaim = perClaim - Math.round((FEE_SCHEDULE['99214'] * 90) / 100) - Math.round((FEE_SCHEDULE['36415'] * 90) / 100);
    expect(medicare).toMatchObject({ pricedLines: 6, unpricedLines: 0, expectedCents: 3 * perClaim, shortfallCents: 2 * shortPerClaim });
    expect(medicare.collectedCents).toBe(3 * perClaim - 2 * shortPerClaim);
  });

  it('replaying the recorded histories with the current workflow code is deterministic', async () => {
    const { Worker } = await import('@temporalio/worker');
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
    expect(replayed).toBe(3);
  });
});
