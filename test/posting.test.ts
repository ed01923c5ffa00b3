// Posting under Temporal's time-skipping test server with the real activities, API and PostgreSQL: a reversal
// and its correction in one remittance, an unmatched 835 claim as a biller exception (matched later), and
// provider-level adjustments (PLB).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, USER_IDS } from '../app/seed';
import { write835 } from '../domain/x12/write835';
import type { RemittanceMessage } from '../domain/clearinghouse';
import { claimAwaitingAdjudication, startHarness, type Harness } from './harness';

let h: Harness;
const PATIENT = PATIENT_IDS[0];

beforeAll(async () => {
  h = await startHarness({ timeSkipping: true });
});
afterAll(async () => {
  await h?.shutdown();
});

type Claim = RemittanceMessage['claims'][number];
const negate = (c: Claim): Claim => ({
  ...c,
  statusCode: '22',
  chargeCents: -c.chargeCents,
  paidCents: -c.paidCents,
  patientRespCents: -c.patientRespCents,
  adjustments: c.adjustments.map((a) => ({ ...a, amountCents: -a.amountCents })),
  lines: c.lines.map((l) => ({ ...l, chargeCents: -l.chargeCents, paidCents: -l.paidCents })),
});

describe('posting', () => {
  it('a payment, its reversal and the corrected payment in one remittance leave exactly the corrected amounts', async () => {
    const { claimId, payerElectronicId } = await claimAwaitingAdjudication(h, PATIENT);
    const patientBefore = (await h.db.prisma.patient.findUniqueOrThrow({ where: { id: PATIENT } })).balanceCents;
    const wrong: Claim = {
      claimId,
      statusCode: '1',
      chargeCents: 20_500,
      paidCents: 14_000,
      patientRespCents: 1_000,
      adjustments: [
        { lineNo: 1, groupCode: 'CO', carc: '45', amountCents: 5_000 },
        { lineNo: 1, groupCode: 'PR', carc: '2', amountCents: 1_000 },
        { lineNo: 2, groupCode: 'CO', carc: '45', amountCents: 500 },
      ],
      lines: [
        { lineNo: 1, procedureCode: '99214', chargeCents: 18_000, paidCents: 12_000 },
        { lineNo: 2, procedureCode: '36415', chargeCents: 2_500, paidCents: 2_000 },
      ],
    };
    const corrected: Claim = {
      claimId,
      statusCode: '1',
      chargeCents: 20_500,
      paidCents: 15_000,
      patientRespCents: 2_000,
      adjustments: [
        { lineNo: 1, groupCode: 'CO', carc: '45', amountCents: 3_000 },
        { lineNo: 1, groupCode: 'PR', carc: '1', amountCents: 2_000 },
        { lineNo: 2, groupCode: 'CO', carc: '45', amountCents: 500 },
      ],
      lines: [
        { lineNo: 1, procedureCode: '99214', chargeCents: 18_000, paidCents: 13_000 },
        { lineNo: 2, procedureCode: '36415', chargeCents: 2_500, paidCents: 2_000 },
      ],
    };
    const message: RemittanceMessage = {
      payerElectronicId,
      traceNumber: `TRN-REV-${claimId}`,
      paymentDate: '2026-11-20',
      paymentMethod: 'ACH',
      paymentCents: 15_000,
      claims: [wrong, negate(wrong), corrected],
    };
    // processRemittance signals one claim's payments one after the other, in remittance order; the workflow
    // queues what arrives while it posts and posts each in turn.
    const res = await h.api('POST', '/api/inbound/remittances', message);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ duplicate: false, matched: 3, unmatched: [], exceptionTaskIds: [] });
    await h.waitForState(claimId, 'CLOSED');

    const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId }, include: { lines: { orderBy: { lineNo: 'asc' } } } });
    expect(claim).toMatchObject({ paidCents: 15_000, adjustedCents: 3_500, patientRespCents: 2_000, balanceCents: 0, writtenOffCents: 0 });
    expect(claim.lines.map((l) => [l.lineNo, l.paidCents, l.adjustedCents, l.patientRespCents])).toEqual([
      [1, 13_000, 3_000, 2_000],
      [2, 2_000, 500, 0],
    ]);
    const patientAfter = (await h.db.prisma.patient.findUniqueOrThrow({ where: { id: PATIENT } })).balanceCents;
    expect(patientAfter - patientBefore).toBe(2_000);

    const payments = await h.db.prisma.claimPayment.findMany({ where: { claimId }, orderBy: { sequence: 'asc' } });
    expect(payments.map((p) => [p.sequence, p.statusCode, p.paidCents, p.postedAt !== null])).toEqual([
      [0, '1', 14_000, true],
      [1, '22', -14_000, true],
      [2, '1', 15_000, true],
    ]);
    const posted = await h.db.prisma.auditEvent.groupBy({
      by: ['action'],
      where: { claimId, action: { in: ['payment.posted', 'payment.reversed'] } },
      _count: true,
    });
    expect(Object.fromEntries(posted.map((p) => [p.action, p._count]))).toEqual({ 'payment.posted': 2, 'payment.reversed': 1 });

    // the same remittance again: recognised, nothing posts twice
    const again = await h.api('POST', '/api/inbound/remittances', message);
    expect(again.body.duplicate).toBe(true);
    expect(await h.db.prisma.claimPayment.count({ where: { claimId } })).toBe(3);
    expect((await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } })).paidCents).toBe(15_000);
  });

  it('an unknown claim in an 835 is one biller exception however often the file comes; MATCH posts it once; PLB is kept', async () => {
    const { claimId, payerElectronicId } = await claimAwaitingAdjudication(h, PATIENT);
    const trace = `TRN-EXC-${claimId}`;
    const unknown = 'CFNOSUCHCLM1';
    let isa = Math.floor(Math.random() * 100_000) + 10_000;
    const file = () =>
      write835({
        sender: { qualifier: 'ZZ', id: 'TESTCH' },
        receiver: { qualifier: 'ZZ', id: 'CLAIMFLOW' },
        control: { interchangeControlNumber: ++isa, groupControlNumber: isa, transactionControlNumber: String(isa) },
        now: { date: '2026-11-20', time: '0900' },
        usage: 'T',
        // claims paid 15,000 less PLB (WO recovery 1,000, L6 interest -250) = 14,250
        payment: {
          amountCents: 14_250,
          method: 'ACH',
          date: '2026-11-20',
          bank: {
            payer: { routingNumber: '011000015', accountNumber: '1234567' },
            payee: { routingNumber: '021000021', accountNumber: '7654321' },
          },
        },
        traceNumber: trace,
        payer: {
          name: 'DEMO MEDICARE',
          id: payerElectronicId,
          taxId: '123456789',
          address: { line1: '1 PAYER WAY', city: 'SALEM', state: 'OR', postalCode: '97301' },
          technicalContact: { name: 'EDI', phone: '8005550100' },
        },
        payee: { name: 'DEMO FAMILY MEDICINE', npi: '1234567893' },
        claims: [
          {
            claimId: unknown,
            status: '1',
            filingIndicator: '12',
            chargeCents: 20_500,
            paidCents: 15_000,
            patientRespCents: 2_000,
            payerClaimControlNo: 'PCN-77',
            patient: { last: 'SECRETNAME', first: 'PAT', memberId: 'M123' },
            lines: [
              {
                procedureCode: '99214',
                chargeCents: 18_000,
                paidCents: 13_000,
                controlNumber: '1',
                adjustments: [
                  { group: 'CO', reason: '45', amountCents: 3_000 },
                  { group: 'PR', reason: '1', amountCents: 2_000 },
                ],
              },
              {
                procedureCode: '36415',
                chargeCents: 2_500,
                paidCents: 2_000,
                controlNumber: '2',
                adjustments: [{ group: 'CO', reason: '45', amountCents: 500 }],
              },
            ],
          },
        ],
        providerAdjustments: [
          {
            providerId: '1234567893',
            fiscalPeriodDate: '2026-12-31',
            adjustments: [
              { reason: 'WO', reference: 'OVP-2026-1', amountCents: 1_000 },
              { reason: 'L6', amountCents: -250 },
            ],
          },
        ],
      });
    const post = (text: string) =>
      fetch(`${h.apiUrl}/api/inbound/x12`, {
        method: 'POST',
        headers: { 'content-type': 'application/edi-x12', authorization: `Bearer ${h.inboundToken}` },
        body: text,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

    const first = await post(file());
    expect(first.status).toBe(202);
    expect(first.body.errors).toEqual([]);
    expect(first.body.transactions).toMatchObject([
      { setId: '835', duplicate: false, claims: [], unmatched: [unknown], exceptionTaskIds: [expect.any(String)] },
    ]);
    const second = await post(file()); // the same 835 in a new interchange
    expect(second.body.transactions).toMatchObject([{ duplicate: true, exceptionTaskIds: first.body.transactions[0].exceptionTaskIds }]);
    const taskId: string = first.body.transactions[0].exceptionTaskIds[0];
    const tasks = await h.db.prisma.task.findMany({
      where: { kind: 'POSTING_EXCEPTION', context: { path: ['traceNumber'], equals: trace } },
    });
    expect(tasks.map((t) => t.id)).toEqual([taskId]);
    const task = tasks[0];
    expect(task).toMatchObject({ queue: 'BILLER', status: 'OPEN', claimId: null, workflowId: null });
    expect(task.context).toMatchObject({
      payerElectronicId,
      traceNumber: trace,
      claimRef: unknown,
      statusCode: '1',
      chargeCents: 20_500,
      paidCents: 15_000,
      patientRespCents: 2_000,
      payerClaimControlNo: 'PCN-77',
      adjustments: expect.arrayContaining([expect.objectContaining({ groupCode: 'PR', carc: '1', amountCents: 2_000 })]),
    });
    expect(JSON.stringify(task.context)).not.toContain('SECRETNAME');
    expect(await h.db.prisma.unmatchedClaimPayment.count({ where: { claimRef: unknown } })).toBe(1);

    // PLB: stored at the provider level, and the remittance keeps the check amount
    const remittance = await h.db.prisma.remittance.findFirstOrThrow({
      where: { traceNumber: trace },
      include: { providerAdjustments: { orderBy: { reasonCode: 'asc' } } },
    });
    expect(remittance.paymentCents).toBe(14_250);
    expect(
      remittance.providerAdjustments.map((a) => [
        a.reasonCode,
        a.referenceId,
        a.amountCents,
        a.providerId,
        a.fiscalPeriodDate?.toISOString().slice(0, 10),
      ]),
    ).toEqual([
      ['L6', null, -250, '1234567893', '2026-12-31'],
      ['WO', 'OVP-2026-1', 1_000, '1234567893', '2026-12-31'],
    ]);

    // the queue of a biller who works every practice shows it (a claim we do not know belongs to no practice, so
    // a biller of one practice does not); outcomes are validated, naming the field
    const queue = await h.api('GET', '/api/queues/BILLER/tasks?kind=POSTING_EXCEPTION', undefined, USER_IDS.biller2);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((t: { id: string }) => t.id)).toContain(taskId);
    const practiceOnly = await h.api('GET', '/api/queues/BILLER/tasks?kind=POSTING_EXCEPTION', undefined, USER_IDS.biller1);
    expect(practiceOnly.body.items.map((t: { id: string }) => t.id)).not.toContain(taskId);
    const complete = (outcome: Record<string, unknown>) => h.api('POST', `/api/tasks/${taskId}/complete`, { outcome }, USER_IDS.biller2);
    expect((await complete({ action: 'MATCH' })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'outcome.claimId' });
    expect((await complete({ action: 'RESOLVED_NO_ACTION' })).body.error).toMatchObject({ field: 'outcome.note' });
    expect((await complete({ action: 'APPROVE' })).body.error).toMatchObject({ field: 'outcome.action' });
    const nowhere = await complete({ action: 'MATCH', claimId: 'CFNOSUCHCLM2' });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.error.field).toBe('outcome.claimId');

    const matched = await complete({ action: 'MATCH', claimId, note: 'patient control number keyed wrong by the payer' });
    expect(matched.status).toBe(200);
    expect(matched.body).toMatchObject({ taskId, action: 'MATCH', claimId, signal: 'delivered' });
    await h.waitForState(claimId, 'CLOSED');
    const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } });
    expect(claim).toMatchObject({ paidCents: 15_000, adjustedCents: 3_500, patientRespCents: 2_000, balanceCents: 0 });
    expect((await h.db.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('DONE');
    expect((await complete({ action: 'MATCH', claimId })).status).toBe(409);

    // the file once more: nothing new, nothing posts twice
    const third = await post(file());
    expect(third.body.transactions[0].duplicate).toBe(true);
    const payments = await h.db.prisma.claimPayment.findMany({ where: { claimId } });
    expect(payments).toHaveLength(1);
    expect(payments[0].postedAt).not.toBeNull();
    expect(await h.db.prisma.auditEvent.count({ where: { claimId, action: 'payment.posted' } })).toBe(1);
    expect(await h.db.prisma.task.count({ where: { kind: 'POSTING_EXCEPTION', context: { path: ['traceNumber'], equals: trace } } })).toBe(
      1,
    );
    expect((await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } })).paidCents).toBe(15_000);
  });

  it('an unbalanced JSON remittance with provider adjustments is refused naming paymentCents', async () => {
    const res = await h.api('POST', '/api/inbound/remittances', {
      payerElectronicId: 'DMC01',
      traceNumber: 'TRN-UNBAL-PLB',
      paymentDate: '2026-11-20',
      paymentMethod: 'ACH',
      paymentCents: 15_000,
      claims: [{ claimId: 'CFNOSUCHCLM3', statusCode: '1', chargeCents: 15_000, paidCents: 15_000, patientRespCents: 0 }],
      providerAdjustments: [{ reasonCode: 'WO', amountCents: 1_000 }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'REMITTANCE_UNBALANCED', field: 'paymentCents' });
  });
});
