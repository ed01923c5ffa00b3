// The CMS-1500 boxes of a claim, from its 837P model: one line, eight lines on two pages, a patient with a second
// coverage (a dependant), a corrected claim, Medicare's item 11, and what the form cannot carry.
import { describe, expect, it } from 'vitest';
import type { Claim837, ServiceLine } from '../x12/837pModel';
import { Cms1500Error, cms1500Pages, formMoney, formText, type Cms1500Input } from './fields';

const line = (procedureCode: string, chargeCents: number, diagnosisPointers: number[], extra: Partial<ServiceLine> = {}): ServiceLine => ({
  procedureCode,
  modifiers: [],
  chargeCents,
  units: 1,
  diagnosisPointers,
  ...extra,
});

function claimOf(lines: ServiceLine[], over: Partial<Claim837['claim']> = {}): Claim837 {
  return {
    submitter: { name: { organization: 'CLAIMFLOW BILLING' }, id: 'CLAIMFLOW', contact: { name: 'BILLING OFFICE', phone: '5035550100' } },
    receiver: { name: 'CLEARINGHOUSE', id: 'CFSIMULATOR' },
    billingProvider: {
      name: { organization: 'Riverbend Family Medicine' },
      npi: '1457293011',
      taxId: '841234567',
      taxonomy: '207Q00000X',
      address: { line1: '100 Main St.', city: 'Fairhaven', state: 'OR', postalCode: '974011234' },
    },
    subscriber: {
      memberId: 'BPK12345601',
      name: { last: 'Núñez', first: 'José', middle: 'Luis' },
      birthDate: '1971-06-02',
      sex: 'M',
      address: { line1: '42 Willow Ln, #3', city: 'Fairhaven', state: 'OR', postalCode: '97401' },
      groupNumber: 'GRP-40411',
      claimFilingIndicator: 'CI',
      payerResponsibility: 'P',
    },
    payer: { name: 'Blue Peak Health Plan', id: 'BPK47' },
    claim: {
      patientControlNumber: 'CF7K2M9Q4X1Z',
      totalChargeCents: lines.reduce((s, l) => s + l.chargeCents, 0),
      placeOfService: '11',
      frequencyCode: '1',
      providerSignature: 'Y',
      assignment: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      dateOfService: '2026-11-02',
      diagnoses: ['E11.9', 'I10'],
      lines,
      ...over,
    },
  };
}

const input = (claim: Claim837, over: Partial<Cms1500Input> = {}): Cms1500Input => ({
  claim,
  serviceFacility: {
    name: 'Riverbend Medical Group',
    address: { line1: '100 Main St', city: 'Fairhaven', state: 'OR', postalCode: '974010000' },
  },
  billingPhone: '5035550100',
  signedOn: '2026-12-08',
  ...over,
});

describe('cms1500Pages', () => {
  it('maps a one-line claim of the insured themself to the boxes, upper case ASCII, money split into dollars and cents', () => {
    const pages = cms1500Pages(input(claimOf([line('99214', 21_000, [1, 2], { modifiers: ['25'] })])));
    expect(pages).toHaveLength(1);
    const [p] = pages;
    expect(p).toMatchObject({
      pageNumber: 1,
      pageCount: 1,
      carrier: ['BLUE PEAK HEALTH PLAN', 'PAYER ID BPK47'],
      insuranceType: 'GROUP HEALTH PLAN',
      insuredId: 'BPK12345601',
      patientName: 'NUNEZ, JOSE, L',
      patientBirthDate: { mm: '06', dd: '02', yy: '1971' },
      patientSex: 'M',
      insuredName: 'NUNEZ, JOSE, L',
      patientAddress: { street: '42 WILLOW LN 3', city: 'FAIRHAVEN', state: 'OR', zip: '97401' },
      relationship: 'SELF',
      insuredAddress: { street: '42 WILLOW LN 3', city: 'FAIRHAVEN', state: 'OR', zip: '97401' },
      employmentRelated: false,
      autoAccident: false,
      otherAccident: false,
      insuredGroupNumber: 'GRP-40411',
      insuredBirthDate: { mm: '06', dd: '02', yy: '1971' },
      insuredSex: 'M',
      insurancePlanName: 'BLUE PEAK HEALTH PLAN',
      anotherPlan: false,
      patientSignature: 'SIGNATURE ON FILE',
      insuredSignature: 'SIGNATURE ON FILE',
      icdIndicator: '0',
      diagnoses: ['E119', 'I10'],
      federalTaxId: '841234567',
      federalTaxIdType: 'EIN',
      patientAccountNumber: 'CF7K2M9Q4X1Z',
      acceptAssignment: true,
      totalCharge: { dollars: '210', cents: '00' },
      amountPaid: { dollars: '0', cents: '00' },
      physicianSignature: 'SIGNATURE ON FILE',
      physicianSignedOn: { mm: '12', dd: '08', yy: '26' },
      serviceFacility: { name: 'RIVERBEND MEDICAL GROUP', street: '100 MAIN ST', cityStateZip: 'FAIRHAVEN OR 97401' },
      billingProvider: {
        phone: { area: '503', number: '5550100' },
        name: 'RIVERBEND FAMILY MEDICINE',
        street: '100 MAIN ST',
        cityStateZip: 'FAIRHAVEN OR 97401-1234',
        npi: '1457293011',
      },
    });
    expect(p.lines).toEqual([
      {
        from: { mm: '11', dd: '02', yy: '26' },
        to: { mm: '11', dd: '02', yy: '26' },
        placeOfService: '11',
        procedureCode: '99214',
        modifiers: ['25'],
        diagnosisPointers: 'AB',
        charge: { dollars: '210', cents: '00' },
        units: '1',
        otherIdQualifier: 'ZZ',
        otherId: '207Q00000X',
        renderingNpi: '1457293011',
      },
    ]);
    expect(p.resubmission).toBeUndefined();
    expect(p.otherInsuredName).toBeUndefined();
    expect(p.referringProvider).toBeUndefined();
  });

  it('puts eight lines on two pages of six and two, each page totalled on its own lines', () => {
    const charges = [21_000, 2_500, 6_800, 4_250, 1_800, 5_500, 17_550, 3_000];
    const lines = charges.map((c, i) => line(`9900${i}`, c, [1 + (i % 2)]));
    const pages = cms1500Pages(input(claimOf(lines)));
    expect(pages.map((p) => [p.pageNumber, p.pageCount, p.lines.length])).toEqual([
      [1, 2, 6],
      [2, 2, 2],
    ]);
    expect(pages[0].totalCharge).toEqual({ dollars: '418', cents: '50' });
    expect(pages[1].totalCharge).toEqual({ dollars: '205', cents: '50' });
    expect(pages[1].lines.map((l) => l.procedureCode)).toEqual(['99006', '99007']);
    // Everything but the lines and their totals is the same form again.
    const rest = (p: (typeof pages)[number]) => ({ ...p, pageNumber: 0, lines: [], totalCharge: null, amountPaid: null });
    expect(rest(pages[1])).toEqual(rest(pages[0]));
  });

  it("fills 9, 9a and 9d with the patient's other coverage and answers 11d YES; a child's insured is the parent", () => {
    const claim = claimOf([line('99213', 14_500, [1])]);
    claim.subscriber = { ...claim.subscriber, name: { last: 'Okafor' }, birthDate: undefined, sex: undefined, address: undefined };
    claim.patient = {
      relationship: '19',
      name: { last: 'Okafor', first: 'Milo' },
      birthDate: '2017-04-09',
      sex: 'M',
      address: { line1: '15 Heron Way', city: 'Fairhaven', state: 'OR', postalCode: '97402' },
    };
    const [p] = cms1500Pages(
      input(claim, { otherCoverage: { insured: { last: 'Okafor' }, policyNumber: 'UMI55501', planName: 'Unity Mutual Insurance' } }),
    );
    expect(p).toMatchObject({
      patientName: 'OKAFOR, MILO',
      patientBirthDate: { mm: '04', dd: '09', yy: '2017' },
      relationship: 'CHILD',
      insuredName: 'OKAFOR',
      otherInsuredName: 'OKAFOR',
      otherInsuredPolicy: 'UMI55501',
      otherInsuredPlan: 'UNITY MUTUAL INSURANCE',
      anotherPlan: true,
    });
    // The read model has no address or birth date of a dependant's subscriber: 7 and 11a stay empty.
    expect(p.insuredAddress).toBeUndefined();
    expect(p.insuredBirthDate).toBeUndefined();
  });

  it('marks a corrected claim with resubmission code 7 and the original claim number in box 22', () => {
    const claim = claimOf([line('99213', 14_500, [1])], { frequencyCode: '7', originalPayerClaimControlNumber: '2026110400123' });
    const [p] = cms1500Pages(input(claim));
    expect(p.resubmission).toEqual({ code: '7', originalReference: '2026110400123' });
  });

  it("writes NONE in Medicare's item 11 when nothing is primary to Medicare, and checks MEDICARE in box 1", () => {
    const claim = claimOf([line('99213', 14_500, [1])]);
    claim.subscriber = { ...claim.subscriber, groupNumber: undefined, claimFilingIndicator: 'MB' };
    const [p] = cms1500Pages(input(claim));
    expect(p.insuranceType).toBe('MEDICARE');
    expect(p.insuredGroupNumber).toBe('NONE');
  });

  it("names a group's rendering provider in 24J and the group in 33a, and a referring provider in 17", () => {
    const claim = claimOf([line('99213', 14_500, [1])]);
    claim.billingProvider = {
      ...claim.billingProvider,
      name: { organization: 'Lakeside Pediatrics' },
      npi: '1528307469',
      taxonomy: undefined,
    };
    claim.claim.renderingProvider = { name: { organization: 'Lakeside Pediatric Clinicians' }, npi: '1384629501', taxonomy: '208000000X' };
    const [p] = cms1500Pages(
      input(claim, { referringProvider: { qualifier: 'DN', name: { last: 'Chen', first: 'Lena', middle: 'Q' }, npi: '1234567893' } }),
    );
    expect(p.lines[0]).toMatchObject({ renderingNpi: '1384629501', otherIdQualifier: 'ZZ', otherId: '208000000X' });
    expect(p.billingProvider.npi).toBe('1528307469');
    expect(p.referringProvider).toEqual({ qualifier: 'DN', name: 'LENA Q CHEN', npi: '1234567893' });
  });

  it('sums what other payers paid on each page into box 29', () => {
    const paid = (cents: number) => ({
      adjudications: [{ payerId: 'P1', paidCents: cents, adjustments: [], adjudicationDate: '2026-11-20' }],
    });
    const lines = Array.from({ length: 7 }, (_, i) => line('99213', 10_000, [1], paid(1_000 * (i + 1))));
    const pages = cms1500Pages(input(claimOf(lines)));
    expect(pages.map((p) => p.amountPaid)).toEqual([
      { dollars: '210', cents: '00' },
      { dollars: '70', cents: '00' },
    ]);
  });

  it('refuses a claim box 21 cannot carry, naming the field', () => {
    const thirteen = Array.from({ length: 13 }, (_, i) => `Z0${String(i).padStart(2, '0')}`);
    expect(() => cms1500Pages(input(claimOf([line('99213', 100, [1])], { diagnoses: thirteen })))).toThrow(Cms1500Error);
    const pointerTooFar = () => cms1500Pages(input(claimOf([line('99213', 100, [3])])));
    expect(pointerTooFar).toThrow(/line 1 points at diagnosis 3/);
  });
});

describe('form text and money', () => {
  it('keeps printable ASCII only, upper case', () => {
    expect(formText('  Zoë   Ångström\u200b ')).toBe('ZOE ANGSTROM');
  });

  it('splits cents into dollars and two cents digits and refuses what is not an amount', () => {
    expect(formMoney(0)).toEqual({ dollars: '0', cents: '00' });
    expect(formMoney(1_234_505)).toEqual({ dollars: '12345', cents: '05' });
    expect(() => formMoney(-1)).toThrow(Cms1500Error);
    expect(() => formMoney(1.5)).toThrow(Cms1500Error);
  });
});
