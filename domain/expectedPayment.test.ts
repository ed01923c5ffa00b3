import { describe, expect, it } from 'vitest';
import { expectedAllowed, expectedVsCollected, findUnderpayment, type ContractRate, type PostedLine } from './expectedPayment';

const service = { payerId: 'payer-a', providerNpi: '1457293011', dateOfService: '2026-03-15' };
const line = (o: Partial<{ procedureCode: string; modifiers: string[]; units: number; chargeCents: number }> = {}) => ({
  procedureCode: '99213',
  modifiers: [] as string[],
  units: 1,
  chargeCents: 50_000,
  ...o,
});
const rate = (o: Partial<ContractRate> = {}): ContractRate => ({
  payerId: 'payer-a',
  procedureCode: '99213',
  allowedCents: 9_200,
  effectiveFrom: '2026-01-01',
  ...o,
});

describe('expected allowed amount of a line', () => {
  it('is the payer-wide rate times the units', () => {
    expect(expectedAllowed([rate()], service, line({ units: 3 }))?.expectedAllowedCents).toBe(27_600);
  });

  it('is unknown (not zero) when no rate covers the code, the payer or the date', () => {
    expect(expectedAllowed([], service, line())).toBeUndefined();
    expect(expectedAllowed([rate({ procedureCode: '99214' })], service, line())).toBeUndefined();
    expect(expectedAllowed([rate({ payerId: 'payer-b' })], service, line())).toBeUndefined();
    expect(expectedAllowed([rate({ effectiveFrom: '2026-03-16' })], service, line())).toBeUndefined();
    expect(expectedAllowed([rate({ effectiveTo: '2026-03-14' })], service, line())).toBeUndefined();
  });

  it('takes the rate in effect on the date of service, both ends inclusive', () => {
    const rates = [
      rate({ allowedCents: 9_000, effectiveFrom: '2025-01-01', effectiveTo: '2026-03-14' }),
      rate({ allowedCents: 9_500, effectiveFrom: '2026-03-15', effectiveTo: '2026-12-31' }),
    ];
    expect(expectedAllowed(rates, service, line())?.expectedAllowedCents).toBe(9_500);
    expect(expectedAllowed(rates, { ...service, dateOfService: '2026-03-14' }, line())?.expectedAllowedCents).toBe(9_000);
    expect(expectedAllowed(rates, { ...service, dateOfService: '2026-12-31' }, line())?.expectedAllowedCents).toBe(9_500);
    expect(expectedAllowed(rates, { ...service, dateOfService: '2027-01-01' }, line())).toBeUndefined();
  });

  it("prefers the provider's own rate over the payer-wide one, and ignores another provider's", () => {
    const rates = [
      rate(),
      rate({ providerNpi: '1457293011', allowedCents: 10_000 }),
      rate({ providerNpi: '1673840256', allowedCents: 12_000 }),
    ];
    expect(expectedAllowed(rates, service, line())?.expectedAllowedCents).toBe(10_000);
    expect(expectedAllowed(rates, { ...service, providerNpi: '1982736450' }, line())?.expectedAllowedCents).toBe(9_200);
  });

  it("prefers a rate for one of the line's modifiers over the one without, and the first modifier over a later one", () => {
    const rates = [rate(), rate({ modifier: '25', allowedCents: 9_900 }), rate({ modifier: '59', allowedCents: 8_000 })];
    expect(expectedAllowed(rates, service, line({ modifiers: ['25'] }))?.expectedAllowedCents).toBe(9_900);
    expect(expectedAllowed(rates, service, line({ modifiers: ['59', '25'] }))?.expectedAllowedCents).toBe(8_000);
    expect(expectedAllowed(rates, service, line({ modifiers: ['GT'] }))?.expectedAllowedCents).toBe(9_200);
    expect(expectedAllowed(rates, service, line())?.expectedAllowedCents).toBe(9_200);
    // a modifier rate alone does not price a line without that modifier
    expect(expectedAllowed([rate({ modifier: '25' })], service, line())).toBeUndefined();
  });

  it('ranks provider before modifier: a provider rate without modifier beats a payer-wide one with it', () => {
    const rates = [rate({ modifier: '25', allowedCents: 9_900 }), rate({ providerNpi: '1457293011', allowedCents: 10_000 })];
    expect(expectedAllowed(rates, service, line({ modifiers: ['25'] }))?.expectedAllowedCents).toBe(10_000);
  });

  it('never expects more than the charge (payers allow the lesser of the two)', () => {
    expect(expectedAllowed([rate()], service, line({ chargeCents: 8_000 }))?.expectedAllowedCents).toBe(8_000);
  });
});

describe('underpayment after posting', () => {
  const posted = (o: Partial<PostedLine> = {}): PostedLine => ({
    lineNo: 1,
    procedureCode: '99213',
    expectedAllowedCents: 9_200,
    paidCents: 9_200,
    patientRespCents: 0,
    carcs: ['CO-45'],
    ...o,
  });
  const tolerance = { cents: 100, percent: 0 };

  it('finds nothing when the payer allowed the contracted amount, paid or owed by the patient', () => {
    expect(findUnderpayment([posted()], tolerance)).toBeUndefined();
    expect(findUnderpayment([posted({ paidCents: 7_360, patientRespCents: 1_840 })], tolerance)).toBeUndefined();
  });

  it('reports each line allowed below the contract beyond the tolerance, with its figures', () => {
    const found = findUnderpayment(
      [posted(), posted({ lineNo: 2, procedureCode: '85025', expectedAllowedCents: 780, paidCents: 500, carcs: ['CO-45', 'CO-45'] })],
      tolerance,
    );
    expect(found).toEqual({
      lines: [
        {
          lineNo: 2,
          procedureCode: '85025',
          expectedCents: 780,
          allowedCents: 500,
          paidCents: 500,
          patientRespCents: 0,
          differenceCents: 280,
          carcs: ['CO-45'],
        },
      ],
      expectedCents: 780,
      allowedCents: 500,
      differenceCents: 280,
      uncheckedLineNos: [],
    });
  });

  it('lets a line be short by the tolerance, the larger of cents and percent', () => {
    expect(findUnderpayment([posted({ paidCents: 9_100 })], tolerance)).toBeUndefined();
    expect(findUnderpayment([posted({ paidCents: 9_099 })], tolerance)?.differenceCents).toBe(101);
    expect(findUnderpayment([posted({ paidCents: 8_740 })], { cents: 100, percent: 5 })).toBeUndefined();
    expect(findUnderpayment([posted({ paidCents: 8_739 })], { cents: 100, percent: 5 })?.differenceCents).toBe(461);
    expect(findUnderpayment([posted({ paidCents: 9_199 })], { cents: 0, percent: 0 })?.differenceCents).toBe(1);
  });

  it('leaves lines without a contracted rate unchecked, and names them when another line is underpaid', () => {
    expect(findUnderpayment([posted({ expectedAllowedCents: null, paidCents: 0 })], tolerance)).toBeUndefined();
    const found = findUnderpayment([posted({ paidCents: 0 }), posted({ lineNo: 2, expectedAllowedCents: null, paidCents: 0 })], tolerance);
    expect(found?.uncheckedLineNos).toEqual([2]);
    expect(found?.lines.map((l) => l.lineNo)).toEqual([1]);
  });

  it('does not call a payment above the contract an underpayment', () => {
    expect(findUnderpayment([posted({ paidCents: 12_000 })], tolerance)).toBeUndefined();
  });
});

describe('expected vs collected', () => {
  it('totals priced lines per payer and counts unpriced ones apart', () => {
    const r = expectedVsCollected([
      { payerId: 'b', expectedAllowedCents: 1_000, paidCents: 900, patientRespCents: 0 },
      { payerId: 'a', expectedAllowedCents: 2_000, paidCents: 1_600, patientRespCents: 400 },
      { payerId: 'a', expectedAllowedCents: null, paidCents: 500, patientRespCents: 0 },
    ]);
    expect(r.total).toEqual({
      pricedLines: 2,
      unpricedLines: 1,
      expectedCents: 3_000,
      collectedCents: 2_500,
      patientRespCents: 400,
      shortfallCents: 100,
    });
    expect(r.byPayer.map((p) => [p.payerId, p.shortfallCents, p.unpricedLines])).toEqual([
      ['a', 0, 1],
      ['b', 100, 0],
    ]);
  });
});
