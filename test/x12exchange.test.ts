// claimflow and the payer simulator exchange real X12 end to end: the worker's submitClaim sends an 837P,
// the simulator answers with a 999 and a 277CA, then an 835, all through POST /api/inbound/x12.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_IDS, USER_IDS } from '../app/seed';
import { readTransactions } from '../domain/x12/reader';
import { parse999 } from '../domain/x12/999';
import { parse277CA } from '../domain/x12/277ca';
import { balance835, parse835 } from '../domain/x12/835';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeSkipping: true });
});
afterAll(async () => {
  await h?.shutdown();
});

const only = (text: string) => {
  const { transactions, errors } = readTransactions(text);
  expect(errors).toEqual([]);
  expect(transactions).toHaveLength(1);
  return transactions[0];
};

describe('X12 exchange', () => {
  it('an 837P goes out with CLM01 = claim id; a 999, a 277CA and an 835 come back through /api/inbound/x12 and the claim closes', async () => {
    const claimId = await h.createClaim({ patientId: PATIENT_IDS[0] });
    await h.forceScenario(claimId, 'PARTIAL_PATIENT_RESP');
    const review = await h.waitForTask(claimId, 'CODE_REVIEW');
    expect((await h.completeTask(review.id, { action: 'CONFIRM_CODES', diagnoses: ['E11.9', 'I10'] }, USER_IDS.coder1)).status).toBe(200);
    await h.waitForState(claimId, 'SUBMITTED');

    // The simulator received an 837P file whose CLM01 is our claim id, under the claimId:attempt key.
    const submission = await h.db.prisma.submission.findUniqueOrThrow({ where: { claimId_attempt: { claimId, attempt: 1 } } });
    let files: any[] = [];
    for (let i = 0; i < 50 && files.length === 0; i++) {
      files = (
        await (
          await fetch(`${h.simulatorUrl}/admin/x12/files?claimId=${claimId}`, { headers: { authorization: `Bearer ${h.simulatorToken}` } })
        ).json()
      ).files;
      if (files.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(files).toMatchObject([
      { key: `${claimId}:1`, claimIds: [claimId], isa13: String(submission.interchangeControlNumber).padStart(9, '0') },
    ]);
    expect(files[0].group.controlNumber).toBe(String(submission.interchangeControlNumber));
    expect(files[0].sets).toMatchObject([{ controlNumber: submission.transactionControlNumber, accepted: true }]);

    // The acknowledgement is two X12 files: the 999 for the 837, then the claim's 277CA.
    const [ack] = await h.deliver(claimId, 'acknowledgement');
    expect(ack.x12).toHaveLength(2);
    const ack999 = parse999(only(ack.x12![0]));
    expect(ack999).toMatchObject({
      status: 'A',
      group: { controlNumber: String(submission.interchangeControlNumber) },
      sets: [{ controlNumber: submission.transactionControlNumber, status: 'A' }],
    });
    const ack277 = parse277CA(only(ack.x12![1]));
    expect(ack277.claims).toMatchObject([{ patientControlNumber: claimId, outcome: 'accepted' }]);
    await h.waitForState(claimId, 'AWAITING_ADJUDICATION');

    const [remit] = await h.deliver(claimId, 'remittance');
    expect(remit.x12).toHaveLength(1);
    const r835 = parse835(only(remit.x12![0]));
    expect(balance835(r835).balanced).toBe(true);
    expect(r835.claims[0].patientControlNumber).toBe(claimId);
    const done = await h.waitForState(claimId, 'CLOSED');
    expect(done.history.map((t) => t.state)).toContain('PARTIALLY_PAID');

    // claimflow's side: the files were taken through /api/inbound/x12 and recorded.
    expect(await h.db.prisma.inboundMessage.count({ where: { kind: 'x12-999', claimId } })).toBe(1);
    expect(await h.db.prisma.inboundMessage.count({ where: { kind: 'x12-277ca', claimId } })).toBe(1);
    const acks = await h.db.prisma.inboundMessage.findMany({ where: { kind: 'ack', claimId } });
    expect(acks.map((a) => a.externalId)).toEqual([expect.stringMatching(new RegExp(`^277:.*:${claimId}:A2:20$`))]);
    const remittance = await h.db.prisma.remittance.findFirstOrThrow({ where: { claimPayments: { some: { claimId } } } });
    expect(remittance.traceNumber).toBe(r835.trace.number);
    const claim = await h.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId }, include: { submissions: true } });
    expect(claim.submissions[0].status).toBe('ACCEPTED');
    expect(claim.payerClaimControlNo).toBe(ack277.claims[0].payerClaimControlNumber);
    expect(claim.paidCents + claim.adjustedCents + claim.patientRespCents).toBe(claim.totalChargeCents);

    // The same 835 posted again by hand is recognised: nothing posts twice.
    const again = await fetch(`${h.apiUrl}/api/inbound/x12`, {
      method: 'POST',
      headers: { 'content-type': 'application/edi-x12', authorization: `Bearer ${h.inboundToken}` },
      body: remit.x12![0],
    });
    expect(again.status).toBe(202);
    expect((await again.json()).transactions[0]).toMatchObject({ setId: '835', duplicate: true });
    expect(await h.db.prisma.claimPayment.count({ where: { claimId } })).toBe(1);
  });
});
