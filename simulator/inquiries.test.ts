// The simulated payer answering claimflow's inquiries in X12 over HTTP: a 270 with a 271 from its coverage rules
// (simulator/eligibility.ts), a 276 with a 277 from what it did with the claim (simulator/claimStatus.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { write270 } from '../domain/x12/270';
import { eligibilityFromResponse, read271 } from '../domain/x12/271';
import { write276 } from '../domain/x12/276';
import { claimStatusFromResponse, read277 } from '../domain/x12/277';
import type { EnvelopeArgs } from '../domain/x12/envelopeWriter';
import { readTransactions } from '../domain/x12/reader';
import { claimSubmission, simAuth, startSimulator, type StartedSimulator } from './testSupport';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function simulator(): Promise<StartedSimulator> {
  const sim = await startSimulator();
  cleanup.push(() => sim.running.close());
  return sim;
}

const envelope = (n: number): EnvelopeArgs => ({
  sender: { qualifier: 'ZZ', id: 'CLAIMFLOW' },
  receiver: { qualifier: 'ZZ', id: 'CFSIMULATOR' },
  control: { interchangeControlNumber: n, groupControlNumber: n, transactionControlNumber: String(n).padStart(4, '0') },
  now: { date: '2026-11-20', time: '0900' },
  usage: 'T',
});
const PAYER = { entityType: '2' as const, name: 'CASCADE HEALTH', idQualifier: 'PI', id: 'CASC1' };
const PROVIDER = { entityType: '2' as const, name: 'RIVERBEND FAMILY MEDICINE', idQualifier: 'XX', id: '1457293011' };

function inquiry270(memberId: string, n = 1): string {
  return write270({
    ...envelope(n),
    reference: `EL${n}`,
    inquiries: [
      {
        payer: PAYER,
        provider: PROVIDER,
        subscriber: { lastName: 'TESTER', firstName: 'PAT', memberId, birthDate: '1980-04-12', gender: 'F' },
        trace: { type: '1', number: `EL${n}`, originator: '9CLAIMFLOW' },
        serviceDate: { from: '2026-11-20', to: '2026-11-20' },
      },
    ],
  });
}

async function postX12(sim: StartedSimulator, path: string, text: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/edi-x12', ...simAuth },
    body: text,
  });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

async function eligibility(sim: StartedSimulator, memberId: string, n = 1) {
  const res = await postX12(sim, '/eligibility', inquiry270(memberId, n));
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/application\/edi-x12/);
  const { transactions, errors } = readTransactions(res.text);
  expect(errors).toEqual([]);
  const response = read271(transactions[0]);
  return { response, eligibility: eligibilityFromResponse(response, memberId) };
}

describe('270 in, 271 out', () => {
  it('a known member is active, with a plan and cost sharing in cents and percent, and the trace echoed', async () => {
    const sim = await simulator();
    const { response, eligibility: e } = await eligibility(sim, 'CCH107919');
    expect(response.reference).toBe('EL1');
    expect(response.answers[0].subscriber?.traces[0]).toMatchObject({ type: '2', number: 'EL1' });
    expect(e.status).toBe('active');
    expect(e.plan.description).toMatch(/^CASCADE HEALTH /);
    expect(e.benefits.map((b) => b.kind).sort()).toEqual(['coinsurance', 'copay', 'deductible', 'deductible']);
    const copay = e.benefits.find((b) => b.kind === 'copay')!;
    expect(Number.isInteger(copay.amount)).toBe(true);
    expect([10, 20, 30]).toContain(e.benefits.find((b) => b.kind === 'coinsurance')!.percent);
    // the same member gets the same plan from the same seed
    expect((await eligibility(sim, 'CCH107919', 2)).eligibility).toEqual(e);
    expect(sim.simulator.stats().eligibilityInquiries).toBe(2);
  });

  it('a terminated member is inactive, ended the month before the date of service; an unknown one is refused with AAA 75', async () => {
    const sim = await simulator();
    const ended = (await eligibility(sim, 'CCH107919TERM')).eligibility;
    expect(ended).toMatchObject({ status: 'inactive', plan: { ends: '2026-10-31' } });
    const unknown = (await eligibility(sim, 'NOTFOUND1')).eligibility;
    expect(unknown).toMatchObject({
      status: 'rejected',
      advice: 'correct-and-resend',
      reasons: [expect.stringMatching(/subscriber not found/)],
    });
  });

  it('a busy payer refuses the first question about a member and date (AAA 42) and answers the next', async () => {
    const sim = await simulator();
    const first = (await eligibility(sim, 'BUSY42', 1)).eligibility;
    expect(first).toMatchObject({ status: 'rejected', advice: 'resend' });
    expect((await eligibility(sim, 'BUSY42', 2)).eligibility.status).toBe('active');
  });

  it('refuses what is not a readable 270 with a 400 naming the body, and JSON at /eligibility', async () => {
    const sim = await simulator();
    const broken = await postX12(sim, '/eligibility', inquiry270('CCH1').replace(/SE\*\d+/, 'SE*99'));
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text).error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
    const json = await sim.post('/eligibility', { memberId: 'CCH1' });
    expect(json.status).toBe(400);
    expect(sim.simulator.stats().eligibilityInquiries).toBe(0);
  });
});

describe('276 in, 277 out', () => {
  const inquiry276 = (claimId: string, reference: string) =>
    write276({
      ...envelope(7),
      reference,
      inquiries: [
        {
          payer: { ...PAYER, id: 'SIMPAYER01' },
          receiver: { entityType: '2', name: 'CLAIMFLOW', idQualifier: '46', id: 'CLAIMFLOW' },
          provider: PROVIDER,
          subscriber: { lastName: 'TESTER', firstName: 'PAT', memberId: 'W1' },
          claim: { trace: claimId, patientControlNumber: claimId, charge: 20_500, serviceDate: { from: '2026-11-20', to: '2026-11-20' } },
        },
      ],
    });

  async function status(sim: StartedSimulator, claimId: string, reference: string) {
    const res = await postX12(sim, '/status', inquiry276(claimId, reference));
    expect(res.status).toBe(200);
    return claimStatusFromResponse(read277(readTransactions(res.text).transactions[0]), claimId);
  }

  it('answers "not found" for a claim it never saw, "received" before its acknowledgement, and counts each inquiry once per BHT03', async () => {
    const sim = await simulator();
    expect((await status(sim, 'NEVER-SENT', 'Q1')).followUp.kind).toBe('not-found');
    const submission = claimSubmission('STAT-1', 1, { payerElectronicId: 'SIMPAYER01' });
    expect((await sim.post('/claims', submission)).status).toBe(200);
    const received = await status(sim, 'STAT-1', 'STAT-1-1');
    expect(received.followUp.kind).toBe('acknowledged');
    expect(received.statuses[0]).toMatch(/receipt acknowledged/);
    await status(sim, 'STAT-1', 'STAT-1-1');
    const record = await sim.get(`/admin/claims/STAT-1`);
    expect(record.body.statusInquiries).toBe(1);
    expect(sim.simulator.stats().duplicateStatusInquiries).toBe(1);
  });

  it('the JSON status inquiry still answers as before', async () => {
    const sim = await simulator();
    const res = await sim.post('/status', { claimId: 'NEVER', payerElectronicId: 'SIMPAYER01', idempotencyKey: 'NEVER:status:1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ category: 'NOT_FOUND', statusCode: 'A4' });
  });
});
