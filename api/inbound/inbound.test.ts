import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { PATIENT_IDS, PROVIDER_IDS } from '../../app/seed';
import { workflowIdForClaim } from '../../workflows/contract';
import { signalsReceived, startApi, submittedClaim as submittedClaimOf, useApiFixture } from '../testSupport';

const f = useApiFixture();

/** A claim through the API (so its workflow is running), with submission attempt 1 sent. pat-02 is a Blue Peak member. */
const submittedClaim = async (): Promise<string> => (await submittedClaimOf(f)).claimId;

describe('POST /api/inbound/acknowledgements', () => {
  it('records the answer on the submission, signals the workflow, and dedupes a re-delivery by ackId', async () => {
    const claimId = await submittedClaim();
    const ack = { ackId: 'ack-277ca-0001', claimId, attempt: 1, accepted: true, payerClaimControlNo: 'BPK2026110400123' };

    const first = await f.api.request('POST', '/api/inbound/acknowledgements', { body: ack });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: true, duplicate: false });
    const submission = await f.db.prisma.submission.findUniqueOrThrow({ where: { claimId_attempt: { claimId, attempt: 1 } } });
    expect(submission.status).toBe('ACCEPTED');
    expect(submission.respondedAt).not.toBeNull();
    expect((await f.db.prisma.claim.findUniqueOrThrow({ where: { id: claimId } })).payerClaimControlNo).toBe('BPK2026110400123');

    const again = await f.api.request('POST', '/api/inbound/acknowledgements', { body: ack });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ accepted: true, duplicate: true });
    expect(await f.db.prisma.inboundMessage.count({ where: { kind: 'ack', externalId: ack.ackId } })).toBe(1);
    expect(await f.db.prisma.auditEvent.count({ where: { claimId, action: 'claim.acknowledgement' } })).toBe(1);

    // Signalled both times: the workflow dedupes by ackId, and a signal lost after the first commit is re-sent.
    const signals = await signalsReceived(f.env.client, workflowIdForClaim(claimId));
    expect(signals).toEqual([
      { name: 'acknowledgement', input: { ackId: ack.ackId, attempt: 1, accepted: true, payerClaimControlNo: 'BPK2026110400123' } },
      { name: 'acknowledgement', input: { ackId: ack.ackId, attempt: 1, accepted: true, payerClaimControlNo: 'BPK2026110400123' } },
    ]);
  });

  it('records a front-end rejection with its reason', async () => {
    const claimId = await submittedClaim();
    const res = await f.api.request('POST', '/api/inbound/acknowledgements', {
      body: { ackId: 'ack-rej-1', claimId, attempt: 1, accepted: false, rejectionCode: 'A7:164', reason: 'Subscriber id not found' },
    });
    expect(res.status).toBe(202);
    const submission = await f.db.prisma.submission.findUniqueOrThrow({ where: { claimId_attempt: { claimId, attempt: 1 } } });
    expect(submission).toMatchObject({ status: 'REJECTED', rejectReason: 'A7:164 Subscriber id not found' });
  });

  it('answers 422 naming claimId for an unknown claim, and stores nothing', async () => {
    const res = await f.api.request('POST', '/api/inbound/acknowledgements', {
      body: { ackId: 'ack-unknown', claimId: 'CFNOSUCHCLAIM', attempt: 1, accepted: true },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_REFERENCE', field: 'claimId' });
    expect(await f.db.prisma.inboundMessage.count({ where: { externalId: 'ack-unknown' } })).toBe(0);
  });

  it('answers 422 naming attempt when no such submission was sent', async () => {
    const claimId = await submittedClaim();
    const res = await f.api.request('POST', '/api/inbound/acknowledgements', {
      body: { ackId: 'ack-attempt-9', claimId, attempt: 9, accepted: true },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe('attempt');
  });

  it('answers 400 naming the field of a malformed acknowledgement', async () => {
    const res = await f.api.request('POST', '/api/inbound/acknowledgements', {
      body: { ackId: 'x', claimId: 'CF1', attempt: 1, accepted: 'yes' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('accepted');
  });

  it('answers 503 when the signal cannot be sent, keeping the message so a re-delivery signals it', async () => {
    const claimId = await submittedClaim();
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const offline = await startApi({ prisma: f.db.prisma, temporal: unreachable, temporalTimeouts: { callMs: 1_000 } });
    const ack = { ackId: 'ack-while-down', claimId, attempt: 1, accepted: true };
    try {
      const res = await offline.request('POST', '/api/inbound/acknowledgements', { body: ack });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('TEMPORAL_UNAVAILABLE');
    } finally {
      await offline.close();
    }
    expect(await f.db.prisma.inboundMessage.count({ where: { kind: 'ack', externalId: ack.ackId } })).toBe(1);
    expect(await signalsReceived(f.env.client, workflowIdForClaim(claimId))).toEqual([]);

    const redelivered = await f.api.request('POST', '/api/inbound/acknowledgements', { body: ack });
    expect(redelivered.body).toEqual({ accepted: true, duplicate: true });
    expect((await signalsReceived(f.env.client, workflowIdForClaim(claimId))).map((s) => s.name)).toEqual(['acknowledgement']);
  }, 30_000);
});

describe('signalling a claim whose workflow is not running', () => {
  it('starts the workflow of a claim whose first start failed, then delivers the signal', async () => {
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const offline = await startApi({ prisma: f.db.prisma, temporal: unreachable, temporalTimeouts: { callMs: 1_000 } });
    let claimId: string;
    try {
      const res = await offline.request('POST', '/api/claims', {
        body: {
          patientId: PATIENT_IDS[1],
          providerId: PROVIDER_IDS.internalMedicine,
          dateOfService: '2026-10-21',
          placeOfService: '11',
          documentation: 'Cough lingering after a resolved cold.',
          lines: [{ procedureCode: '99212', units: 1, chargeCents: 9_500, diagnosisPointers: [1] }],
          diagnoses: ['R05.9'],
        },
      });
      expect(res.status).toBe(503);
      claimId = res.headers.get('location')!.split('/').pop()!;
    } finally {
      await offline.close();
    }
    await f.db.prisma.submission.create({
      data: {
        claimId,
        attempt: 1,
        frequencyCode: '1',
        idempotencyKey: `${claimId}:1`,
        interchangeControlNumber: 2,
        transactionControlNumber: '0002',
      },
    });
    const ack = await f.api.request('POST', '/api/inbound/acknowledgements', {
      body: { ackId: 'ack-late-start', claimId, attempt: 1, accepted: true },
    });
    expect(ack.status).toBe(202);
    expect((await signalsReceived(f.env.client, workflowIdForClaim(claimId))).map((s) => s.name)).toEqual(['acknowledgement']);
  }, 30_000);

  it('accepts a message for a claim whose lifecycle has ended, and logs that nobody will read it', async () => {
    const claimId = await submittedClaim();
    await f.env.client.workflow.getHandle(workflowIdForClaim(claimId)).terminate('test: lifecycle over');
    const res = await f.api.request('POST', '/api/inbound/acknowledgements', {
      body: { ackId: 'ack-after-close', claimId, attempt: 1, accepted: true },
    });
    expect(res.status).toBe(202);
    expect(f.api.logs.some((l) => l.msg === 'signal not delivered: workflow closed')).toBe(true);
  });
});

describe('POST /api/inbound/remittances', () => {
  /** An 835 paying 99213 at 11,000 (2,500 contractual, 1,000 coinsurance) and 93000 at 5,000 (2,500 contractual). */
  const remittance = (claimIds: string[], traceNumber: string) => ({
    payerElectronicId: 'BPK47',
    traceNumber,
    paymentDate: '2026-11-20',
    paymentMethod: 'ACH',
    paymentCents: 16_000 * claimIds.length,
    claims: claimIds.map((claimId) => ({
      claimId,
      statusCode: '1',
      chargeCents: 22_000,
      paidCents: 16_000,
      patientRespCents: 1_000,
      payerClaimControlNo: `BPK-${claimId}`,
      adjustments: [
        { lineNo: 1, groupCode: 'CO', carc: '45', amountCents: 2_500 },
        { lineNo: 1, groupCode: 'PR', carc: '2', amountCents: 1_000 },
        { lineNo: 2, groupCode: 'CO', carc: '45', amountCents: 2_500 },
      ],
      lines: [
        { lineNo: 1, procedureCode: '99213', chargeCents: 14_500, paidCents: 11_000 },
        { lineNo: 2, procedureCode: '93000', chargeCents: 7_500, paidCents: 5_000 },
      ],
    })),
  });

  it('stores payments for matched claims, lists the unmatched, signals each matched workflow', async () => {
    const [a, b] = [await submittedClaim(), await submittedClaim()];
    const body = remittance([a, b, 'CFUNKNOWN0001'], 'TRN-1001');
    body.paymentCents = 48_000;
    const res = await f.api.request('POST', '/api/inbound/remittances', { body });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: true, duplicate: false, matched: 2, unmatched: ['CFUNKNOWN0001'] });

    const payments = await f.db.prisma.claimPayment.findMany({
      where: { remittanceId: res.body.remittanceId },
      include: { adjustments: true, lines: true },
      orderBy: { claimId: 'asc' },
    });
    expect(payments.map((p) => p.claimId).sort()).toEqual([a, b].sort());
    expect(payments[0]).toMatchObject({ statusCode: '1', chargeCents: 22_000, paidCents: 16_000, patientRespCents: 1_000, postedAt: null });
    expect(payments[0].adjustments).toHaveLength(3);
    expect(payments[0].lines.map((l) => [l.lineNo, l.paidCents])).toEqual([
      [1, 11_000],
      [2, 5_000],
    ]);
    const paymentOfA = payments.find((p) => p.claimId === a)!;
    expect(await signalsReceived(f.env.client, workflowIdForClaim(a))).toEqual([
      {
        name: 'remittance',
        input: {
          claimPaymentId: paymentOfA.id,
          statusCode: '1',
          chargeCents: 22_000,
          paidCents: 16_000,
          patientRespCents: 1_000,
          carcs: ['2', '45'],
        },
      },
    ]);
    expect(await f.db.prisma.inboundMessage.count({ where: { kind: 'remittance' } })).toBe(1);
  });

  it('stores a repeated payer + trace number once, and re-signals only payments not yet posted', async () => {
    const [a, b] = [await submittedClaim(), await submittedClaim()];
    const body = remittance([a, b], 'TRN-2002');
    const first = await f.api.request('POST', '/api/inbound/remittances', { body });
    expect(first.body.duplicate).toBe(false);
    await f.db.prisma.claimPayment.updateMany({ where: { claimId: a }, data: { postedAt: new Date() } });

    const again = await f.api.request('POST', '/api/inbound/remittances', { body });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ duplicate: true, remittanceId: first.body.remittanceId, matched: 2, unmatched: [] });
    expect(await f.db.prisma.remittance.count({ where: { traceNumber: 'TRN-2002' } })).toBe(1);
    expect(await f.db.prisma.claimPayment.count({ where: { remittanceId: first.body.remittanceId } })).toBe(2);
    expect(await f.db.prisma.paymentAdjustment.count({ where: { claimPayment: { remittanceId: first.body.remittanceId } } })).toBe(6);
    expect((await signalsReceived(f.env.client, workflowIdForClaim(a))).length).toBe(1);
    expect((await signalsReceived(f.env.client, workflowIdForClaim(b))).length).toBe(2);
  });

  it('refuses an unbalanced remittance with 422 naming the field, storing nothing', async () => {
    const claimId = await submittedClaim();
    const lineOff = remittance([claimId], 'TRN-BAD-1');
    lineOff.claims[0].lines[1].paidCents = 5_100;
    lineOff.claims[0].paidCents = 16_100;
    lineOff.paymentCents = 16_100;
    const res = await f.api.request('POST', '/api/inbound/remittances', { body: lineOff });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'REMITTANCE_UNBALANCED', field: 'claims[0].lines[1]' });

    const patientShareOff = remittance([claimId], 'TRN-BAD-2');
    patientShareOff.claims[0].patientRespCents = 900;
    const res2 = await f.api.request('POST', '/api/inbound/remittances', { body: patientShareOff });
    expect(res2.body.error.field).toBe('claims[0].patientRespCents');

    const paymentOff = remittance([claimId], 'TRN-BAD-3');
    paymentOff.paymentCents = 15_000;
    expect((await f.api.request('POST', '/api/inbound/remittances', { body: paymentOff })).body.error.field).toBe('paymentCents');

    expect(await f.db.prisma.remittance.count({ where: { traceNumber: { startsWith: 'TRN-BAD' } } })).toBe(0);
  });

  it("stores provider adjustments (PLB) against a balanced check, and a MATCH to another payer's claim is refused", async () => {
    const claimId = await submittedClaim();
    const body = {
      ...remittance(['CFUNKNOWN0077'], 'TRN-PLB-1'),
      payerElectronicId: 'DMC01',
      paymentCents: 16_000 - 1_200 + 300,
      providerAdjustments: [
        { providerId: '1234567893', fiscalPeriodDate: '2026-12-31', reasonCode: 'WO', referenceId: 'OVP-1', amountCents: 1_200 },
        { reasonCode: 'L6', amountCents: -300 },
      ],
    };
    const res = await f.api.request('POST', '/api/inbound/remittances', { body });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ matched: 0, unmatched: ['CFUNKNOWN0077'], exceptionTaskIds: [expect.any(String)] });
    const stored = await f.db.prisma.remittance.findUniqueOrThrow({
      where: { id: res.body.remittanceId },
      include: { providerAdjustments: true },
    });
    expect(stored.paymentCents).toBe(15_100);
    expect(stored.providerAdjustments.map((a) => [a.reasonCode, a.amountCents]).sort()).toEqual([
      ['L6', -300],
      ['WO', 1_200],
    ]);

    // the claim is billed to Blue Peak, the remittance came from another payer
    const taskId = res.body.exceptionTaskIds[0];
    const refused = await f.api.request('POST', `/api/tasks/${taskId}/complete`, {
      user: 'biller-2',
      body: { outcome: { action: 'MATCH', claimId } },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'PAYER_MISMATCH', field: 'outcome.claimId' });
    const resolved = await f.api.request('POST', `/api/tasks/${taskId}/complete`, {
      user: 'biller-2',
      body: { outcome: { action: 'RESOLVED_NO_ACTION', note: 'another practice; refund requested' } },
    });
    expect(resolved.status).toBe(200);
    expect(await f.db.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ status: 'DONE', doneById: 'biller-2' });
    expect(await f.db.prisma.claimPayment.count({ where: { claimId } })).toBe(0);
  });

  it('refuses a remittance from an unknown payer, and non-integer money', async () => {
    const claimId = await submittedClaim();
    const unknownPayer = { ...remittance([claimId], 'TRN-3003'), payerElectronicId: 'ZZZ99' };
    const res = await f.api.request('POST', '/api/inbound/remittances', { body: unknownPayer });
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe('payerElectronicId');

    const fractional = remittance([claimId], 'TRN-3004');
    (fractional.claims[0].adjustments[0] as { amountCents: number }).amountCents = 2_500.5;
    const res2 = await f.api.request('POST', '/api/inbound/remittances', { body: fractional });
    expect(res2.status).toBe(400);
    expect(res2.body.error.field).toBe('claims[0].adjustments[0].amountCents');
  });
});

describe('POST /api/inbound/appeal-decisions', () => {
  it('records the decision on the appeal, signals the workflow, and dedupes by decisionId', async () => {
    const claimId = await submittedClaim();
    await f.db.prisma.appeal.create({
      data: {
        claimId,
        level: 1,
        idempotencyKey: `${claimId}:appeal:1`,
        deadline: new Date('2027-01-15T00:00:00Z'),
        packet: 'appeal letter',
      },
    });
    const decision = { decisionId: 'dec-1', claimId, level: 1, decision: 'OVERTURNED' };
    const first = await f.api.request('POST', '/api/inbound/appeal-decisions', { body: decision });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: true, duplicate: false });
    const appeal = await f.db.prisma.appeal.findUniqueOrThrow({ where: { claimId_level: { claimId, level: 1 } } });
    expect(appeal.status).toBe('OVERTURNED');
    expect(appeal.decidedAt).not.toBeNull();

    const again = await f.api.request('POST', '/api/inbound/appeal-decisions', { body: decision });
    expect(again.body).toEqual({ accepted: true, duplicate: true });
    expect(await f.db.prisma.inboundMessage.count({ where: { kind: 'appeal-decision' } })).toBe(1);
    const signals = await signalsReceived(f.env.client, workflowIdForClaim(claimId));
    expect(signals.map((s) => s.name)).toEqual(['appealDecision', 'appealDecision']);
    expect(signals[0].input).toEqual({ decisionId: 'dec-1', level: 1, decision: 'OVERTURNED' });
  });

  it('answers 422 naming level when the claim has no appeal at that level', async () => {
    const claimId = await submittedClaim();
    const res = await f.api.request('POST', '/api/inbound/appeal-decisions', {
      body: { decisionId: 'dec-2', claimId, level: 2, decision: 'UPHELD' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe('level');
  });
});
