// The simulator over X12: 837P files in (several claims per file, idempotent by Idempotency-Key), and
// 999 + 277CA acknowledgements and 835 remittances out as X12 files to /api/inbound/x12.
import fs from 'node:fs';
import { FIXTURES_DIR } from '../test/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import type { Claim837 } from '../domain/x12/837pModel';
import { generate837P } from '../domain/x12/write837p';
import { readTransactions } from '../domain/x12/reader';
import { parse999 } from '../domain/x12/999';
import { parse277CA } from '../domain/x12/277ca';
import { balance835, parse835 } from '../domain/x12/835';
import type { Scenario } from './scenarios';
import { simAuth, startReceiver, startSimulator, type Receiver, type StartedSimulator } from './testSupport';

const ROOT = `${FIXTURES_DIR}/x12/`;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function x12Simulator(): Promise<{ sim: StartedSimulator; receiver: Receiver }> {
  const receiver = await startReceiver();
  const sim = await startSimulator({ inboundUrl: receiver.url, outboundFormat: 'x12' });
  cleanup.push(
    () => receiver.close(),
    () => sim.running.close(),
  );
  return { sim, receiver };
}

function claim(claimId: string, frequencyCode: '1' | '7' = '1', original?: string): Claim837 {
  const address = { line1: '1 TEST ST', city: 'FAIRHAVEN', state: 'OR', postalCode: '97401' };
  return {
    submitter: { name: { organization: 'CLAIMFLOW' }, id: 'CLAIMFLOW', contact: { name: 'BILLING', phone: '5035550100' } },
    receiver: { name: 'SIM', id: 'CFSIMULATOR' },
    billingProvider: {
      name: { organization: 'RIVERBEND FAMILY MEDICINE' },
      npi: '1457293011',
      taxId: '841234567',
      address: { ...address, postalCode: '974010000' },
    },
    subscriber: {
      memberId: 'M123',
      name: { last: 'TEST', first: 'PAT' },
      birthDate: '1950-01-01',
      sex: 'F',
      address,
      claimFilingIndicator: 'MB',
      payerResponsibility: 'P',
    },
    payer: { name: 'SIM PAYER', id: 'SIMPAYER1' },
    claim: {
      patientControlNumber: claimId,
      totalChargeCents: 20_500,
      placeOfService: '11',
      frequencyCode,
      ...(original ? { originalPayerClaimControlNumber: original } : {}),
      providerSignature: 'Y',
      assignment: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      dateOfService: '2026-10-01',
      diagnoses: ['E11.9', 'I10'],
      lines: [
        { procedureCode: '99214', modifiers: ['25'], chargeCents: 18_000, units: 1, diagnosisPointers: [1, 2] },
        { procedureCode: '36415', modifiers: [], chargeCents: 2_500, units: 1, diagnosisPointers: [1] },
      ],
    },
  };
}

function file837(claims: Claim837[], isa: number): string {
  return generate837P({
    claims,
    control: { interchangeControlNumber: isa, groupControlNumber: isa, transactionControlNumber: String(isa).padStart(4, '0') },
    sender: { qualifier: 'ZZ', id: 'CLAIMFLOW' },
    receiver: { qualifier: 'ZZ', id: 'CFSIMULATOR' },
    now: { date: '2026-10-02', time: '0800' },
    usage: 'T',
  });
}

async function post837(sim: StartedSimulator, text: string, key?: string) {
  const res = await fetch(`${sim.url}/claims`, {
    method: 'POST',
    headers: { 'content-type': 'application/edi-x12', ...simAuth, ...(key ? { 'idempotency-key': key } : {}) },
    body: text,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function force(sim: StartedSimulator, claimId: string, scenario: Scenario) {
  expect((await sim.post('/admin/scenarios', { claimId, scenario })).status).toBe(200);
}

const only = (text: string) => {
  const { transactions, errors } = readTransactions(text);
  expect(errors).toEqual([]);
  expect(transactions).toHaveLength(1);
  return transactions[0];
};

describe('simulator over X12', () => {
  it('takes an 837P, answers 999 + 277CA and an 835 as X12 files at /api/inbound/x12, and dedupes by Idempotency-Key', async () => {
    const { sim, receiver } = await x12Simulator();
    await force(sim, 'CFX12PAID01', 'PARTIAL_PATIENT_RESP');
    const text = file837([claim('CFX12PAID01')], 41);
    const first = await post837(sim, text, 'CFX12PAID01:1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ duplicate: false, claims: [{ claimId: 'CFX12PAID01', duplicate: false }] });
    const again = await post837(sim, file837([claim('CFX12PAID01')], 41), 'CFX12PAID01:1');
    expect(again.body).toMatchObject({ clearinghouseRef: first.body.clearinghouseRef, duplicate: true });
    expect((await sim.get('/admin/stats')).body).toMatchObject({ submissionsReceived: 2, duplicates: 1, distinctIdempotencyKeys: 1 });
    expect((await sim.get('/admin/x12/files?claimId=CFX12PAID01')).body.files).toMatchObject([
      { key: 'CFX12PAID01:1', isa13: '000000041', claimIds: ['CFX12PAID01'] },
    ]);

    const acks = await sim.simulator.deliverNow({ claimId: 'CFX12PAID01', kind: 'acknowledgement' });
    expect(acks).toHaveLength(1);
    expect(acks[0].x12).toHaveLength(2);
    expect(receiver.received.map((m) => m.path)).toEqual(['/api/inbound/x12', '/api/inbound/x12']);
    const ack999 = parse999(only(receiver.received[0].body));
    expect(ack999).toMatchObject({
      status: 'A',
      group: { functionalId: 'HC', controlNumber: '41' },
      sets: [{ controlNumber: '0041', status: 'A' }],
    });
    const t277 = only(receiver.received[1].body);
    const ack277 = parse277CA(t277);
    expect(ack277.reference).toBe('000000041');
    expect(ack277.claims).toMatchObject([
      { patientControlNumber: 'CFX12PAID01', outcome: 'accepted', amount: 20_500, payerClaimControlNumber: expect.any(String) },
    ]);

    const remits = await sim.simulator.deliverNow({ claimId: 'CFX12PAID01', kind: 'remittance' });
    expect(remits).toHaveLength(1);
    const r = parse835(only(receiver.received[2].body));
    expect(balance835(r).balanced).toBe(true);
    const facts = remits[0].body as any;
    expect(r.trace.number).toBe(facts.traceNumber);
    expect(r.payer.references).toEqual([{ qualifier: '2U', value: 'SIMPAYER1' }]);
    expect(r.claims[0]).toMatchObject({
      patientControlNumber: 'CFX12PAID01',
      status: '1',
      paid: facts.claims[0].paidCents,
      patientResponsibility: facts.claims[0].patientRespCents,
    });
    expect(r.claims[0].patientResponsibility).toBeGreaterThan(0);
    expect(r.claims[0].lines.map((l) => l.controlNumber)).toEqual(['1', '2']);
    // a re-delivery of the same message sends the same bytes
    expect(receiver.received.every((m) => typeof m.body === 'string' && m.body.startsWith('ISA*'))).toBe(true);
  });

  it('a front-end rejection is a 277CA A7 with the reason; a denial is an 835 with CLP02 4 and its RARC', async () => {
    const { sim, receiver } = await x12Simulator();
    await force(sim, 'CFX12REJ01', 'FRONT_END_REJECT');
    await force(sim, 'CFX12DEN01', 'DENY_APPEAL_UPHELD');
    // one file, two claims
    const res = await post837(sim, file837([claim('CFX12REJ01'), claim('CFX12DEN01')], 77), 'batch-77');
    expect(res.body.claims.map((c: any) => c.claimId)).toEqual(['CFX12REJ01', 'CFX12DEN01']);
    await sim.simulator.deliverNow({ kind: 'acknowledgement' });
    const files = receiver.received.map((m) => only(m.body));
    // one 999 for the file, one 277CA per claim
    expect(files.map((t) => t.setId).sort()).toEqual(['277', '277', '999']);
    const rejected = files
      .filter((t) => t.setId === '277')
      .map(parse277CA)
      .find((a) => a.claims[0].patientControlNumber === 'CFX12REJ01')!;
    expect(rejected.claims[0].outcome).toBe('rejected');
    expect(rejected.claims[0].reports[0].statuses[0].category).toBe('A7');
    expect(rejected.claims[0].reports[0].message).toEqual(expect.any(String));
    await sim.simulator.deliverNow({ claimId: 'CFX12DEN01', kind: 'remittance' });
    const denial = parse835(only(receiver.received.at(-1)!.body));
    expect(denial.claims[0]).toMatchObject({ patientControlNumber: 'CFX12DEN01', status: '4', paid: 0 });
    expect(denial.claims[0].lines[0].adjustments[0]).toMatchObject({ group: 'CO', reason: '50' });
    expect(denial.claims[0].lines[0].remarks).toEqual([{ qualifier: 'HE', code: 'N115' }]);
    expect(denial.payment.method).toBe('NON');
  });

  it('an 837 whose transaction is broken gets a 999 rejecting it; an unreadable file or a missing key is a 400', async () => {
    const { sim, receiver } = await x12Simulator();
    // the imsweb sample's SE01 miscounts its segments
    const broken = fs.readFileSync(`${ROOT}837p/imsweb-x12-parser__x12_valid.txt`, 'utf8');
    const res = await post837(sim, broken, 'CFX12BAD01:1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ duplicate: false, claims: [] });
    const [delivered] = await sim.simulator.deliverNow({ claimId: 'CFX12BAD01' });
    expect(delivered.x12).toHaveLength(1);
    const ack = parse999(only(receiver.received[0].body));
    expect(ack).toMatchObject({ status: 'R', accepted: false, sets: [{ controlNumber: '987654', status: 'R', errorCodes: ['4'] }] });

    const bad = await post837(sim, fs.readFileSync(`${ROOT}invalid/imsweb-x12-parser__x12_no_isa_line.txt`, 'utf8'), 'CFX12BAD02:1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const noKey = await post837(sim, file837([claim('CFX12NOKEY')], 5));
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.field).toBe('Idempotency-Key');
    // the JSON form still works next to it
    expect((await sim.get('/admin/stats')).body.submissionsReceived).toBe(0);
  });

  it('a replacement claim (frequency 7, REF*F8) is read and paid; a retried delivery re-sends the same file', async () => {
    const { sim, receiver } = await x12Simulator();
    await force(sim, 'CFX12COD01', 'CODING_DENIAL');
    await post837(sim, file837([claim('CFX12COD01')], 90), 'CFX12COD01:1');
    const [ack] = await sim.simulator.deliverNow({ claimId: 'CFX12COD01', kind: 'acknowledgement' });
    const icn = (ack.body as any).payerClaimControlNo as string;
    await sim.simulator.deliverNow({ claimId: 'CFX12COD01', kind: 'remittance' });
    await post837(sim, file837([claim('CFX12COD01', '7', icn)], 91), 'CFX12COD01:2');
    // the new file's 999 is refused once: the message fails whole, and the retry sends the same 999 bytes
    receiver.answerNext(503);
    const failed = await sim.simulator.deliverNow({ claimId: 'CFX12COD01', kind: 'acknowledgement' });
    expect(failed[0].outcome).toBe('failed');
    const retried = await sim.simulator.deliverNow({ claimId: 'CFX12COD01', kind: 'acknowledgement' });
    expect(retried[0].outcome).toBe('delivered');
    expect(failed[0].x12).toHaveLength(1);
    expect(retried[0].x12).toHaveLength(2);
    expect(retried[0].x12![0]).toBe(failed[0].x12![0]);
    expect(parse999(only(retried[0].x12![0])).group.controlNumber).toBe('91');
    const [paid] = await sim.simulator.deliverNow({ claimId: 'CFX12COD01', kind: 'remittance' });
    expect(parse835(only(paid.x12![0])).claims[0]).toMatchObject({ patientControlNumber: 'CFX12COD01', status: '1' });
    expect(receiver.received.length).toBeGreaterThanOrEqual(5);
  });
});
