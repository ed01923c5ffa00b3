// 270/271 eligibility and 276/277 claim status: every fixture read with the MANIFEST's figures, every generated
// sample written and read back to what was written, odd delimiters, positioned errors, and the answers a lifecycle asks.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../test/fixtures';
import { INPUT_270, INPUT_271, INPUT_276, INPUT_277, PAYER, PRACTICE, SUBSCRIBER, inquirySamples } from '../../test/x12InquirySamples';
import { readSegments, readTransactions, type Delimiters, type ReadOptions, type Transaction } from './reader';
import { read270, write270 } from './270';
import { eligibilityFromResponse, formatPercent, parsePercent, read271, write271 } from './271';
import { read276, write276 } from './276';
import { claimStatusFromResponse, read277, write277 } from './277';
import { X12GenerationError } from './generationError';
import { X12SyntaxError } from './syntaxError';

const ROOT = `${FIXTURES_DIR}/x12/`;
const file = (name: string) => fs.readFileSync(ROOT + name, 'utf8');

function only(text: string, options?: ReadOptions): Transaction {
  const { transactions, errors } = readTransactions(text, options);
  expect(errors.map((e) => e.message)).toEqual([]);
  expect(transactions).toHaveLength(1);
  return transactions[0];
}

/** The model without the runtime PHI marks, to compare with what was written. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === 'phi' ? undefined : v))) as T;

/** The same interchange with other separators: ISA11 and ISA16 rewritten, every segment joined anew. */
function redelimit(text: string, d: Required<Delimiters>): string {
  return [...readSegments(text)]
    .map((s) => {
      const elements = s.id === 'ISA' ? s.elements.map((e, i) => (i === 11 ? d.repetition : i === 16 ? d.component : e)) : s.elements;
      // One pass, so a component separator written as the old repetition one is not swapped twice.
      const swap = (e: string) => e.replace(/[:^]/g, (c) => (c === ':' ? d.component : d.repetition));
      return elements.map((e, i) => (s.id === 'ISA' || i === 0 ? e : swap(e))).join(d.element);
    })
    .join(d.segment);
}

const ODD: Required<Delimiters>[] = [
  { element: '|', component: '>', repetition: '!', segment: '\n' },
  { element: '~', component: '^', repetition: '{', segment: '_' },
];

describe('270 fixtures', () => {
  it('the subscriber inquiry: payer, provider, subscriber with birth date, trace, date of service, service type 30', () => {
    const r = read270(only(file('270/linuxforhealth-x12__subscriber-health-benefit-check.270')));
    expect(r.warnings).toEqual([]);
    expect(r).toMatchObject({ controlNumber: '1234', reference: '10001234', purpose: '13', date: '2006-05-01', time: '1319' });
    expect(r.inquiries).toHaveLength(1);
    expect(plain(r.inquiries[0])).toEqual({
      payer: { entityType: '2', name: 'ABC COMPANY', idQualifier: 'PI', id: '842610001' },
      provider: { entityType: '2', name: 'BONE AND JOINT CLINIC', idQualifier: 'SV', id: '2000035' },
      subscriber: { lastName: 'SMITH', firstName: 'ROBERT', memberId: '11122333301', birthDate: '1943-05-19' },
      trace: { type: '1', number: '93175-012547', originator: '9877281234' },
      serviceDate: { from: '2006-05-01', to: '2006-05-01' },
      serviceTypes: ['30'],
    });
    expect(r.inquiries[0].subscriber).toHaveProperty('phi', true);
  });

  it('the dependent inquiry: the patient is the dependent, the subscriber only a member id', () => {
    const r = read270(only(file('270/linuxforhealth-x12__dependent-health-benefit-check.270')));
    expect(r.warnings).toEqual([]);
    const [q] = r.inquiries;
    expect(plain(q.subscriber)).toEqual({ memberId: '11122333301' });
    expect(plain(q.dependent)).toEqual({ lastName: 'SMITH', firstName: 'MARY', birthDate: '1978-10-14' });
    expect(q.dependent).toHaveProperty('phi', true);
    expect(q.provider).toEqual({ entityType: '1', name: 'JONES', firstName: 'MARCUS', idQualifier: 'SV', id: '2000034' });
    expect(q.trace?.number).toBe('93175-012547');
    expect(q.serviceTypes).toEqual(['30']);
  });
});

describe('271 fixtures', () => {
  // MANIFEST: EB=5 AAA=0 in both benefit checks, EB=0 AAA=1 in the error file.
  it.each([
    ['271/linuxforhealth-x12__subscriber-health-benefit-check.271', 'subscriber'],
    ['271/linuxforhealth-x12__dependent-health-benefit-check.271', 'dependent'],
  ] as const)('%s: 5 benefits, no rejection, active on GOLD 123 PLAN with $10/$30 copays', (name, who) => {
    const r = read271(only(file(name)));
    expect(r.warnings).toEqual([]);
    expect(r.answers).toHaveLength(1);
    const patient = r.answers[0][who]!;
    expect(patient.benefits).toHaveLength(5);
    expect(patient.benefits.map((b) => b.code)).toEqual(['1', 'L', '1', 'B', 'B']);
    expect(r.answers.flatMap((a) => [...a.payer.rejections, ...(a.provider?.rejections ?? []), ...patient.rejections])).toEqual([]);
    expect(patient.benefits[1].relatedEntities).toEqual([
      { entity: 'P3', entityType: '1', name: 'JONES', firstName: 'MARCUS', idQualifier: 'SV', id: '0202034' },
    ]);
    expect(patient.benefits[2].serviceTypes).toEqual(['1', '33', '35', '47', '86', '88', '98', 'AL', 'MH', 'UC']);
    expect(patient.traces).toEqual([{ type: '2', number: '93175-012547', originator: '9877281234' }]);
    expect(patient.dates).toEqual([{ qualifier: '346', period: { from: '2006-01-01', to: '2006-01-01' } }]);
    if (who === 'dependent') expect(patient).toMatchObject({ firstName: 'MARY', gender: 'F', relationship: '19' });

    const e = eligibilityFromResponse(r, '123456789');
    expect(e.status).toBe('active');
    expect(e.reasons).toEqual(['active coverage: GOLD 123 PLAN']);
    expect(e.plan).toEqual({ description: 'GOLD 123 PLAN', begins: '2006-01-01' });
    expect(e.benefits.map((b) => [b.kind, b.amount, b.period, b.inNetwork, b.remaining])).toEqual([
      ['copay', 1000, 'visit', true, false],
      ['copay', 3000, 'visit', false, false],
    ]);
  });

  it('the error file: the provider is refused at 2100B (AAA 50, do not resend), which answers every member', () => {
    const text = file('271/linuxforhealth-x12__subscriber-health-benefit-check-error.271');
    // Its SE02 (4323) does not match ST02 (4321): the envelope reader says so, the tolerant read goes on.
    expect(readTransactions(text).errors.map((e) => e.message)).toEqual([
      'segment 10 (SE), element 2: SE02 4323 does not match ST02 4321 (segment 3)',
    ]);
    const r = read271(only(text, { controlTotals: false }));
    expect(r.warnings).toEqual([]);
    expect(r.answers).toHaveLength(1);
    expect(r.answers[0].subscriber).toBeUndefined();
    expect(r.answers[0].provider?.rejections).toEqual([
      {
        loop: '2100B',
        validRequest: true,
        code: '50',
        followUp: 'N',
        reason: 'provider not allowed to make inquiries',
        action: 'do not send this inquiry again',
        advice: 'do-not-resend',
        segmentIndex: 9,
      },
    ]);
    expect(eligibilityFromResponse(r, 'ANYONE')).toEqual({
      status: 'rejected',
      reasons: ['provider not allowed to make inquiries (do not send this inquiry again)'],
      advice: 'do-not-resend',
      plan: {},
      benefits: [],
    });
  });
});

describe('276 fixtures', () => {
  it('claim-level-status: three claims under two providers, one of them a dependent with a service line', () => {
    const r = read276(only(file('276/linuxforhealth-x12__claim-level-status.276')));
    expect(r.warnings).toEqual([]);
    expect(
      r.inquiries.map((q) => [q.provider.name, q.claim.trace, q.claim.patientControlNumber, q.claim.charge, q.claim.billType]),
    ).toEqual([
      ['HOME HOSPITAL', 'ABCXYZ1', 'SM123456', 851388, '111'],
      ['HOME HOSPITAL', 'ABCXYZ2', 'J0234567', 759900, '111'],
      ['HOME HOSPITAL PHYSICANS', 'ABCXYZ3', 'MA345678', undefined, undefined],
    ]);
    expect(r.inquiries[0]).toMatchObject({
      payer: { name: 'ABC INSURANCE', idQualifier: 'PI', id: '12345' },
      receiver: { name: 'XYZ SERVICE', idQualifier: '46', id: 'X67E' },
      provider: { idQualifier: 'XX', id: '1666666661' },
      subscriber: { lastName: 'SMITH', firstName: 'FRED', memberId: '123456789A', birthDate: '1930-12-10', gender: 'M' },
      claim: { serviceDate: { from: '2005-08-31', to: '2005-09-06' } },
    });
    expect(plain(r.inquiries[2].dependent)).toEqual({ lastName: 'MANN', firstName: 'JOSEPH', birthDate: '1995-11-01', gender: 'M' });
    expect(r.inquiries[2].claim.lines).toEqual([
      { procedure: { qualifier: 'HC', code: '99203' }, charge: 15000, units: 1, serviceDate: { from: '2005-05-01', to: '2005-05-01' } },
    ]);
  });

  it.each([
    ['276/linuxforhealth-x12__claim-level-status-ncpdp.276', ['ABCXYZ1']],
    ['276/linuxforhealth-x12__information-receiver-level-status.276', ['ABCXYZ1']],
    ['276/linuxforhealth-x12__provider-level-status.276', ['ABCXYZ1', 'ABCXYZ3']],
  ])('%s reads its claims', (name, traces) => {
    const r = read276(only(file(name)));
    expect(r.warnings).toEqual([]);
    expect(r.inquiries.map((q) => q.claim.trace)).toEqual(traces);
  });

  it('the pharmacy claim carries its prescription number (REF*XZ)', () => {
    const r = read276(only(file('276/linuxforhealth-x12__claim-level-status-ncpdp.276')));
    expect(r.inquiries[0].claim).toEqual({
      trace: 'ABCXYZ1',
      prescriptionNumber: '7654321',
      charge: 8500,
      serviceDate: { from: '2006-03-01', to: '2006-03-01' },
    });
  });
});

describe('277 fixtures', () => {
  const stcCount = (r: ReturnType<typeof read277>) =>
    [...r.receiverStatuses, ...r.providerStatuses, ...r.claims, ...r.claims.flatMap((c) => c.lines)].flatMap((x) => x.reports).length;

  // MANIFEST STC counts: 1, 4, 1, 2, 8.
  it.each([
    ['277/linuxforhealth-x12__claim-level-status-ncpdp.277', 1, undefined],
    ['277/linuxforhealth-x12__claim-level-status.277', 4, undefined],
    ['277/linuxforhealth-x12__information-receiver-level-status.277', 1, undefined],
    ['277/linuxforhealth-x12__provider-level-status.277', 2, undefined],
    ['277/imsweb-x12-parser__x12_277_x212.txt', 8, { controlTotals: false }],
  ] as const)('%s has %i status segments', (name, stc, options) => {
    const r = read277(only(file(name), options));
    expect(r.warnings).toEqual([]);
    expect(stcCount(r)).toBe(stc);
  });

  it('claim-level-status: pending for information, finalized and awaiting payment, a denied dependent with its line', () => {
    const r = read277(only(file('277/linuxforhealth-x12__claim-level-status.277')));
    expect(r.claims.map((c) => [c.trace, c.patientControlNumber, c.payerClaimControlNumber, c.followUp.kind])).toEqual([
      ['ABCXYZ1', 'SM123456', '05347006051', 'information-requested'],
      ['ABCXYZ2', 'J0234567', '0529675341', 'finalized-paid'],
      ['ABCXYC3', 'MA345678', '051681010827', 'finalized-denied'],
    ]);
    expect(claimStatusFromResponse(r, 'J0234567')).toEqual({
      followUp: {
        kind: 'finalized-paid',
        says: 'finalized: adjudicated, waiting for the payment cycle',
        action: 'post the payment when the remittance (835) arrives',
      },
      statuses: ['finalized: adjudicated, waiting for the payment cycle'],
      effectiveDate: '2005-09-15',
      charge: 759900,
      paid: 759900,
      payerClaimControlNumber: '0529675341',
      lines: [],
    });
    const denied = claimStatusFromResponse(r, 'ABCXYC3');
    expect(denied.followUp.says).toBe('finalized, denied: entity not eligible on the dates of service (patient)');
    expect(denied.paid).toBe(0);
    expect(denied.lines).toEqual([{ procedure: { qualifier: 'HC', code: '99203' }, charge: 15000, paid: 0, followUp: denied.followUp }]);
    expect(plain(r.claims[2].dependent)).toEqual({ lastName: 'MANN', firstName: 'JOSEPH' });
    expect(r.claims[2].subscriber).toMatchObject({ lastName: 'MANN', firstName: 'JOHN', memberId: '345678901' });
  });

  it('an NCPDP reject code (STC01-4 RX) is named as such, not read as a claim status code', () => {
    const r = read277(only(file('277/linuxforhealth-x12__claim-level-status-ncpdp.277')));
    expect(r.claims[0].reports[0].statuses).toEqual([
      { category: 'F2', code: '80', codeList: 'RX', text: 'finalized, denied: NCPDP reject/payment code 80' },
    ]);
    expect(r.claims[0].followUp.kind).toBe('finalized-denied');
  });

  it('receiver- and provider-level E0: the inquiry was wrong, whatever claim is asked about', () => {
    const receiver = read277(only(file('277/linuxforhealth-x12__information-receiver-level-status.277')));
    expect(receiver.claims).toEqual([]);
    expect(receiver.receiverStatuses).toMatchObject([{ party: { name: 'XYZ SERVICE' }, trace: 'ABC276XXX' }]);
    expect(claimStatusFromResponse(receiver, 'SM123456').followUp).toEqual({
      kind: 'inquiry-error',
      says: 'no answer possible, the request has errors: no further status available electronically',
      action: 'correct the status inquiry (276) and send it again',
    });
    const provider = read277(only(file('277/linuxforhealth-x12__provider-level-status.277')));
    expect(provider.providerStatuses.map((p) => [p.party.id, p.followUp.says])).toEqual([
      ['6166666666', 'no answer possible, the request has errors: entity not approved as an electronic submitter (billing provider)'],
    ]);
    expect(claimStatusFromResponse(provider, 'SM123456').followUp.kind).toBe('information-requested');
  });

  it('the multi-payer file: eight claims acknowledged (A1), each under its own payer level', () => {
    const r = read277(only(file('277/imsweb-x12-parser__x12_277_x212.txt'), { controlTotals: false }));
    expect(r.claims).toHaveLength(8);
    expect(new Set(r.claims.map((c) => c.followUp.kind))).toEqual(new Set(['acknowledged']));
    expect(r.claims.map((c) => c.reports[0].charge)).toEqual([60000, 40000, 10000, 18000, 10000, 45000, 10000, 10000]);
    expect(r.claims[0].reports[0].message).toBe('PAYER ACKNOWLEDGED RECEIPT OF THE CLAIM');
  });
});

describe('round trips: what the writers produce reads back as written', () => {
  it('every sample is one envelope-valid transaction of its type', () => {
    const samples = inquirySamples();
    const counts: Record<string, number> = {};
    for (const s of samples) {
      counts[s.type] = (counts[s.type] ?? 0) + 1;
      const t = only(s.text);
      expect(t.setId).toBe(s.type);
      expect(t.implementation).toBe(s.type === '270' || s.type === '271' ? '005010X279A1' : '005010X212');
    }
    expect(counts).toEqual({ '270': 3, '271': 7, '276': 3, '277': 9 });
  });

  it.each(Object.entries(INPUT_270))('270 %s', (_, input) => {
    const r = read270(only(write270(input)));
    expect(r.warnings).toEqual([]);
    expect(r.reference).toBe(input.reference);
    expect(plain(r.inquiries)).toEqual(input.inquiries);
  });

  it.each(Object.entries(INPUT_271))('271 %s', (_, input) => {
    const r = read271(only(write271(input)));
    expect(r.warnings).toEqual([]);
    expect(r.reference).toBe(input.reference);
    expect(plain(r.answers)).toMatchObject(input.answers);
  });

  it.each(Object.entries(INPUT_276))('276 %s', (_, input) => {
    const r = read276(only(write276(input)));
    expect(r.warnings).toEqual([]);
    expect(plain(r.inquiries)).toEqual(input.inquiries);
  });

  it.each(Object.entries(INPUT_277))('277 %s', (_, input) => {
    const r = read277(only(write277(input)));
    expect(r.warnings).toEqual([]);
    const claims = input.answers.filter((a) => a.claim);
    expect(r.claims).toHaveLength(claims.length);
    r.claims.forEach((c, i) => {
      const a = claims[i];
      // A 277 names the members (NM1) without demographics (no DMG).
      const { lastName, firstName, memberId } = a.subscriber ?? {};
      expect(plain(c)).toMatchObject({ ...a.claim, payer: a.payer, provider: a.provider, subscriber: { lastName, firstName, memberId } });
    });
    const levels = [...r.receiverStatuses, ...r.providerStatuses];
    expect(levels.map((l) => l.trace)).toEqual(
      input.answers.flatMap((a) => [a.receiver.status?.trace, a.provider?.status?.trace]).filter(Boolean),
    );
  });

  it('what the lifecycle reads from the simulated answers', () => {
    const e = (name: string, member = SUBSCRIBER.memberId) => eligibilityFromResponse(read271(only(write271(INPUT_271[name]))), member);
    const active = e('active-with-benefits');
    expect(active).toMatchObject({
      status: 'active',
      plan: { description: 'SILVER PPO', insuranceType: 'PR', coverageLevel: 'family', groupNumber: 'GRP-77', begins: '2026-01-01' },
    });
    expect(active.benefits).toEqual([
      {
        kind: 'copay',
        amount: 2500,
        remaining: false,
        period: 'visit',
        coverageLevel: 'individual',
        inNetwork: true,
        serviceTypes: ['98'],
      },
      { kind: 'coinsurance', percent: 20, remaining: false, coverageLevel: 'individual', inNetwork: true, serviceTypes: ['30'] },
      { kind: 'coinsurance', percent: 12.5, remaining: false, coverageLevel: 'individual', inNetwork: false, serviceTypes: ['30'] },
      {
        kind: 'deductible',
        amount: 150000,
        remaining: false,
        period: 'calendar year',
        coverageLevel: 'individual',
        inNetwork: true,
        serviceTypes: ['30'],
      },
      {
        kind: 'deductible',
        amount: 42050,
        remaining: true,
        period: 'remaining',
        coverageLevel: 'individual',
        inNetwork: true,
        serviceTypes: ['30'],
      },
      {
        kind: 'out-of-pocket',
        amount: 600000,
        remaining: false,
        period: 'calendar year',
        coverageLevel: 'family',
        inNetwork: true,
        serviceTypes: ['30'],
      },
    ]);
    expect(e('dependent-active')).toMatchObject({ status: 'active', plan: { coverageLevel: 'dependents only' } });
    expect(e('inactive')).toMatchObject({ status: 'inactive', reasons: ['inactive'], plan: { ends: '2026-06-30' } });
    expect(e('provider-not-on-file')).toMatchObject({
      status: 'rejected',
      advice: 'do-not-resend',
      reasons: ['provider not on file with the payer (do not send this inquiry again)'],
    });
    expect(e('payer-unavailable')).toMatchObject({
      status: 'rejected',
      advice: 'resend',
      reasons: ['payer cannot answer right now (the inquiry may be sent again)'],
    });
    expect(e('subscriber-not-found')).toMatchObject({
      status: 'rejected',
      advice: 'correct-and-resend',
      reasons: ['subscriber not found (correct the inquiry and send it again)'],
    });
    expect(e('date-of-service-in-future')).toMatchObject({
      status: 'rejected',
      reasons: ['date of service in the future (correct the inquiry and send it again)'],
    });
    expect(e('active-with-benefits', 'SOMEONE-ELSE')).toMatchObject({
      status: 'rejected',
      reasons: ['the payer’s response does not mention this member'],
    });

    const s = (name: string, claim: string) => claimStatusFromResponse(read277(only(write277(INPUT_277[name]))), claim);
    expect(s('paid-with-check', 'CLM-1001')).toMatchObject({
      followUp: { kind: 'finalized-paid' },
      paid: 18240,
      checkNumber: '00456789',
      paymentMethod: 'CHK',
      paymentDate: '2026-10-28',
      adjudicatedDate: '2026-10-27',
    });
    expect(s('paid-with-check', 'CLM-1001').lines.map((l) => [l.procedure.code, l.paid, l.followUp.kind])).toEqual([
      ['99214', 14000, 'finalized-paid'],
      ['36415', 4240, 'finalized-paid'],
    ]);
    expect(s('denied-not-eligible', 'CLM-1002').followUp.kind).toBe('finalized-denied');
    expect(s('line-denied', 'CLM-1007').followUp.says).toBe('finalized, denied: service not authorised');
    // The later of two statuses is the current one.
    expect(s('pending-with-history', 'CLM-1003')).toMatchObject({
      followUp: { kind: 'pending', says: 'pending, payer review: internal review or audit' },
      effectiveDate: '2026-10-24',
    });
    // Found by the trace number when no patient control number came back.
    expect(s('documentation-requested', 'CLM-1004').followUp).toMatchObject({
      kind: 'information-requested',
      says: 'payer requests supporting documentation: information missing or invalid',
    });
    expect(s('rejected-invalid-npi', 'CLM-1005').statuses).toEqual([
      'rejected, information invalid: NPI (billing provider)',
      'rejected, information invalid: information missing or invalid (billing provider)',
    ]);
    expect(s('rejected-invalid-npi', 'CLM-1005').followUp.kind).toBe('rejected');
    expect(s('claim-not-found', 'CLM-1006').followUp.kind).toBe('not-found');
    expect(s('inquiry-error-receiver', 'CLM-1001').followUp.kind).toBe('inquiry-error');
    expect(s('provider-unavailable', 'CLM-1001').followUp.kind).toBe('retry-later');
    expect(s('paid-with-check', 'CLM-9999').followUp.kind).toBe('unknown');
  });
});

describe('odd delimiters', () => {
  it.each(ODD)('fixtures re-delimited with %o read to the same models', (d) => {
    const same = (name: string, read: (t: Transaction) => unknown, options?: ReadOptions) => {
      const original = read(only(file(name), options));
      const odd = only(redelimit(file(name), d), options);
      expect(odd.delimiters).toEqual(d);
      expect(plain(read(odd))).toEqual(plain(original));
    };
    same('270/linuxforhealth-x12__dependent-health-benefit-check.270', read270);
    same('271/linuxforhealth-x12__dependent-health-benefit-check.271', read271);
    same('276/linuxforhealth-x12__claim-level-status.276', read276);
    same('277/linuxforhealth-x12__claim-level-status.277', read277);
  });

  it.each(ODD)('the writers write with %o and read back', (d) => {
    const input271 = { ...INPUT_271['active-with-benefits'], delimiters: d };
    const t = only(write271(input271));
    expect(t.delimiters).toEqual(d);
    expect(read271(t).answers[0].subscriber?.benefits.map((b) => b.serviceTypes)).toEqual(
      input271.answers[0].subscriber?.benefits?.map((b) => b.serviceTypes ?? []),
    );
    expect(plain(read270(only(write270({ ...INPUT_270['dependent-eligibility'], delimiters: d }))).inquiries)).toEqual(
      INPUT_270['dependent-eligibility'].inquiries,
    );
    expect(read277(only(write277({ ...INPUT_277['paid-with-check'], delimiters: d }))).claims[0].lines[0].procedure).toEqual({
      qualifier: 'HC',
      code: '99214',
      modifiers: ['25'],
    });
  });
});

describe('what cannot be read, and what is only off', () => {
  const text271 = () => write271(INPUT_271['active-with-benefits']);
  const edit = (text: string, from: string, to: string) => {
    expect(text).toContain(from);
    return text.replace(from, to);
  };
  const throwsAt = (read: () => unknown, message: string) => {
    let error: unknown;
    try {
      read();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(X12SyntaxError);
    expect((error as X12SyntaxError).message).toBe(message);
  };

  it('a transaction of another type is refused', () => {
    throwsAt(() => read271(only(write270(INPUT_270['subscriber-eligibility']))), 'segment 3 (ST): this is a 270 transaction, not a 271');
    throwsAt(
      () => read277(only(file('277ca/imsweb-x12-parser__x12_277CA_accepted.txt'))),
      'segment 3 (ST): this is a 277CA claim acknowledgement (005010X214), read it with parse277CA',
    );
  });

  it('an HL under the wrong parent level, or a parent that does not exist, names the HL', () => {
    throwsAt(
      () => read271(only(edit(text271(), 'HL*3*2*22*0', 'HL*3*1*22*0'))),
      'segment 9 (HL), element 2: a level 22 must sit under a level 21, HL 1 is a level 20',
    );
    throwsAt(() => read271(only(edit(text271(), 'HL*3*2*22*0', 'HL*3*7*22*0'))), 'segment 9 (HL), element 2: HL02 7 names no earlier HL');
    throwsAt(
      () => read276(only(edit(write276(INPUT_276['one-line-claim']), 'HL*4*3*22*0', 'HL*4*3*99*0'))),
      'segment 11 (HL), element 3: HL03 99 is not a level of a 276',
    );
  });

  it('an amount that is not money stops the read; a percent that is not one is a warning', () => {
    throwsAt(
      () => read271(only(edit(text271(), 'EB*B*IND*98***27*25', 'EB*B*IND*98***27*25.001'))),
      'segment 16 (EB), element 7: "25.001" is not a whole number of cents',
    );
    const r = read271(only(edit(text271(), '*0.2**', '*20**')));
    expect(r.warnings.map((w) => w.message)).toEqual([
      'segment 17 (EB), element 8: "20" is not a fraction of one (0 to 1), the percent is left out',
    ]);
    expect(r.answers[0].subscriber?.benefits[2].percent).toBeUndefined();
    throwsAt(
      () => read277(only(edit(write277(INPUT_277['claim-not-found']), 'STC*A4:35*20261102**50', 'STC*A4:35*20261102**5O'))),
      'segment 14 (STC), element 4: "5O" is not a number',
    );
  });

  it('a date that is not a date is a warning, and HL04 that disagrees with what follows', () => {
    const r = read271(only(edit(edit(text271(), 'DTP*346*D8*20260101', 'DTP*346*D8*20261301'), 'HL*3*2*22*0', 'HL*3*2*22*1')));
    expect(r.warnings.map((w) => w.message)).toEqual([
      'segment 14 (DTP), element 3: "20261301" is not a date (CCYYMMDD)',
      'segment 9 (HL), element 4: HL04 says level 3 has children, none follow',
    ]);
  });

  it('segments outside the level they belong to are refused', () => {
    throwsAt(
      () => read271(only(edit(text271(), 'HL*3*2*22*0~', 'HL*3*2*22*0~MSG*HELLO~'), { controlTotals: false })),
      'segment 10 (MSG): MSG outside a benefit loop (no EB before it)',
    );
    throwsAt(
      () => read277(only(edit(write277(INPUT_277['claim-not-found']), 'TRN*2*CLM-1006~', ''), { controlTotals: false })),
      'segment 13 (STC): STC outside a receiver, provider or claim level',
    );
  });

  it('the writers refuse what the guide requires and is missing, naming the field', () => {
    const gen = (f: () => unknown, message: string) => {
      expect(f).toThrow(X12GenerationError);
      expect(f).toThrow(message);
    };
    const base = INPUT_270['subscriber-eligibility'];
    gen(
      () => write270({ ...base, inquiries: [{ ...base.inquiries[0], subscriber: { lastName: 'X' } }] }),
      'inquiries[0].subscriber.memberId is required',
    );
    gen(
      () => write270({ ...base, inquiries: [{ ...base.inquiries[0], trace: { type: '1', number: 'A', originator: '123' } }] }),
      'inquiries[0].trace.originator must be 10 characters',
    );
    gen(
      () => write271({ ...INPUT_271.inactive, answers: [{ payer: PAYER, provider: { ...PRACTICE, name: 'A*B' } }] }),
      'NM103 contains the delimiter',
    );
    const line = INPUT_276['one-line-claim'].inquiries[0];
    gen(
      () =>
        write276({
          ...INPUT_276['one-line-claim'],
          inquiries: [{ ...line, claim: { ...line.claim, lines: [{ ...line.claim.lines![0], serviceDate: undefined }] } }],
        }),
      'claim CLM-1007: inquiries[0].claim.lines[0].serviceDate is required',
    );
    gen(
      () =>
        write277({
          ...INPUT_277['claim-not-found'],
          answers: [{ ...INPUT_277['claim-not-found'].answers[0], claim: { trace: 'X', reports: [] } }],
        }),
      'claim X: answers[0].claim.reports must hold at least one status',
    );
  });

  it('percents go out as a fraction of one without float noise, and come back', () => {
    expect([0, 7, 12.5, 20, 33.33, 100].map((p) => formatPercent(p))).toEqual(['0', '0.07', '0.125', '0.2', '0.3333', '1']);
    expect(['0', '0.07', '.125', '0.2', '1', '1.0'].map(parsePercent)).toEqual([0, 7, 12.5, 20, 100, 100]);
    expect(['1.5', 'x', '', '-0.1'].map(parsePercent)).toEqual([undefined, undefined, undefined, undefined]);
    expect(() => formatPercent(101)).toThrow('must be a percent from 0 to 100');
  });
});
