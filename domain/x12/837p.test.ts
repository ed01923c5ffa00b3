import fs from 'node:fs';
import { FIXTURES_DIR } from '../../test/fixtures';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BillingProvider, Claim837, Payer, Submitter, Subscriber } from './837pModel';
import { X12GenerationError } from './generationError';
import { formatX12Amount, parseCents } from './money';
import { parse837P, read837P } from './read837p';
import { generate837P, type Batch837P } from './write837p';
import { ControlNumberError, MAX_CONTROL_NUMBER, nextControlNumbers, toEnvelopeControl } from './controlNumbers';
import { readTransactions } from './reader';

// ----- sample data (synthetic; NPIs pass the Luhn check)

const submitter: Submitter = {
  name: { organization: 'CLAIMFLOW BILLING' },
  id: 'CF0001',
  contact: { name: 'EDI DESK', phone: '6175550100', extension: '12', email: 'edi@claimflow.example' },
};
const receiver = { name: 'ACME CLEARINGHOUSE', id: 'ACMECH' };

const clinic: BillingProvider = {
  name: { organization: 'RIVERSIDE FAMILY MEDICINE' },
  npi: '1234567893',
  taxId: '123456789',
  taxonomy: '207Q00000X',
  address: { line1: '100 MAIN ST', line2: 'SUITE 200', city: 'BOSTON', state: 'MA', postalCode: '021101234' },
};
const soloDoctor: BillingProvider = {
  name: { last: 'KILDARE', first: 'JAMES', middle: 'R', suffix: 'JR' },
  npi: '1245319599',
  taxId: '987654321',
  address: { line1: '9 HARBOR RD', city: 'SALEM', state: 'MA', postalCode: '019701111' },
};

const jane: Subscriber = {
  memberId: 'XJH123456789',
  name: { last: 'DOE', first: 'JANE', middle: 'Q' },
  birthDate: '1980-04-12',
  sex: 'F',
  address: { line1: '12 ELM ST', city: 'CAMBRIDGE', state: 'MA', postalCode: '02139' },
  groupNumber: 'GRP0042',
  groupName: 'ACME CORP',
  claimFilingIndicator: 'CI',
  payerResponsibility: 'P',
};
const john: Subscriber = {
  memberId: '1EG4TE5MK73',
  name: { last: 'ROE', first: 'JOHN' },
  birthDate: '1950-11-02',
  sex: 'M',
  address: { line1: '7 OAK AVE', line2: 'APT 3', city: 'SALEM', state: 'MA', postalCode: '019702222' },
  claimFilingIndicator: 'MB',
  payerResponsibility: 'P',
};
const blueRiver: Payer = {
  name: 'BLUE RIVER HEALTH',
  id: 'BRH01',
  address: { line1: 'PO BOX 1000', city: 'HARTFORD', state: 'CT', postalCode: '06101' },
};
const medicare: Payer = { name: 'MEDICARE PART B', id: '04412' };

function claim(id: string, overrides: Partial<Claim837['claim']> = {}, parts: Partial<Omit<Claim837, 'claim'>> = {}): Claim837 {
  return {
    submitter,
    receiver,
    billingProvider: clinic,
    subscriber: jane,
    payer: blueRiver,
    ...parts,
    claim: {
      patientControlNumber: id,
      totalChargeCents: 15000,
      placeOfService: '11',
      frequencyCode: '1',
      providerSignature: 'Y',
      assignment: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      dateOfService: '2024-03-01',
      diagnoses: ['E11.9'],
      lines: [{ procedureCode: '99213', modifiers: [], chargeCents: 15000, units: 1, diagnosisPointers: [1] }],
      ...overrides,
    },
  };
}

const child: Claim837['patient'] = {
  relationship: '19',
  name: { last: 'DOE', first: 'TIMMY' },
  birthDate: '2015-06-30',
  sex: 'M',
  address: { line1: '12 ELM ST', city: 'CAMBRIDGE', state: 'MA', postalCode: '02139' },
};

const singleLine = claim('CF-1001');

const fourLines = claim('CF-1002', {
  totalChargeCents: 10000 + 4550 + 2005 + 36000,
  diagnoses: ['E11.9', 'I10', 'E78.5', 'M54.50', 'J45.909', 'K21.9', 'F41.1', 'G47.33', 'N39.0', 'R51.9', 'Z79.4', 'S72.001A'],
  renderingProvider: { name: { last: 'WELBY', first: 'MARCUS' }, npi: '1003000126', taxonomy: '207R00000X' },
  lines: [
    { procedureCode: '99214', modifiers: ['25'], chargeCents: 10000, units: 1, diagnosisPointers: [1, 2, 3, 4] },
    { procedureCode: '93000', modifiers: ['59', 'XU'], chargeCents: 4550, units: 1, diagnosisPointers: [2], serviceDate: '2024-03-02' },
    { procedureCode: '36415', modifiers: [], chargeCents: 2005, units: 2, diagnosisPointers: [12, 11], placeOfService: '81' },
    {
      procedureCode: '20610',
      modifiers: ['RT', 'LT', '59', 'XS'],
      chargeCents: 36000,
      units: 1.5,
      diagnosisPointers: [5, 6, 7],
      serviceDate: '2024-03-04',
      serviceDateEnd: '2024-03-06',
    },
  ],
});

const anesthesia = claim(
  'CF-1003',
  {
    totalChargeCents: 82700,
    placeOfService: '22',
    diagnoses: ['S72.001A'],
    lines: [
      {
        procedureCode: '01230',
        modifiers: ['QK'],
        chargeCents: 82700,
        units: 61,
        unitOfMeasure: 'MJ',
        diagnosisPointers: [1],
        description: 'OPEN PROC UPPER FEMUR',
      },
    ],
  },
  { billingProvider: soloDoctor, subscriber: john, payer: medicare },
);

const forChild = claim('CF-1004', { diagnoses: ['J06.9'] }, { patient: child });

const replacement = claim('CF-1001', { frequencyCode: '7', originalPayerClaimControlNumber: '2024061000123' });
const voided = claim('CF-1001', { frequencyCode: '8', originalPayerClaimControlNumber: '2024061000123' });

// Secondary to Blue River: its 835 paid 9000 and 7000 on the lines (CO 45 contractual write-downs there),
// with deductible and coinsurance as claim-level patient responsibility.
const secondary = claim(
  'CF-1005',
  {
    totalChargeCents: 20000,
    diagnoses: ['M17.11'],
    lines: [
      {
        procedureCode: '99204',
        modifiers: [],
        chargeCents: 12000,
        units: 1,
        diagnosisPointers: [1],
        adjudications: [
          {
            payerId: 'BRH01',
            paidCents: 9000,
            adjustments: [{ group: 'CO', reason: '45', amountCents: 3000 }],
            adjudicationDate: '2024-04-02',
          },
        ],
      },
      {
        procedureCode: '73560',
        modifiers: ['RT'],
        chargeCents: 8000,
        units: 1,
        diagnosisPointers: [1],
        adjudications: [
          {
            payerId: 'BRH01',
            paidCents: 7000,
            adjustments: [{ group: 'CO', reason: '45', amountCents: 1000, quantity: 1 }],
            adjudicationDate: '2024-04-02',
          },
        ],
      },
    ],
    otherPayers: [
      {
        payerResponsibility: 'P',
        relationship: '18',
        groupNumber: 'GRP0042',
        claimFilingIndicator: 'CI',
        subscriber: { name: { last: 'DOE', first: 'JANE', middle: 'Q' }, memberId: 'XJH123456789' },
        payer: { name: 'BLUE RIVER HEALTH', id: 'BRH01' },
        paidCents: 12000,
        adjustments: [
          { group: 'PR', reason: '1', amountCents: 2500 },
          { group: 'PR', reason: '2', amountCents: 1500 },
        ],
      },
    ],
  },
  {
    subscriber: { ...jane, payerResponsibility: 'S', claimFilingIndicator: 'CI', memberId: 'SM-778899' },
    payer: { name: 'SUMMIT MUTUAL', id: 'SMT77' },
  },
);

function batchOf(claims: Claim837[], over: Partial<Batch837P> = {}): Batch837P {
  return {
    claims,
    control: { interchangeControlNumber: 4217, groupControlNumber: 318, transactionControlNumber: '0042' },
    sender: { qualifier: 'ZZ', id: 'CLAIMFLOW' },
    receiver: { qualifier: 'ZZ', id: 'ACMECH' },
    now: { date: '2024-03-15', time: '0930' },
    usage: 'T',
    ...over,
  };
}

function roundTrip(claims: Claim837[], over: Partial<Batch837P> = {}): Claim837[] {
  const { transactions, errors } = readTransactions(generate837P(batchOf(claims, over)));
  expect(errors).toEqual([]);
  expect(transactions).toHaveLength(1);
  const { claims: back, warnings } = read837P(transactions[0]);
  expect(warnings).toEqual([]);
  return back;
}

function segmentsOf(text: string): string[] {
  return text.split('~').filter((s) => s !== '');
}

function generationError(claims: Claim837[], over: Partial<Batch837P> = {}): X12GenerationError {
  try {
    generate837P(batchOf(claims, over));
  } catch (e) {
    if (e instanceof X12GenerationError) return e;
    throw e;
  }
  throw new Error('generate837P accepted the batch');
}

// ----- round trips

describe('an 837P we generate reads back as the claims we started from', () => {
  it.each([
    ['a single-line claim', [singleLine]],
    ['4 lines with modifiers, 12 diagnoses, a date range and a rendering provider', [fourLines]],
    ['anesthesia minutes billed by a person, with a line description', [anesthesia]],
    ['a claim for a dependent (patient is not the subscriber)', [forChild]],
    ['a replacement (frequency 7) with the original payer claim number', [replacement]],
    ['a void (frequency 8)', [voided]],
    ["a secondary claim carrying the primary's claim- and line-level adjudication", [secondary]],
  ])('%s', (_name, claims) => {
    expect(roundTrip(claims)).toEqual(claims);
  });

  it('several claims sharing billing providers and subscribers come back grouped by provider, then subscriber', () => {
    const a = claim('A-1');
    const b = claim('B-2', { dateOfService: '2024-03-05' });
    const c = claim('C-3', {}, { patient: child });
    const d = claim('D-4', {}, { subscriber: john, payer: medicare });
    const e = claim('E-5', {}, { billingProvider: soloDoctor });
    expect(roundTrip([a, d, c, e, b])).toEqual([a, b, d, c, e]);
  });

  it('round-trips with other delimiters', () => {
    const delimiters = { element: '|', component: '>', repetition: '!', segment: '\n' };
    expect(roundTrip([fourLines, secondary], { delimiters })).toEqual([fourLines, secondary]);
  });

  it('refuses to read a transaction that is not an 837', () => {
    const [t] = readTransactions(generate837P(batchOf([singleLine]))).transactions;
    expect(() => read837P({ ...t, setId: '835' })).toThrow(/is not an 837/);
  });

  it('parse837P returns the same claims as read837P', () => {
    const [t] = readTransactions(generate837P(batchOf([singleLine, forChild]))).transactions;
    expect(parse837P(t)).toEqual(read837P(t).claims);
  });
});

// ----- envelope and loop structure

describe('the generated interchange is well formed', () => {
  const a = claim('A-1');
  const b = claim('B-2');
  const c = claim('C-3', {}, { patient: child });
  const d = claim('D-4', {}, { subscriber: john, payer: medicare });
  const e = claim('E-5', {}, { billingProvider: soloDoctor });
  const text = generate837P(batchOf([a, d, c, e, b]));
  const segs = segmentsOf(text);

  it('numbers HL levels in order and links each to its parent, with child codes that match', () => {
    expect(segs.filter((s) => s.startsWith('HL*'))).toEqual([
      'HL*1**20*1',
      'HL*2*1*22*0', // Jane as patient: A, B
      'HL*3*1*22*0', // John: D
      'HL*4*1*22*1', // Jane again, for her dependant: SBR02 may not say "self" here
      'HL*5*4*23*0', // Timmy: C
      'HL*6**20*1', // the solo doctor
      'HL*7*6*22*0', // Jane: E
    ]);
    expect(segs.filter((s) => s.startsWith('SBR*'))).toEqual([
      'SBR*P*18*GRP0042*ACME CORP*****CI',
      'SBR*P*18*******MB',
      'SBR*P**GRP0042*ACME CORP*****CI',
      'SBR*P*18*GRP0042*ACME CORP*****CI',
    ]);
  });

  it('has a 106-character ISA with the control numbers, and trailer counts that match', () => {
    const isa = text.slice(0, text.indexOf('~') + 1);
    expect(isa).toHaveLength(106);
    expect(isa).toBe('ISA*00*          *00*          *ZZ*CLAIMFLOW      *ZZ*ACMECH         *240315*0930*^*00501*000004217*0*T*:~');
    expect(segs[1]).toBe('GS*HC*CLAIMFLOW*ACMECH*20240315*0930*318*X*005010X222A1');
    expect(segs[2]).toBe('ST*837*0042*005010X222A1');
    expect(segs[3]).toBe('BHT*0019*00*0042*20240315*0930*CH');
    const st = segs.findIndex((s) => s.startsWith('ST*'));
    const se = segs.findIndex((s) => s.startsWith('SE*'));
    expect(segs[se]).toBe(`SE*${se - st + 1}*0042`);
    expect(segs.slice(-2)).toEqual(['GE*1*318', 'IEA*1*000004217']);
    expect(segs.filter((s) => s.startsWith('CLM*'))).toHaveLength(5);
  });

  it('writes the segments of a two-claim batch in TR3 loop order', () => {
    const two = segmentsOf(generate837P(batchOf([fourLines, claim('CF-2001', {}, { patient: child })])));
    const tags = two.map((s) => {
      const [id, q] = s.split('*');
      return ['NM1', 'HL', 'REF', 'DTP', 'PRV'].includes(id) ? `${id}*${id === 'HL' ? s.split('*')[3] : q}` : id;
    });
    // prettier-ignore
    expect(tags).toEqual([
      'ISA', 'GS', 'ST', 'BHT',
      'NM1*41', 'PER', // 1000A submitter
      'NM1*40', // 1000B receiver
      'HL*20', 'PRV*BI', 'NM1*85', 'N3', 'N4', 'REF*EI', // 2000A, 2010AA
      'HL*22', 'SBR', 'NM1*IL', 'N3', 'N4', 'DMG', 'NM1*PR', 'N3', 'N4', // 2000B, 2010BA, 2010BB
      'CLM', 'HI', 'NM1*82', 'PRV*PE', // 2300, 2310B
      'LX', 'SV1', 'DTP*472', 'LX', 'SV1', 'DTP*472', 'LX', 'SV1', 'DTP*472', 'LX', 'SV1', 'DTP*472', // 2400 x4
      'HL*22', 'SBR', 'NM1*IL', 'N3', 'N4', 'DMG', 'NM1*PR', 'N3', 'N4', // the same subscriber, as parent of a dependant
      'HL*23', 'PAT', 'NM1*QC', 'N3', 'N4', 'DMG', // 2000C, 2010CA
      'CLM', 'HI', 'LX', 'SV1', 'DTP*472',
      'SE', 'GE', 'IEA',
    ]);
  });

  it('writes the coordination-of-benefits loops 2320/2330A/2330B and 2430 in order', () => {
    const segs2 = segmentsOf(generate837P(batchOf([secondary])));
    const from = segs2.findIndex((s) => s.startsWith('CLM*'));
    expect(segs2.slice(from, -3)).toEqual([
      'CLM*CF-1005*200***11:B:1*Y*A*Y*Y',
      'HI*ABK:M1711',
      'SBR*P*18*GRP0042******CI',
      'CAS*PR*1*25**2*15',
      'AMT*D*120',
      'OI***Y***Y',
      'NM1*IL*1*DOE*JANE*Q***MI*XJH123456789',
      'NM1*PR*2*BLUE RIVER HEALTH*****PI*BRH01',
      'LX*1',
      'SV1*HC:99204*120*UN*1***1',
      'DTP*472*D8*20240301',
      'SVD*BRH01*90*HC:99204**1',
      'CAS*CO*45*30',
      'DTP*573*D8*20240402',
      'LX*2',
      'SV1*HC:73560:RT*80*UN*1***1',
      'DTP*472*D8*20240301',
      'SVD*BRH01*70*HC:73560:RT**1',
      'CAS*CO*45*10*1',
      'DTP*573*D8*20240402',
    ]);
  });

  it('writes REF*F8 after CLM for a replacement, and the frequency in CLM05', () => {
    const segs2 = segmentsOf(generate837P(batchOf([replacement])));
    const at = segs2.findIndex((s) => s.startsWith('CLM*'));
    expect(segs2.slice(at, at + 2)).toEqual(['CLM*CF-1001*150***11:B:7*Y*A*Y*Y', 'REF*F8*2024061000123']);
  });

  it('upper-cases names and addresses and strips accents', () => {
    const lower = claim(
      'CF-3001',
      {},
      { subscriber: { ...jane, name: { last: 'Núñez', first: 'José' }, address: { ...jane.address!, city: 'Cambridge' } } },
    );
    const segs2 = segmentsOf(generate837P(batchOf([lower])));
    expect(segs2).toContain('NM1*IL*1*NUNEZ*JOSE****MI*XJH123456789');
    expect(segs2).toContain('N4*CAMBRIDGE*MA*02139');
  });

  it('leaves out a rendering provider who is the billing provider', () => {
    const same = claim('CF-3002', { renderingProvider: { name: { last: 'ANYONE' }, npi: clinic.npi } });
    expect(generate837P(batchOf([same]))).not.toContain('NM1*82');
  });
});

// ----- values

describe('values that cannot be sent are refused, naming the claim and field', () => {
  it.each([
    [
      'the element separator in a name',
      { subscriber: { ...jane, name: { last: 'DOE*SMITH', first: 'JANE' } } },
      'subscriber.name.last',
      '*',
    ],
    [
      'the segment terminator in an address',
      { billingProvider: { ...clinic, address: { ...clinic.address, line1: '100 MAIN ST~' } } },
      'billingProvider.address.line1',
      '~',
    ],
    ['the component separator in a member id', { subscriber: { ...jane, memberId: 'XJH:123' } }, 'subscriber.memberId', ':'],
    ['the repetition separator in a payer name', { payer: { ...blueRiver, name: 'BLUE ^ RIVER' } }, 'payer.name', '^'],
  ])('%s', (_name, parts, field, ch) => {
    const err = generationError([singleLine, claim('CF-9', {}, parts as Partial<Claim837>)]);
    expect(err.claimId).toBe('CF-9');
    expect(err.field).toBe(field);
    expect(err.message).toContain(`claim CF-9: ${field} contains the delimiter '${ch}'`);
  });

  it('refuses a delimiter in the patient control number itself', () => {
    const err = generationError([claim('CF*10')]);
    expect(err.field).toBe('claim.patientControlNumber');
    expect(err.message).toMatch(/delimiter '\*'/);
  });

  it('checks values against the delimiters actually in use', () => {
    const withPipe = claim('CF-11', {}, { payer: { ...blueRiver, name: 'BLUE|RIVER' } });
    expect(() => generate837P(batchOf([withPipe]))).not.toThrow();
    expect(generationError([withPipe], { delimiters: { element: '|', component: ':', repetition: '^', segment: '~' } }).field).toBe(
      'payer.name',
    );
  });

  it('refuses a batch mixing submitters, since 1000A appears once per file', () => {
    const other = claim('CF-13', {}, { submitter: { ...submitter, id: 'OTHER' } });
    expect(generationError([singleLine, other])).toMatchObject({ claimId: 'CF-13', field: 'submitter' });
  });

  it('refuses two claims with one patient control number, which acknowledgements could not tell apart', () => {
    expect(generationError([singleLine, claim(singleLine.claim.patientControlNumber)])).toMatchObject({
      field: 'claim.patientControlNumber',
    });
  });

  it('refuses envelope values that do not fit the ISA/GS/ST formats', () => {
    const control = { interchangeControlNumber: 1, groupControlNumber: 1, transactionControlNumber: 'AB' };
    expect(generationError([singleLine], { control }).field).toBe('control.transactionControlNumber');
    expect(generationError([singleLine], { sender: { qualifier: 'ZZ', id: 'A-SENDER-ID-LONGER-THAN-15' } }).field).toBe('sender.id');
    expect(generationError([singleLine], { now: { date: '2024-02-30', time: '0930' } }).field).toBe('now.date');
  });

  it.each([
    ['total that is not the sum of the lines', claim('X', { totalChargeCents: 100 }), 'claim.totalChargeCents'],
    ['replacement without the original claim number', claim('X', { frequencyCode: '7' }), 'claim.originalPayerClaimControlNumber'],
    [
      'pointer to a diagnosis that is not there',
      claim('X', { lines: [{ ...singleLine.claim.lines[0], diagnosisPointers: [2] }] }),
      'claim.lines[0].diagnosisPointers',
    ],
    ['13 diagnoses', claim('X', { diagnoses: Array(13).fill('E11.9') }), 'claim.diagnoses'],
    ['a patient control number over 20 characters', claim('X'.repeat(21)), 'claim.patientControlNumber'],
    [
      'a secondary claim without the primary adjudication',
      claim('X', {}, { subscriber: { ...jane, payerResponsibility: 'S' } }),
      'claim.otherPayers',
    ],
    [
      'an unbalanced primary adjudication',
      claim(
        'X',
        { ...secondary.claim, patientControlNumber: 'X', otherPayers: [{ ...secondary.claim.otherPayers![0], paidCents: 11000 }] },
        { subscriber: secondary.subscriber },
      ),
      'claim.otherPayers[0]',
    ],
    ['a subscriber-patient without an address', claim('X', {}, { subscriber: { ...jane, address: undefined } }), 'subscriber.address'],
    [
      'a 5-digit billing provider ZIP',
      claim('X', {}, { billingProvider: { ...clinic, address: { ...clinic.address, postalCode: '02110' } } }),
      'billingProvider.address.postalCode',
    ],
    ['an ICD-10 code that is not one', claim('X', { diagnoses: ['250.00'] }), 'claim.diagnoses[0]'],
  ])('%s', (_name, bad, field) => {
    expect(generationError([bad]).field).toBe(field);
  });
});

describe('what is written is what was checked', () => {
  it('a value that passes its check once trimmed goes out trimmed everywhere it is written (OI of a secondary claim, BHT)', () => {
    const loose = { ...secondary, claim: { ...secondary.claim, benefitsAssigned: 'Y\n' as 'Y', releaseOfInformation: ' I ' as 'I' } };
    const text = generate837P(batchOf([loose], { now: { date: '2024-03-15', time: '0930\n' } }));
    expect(text).not.toMatch(/[\r\n]/);
    const segments = segmentsOf(text);
    expect(segments.filter((x) => x.startsWith('OI*'))).toEqual(['OI***Y***I']);
    expect(segments.find((x) => x.startsWith('BHT*'))).toMatch(/\*0930\*CH$/);
  });
});

describe('money and diagnosis codes', () => {
  it('formats cents without trailing zeros, the way payers expect', () => {
    expect([10000, 10050, 10055, 5, 50, 0, -550, 123456789].map(formatX12Amount)).toEqual([
      '100',
      '100.5',
      '100.55',
      '0.05',
      '0.5',
      '0',
      '-5.5',
      '1234567.89',
    ]);
  });

  it('writes charges in that form', () => {
    const c = claim('CF-12', { totalChargeCents: 10050, lines: [{ ...singleLine.claim.lines[0], chargeCents: 10050 }] });
    const segs = segmentsOf(generate837P(batchOf([c])));
    expect(segs.find((s) => s.startsWith('CLM*'))).toBe('CLM*CF-12*100.5***11:B:1*Y*A*Y*Y');
    expect(segs.find((s) => s.startsWith('SV1*'))).toBe('SV1*HC:99213*100.5*UN*1***1');
  });

  it('sends diagnosis codes without dots, principal first, and restores the dots when reading', () => {
    const text = generate837P(batchOf([fourLines]));
    expect(segmentsOf(text).find((s) => s.startsWith('HI*'))).toBe(
      'HI*ABK:E119*ABF:I10*ABF:E785*ABF:M5450*ABF:J45909*ABF:K219*ABF:F411*ABF:G4733*ABF:N390*ABF:R519*ABF:Z794*ABF:S72001A',
    );
    const [t] = readTransactions(text).transactions;
    expect(parse837P(t)[0].claim.diagnoses).toEqual(fourLines.claim.diagnoses);
  });
});

// ----- control numbers

describe('envelope control numbers', () => {
  it('each advances by one', () => {
    expect(nextControlNumbers({ isa: 41, gs: 7, st: 12 })).toEqual({ isa: 42, gs: 8, st: 13 });
  });

  it('stay unique and increasing over a run of files', () => {
    let n = { isa: 0, gs: 0, st: 0 };
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const next = nextControlNumbers(n);
      expect(next.isa).toBeGreaterThan(n.isa);
      seen.add(next.isa);
      n = next;
    }
    expect(seen.size).toBe(1000);
  });

  it('wrap from 999999999 to 1, never 0', () => {
    expect(nextControlNumbers({ isa: MAX_CONTROL_NUMBER, gs: MAX_CONTROL_NUMBER, st: MAX_CONTROL_NUMBER })).toEqual({
      isa: 1,
      gs: 1,
      st: 1,
    });
  });

  it('refuse a last number that is not a 9-digit non-negative integer', () => {
    expect(() => nextControlNumbers({ isa: -1, gs: 1, st: 1 })).toThrow(ControlNumberError);
    expect(() => nextControlNumbers({ isa: 1, gs: 1e10, st: 1 })).toThrow(ControlNumberError);
    expect(() => nextControlNumbers({ isa: 1, gs: 1, st: 1.5 })).toThrow(ControlNumberError);
  });

  it('go into the envelope, ST02 padded to 4 digits', () => {
    const control = toEnvelopeControl(nextControlNumbers({ isa: 999, gs: 41, st: 6 }));
    expect(control).toEqual({ interchangeControlNumber: 1000, groupControlNumber: 42, transactionControlNumber: '0007' });
    const segs = segmentsOf(generate837P(batchOf([singleLine], { control })));
    expect(segs[0]).toContain('*00501*000001000*0*T*:');
    expect(segs).toContain('ST*837*0007*005010X222A1');
    expect(segs.slice(-3)).toEqual([expect.stringMatching(/^SE\*\d+\*0007$/), 'GE*1*42', 'IEA*1*000001000']);
  });
});

// ----- real files

const FIXTURES = FIXTURES_DIR;

/** CLM, sumCLM02 and SV1 counts per 837P file, as the fixture MANIFEST states them. */
function manifestExpectations(): Map<string, { claims: number; totalCents: number; lines: number }> {
  const manifest = fs.readFileSync(path.join(FIXTURES, 'MANIFEST.md'), 'utf8');
  const out = new Map<string, { claims: number; totalCents: number; lines: number }>();
  for (const row of manifest.split('\n')) {
    const file = /^\| `x12\/837p\/([^`]+)`/.exec(row)?.[1];
    const counts = / CLM=(\d+) sumCLM02=([\d.]+) SV1=(\d+)/.exec(row);
    if (file && counts) out.set(file, { claims: Number(counts[1]), totalCents: parseCents(counts[2])!, lines: Number(counts[3]) });
  }
  return out;
}

// The imsweb samples carry wrong SE01 counts (the reader reports them); their claims are still worth reading.
function readFixture(file: string) {
  return readTransactions(fs.readFileSync(path.join(FIXTURES, 'x12/837p', file), 'utf8'), { controlTotals: false });
}

describe('real 837P files', () => {
  const expected = manifestExpectations();
  const files = fs.readdirSync(path.join(FIXTURES, 'x12/837p')).sort();

  it('every 837P fixture has a MANIFEST row', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !expected.has(f))).toEqual([]);
  });

  it.each(files)('%s parses with the MANIFEST claim count and total charge', (file) => {
    const { transactions, errors } = readFixture(file);
    expect(errors).toEqual([]);
    const claims = transactions.filter((t) => t.setId === '837').flatMap((t) => parse837P(t));
    const want = expected.get(file)!;
    expect(claims).toHaveLength(want.claims);
    expect(claims.reduce((s, c) => s + c.claim.totalChargeCents, 0)).toBe(want.totalCents);
    expect(claims.reduce((s, c) => s + c.claim.lines.length, 0)).toBe(want.lines);
    for (const c of claims) {
      expect(c.claim.patientControlNumber).not.toBe('');
      expect(c.claim.lines.every((l) => l.procedureCode !== '' && l.chargeCents >= 0)).toBe(true);
    }
  });

  it('reads the stress file despite its broken HL numbering, and warns about it', () => {
    const { transactions } = readFixture('imsweb-x12-parser__x12_many_claims.txt');
    const { claims, warnings } = read837P(transactions[0]);
    expect(claims).toHaveLength(820);
    const codes = new Set(warnings.map((w) => w.code));
    expect(codes.has('HL_NUMBERING')).toBe(true);
    expect(codes.has('ICD9')).toBe(true);
    expect(warnings.find((w) => w.code === 'HL_NUMBERING')).toMatchObject({ segmentId: 'HL', message: expect.stringContaining('HL01 is') });
    expect(claims[0].claim.diagnosisCodeSystem).toBe('ICD-9-CM');
  });

  it('reads a TR3 coordination-of-benefits example into otherPayers and line adjudications', () => {
    const { transactions } = readFixture('linuxforhealth-x12__demo.cob.example3.C.837');
    const [c] = parse837P(transactions[0]);
    expect(c.patient).toMatchObject({ relationship: '19', name: { last: 'SMITH', first: 'TED' }, birthDate: '1973-05-01', sex: 'M' });
    expect(c.claim.diagnoses).toEqual(['477.9', '272.4', '278.0', '530.81']);
    expect(c.claim.renderingProvider).toEqual({ name: { last: 'KILDARE', first: 'BEN' }, npi: '1999996666', taxonomy: '204C00000X' });
    expect(c.claim.otherPayers).toEqual([
      {
        payerResponsibility: 'P',
        relationship: '01',
        claimFilingIndicator: '12',
        subscriber: { name: { last: 'SMITH', first: 'JANE' }, memberId: 'JS00111223333' },
        payer: { name: 'KEY INSURANCE COMPANY', id: '999996666' },
        paidCents: 3915,
        adjustments: [
          { group: 'PR', reason: '1', amountCents: 2189 },
          { group: 'PR', reason: '2', amountCents: 1500 },
        ],
      },
    ]);
    expect(c.claim.lines[0].adjudications).toEqual([
      {
        payerId: '999996666',
        paidCents: 4000,
        adjustments: [{ group: 'CO', reason: '42', amountCents: 300 }],
        adjudicationDate: '2005-10-15',
      },
    ]);
  });

  it('reads the HI qualifier and code even when a generator split them into two elements', () => {
    const { transactions } = readFixture('imsweb-x12-parser__x12_valid.txt');
    const { claims, warnings } = read837P(transactions[0]);
    expect(claims[0].claim.diagnoses).toEqual(['890.1', '872.00', '555.9']);
    expect(warnings.some((w) => w.code === 'INVALID' && w.segmentId === 'HI')).toBe(true);
  });
});
