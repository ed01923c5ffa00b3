import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  AcknowledgementMessage,
  AppealDecisionMessage,
  RemittanceClaim,
  RemittanceMessage,
  StatusAnswer,
} from '../domain/clearinghouse';
import { SimulatorConfigError } from './errors';
import { allowedCents } from './feeSchedule';
import { intBetween, mulberry32, pickOne } from './random';
import {
  DEFAULT_SCENARIO_WEIGHTS,
  patientRespPlan,
  pickScenario,
  remittanceClaim,
  reversalOf,
  type Scenario,
  SCENARIOS,
} from './scenarios';
import { createSimulator } from './server';
import { loadSimulatorConfig } from './config';
import {
  claimSubmission,
  eventually,
  quiet,
  type Receiver,
  SIM_TOKEN,
  simAuth,
  startReceiver,
  startSimulator,
  type StartedSimulator,
} from './testSupport';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function simulatorWithReceiver(opts: Parameters<typeof startSimulator>[0] = {}) {
  const receiver = await startReceiver();
  const sim = await startSimulator({ inboundUrl: receiver.url, ...opts });
  cleanup.push(
    () => receiver.close(),
    () => sim.running.close(),
  );
  return { sim, receiver };
}

async function force(sim: StartedSimulator, claimId: string, scenario: Scenario) {
  const res = await sim.post('/admin/scenarios', { claimId, scenario });
  expect(res.status).toBe(200);
}

async function deliver(sim: StartedSimulator, body: Record<string, unknown> = {}) {
  const res = await sim.post<{ delivered: Array<{ kind: string; outcome: string; body: any }> }>('/admin/deliver', body);
  expect(res.status).toBe(200);
  return res.body.delivered;
}

async function status(sim: StartedSimulator, claimId: string, n: number): Promise<StatusAnswer> {
  const res = await sim.post<StatusAnswer>('/status', {
    claimId,
    payerElectronicId: 'SIMPAYER1',
    idempotencyKey: `${claimId}:status:${n}`,
  });
  expect(res.status).toBe(200);
  return res.body;
}

const bodiesOf = (receiver: Receiver, kind: string) =>
  receiver.received.filter((m) => m.path === `/api/inbound/${kind}`).map((m) => m.body);

/** The 835 rules claimflow's posting relies on. */
function expectBalanced(message: RemittanceMessage) {
  const plb = (message.providerAdjustments ?? []).reduce((s, a) => s + a.amountCents, 0);
  expect(message.paymentCents).toBe(message.claims.reduce((s, c) => s + c.paidCents, 0) - plb);
  expect(message.paymentMethod).toBe(message.paymentCents > 0 ? 'ACH' : 'NON');
  expect(message.paymentDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  // A reversal (22) is a payment negated whole: negated back, it balances as one.
  for (const claim of message.claims) expectClaimBalanced(claim.statusCode === '22' ? reversalOf(claim) : claim);
}

function expectClaimBalanced(claim: RemittanceClaim) {
  for (const line of claim.lines) {
    const adjustments = claim.adjustments.filter((a) => a.lineNo === line.lineNo);
    expect(line.chargeCents).toBe(line.paidCents + adjustments.reduce((s, a) => s + a.amountCents, 0));
    expect(line.paidCents).toBeGreaterThanOrEqual(0);
  }
  for (const adj of claim.adjustments) {
    expect(claim.lines.some((l) => l.lineNo === adj.lineNo)).toBe(true);
    expect(Number.isInteger(adj.amountCents) && adj.amountCents > 0).toBe(true);
  }
  expect(claim.chargeCents).toBe(claim.lines.reduce((s, l) => s + l.chargeCents, 0));
  expect(claim.paidCents).toBe(claim.lines.reduce((s, l) => s + l.paidCents, 0));
  expect(claim.patientRespCents).toBe(claim.adjustments.filter((a) => a.groupCode === 'PR').reduce((s, a) => s + a.amountCents, 0));
  if (claim.statusCode === '4') {
    expect(claim.paidCents).toBe(0);
    expect(claim.adjustments.every((a) => a.groupCode === 'CO')).toBe(true);
  }
}

describe('claim submission', () => {
  it('answers a repeated idempotency key with the first receipt, records one claim and schedules one acknowledgement', async () => {
    const { sim } = await simulatorWithReceiver();
    const claim = claimSubmission('CLM-IDEM-1');
    const first = await sim.post('/claims', claim);
    const second = await sim.post('/claims', claim);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ clearinghouseRef: expect.any(String), duplicate: false });
    expect(second.body).toEqual({ clearinghouseRef: first.body.clearinghouseRef, duplicate: true });

    const stats = (await sim.get('/admin/stats')).body;
    expect(stats).toMatchObject({ submissionsReceived: 2, distinctIdempotencyKeys: 1, duplicates: 1 });
    expect(stats.submissionsPerKey).toEqual({ 'CLM-IDEM-1:1': 2 });
    const outbox = (await sim.get('/admin/outbox?claimId=CLM-IDEM-1')).body.messages;
    expect(outbox.filter((m: { kind: string }) => m.kind === 'acknowledgement')).toHaveLength(1);
  });

  it.each([
    ['idempotencyKey', (c: any) => delete c.idempotencyKey],
    ['frequencyCode', (c: any) => (c.frequencyCode = '2')],
    ['billingProviderNpi', (c: any) => (c.billingProviderNpi = '12345')],
    ['dateOfService', (c: any) => (c.dateOfService = '2026-02-30')],
    ['totalChargeCents', (c: any) => (c.totalChargeCents += 1)],
    ['lines.1.chargeCents', (c: any) => (c.lines[1].chargeCents = -5)],
    ['lines.0.diagnosisPointers.1', (c: any) => (c.lines[0].diagnosisPointers = [1, 9])],
    ['lines.2.lineNo', (c: any) => (c.lines[2].lineNo = 1)],
  ])('refuses a submission with an invalid %s, naming the field and recording nothing', async (field, spoil) => {
    const { sim } = await simulatorWithReceiver();
    const claim: any = claimSubmission('CLM-BAD-1');
    spoil(claim);
    const res = await sim.post('/claims', claim);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect((await sim.get('/admin/stats')).body.submissionsReceived).toBe(0);
  });

  it('answers malformed JSON with a JSON error', async () => {
    const { sim } = await simulatorWithReceiver();
    const res = await fetch(`${sim.url}/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...simAuth },
      body: '{"claimId":',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('INVALID_JSON');
  });
});

describe('who may talk to the simulator', () => {
  it('answers /health to anyone and everything else (claims, status, appeals, /admin) only to its token', async () => {
    const { sim } = await simulatorWithReceiver();
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    const routes: [string, string, unknown][] = [
      ['POST', '/claims', claimSubmission('CLM-DOOR-1')],
      ['POST', '/status', { claimId: 'CLM-DOOR-1', idempotencyKey: 'CLM-DOOR-1:status:1' }],
      ['POST', '/appeals', {}],
      ['GET', '/admin/stats', undefined],
      ['POST', '/admin/scenarios', { claimId: 'CLM-DOOR-1', scenario: 'PAY_IN_FULL' }],
      ['POST', '/admin/deliver', {}],
      ['GET', '/admin/outbox', undefined],
      ['GET', '/admin/x12/files', undefined],
      ['GET', '/admin/claims/CLM-DOOR-1', undefined],
      ['POST', '/admin/faults', { failNextRequests: 5 }],
    ];
    for (const [method, path, body] of routes) {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${SIM_TOKEN}`]) {
        const res = await fetch(`${sim.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        expect(res.status, `${method} ${path} with ${authorization ?? 'no token'}`).toBe(401);
        expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
      }
    }
    // none of it reached the payer: no claim, no forced scenario, no injected fault
    const stats = (await sim.get('/admin/stats')).body;
    expect(stats).toMatchObject({ submissionsReceived: 0, faultedRequests: 0 });
    expect((await sim.get('/admin/claims/CLM-DOOR-1')).status).toBe(404);
    expect((await sim.post('/claims', claimSubmission('CLM-DOOR-1'))).status).toBe(200);
  });

  it('the simulator process will not start without a token, nor deliver to claimflow without a sender token', () => {
    expect(() => loadSimulatorConfig({})).toThrow(/SIMULATOR_TOKEN must be set/);
    expect(() => loadSimulatorConfig({ SIMULATOR_TOKEN: 'short' })).toThrow(/SIMULATOR_TOKEN/);
    expect(() => loadSimulatorConfig({ SIMULATOR_TOKEN: SIM_TOKEN, CLAIMFLOW_INBOUND_URL: 'http://127.0.0.1:3000' })).toThrow(
      /CLAIMFLOW_INBOUND_TOKEN must be set/,
    );
    expect(
      loadSimulatorConfig({ SIMULATOR_TOKEN: SIM_TOKEN, CLAIMFLOW_INBOUND_URL: 'http://127.0.0.1:3000', CLAIMFLOW_INBOUND_TOKEN: 'cf_x' }),
    ).toMatchObject({ token: SIM_TOKEN, inboundToken: 'cf_x' });
    expect(() => createSimulator({ token: '' })).toThrow(SimulatorConfigError);
  });
});

describe('manual delivery', () => {
  it('sends nothing until /admin/deliver, then posts the acknowledgement and the remittance in order, once', async () => {
    const { sim, receiver } = await simulatorWithReceiver();
    await force(sim, 'CLM-PAY-1', 'PAY_IN_FULL');
    await sim.post('/claims', claimSubmission('CLM-PAY-1'));
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);

    const delivered = await deliver(sim, { claimId: 'CLM-PAY-1' });
    expect(delivered.map((d) => [d.kind, d.outcome])).toEqual([
      ['acknowledgement', 'delivered'],
      ['remittance', 'delivered'],
    ]);
    expect(receiver.received.map((m) => m.path)).toEqual(['/api/inbound/acknowledgements', '/api/inbound/remittances']);

    const ack = receiver.received[0].body as AcknowledgementMessage;
    expect(ack).toEqual({
      ackId: expect.stringMatching(/^ACK/),
      claimId: 'CLM-PAY-1',
      attempt: 1,
      accepted: true,
      payerClaimControlNo: expect.stringMatching(/^\d{14}$/),
    });
    expect(receiver.received[0].idempotencyKey).toBe(ack.ackId);

    const remit = receiver.received[1].body as RemittanceMessage;
    expectBalanced(remit);
    expect(remit).toMatchObject({ payerElectronicId: 'SIMPAYER1', traceNumber: expect.stringMatching(/^\d{15}$/), paymentMethod: 'ACH' });
    const [claim] = remit.claims;
    expect(claim).toMatchObject({ claimId: 'CLM-PAY-1', statusCode: '1', chargeCents: 25_200, patientRespCents: 0 });
    expect(claim.payerClaimControlNo).toBe(ack.payerClaimControlNo);
    // 99214 and 36415 are on the fee schedule; 85025 is too. Paid = allowed, CO-45 takes the rest.
    expect(claim.lines.map((l) => l.paidCents)).toEqual([13_000, 300, 780]);
    expect(claim.adjustments).toEqual([
      { lineNo: 1, groupCode: 'CO', carc: '45', amountCents: 5_500 },
      { lineNo: 2, groupCode: 'CO', carc: '45', amountCents: 2_200 },
      { lineNo: 3, groupCode: 'CO', carc: '45', amountCents: 3_420 },
    ]);

    expect(await deliver(sim)).toEqual([]);
    expect((await sim.get('/admin/stats')).body.deliveries).toEqual({ made: 2, failedAttempts: 0, dropped: 0, pending: 0 });
  });

  it('delivers one kind at a time without letting a later message overtake an earlier one of the same claim', async () => {
    const { sim, receiver } = await simulatorWithReceiver();
    await force(sim, 'CLM-KIND-1', 'PAY_IN_FULL');
    await sim.post('/claims', claimSubmission('CLM-KIND-1'));
    expect(await deliver(sim, { kind: 'remittance' })).toEqual([]);
    expect((await deliver(sim, { kind: 'acknowledgement' })).map((d) => d.kind)).toEqual(['acknowledgement']);
    expect((await deliver(sim, { kind: 'remittance' })).map((d) => d.kind)).toEqual(['remittance']);
    expect(receiver.received).toHaveLength(2);
  });

  it('keeps a message queued when claimflow answers 5xx and drops it on 4xx', async () => {
    const { sim, receiver } = await simulatorWithReceiver();
    await force(sim, 'CLM-RETRY-1', 'PAY_IN_FULL');
    await sim.post('/claims', claimSubmission('CLM-RETRY-1'));
    receiver.answerNext(503);
    const first = await deliver(sim);
    // The failed acknowledgement holds back the claim's remittance.
    expect(first.map((d) => [d.kind, d.outcome])).toEqual([['acknowledgement', 'failed']]);
    receiver.answerNext(200, 422);
    const second = await deliver(sim);
    expect(second.map((d) => [d.kind, d.outcome])).toEqual([
      ['acknowledgement', 'delivered'],
      ['remittance', 'dropped'],
    ]);
    expect((await sim.get('/admin/stats')).body.deliveries).toEqual({ made: 1, failedAttempts: 1, dropped: 1, pending: 0 });
  });
});

describe('scheduled delivery', () => {
  it('sends messages when due and retries with backoff while claimflow fails', async () => {
    const receiver = await startReceiver();
    const sim = await startSimulator({ inboundUrl: receiver.url, delivery: 'scheduled', dayMs: 40, retryBaseMs: 10, retryCapMs: 40 });
    cleanup.push(
      () => receiver.close(),
      () => sim.running.close(),
    );
    await force(sim, 'CLM-SCHED-1', 'PARTIAL_PATIENT_RESP');
    receiver.answerNext(500, 502);
    await sim.post('/claims', claimSubmission('CLM-SCHED-1'));
    await eventually(() => bodiesOf(receiver, 'remittances').length === 1);
    expect(receiver.received.map((m) => m.path)).toEqual(['/api/inbound/acknowledgements', '/api/inbound/remittances']);
    const remit = bodiesOf(receiver, 'remittances')[0] as RemittanceMessage;
    expectBalanced(remit);
    expect(remit.claims[0].patientRespCents).toBeGreaterThan(0);
    expect((await sim.get('/admin/stats')).body.deliveries).toEqual({ made: 2, failedAttempts: 2, dropped: 0, pending: 0 });
  });
});

describe('scenarios', () => {
  it('FRONT_END_REJECT: the first attempt is rejected with a 277CA code, the corrected attempt is accepted and paid', async () => {
    const { sim, receiver } = await simulatorWithReceiver();
    await force(sim, 'CLM-REJ-1', 'FRONT_END_REJECT');
    await sim.post('/claims', claimSubmission('CLM-REJ-1', 1));
    expect((await status(sim, 'CLM-REJ-1', 1)).statusCode).toBe('A1');
    const first = await deliver(sim);
    expect(first.map((d) => d.kind)).toEqual(['acknowledgement']);
    expect(first[0].body).toMatchObject({ accepted: false, rejectionCode: 'A7', reason: expect.any(String) });
    expect(first[0].body.payerClaimControlNo).toBeUndefined();
    expect(await status(sim, 'CLM-REJ-1', 2)).toMatchObject({ category: 'REJECTED', statusCode: 'A7' });

    await sim.post('/claims', claimSubmission('CLM-REJ-1', 2));
    const second = await deliver(sim);
    expect(second.map((d) => d.kind)).toEqual(['acknowledgement', 'remittance']);
    expect(second[0].body).toMatchObject({ attempt: 2, accepted: true });
    expect(second[1].body.claims[0]).toMatchObject({ statusCode: '1', payerClaimControlNo: second[0].body.payerClaimControlNo });
    expect(await status(sim, 'CLM-REJ-1', 3)).toMatchObject({ category: 'FINALIZED', statusCode: 'F1' });
    expect(receiver.received).toHaveLength(3);
  });

  it('SILENT_THEN_PAY: answers P1 and pays only after two distinct status inquiries', async () => {
    const { sim } = await simulatorWithReceiver();
    await force(sim, 'CLM-SILENT-1', 'SILENT_THEN_PAY');
    await sim.post('/claims', claimSubmission('CLM-SILENT-1'));
    expect((await deliver(sim)).map((d) => d.kind)).toEqual(['acknowledgement']);

    expect(await status(sim, 'CLM-SILENT-1', 1)).toMatchObject({ category: 'PENDING', statusCode: 'P1' });
    // The same inquiry repeated is answered once and does not count as follow-up.
    expect(await status(sim, 'CLM-SILENT-1', 1)).toMatchObject({ statusCode: 'P1' });
    expect((await sim.get('/admin/outbox')).body.messages).toHaveLength(0);

    expect(await status(sim, 'CLM-SILENT-1', 2)).toMatchObject({ category: 'PENDING', statusCode: 'P1' });
    const paid = await deliver(sim);
    expect(paid.map((d) => d.kind)).toEqual(['remittance']);
    expectBalanced(paid[0].body);
    expect(paid[0].body.claims[0].statusCode).toBe('1');
    // paid late: with prompt-pay interest (PLB L6, negative: it adds to the payment)
    const claim = paid[0].body.claims[0];
    expect(paid[0].body.providerAdjustments).toEqual([
      {
        providerId: '1234567893',
        fiscalPeriodDate: `${paid[0].body.paymentDate.slice(0, 4)}-12-31`,
        reasonCode: 'L6',
        referenceId: claim.payerClaimControlNo,
        amountCents: -Math.ceil(claim.paidCents / 100),
      },
    ]);
    expect(paid[0].body.paymentCents).toBe(claim.paidCents + Math.ceil(claim.paidCents / 100));
    expect(await status(sim, 'CLM-SILENT-1', 3)).toMatchObject({ category: 'FINALIZED', statusCode: 'F1' });
    expect((await sim.get('/admin/stats')).body).toMatchObject({ statusInquiries: 4, duplicateStatusInquiries: 1 });
  });

  it('PAID_THEN_CORRECTED: pays with a deductible taken in error, then reverses that payment (22) and pays it again right', async () => {
    const { sim } = await simulatorWithReceiver();
    await force(sim, 'CLM-CORR-1', 'PAID_THEN_CORRECTED');
    await sim.post('/claims', claimSubmission('CLM-CORR-1'));
    const delivered = await deliver(sim);
    expect(delivered.map((d) => d.kind)).toEqual(['acknowledgement', 'remittance', 'remittance']);
    const [first, correction] = [delivered[1].body as RemittanceMessage, delivered[2].body as RemittanceMessage];
    expectBalanced(first);
    expectBalanced(correction);
    expect(first.claims.map((c) => c.statusCode)).toEqual(['1']);
    expect(first.claims[0].patientRespCents).toBeGreaterThan(0);
    expect(correction.claims.map((c) => c.statusCode)).toEqual(['22', '1']);
    expect(correction.claims[0]).toEqual(reversalOf(first.claims[0]));
    expect(correction.claims[1].patientRespCents).toBe(0);
    // the correction moves only the difference
    expect(correction.paymentCents).toBe(correction.claims[1].paidCents - first.claims[0].paidCents);
    expect(correction.paymentCents).toBeGreaterThan(0);
    expect(await status(sim, 'CLM-CORR-1', 1)).toMatchObject({ category: 'FINALIZED', statusCode: 'F1' });
  });

  it('SILENT_FOREVER: accepted and never adjudicated', async () => {
    const { sim } = await simulatorWithReceiver();
    await force(sim, 'CLM-SILENT-2', 'SILENT_FOREVER');
    await sim.post('/claims', claimSubmission('CLM-SILENT-2'));
    expect((await deliver(sim)).map((d) => d.kind)).toEqual(['acknowledgement']);
    for (let n = 1; n <= 4; n++) expect((await status(sim, 'CLM-SILENT-2', n)).statusCode).toBe('P1');
    expect(await deliver(sim)).toEqual([]);
  });

  it('CODING_DENIAL: the original is denied for a coding reason and a frequency-7 replacement is paid', async () => {
    const { sim } = await simulatorWithReceiver();
    await force(sim, 'CLM-CODE-1', 'CODING_DENIAL');
    await sim.post('/claims', claimSubmission('CLM-CODE-1', 1));
    const [ack, denial] = await deliver(sim);
    const denied = denial.body.claims[0] as RemittanceClaim;
    expectBalanced(denial.body);
    expect(denied).toMatchObject({ statusCode: '4', paidCents: 0, patientRespCents: 0 });
    expect(['11', '97']).toContain(denied.adjustments[0].carc);
    expect(await status(sim, 'CLM-CODE-1', 1)).toMatchObject({ category: 'FINALIZED', statusCode: 'F2' });

    await sim.post(
      '/claims',
      claimSubmission('CLM-CODE-1', 2, { frequencyCode: '7', originalPayerClaimControlNo: ack.body.payerClaimControlNo }),
    );
    const [, payment] = await deliver(sim);
    expectBalanced(payment.body);
    expect(payment.body.claims[0]).toMatchObject({ statusCode: '1', paidCents: 14_080 });
  });

  it('DENY_APPEAL_OVERTURNED: denied CO-50, the level-1 appeal is overturned and a payment follows', async () => {
    const { sim, receiver } = await simulatorWithReceiver();
    await force(sim, 'CLM-APL-1', 'DENY_APPEAL_OVERTURNED');
    await sim.post('/claims', claimSubmission('CLM-APL-1'));
    const [ack, denial] = await deliver(sim);
    expect(denial.body.claims[0]).toMatchObject({ statusCode: '4' });
    expect(denial.body.claims[0].adjustments.every((a: any) => a.groupCode === 'CO' && a.carc === '50')).toBe(true);
    expect(denial.body.paymentMethod).toBe('NON');

    const filing = {
      idempotencyKey: 'CLM-APL-1:appeal:1',
      claimId: 'CLM-APL-1',
      level: 1,
      payerElectronicId: 'SIMPAYER1',
      payerClaimControlNo: ack.body.payerClaimControlNo,
      packet: 'Letter of medical necessity and supporting notes.',
    };
    const receipt = await sim.post('/appeals', filing);
    expect(receipt.body).toEqual({ appealRef: expect.stringMatching(/^APL/), duplicate: false });
    expect((await sim.post('/appeals', filing)).body).toEqual({ appealRef: receipt.body.appealRef, duplicate: true });

    const after = await deliver(sim);
    expect(after.map((d) => d.kind)).toEqual(['appeal-decision', 'remittance']);
    expect(after[0].body as AppealDecisionMessage).toEqual({
      decisionId: expect.stringMatching(/^APD/),
      claimId: 'CLM-APL-1',
      level: 1,
      decision: 'OVERTURNED',
    });
    expectBalanced(after[1].body);
    expect(after[1].body.claims[0]).toMatchObject({ statusCode: '1', paidCents: 14_080 });
    expect(after[1].body.traceNumber).not.toBe(denial.body.traceNumber);
    expect(bodiesOf(receiver, 'appeal-decisions')).toHaveLength(1);
  });

  it('DENY_APPEAL_UPHELD: every appeal level is upheld and nothing is paid', async () => {
    const { sim } = await simulatorWithReceiver();
    await force(sim, 'CLM-APL-2', 'DENY_APPEAL_UPHELD');
    await sim.post('/claims', claimSubmission('CLM-APL-2'));
    await deliver(sim);
    for (const level of [1, 2, 3]) {
      await sim.post('/appeals', {
        idempotencyKey: `CLM-APL-2:appeal:${level}`,
        claimId: 'CLM-APL-2',
        level,
        payerElectronicId: 'SIMPAYER1',
        packet: 'appeal packet',
      });
      const decided = await deliver(sim);
      expect(decided.map((d) => [d.kind, d.body.level, d.body.decision])).toEqual([['appeal-decision', level, 'UPHELD']]);
    }
  });

  it('a resubmission replaces an unfinished adjudication, so the claim is paid once', async () => {
    const { sim } = await simulatorWithReceiver();
    await force(sim, 'CLM-RESUB-1', 'PAY_IN_FULL');
    await sim.post('/claims', claimSubmission('CLM-RESUB-1', 1));
    await sim.post('/claims', claimSubmission('CLM-RESUB-1', 2));
    const delivered = await deliver(sim);
    expect(delivered.map((d) => [d.kind, d.body.attempt ?? 'remit'])).toEqual([
      ['acknowledgement', 1],
      ['acknowledgement', 2],
      ['remittance', 'remit'],
    ]);
  });

  it('a second original of a claim already paid is denied as a duplicate (CO-18), and a void is finalized', async () => {
    const { sim } = await simulatorWithReceiver();
    await force(sim, 'CLM-DUP-1', 'PAY_IN_FULL');
    await sim.post('/claims', claimSubmission('CLM-DUP-1', 1));
    await deliver(sim);
    await sim.post('/claims', claimSubmission('CLM-DUP-1', 2));
    const [, duplicate] = await deliver(sim);
    expect(duplicate.body.claims[0]).toMatchObject({ statusCode: '4' });
    expect(duplicate.body.claims[0].adjustments[0]).toMatchObject({ groupCode: 'CO', carc: '18' });

    await sim.post('/claims', claimSubmission('CLM-DUP-1', 3, { frequencyCode: '8' }));
    expect((await deliver(sim)).map((d) => d.kind)).toEqual(['acknowledgement']);
    expect(await status(sim, 'CLM-DUP-1', 1)).toMatchObject({ category: 'FINALIZED', statusCode: 'F0' });
  });

  it('answers NOT_FOUND for a claim the payer never received, or asked of the wrong payer', async () => {
    const { sim } = await simulatorWithReceiver();
    expect(await status(sim, 'CLM-NOPE', 1)).toMatchObject({ category: 'NOT_FOUND', statusCode: 'A4' });
    await sim.post('/claims', claimSubmission('CLM-WRONG-PAYER'));
    const res = await sim.post<StatusAnswer>('/status', { claimId: 'CLM-WRONG-PAYER', payerElectronicId: 'OTHER', idempotencyKey: 'k1' });
    expect(res.body.category).toBe('NOT_FOUND');
  });
});

describe('remittance arithmetic', () => {
  it('balances for every outcome over thousands of generated claims', () => {
    const rng = mulberry32(20261125);
    const codes = ['99213', '99214', '99203', '36415', '85025', '80053', '93000', '71046', '99999', 'J3490', '97110'];
    for (let i = 0; i < 3_000; i++) {
      const seed = intBetween(rng, 1, 1_000);
      const claimId = `GEN-${i}`;
      const lines = Array.from({ length: intBetween(rng, 1, 6) }, (_, n) => ({
        lineNo: n + 1,
        procedureCode: pickOne(rng, codes),
        units: intBetween(rng, 1, 3),
        chargeCents: intBetween(rng, 0, 60_000),
      }));
      const outcomes = [
        { kind: 'PAY' as const },
        { kind: 'PAY' as const, plan: patientRespPlan(seed, claimId, 1) },
        { kind: 'DENY' as const, carc: '50', rarc: 'N115' },
      ];
      for (const outcome of outcomes) {
        const claim = remittanceClaim({ claimId, payerClaimControlNo: '1', lines, outcome });
        expectClaimBalanced(claim);
        for (const line of claim.lines) {
          expect(line.paidCents).toBeLessThanOrEqual(allowedCents(lines.find((l) => l.lineNo === line.lineNo)!));
        }
        if (outcome.kind === 'PAY' && 'plan' in outcome && claim.lines.some((l) => allowedCents(l as any) > 0)) {
          expect(claim.patientRespCents).toBeGreaterThan(0);
        }
      }
    }
  });

  it('balances in every remittance the simulator sends, for every scenario and several seeds', async () => {
    for (const seed of [1, 42, 977]) {
      const { sim, receiver } = await simulatorWithReceiver({ seed });
      const ids = Array.from({ length: 48 }, (_, i) => `S${seed}-C${i}`);
      // Half the claims play forced scenarios round-robin, half play the seeded mix.
      for (const [i, id] of ids.entries()) if (i % 2 === 0) await force(sim, id, SCENARIOS[(i / 2) % SCENARIOS.length]);
      for (const id of ids) await sim.post('/claims', claimSubmission(id, 1));
      await deliver(sim);
      for (const id of ids) {
        await status(sim, id, 1);
        await status(sim, id, 2);
      }
      await deliver(sim);
      for (const id of ids) await sim.post('/claims', claimSubmission(id, 2, { frequencyCode: '7' }));
      await deliver(sim);
      for (const id of ids) {
        await sim.post('/appeals', {
          idempotencyKey: `${id}:appeal:1`,
          claimId: id,
          level: 1,
          payerElectronicId: 'SIMPAYER1',
          packet: 'p',
        });
      }
      await deliver(sim);

      const remittances = bodiesOf(receiver, 'remittances') as RemittanceMessage[];
      expect(remittances.length).toBeGreaterThan(ids.length);
      for (const remit of remittances) expectBalanced(remit);
      const traces = remittances.map((r) => r.traceNumber);
      expect(new Set(traces).size).toBe(traces.length);
      const statuses = new Set(remittances.map((r) => r.claims[0].statusCode));
      // 22: PAID_THEN_CORRECTED's later 835 opens with the reversal of the first payment
      expect(statuses).toEqual(new Set(['1', '4', '22']));
      expect(remittances.some((r) => r.claims[0].patientRespCents > 0)).toBe(true);
    }
  });
});

describe('determinism', () => {
  it('the same seed gives the same scenarios, ids, amounts and delays; another seed does not', async () => {
    const clock = () => Date.UTC(2026, 9, 1, 12);
    const run = async (seed: number) => {
      const sim = await startSimulator({ seed, now: clock });
      cleanup.push(() => sim.running.close());
      for (let i = 0; i < 40; i++) await sim.post('/claims', claimSubmission(`DET-${i}`));
      for (let i = 0; i < 40; i++) await status(sim, `DET-${i}`, 1);
      return (await sim.get('/admin/outbox')).body.messages;
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(40);
    expect(c).not.toEqual(a);
  });

  it('picks scenarios with the documented weights and never SILENT_FOREVER unless forced', () => {
    const counts = Object.fromEntries(SCENARIOS.map((s) => [s, 0])) as Record<Scenario, number>;
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[pickScenario(42, `W-${i}`)] += 1;
    for (const scenario of SCENARIOS) {
      expect(Math.abs((counts[scenario] / n) * 100 - DEFAULT_SCENARIO_WEIGHTS[scenario])).toBeLessThan(1.5);
    }
    expect(counts.SILENT_FOREVER).toBe(0);
  });

  it('keeps acknowledgement and adjudication delays within their ranges of days', async () => {
    const dayMs = 1_000_000;
    const start = Date.UTC(2026, 9, 1);
    const sim = await startSimulator({
      dayMs,
      now: () => start,
      scenarioWeights: {
        ...DEFAULT_SCENARIO_WEIGHTS,
        PAY_IN_FULL: 100,
        PARTIAL_PATIENT_RESP: 0,
        FRONT_END_REJECT: 0,
        SILENT_THEN_PAY: 0,
        CODING_DENIAL: 0,
        DENY_APPEAL_OVERTURNED: 0,
        DENY_APPEAL_UPHELD: 0,
      },
    });
    cleanup.push(() => sim.running.close());
    for (let i = 0; i < 30; i++) await sim.post('/claims', claimSubmission(`DLY-${i}`));
    const messages = (await sim.get('/admin/outbox')).body.messages as Array<{ kind: string; claimId: string; dueAtMs: number }>;
    for (let i = 0; i < 30; i++) {
      const ack = messages.find((m) => m.claimId === `DLY-${i}` && m.kind === 'acknowledgement')!;
      const remit = messages.find((m) => m.claimId === `DLY-${i}` && m.kind === 'remittance')!;
      const ackDays = (ack.dueAtMs - start) / dayMs;
      const adjudicationDays = (remit.dueAtMs - ack.dueAtMs) / dayMs;
      expect(ackDays).toBeGreaterThanOrEqual(0.1);
      expect(ackDays).toBeLessThanOrEqual(1);
      expect(adjudicationDays).toBeGreaterThanOrEqual(5);
      expect(adjudicationDays).toBeLessThanOrEqual(20);
    }
  });
});

describe('faults knob', () => {
  it('fails the next N requests with the chosen status and records nothing for them', async () => {
    const { sim } = await simulatorWithReceiver();
    expect((await sim.post('/admin/faults', { failNextRequests: 2, status: 503 })).status).toBe(200);
    const claim = claimSubmission('CLM-FAULT-1');
    const first = await sim.post('/claims', claim);
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('INJECTED_FAULT');
    expect((await sim.post('/status', { claimId: 'x', payerElectronicId: 'y', idempotencyKey: 'z' })).status).toBe(503);
    const third = await sim.post('/claims', claim);
    expect(third.status).toBe(200);
    expect(third.body.duplicate).toBe(false);
    expect((await sim.get('/admin/stats')).body).toMatchObject({
      submissionsReceived: 1,
      statusInquiries: 0,
      faultedRequests: 2,
      submissionsPerKey: { 'CLM-FAULT-1:1': 1 },
    });
  });

  it('can hang a failing request first, or slow a request that then succeeds', async () => {
    const { sim } = await simulatorWithReceiver();
    await sim.post('/admin/faults', { failNextRequests: 1, delayMs: 150 });
    let started = Date.now();
    expect((await sim.post('/claims', claimSubmission('CLM-FAULT-2'))).status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    await sim.post('/admin/faults', { slowNextRequests: 1, delayMs: 150 });
    started = Date.now();
    expect((await sim.post('/claims', claimSubmission('CLM-FAULT-2'))).body.duplicate).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('can take a request and then lose the answer: the retry under the same key is a duplicate', async () => {
    const { sim } = await simulatorWithReceiver();
    expect((await sim.post('/admin/faults', { failAfterNextRequests: 1, status: 503 })).body).toMatchObject({ failAfterNextRequests: 1 });
    const claim = claimSubmission('CLM-FAULT-3');
    const lost = await sim.post('/claims', claim);
    expect(lost.status).toBe(503);
    expect(lost.body.error.code).toBe('INJECTED_FAULT');
    const retried = await sim.post('/claims', claim);
    expect(retried.status).toBe(200);
    expect(retried.body.duplicate).toBe(true);
    expect((await sim.get('/admin/stats')).body).toMatchObject({
      submissionsReceived: 2,
      distinctIdempotencyKeys: 1,
      duplicates: 1,
      faultedRequests: 1,
      submissionsPerKey: { 'CLM-FAULT-3:1': 2 },
    });
  });
});

describe('state file', () => {
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'claimflow-sim-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('keeps idempotency keys and queued deliveries across a restart', async () => {
    const stateFile = path.join(tempDir(), 'nested', 'simulator.json');
    const before = await startSimulator({ stateFile });
    await before.post('/admin/scenarios', { claimId: 'CLM-PERSIST-1', scenario: 'PARTIAL_PATIENT_RESP' });
    const receipt = (await before.post('/claims', claimSubmission('CLM-PERSIST-1'))).body;
    const queued = (await before.get('/admin/outbox')).body.messages;
    await before.running.close();

    const { sim: after, receiver } = await simulatorWithReceiver({ stateFile });
    expect((await after.post('/claims', claimSubmission('CLM-PERSIST-1'))).body).toEqual({ ...receipt, duplicate: true });
    expect((await after.get('/admin/outbox')).body.messages).toEqual(queued);
    const delivered = await deliver(after);
    expect(delivered.map((d) => d.kind)).toEqual(['acknowledgement', 'remittance']);
    expect(receiver.received[1].body.claims[0].patientRespCents).toBeGreaterThan(0);
    expect((await after.get('/admin/stats')).body).toMatchObject({ submissionsReceived: 2, duplicates: 1 });
  });

  it('sends at start what fell due while the simulator was down', async () => {
    const stateFile = path.join(tempDir(), 'simulator.json');
    const before = await startSimulator({ stateFile, delivery: 'scheduled', dayMs: 20 });
    await before.post('/admin/scenarios', { claimId: 'CLM-DOWN-1', scenario: 'PAY_IN_FULL' });
    await before.post('/claims', claimSubmission('CLM-DOWN-1'));
    await before.running.close();
    await new Promise((r) => setTimeout(r, 500));

    const { receiver } = await simulatorWithReceiver({ stateFile, delivery: 'scheduled', dayMs: 20 });
    await eventually(() => receiver.received.length === 2, 2_000);
    expect(receiver.received.map((m) => m.path)).toEqual(['/api/inbound/acknowledgements', '/api/inbound/remittances']);
  });

  it('refuses a state file written with another seed', async () => {
    const stateFile = path.join(tempDir(), 'simulator.json');
    const sim = await startSimulator({ stateFile, seed: 1 });
    await sim.post('/claims', claimSubmission('CLM-SEED-1'));
    await sim.running.close();
    expect(() => createSimulator({ token: SIM_TOKEN, stateFile, seed: 2, log: quiet })).toThrow(SimulatorConfigError);
  });
});
