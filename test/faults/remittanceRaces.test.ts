// Fault 5: remittances arrive the way a flaky clearinghouse sends them. The same 835 several times at once
// (a sender retrying before the first answer came back) and two different 835s for one claim at the same
// moment (a split claim paid in two files): every 835 posts exactly once and the claim's books balance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { write835, type Claim835Input } from '../../domain/x12/write835';
import { PATIENT_IDS, USER_IDS } from '../../app/seed';
import { claimAwaitingAdjudication, startHarness, type Harness } from '../harness';

let h: Harness;
let isa = 700_000 + Math.floor(Math.random() * 100_000);

beforeAll(async () => {
  h = await startHarness({ timeSkipping: true });
});
afterAll(async () => {
  await h?.shutdown();
});

function file835(payerElectronicId: string, trace: string, claims: Claim835Input[]): string {
  isa += 1;
  const paid = claims.reduce((s, c) => s + c.paidCents, 0);
  return write835({
    sender: { qualifier: 'ZZ', id: 'TESTCH' },
    receiver: { qualifier: 'ZZ', id: 'CLAIMFLOW' },
    control: { interchangeControlNumber: isa, groupControlNumber: isa, transactionControlNumber: String(isa) },
    now: { date: '2026-11-20', time: '0900' },
    usage: 'T',
    payment: {
      amountCents: paid,
      method: 'ACH',
      date: '2026-11-20',
      bank: {
        payer: { routingNumber: '011000015', accountNumber: '1234567' },
        payee: { routingNumber: '021000021', accountNumber: '7654321' },
      },
    },
    traceNumber: trace,
    payer: {
      name: 'DEMO PAYER',
      id: payerElectronicId,
      taxId: '123456789',
      address: { line1: '1 PAYER WAY', city: 'SALEM', state: 'OR', postalCode: '97301' },
      technicalContact: { name: 'EDI', phone: '8005550100' },
    },
    payee: { name: 'DEMO FAMILY MEDICINE', npi: '1234567893' },
    claims,
  });
}

const line1 = (paid: number, co: number, pr = 0) => ({
  procedureCode: '99214',
  chargeCents: 18_000,
  paidCents: paid,
  controlNumber: '1',
  adjustments: [{ group: 'CO', reason: '45', amountCents: co }, ...(pr ? [{ group: 'PR', reason: '2', amountCents: pr }] : [])],
});
const line2 = (paid: number, co: number) => ({
  procedureCode: '36415',
  chargeCents: 2_500,
  paidCents: paid,
  controlNumber: '2',
  adjustments: [{ group: 'CO', reason: '45', amountCents: co }],
});

const postX12 = (text: string) =>
  fetch(`${h.apiUrl}/api/inbound/x12`, {
    method: 'POST',
    headers: { 'content-type': 'application/edi-x12', authorization: `Bearer ${h.inboundToken}` },
    body: text,
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

async function books(claimId: string) {
  const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } });
  const payments = await h.db.prisma.claimPayment.findMany({ where: { claimId }, include: { remittance: true } });
  const postedEvents = await h.db.prisma.auditEvent.count({ where: { claimId, action: 'payment.posted' } });
  return { claim, payments, postedEvents };
}

describe('835s delivered twice and concurrently', () => {
  it('the same 835 six times at once, and again after close, posts once', async () => {
    const { claimId, payerElectronicId } = await claimAwaitingAdjudication(h, PATIENT_IDS[0]);
    const trace = `TRN-DUP-${claimId}`;
    const text = file835(payerElectronicId, trace, [
      {
        claimId,
        status: '1',
        filingIndicator: '12',
        patient: { last: 'TEST', memberId: 'M1' },
        chargeCents: 20_500,
        paidCents: 15_000,
        patientRespCents: 2_000,
        payerClaimControlNo: 'PCN-DUP',
        lines: [line1(13_000, 3_000, 2_000), line2(2_000, 500)],
      },
    ]);
    const answers = await Promise.all(Array.from({ length: 6 }, () => postX12(text)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202]);
    const fresh = answers.filter((a) => a.body.transactions[0].duplicate === false);
    expect(fresh).toHaveLength(1);
    await h.waitForState(claimId, 'CLOSED');
    const again = await postX12(text);
    expect(again.body.transactions[0].duplicate).toBe(true);

    const { claim, payments, postedEvents } = await books(claimId);
    console.log(
      JSON.stringify({
        fault: 'same 835 x6 concurrently + once after close',
        claimId,
        deliveries: 7,
        fresh: fresh.length,
        payments: payments.length,
        postedEvents,
        balanceCents: claim.balanceCents,
      }),
    );
    expect(payments).toHaveLength(1);
    expect(payments[0].postedAt).not.toBeNull();
    expect(postedEvents).toBe(1);
    expect(await h.db.prisma.remittance.count({ where: { traceNumber: trace } })).toBe(1);
    expect(claim).toMatchObject({ paidCents: 15_000, adjustedCents: 3_500, patientRespCents: 2_000, balanceCents: 0 });
  });

  it('two different 835s for one claim at the same moment (a split claim) each post once and the claim closes at zero', async () => {
    const results: unknown[] = [];
    // a few claims: the two signals meet the workflow at different points of its posting step
    for (let i = 0; i < 4; i++) {
      const { claimId, payerElectronicId } = await claimAwaitingAdjudication(h, PATIENT_IDS[(i + 1) % PATIENT_IDS.length]);
      const first = file835(payerElectronicId, `TRN-SPLIT-A-${claimId}`, [
        {
          claimId,
          status: '1',
          filingIndicator: '12',
          patient: { last: 'TEST', memberId: 'M1' },
          chargeCents: 18_000,
          paidCents: 15_000,
          payerClaimControlNo: 'PCN-SPLIT',
          lines: [line1(15_000, 3_000)],
        },
      ]);
      const second = file835(payerElectronicId, `TRN-SPLIT-B-${claimId}`, [
        {
          claimId,
          status: '1',
          filingIndicator: '12',
          patient: { last: 'TEST', memberId: 'M1' },
          chargeCents: 2_500,
          paidCents: 2_000,
          payerClaimControlNo: 'PCN-SPLIT',
          lines: [line2(2_000, 500)],
        },
      ]);
      // each file twice as well: the sender retried both
      const answers = await Promise.all([postX12(first), postX12(second), postX12(second), postX12(first)]);
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
      await h.waitForState(claimId, 'CLOSED', 30_000);

      const { claim, payments, postedEvents } = await books(claimId);
      results.push({ claimId, payments: payments.length, postedEvents, paidCents: claim.paidCents, balanceCents: claim.balanceCents });
      expect(payments).toHaveLength(2);
      expect(new Set(payments.map((p) => p.remittance.traceNumber))).toEqual(new Set([`TRN-SPLIT-A-${claimId}`, `TRN-SPLIT-B-${claimId}`]));
      expect(payments.every((p) => p.postedAt !== null)).toBe(true);
      expect(postedEvents).toBe(2);
      expect(claim).toMatchObject({ paidCents: 17_000, adjustedCents: 3_500, patientRespCents: 0, balanceCents: 0 });
      const lines = await h.db.prisma.claimLine.findMany({ where: { claimId }, orderBy: { lineNo: 'asc' } });
      expect(lines.map((l) => [l.paidCents, l.adjustedCents])).toEqual([
        [15_000, 3_000],
        [2_000, 500],
      ]);
    }
    console.log(JSON.stringify({ fault: 'two 835s for one claim concurrently (each sent twice)', claims: results }));
  });

  async function openReview(claimId: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const task = await h.db.prisma.task.findFirst({
        where: { claimId, kind: { in: ['DENIAL_REVIEW', 'UNDERPAYMENT'] }, status: { in: ['OPEN', 'CLAIMED'] } },
      });
      if (task) return task;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no open review of the short payment of claim ${claimId}`);
  }

  it('the second 835 of a split claim, arriving while a biller reviews the short payment, is posted and withdraws the review', async () => {
    const { claimId, payerElectronicId } = await claimAwaitingAdjudication(h, PATIENT_IDS[5 % PATIENT_IDS.length]);
    const first = file835(payerElectronicId, `TRN-LATE-A-${claimId}`, [
      {
        claimId,
        status: '1',
        filingIndicator: '12',
        patient: { last: 'TEST', memberId: 'M1' },
        chargeCents: 18_000,
        paidCents: 15_000,
        payerClaimControlNo: 'PCN-LATE',
        lines: [line1(15_000, 3_000)],
      },
    ]);
    expect((await postX12(first)).status).toBe(202);
    // $25.00 still open: the workflow asks a biller whether to appeal or write it off (DENIAL_REVIEW), or first,
    // when the paid line is also below its contracted rate, whether to appeal or accept that (UNDERPAYMENT)
    const review = await openReview(claimId);

    const second = file835(payerElectronicId, `TRN-LATE-B-${claimId}`, [
      {
        claimId,
        status: '1',
        filingIndicator: '12',
        patient: { last: 'TEST', memberId: 'M1' },
        chargeCents: 2_500,
        paidCents: 2_000,
        payerClaimControlNo: 'PCN-LATE',
        lines: [line2(2_000, 500)],
      },
    ]);
    expect((await postX12(second)).status).toBe(202);
    await h.waitForState(claimId, 'CLOSED', 30_000);

    const { claim, payments, postedEvents } = await books(claimId);
    expect(payments).toHaveLength(2);
    expect(payments.every((p) => p.postedAt !== null)).toBe(true);
    expect(postedEvents).toBe(2);
    expect(claim).toMatchObject({ paidCents: 17_000, adjustedCents: 3_500, balanceCents: 0, writtenOffCents: 0 });
    const task = await h.db.prisma.task.findUniqueOrThrow({ where: { id: review.id } });
    expect(task.status).toBe('CANCELLED');
    // the withdrawn review can no longer be completed
    const action = review.kind === 'UNDERPAYMENT' ? 'ACCEPT' : 'WRITE_OFF';
    const late = await h.completeTask(review.id, { action, note: 'too late' } as any, USER_IDS.biller1);
    expect(late.status).toBe(409);
    console.log(
      JSON.stringify({
        fault: 'second 835 during the denial review',
        claimId,
        payments: payments.length,
        postedEvents,
        reviewKind: review.kind,
        reviewTask: task.status,
      }),
    );
  });
});
