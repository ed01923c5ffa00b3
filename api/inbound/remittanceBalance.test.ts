import { describe, expect, it } from 'vitest';
import { findImbalance } from './remittanceBalance';
import { remittanceMessage, type RemittanceInput } from './schemas';

/** A denied claim (no lines) and a paid one with a deductible, each balancing. */
const balanced = (): RemittanceInput =>
  remittanceMessage.parse({
    payerElectronicId: 'UMI62',
    traceNumber: 'T1',
    paymentDate: '2026-11-20',
    paymentMethod: 'CHK',
    paymentCents: 7_000,
    claims: [
      {
        claimId: 'CFA',
        statusCode: '4',
        chargeCents: 14_500,
        paidCents: 0,
        patientRespCents: 0,
        adjustments: [{ groupCode: 'CO', carc: '50', amountCents: 14_500 }],
      },
      {
        claimId: 'CFB',
        statusCode: '1',
        chargeCents: 10_000,
        paidCents: 7_000,
        patientRespCents: 2_000,
        adjustments: [
          { lineNo: 1, groupCode: 'PR', carc: '1', amountCents: 2_000 },
          { lineNo: 1, groupCode: 'CO', carc: '45', amountCents: 1_000 },
        ],
        lines: [{ lineNo: 1, procedureCode: '99213', chargeCents: 10_000, paidCents: 7_000 }],
      },
    ],
  });

describe('findImbalance', () => {
  it('passes a remittance whose claims, lines and payment all add up', () => {
    expect(findImbalance(balanced())).toBeNull();
  });

  it('counts a claim-level adjustment in the claim, not in any line', () => {
    const r = balanced();
    r.claims[1].adjustments[1].lineNo = undefined;
    r.claims[1].lines[0].chargeCents = 9_000;
    expect(findImbalance(r)).toBeNull();
  });

  it('names a line whose charge is not paid plus its adjustments', () => {
    const r = balanced();
    r.claims[1].lines[0].paidCents = 6_000;
    expect(findImbalance(r)?.field).toBe('claims[1].lines[0]');
  });

  it("names a claim paid amount that differs from its lines' total", () => {
    const r = balanced();
    r.claims[1].paidCents = 6_000;
    r.claims[1].adjustments.push({ groupCode: 'CO', carc: '45', amountCents: 1_000 });
    expect(findImbalance(r)?.field).toBe('claims[1].paidCents');
  });

  it('names a claim charge that is not paid plus every adjustment', () => {
    const r = balanced();
    r.claims[0].chargeCents = 14_000;
    expect(findImbalance(r)?.field).toBe('claims[0].chargeCents');
  });

  it('names a patient responsibility that is not the PR adjustments', () => {
    const r = balanced();
    r.claims[1].patientRespCents = 2_500;
    expect(findImbalance(r)?.field).toBe('claims[1].patientRespCents');
  });

  it('names an adjustment on a line the claim does not have', () => {
    const r = balanced();
    r.claims[1].adjustments.push({ lineNo: 7, groupCode: 'CO', carc: '45', amountCents: 0 });
    expect(findImbalance(r)?.field).toBe('claims[1].adjustments[2].lineNo');
  });

  it('names a payment that is not the claims paid total', () => {
    const r = balanced();
    r.paymentCents = 7_001;
    expect(findImbalance(r)?.field).toBe('paymentCents');
  });

  it('balances a reversal, whose amounts are all negative', () => {
    const r = balanced();
    r.claims = [
      {
        claimId: 'CFB',
        statusCode: '22',
        chargeCents: -10_000,
        paidCents: -7_000,
        patientRespCents: -2_000,
        adjustments: [
          { groupCode: 'PR', carc: '1', amountCents: -2_000 },
          { groupCode: 'CO', carc: '45', amountCents: -1_000 },
        ],
        lines: [],
      },
      {
        claimId: 'CFB2',
        statusCode: '1',
        chargeCents: 10_000,
        paidCents: 7_000,
        patientRespCents: 3_000,
        adjustments: [{ groupCode: 'PR', carc: '1', amountCents: 3_000 }],
        lines: [],
      },
    ];
    r.paymentCents = 0;
    expect(findImbalance(r)).toBeNull();
  });
});
