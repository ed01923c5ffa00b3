// The 835 model: what a biller posts from, read from real samples and from edge cases built here.
import fs from 'node:fs';
import { FIXTURES_DIR } from '../../test/fixtures';
import { describe, expect, it } from 'vitest';
import { readTransactions, X12SyntaxError, type Transaction } from './reader';
import { balance835, CLAIM_STATUS_835, parse835 } from './835';

const ROOT = `${FIXTURES_DIR}/x12/835/`;
const remittance = (file: string, controlTotals = true) => {
  const { transactions } = readTransactions(fs.readFileSync(ROOT + file, 'utf8'), { controlTotals });
  return parse835(transactions[0]);
};

/** A bare 835 from segment lines (SE added, count right). */
function bare835(lines: string[]): Transaction {
  const segs = ['ST*835*0001', ...lines];
  const text = [...segs, `SE*${segs.length + 1}*0001`].join('~') + '~';
  const { transactions, errors } = readTransactions(text);
  if (errors.length > 0) throw errors[0];
  return transactions[0];
}
const HEADER = [
  'BPR*I*100*C*ACH*CCP*01*999999999*DA*123456*1999999999**01*999988880*DA*98765*20240315',
  'TRN*1*EFT123*1999999999',
  'N1*PR*ACME HEALTH PLAN',
  'N1*PE*MAIN STREET CLINIC*XX*1234567893',
  'LX*1',
];

describe('parse835', () => {
  it('reads the payment, trace, payer and payee', () => {
    const r = remittance('keironstoddart-edi-835-parser__united_healthcare_legacy_sample.txt');
    expect(r.payment).toEqual({ handling: 'I', amount: 34999, creditDebit: 'C', method: 'ACH', format: 'CCP', date: '2021-02-04' });
    expect(r.trace).toEqual({ type: '1', number: '1234567890', payerId: '1234567890', supplementalCode: '000088888' });
    expect(r.receiverId).toBe('B00099999800');
    expect(r.productionDate).toBe('2021-02-01');
    expect(r.payer).toMatchObject({
      name: 'UNITED HEALTHCARE INSURANCE COMPANY',
      idQualifier: 'XV',
      id: '87726',
      address: { lines: ['9900 BREN ROAD'], city: 'MINNETONKA', state: 'MN', postalCode: '553439664' },
      references: [{ qualifier: '2U', value: '87726' }],
    });
    expect(r.payer.contacts[0]).toEqual({
      function: 'CX',
      name: 'UNITEDHEALTHCARE SERVICES INC AND ITS AFFILIATES',
      numbers: [{ qualifier: 'TE', value: '8778423210' }],
    });
    expect(r.payee).toMatchObject({ name: 'KLAUS MEDICAL CENTER', npi: '1922164458', taxId: '333333333' });
  });

  it('reads claims with amounts in cents, names marked as PHI, dates, and lines with composites split by ">"', () => {
    const [first] = remittance('keironstoddart-edi-835-parser__united_healthcare_legacy_sample.txt').claims;
    expect(first).toMatchObject({
      patientControlNumber: '001-18573-358',
      status: '1',
      charge: 34128,
      paid: 8892,
      patientResponsibility: 10526,
      filingIndicator: '16',
      payerClaimControlNumber: 'ATL2819897200',
      facilityType: '12',
      frequency: '1',
      patient: { entity: 'QC', lastName: 'MR', firstName: 'COOL', idQualifier: 'MI', id: '123456789', phi: true },
      correctedName: { entity: '74', phi: true },
      dates: [
        { qualifier: '232', date: '2020-12-21' },
        { qualifier: '233', date: '2021-01-13' },
        { qualifier: '050', date: '2021-01-14' },
      ],
      amounts: [{ qualifier: 'AU', amount: 19418 }],
      references: [
        { qualifier: '1L', value: '12345' },
        { qualifier: 'CE', value: 'ILLINOIS DEPARTMENT OF CMS' },
      ],
    });
    expect(first.lines).toHaveLength(2);
    expect(first.lines[1]).toMatchObject({
      procedure: { qualifier: 'HC', code: 'B4152', modifiers: [] },
      charge: 18486,
      paid: 0,
      units: 277,
      adjustments: [
        { group: 'PR', reason: '1', amount: 10526 },
        { group: 'CO', reason: '45', amount: 7960 },
      ],
      controlNumber: '800941258002',
      dates: [{ qualifier: '472', date: '2021-01-01' }],
      amounts: [{ qualifier: 'B6', amount: 10526 }],
    });
  });

  it('reads a bare ST..SE remittance with an original procedure (SVC06) and an SVC with empty elements', () => {
    const r = remittance('keironstoddart-edi-835-parser__blue_cross_nc_sample.txt', false);
    const [claim] = r.claims;
    expect(claim).toMatchObject({
      patientControlNumber: '200200964A52',
      status: '1',
      charge: 210000,
      paid: 192286,
      patientResponsibility: 14254,
    });
    expect(claim.lines.map((l) => [l.procedure.code, l.originalProcedure?.code, l.charge, l.paid, l.units, l.controlNumber])).toEqual([
      ['59430', '59410', 121000, 105786, 1, '0001'],
      ['59440', '59410', 89000, 86500, 1, '0002'],
      ['59426', undefined, 0, 0, 1, '0003'], // SVC*HC:59426****** : empty amounts read as 0
    ]);
    expect(claim.lines.flatMap((l) => l.adjustments)).toHaveLength(3);
  });

  it('reads provider-level adjustments with their reason:reference composite', () => {
    const r = remittance('linuxforhealth-x12__medicare-part-a.835');
    expect(r.providerAdjustments).toEqual([
      { providerId: '6543210903', fiscalPeriodDate: '2002-12-31', adjustments: [{ reason: 'CV', reference: 'CP', amount: -127 }] },
    ]);
    expect(r.claims[1].remarkCodes).toEqual(['MA02']);
    expect(balance835(r)).toEqual({ balanced: true, problems: [] });
  });

  it('reads a reversal (negative amounts) and a denial, with six adjustments in one CAS', () => {
    const r = parse835(
      bare835([
        ...HEADER,
        'CLP*CLAIM-7*22*-150*-100**12*ICN-OLD*11*1',
        'CAS*CO*45*-50',
        'CLP*CLAIM-7*1*150*100**12*ICN-NEW*11*7',
        'CAS*CO*45*50',
        'CLP*CLAIM-8*4*300*0**12*ICN-8*11*1',
        'CAS*CO*16*100*1*97*50**4*25**29*25**50*50**11*50',
        'MOA***N290',
        'CLP*CLAIM-9*1*200*100*20*12*ICN-9',
        'SVC*HC:99213:25:59*200*100**1',
        'CAS*PR*1*20',
        'CAS*CO*45*80',
        'LQ*HE*N130',
      ]),
    );
    expect(r.claims.map((c) => [c.status, CLAIM_STATUS_835[c.status], c.charge, c.paid])).toEqual([
      ['22', 'reversal of a previous payment', -15000, -10000],
      ['1', 'processed as primary', 15000, 10000],
      ['4', 'denied', 30000, 0],
      ['1', 'processed as primary', 20000, 10000],
    ]);
    expect(r.claims[2].adjustments).toEqual([
      { group: 'CO', reason: '16', amount: 10000, quantity: 1 },
      { group: 'CO', reason: '97', amount: 5000, quantity: undefined },
      { group: 'CO', reason: '4', amount: 2500, quantity: undefined },
      { group: 'CO', reason: '29', amount: 2500, quantity: undefined },
      { group: 'CO', reason: '50', amount: 5000, quantity: undefined },
      { group: 'CO', reason: '11', amount: 5000, quantity: undefined },
    ]);
    expect(r.claims[2].remarkCodes).toEqual(['N290']);
    expect(r.claims[3].lines[0]).toMatchObject({
      procedure: { qualifier: 'HC', code: '99213', modifiers: ['25', '59'] },
      remarks: [{ qualifier: 'HE', code: 'N130' }],
    });
    expect(balance835(r)).toEqual({ balanced: true, problems: [] });
  });

  it('names segment and element when an amount is not a number or not whole cents', () => {
    const notNumber = bare835([...HEADER, 'CLP*C1*1*100*12x.5']);
    expect(() => parse835(notNumber)).toThrow(
      new X12SyntaxError({ code: 'bad-value', segmentIndex: 7, segmentId: 'CLP', element: 4, reason: '"12x.5" is not a number' }),
    );
    expect(() => parse835(notNumber)).toThrow('segment 7 (CLP), element 4: "12x.5" is not a number');
    expect(() => parse835(bare835([...HEADER, 'CLP*C1*1*100*1.234']))).toThrow(
      'segment 7 (CLP), element 4: "1.234" is not a whole number of cents',
    );
  });

  it('keeps reading past a malformed date, reporting it and leaving the date out', () => {
    const r = remittance('linuxforhealth-x12__managed-care.835');
    expect(r.payment.date).toBeUndefined();
    expect(r.warnings.map((w) => w.message)).toEqual(['segment 4 (BPR), element 16: "20002316" is not a date (CCYYMMDD)']);
  });

  it('reports a procedure written with another separator than ISA16 declares instead of guessing', () => {
    const r = remittance('linuxforhealth-x12__cob-contractural-adjustment.835');
    expect(r.claims[0].lines[0].procedure).toEqual({ qualifier: 'HC>55669', code: '', modifiers: [], description: undefined });
    expect(r.warnings[0].message).toContain('segment 21 (SVC), element 1: procedure "HC>55669" has no code');
    expect(balance835(r).balanced).toBe(true); // the money is still right
  });

  it('refuses segments out of place and a transaction that is not an 835', () => {
    expect(() => parse835(bare835([...HEADER, 'SVC*HC:99213*100*100']))).toThrow('segment 7 (SVC): SVC outside a claim (no CLP before it)');
    expect(() => parse835(bare835(['BPR*I*1*C*CHK']))).toThrow('the 835 has no TRN');
    const { transactions } = readTransactions('ST*999*1~AK1*HC*1~AK9*A*0*0*0~SE*4*1~');
    expect(() => parse835(transactions[0])).toThrow('this is a 999 transaction, not an 835');
  });
});

describe('balance835', () => {
  it('reports a payment that does not match the claims and provider adjustments', () => {
    const r = parse835(bare835([...HEADER, 'CLP*C1*1*100*90**12', 'CAS*CO*45*10', 'PLB*1234567893*20241231*WO:ICN5*-5']));
    expect(balance835(r)).toEqual({
      balanced: false,
      problems: ['payment 100.00 (BPR02) is not claims paid 90.00 less provider adjustments -5.00 = 95.00'],
    });
  });

  it('reports a claim whose charge less payment is not its adjustments (claim and line CAS)', () => {
    const r = parse835(bare835([...HEADER, 'CLP*C1*1*150*100**12', 'CAS*CO*45*10', 'SVC*HC:99213*150*100', 'CAS*PR*2*30']));
    expect(balance835(r).problems).toEqual(['claim C1 (segment 7): charge 150.00 less paid 100.00 is 50.00, adjustments total 40.00']);
  });

  it('treats a debit (BPR03 D) as money going back to the payer', () => {
    const r = parse835(bare835(['BPR*H*25*D*NON', ...HEADER.slice(1), 'CLP*C1*22*-25*-25**12']));
    expect(balance835(r).balanced).toBe(true);
  });
});
