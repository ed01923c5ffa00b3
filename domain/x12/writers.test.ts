// The payer-side writers (999, 277CA, 835): what they write is read back by our reader and parsers with the
// same facts, inside a correct envelope.
import { describe, expect, it } from 'vitest';
import { readTransactions } from './reader';
import { parse999 } from './999';
import { parse277CA } from './277ca';
import { balance835, parse835 } from './835';
import { write999 } from './write999';
import { write277CA } from './write277ca';
import { write835 } from './write835';
import type { EnvelopeArgs } from './envelopeWriter';

const envelope = (isa: number): EnvelopeArgs => ({
  sender: { qualifier: 'ZZ', id: 'SIMPAYER' },
  receiver: { qualifier: 'ZZ', id: 'CLAIMFLOW' },
  control: { interchangeControlNumber: isa, groupControlNumber: isa, transactionControlNumber: '0001' },
  now: { date: '2026-10-05', time: '1230' },
  usage: 'T',
});

function only(text: string) {
  const { transactions, errors } = readTransactions(text);
  expect(errors).toEqual([]);
  expect(transactions).toHaveLength(1);
  return transactions[0];
}

describe('write999', () => {
  it('an accepted 837 group', () => {
    const text = write999({
      ...envelope(7),
      group: { functionalId: 'HC', controlNumber: '41', version: '005010X222A1' },
      sets: [{ setId: '837', controlNumber: '0041', implementation: '005010X222A1', accepted: true }],
    });
    expect(
      text.startsWith('ISA*00*          *00*          *ZZ*SIMPAYER       *ZZ*CLAIMFLOW      *261005*1230*^*00501*000000007*0*T*:~'),
    ).toBe(true);
    const t = only(text);
    expect(t.group?.functionalId).toBe('FA');
    const ack = parse999(t);
    expect(ack).toMatchObject({
      group: { functionalId: 'HC', controlNumber: '41', version: '005010X222A1' },
      status: 'A',
      accepted: true,
      setsIncluded: 1,
      setsReceived: 1,
      setsAccepted: 1,
    });
    expect(ack.sets).toEqual([
      {
        setId: '837',
        controlNumber: '0041',
        implementation: '005010X222A1',
        status: 'A',
        accepted: true,
        errorCodes: [],
        segmentErrors: [],
      },
    ]);
  });

  it('a rejected set with segment and element errors, next to an accepted one', () => {
    const text = write999({
      ...envelope(8),
      group: { functionalId: 'HC', controlNumber: '42' },
      sets: [
        {
          setId: '837',
          controlNumber: '0042',
          accepted: false,
          segmentErrors: [
            { segmentId: 'CLM', position: 23, loopId: '2300', code: '8', elementErrors: [{ position: 2, reference: '782', code: '1' }] },
          ],
        },
        { setId: '837', controlNumber: '0043', accepted: true },
      ],
    });
    const ack = parse999(only(text));
    expect(ack).toMatchObject({ status: 'P', accepted: true, setsIncluded: 2, setsReceived: 2, setsAccepted: 1 });
    expect(ack.sets[0]).toMatchObject({
      controlNumber: '0042',
      status: 'R',
      accepted: false,
      errorCodes: ['5'],
      segmentErrors: [
        { segmentId: 'CLM', position: 23, loopId: '2300', code: '8', elementErrors: [{ position: 2, reference: '782', code: '1' }] },
      ],
    });
    const all = parse999(
      only(
        write999({
          ...envelope(9),
          group: { functionalId: 'HC', controlNumber: '43' },
          sets: [{ setId: '837', controlNumber: '0044', accepted: false, errorCodes: ['3'] }],
        }),
      ),
    );
    expect(all).toMatchObject({ status: 'R', accepted: false, sets: [{ errorCodes: ['3'] }] });
  });
});

describe('write277CA', () => {
  it('claims accepted and rejected: TRN*2, STC, REF*1K, totals', () => {
    const text = write277CA({
      ...envelope(10),
      reference: '000000041',
      payer: { name: 'SIMULATED PAYER', id: 'DMC01' },
      informationReceiver: { name: 'CLAIMFLOW', id: 'CLAIMFLOW' },
      provider: { name: 'RIVERBEND FAMILY MEDICINE', npi: '1457293011' },
      receivedDate: '2026-10-04',
      claims: [
        {
          claimId: 'CF0000000001',
          status: { category: 'A2', code: '20' },
          chargeCents: 20_500,
          payerClaimControlNo: '12345678901234',
          patient: { last: 'DOE', first: 'JANE', memberId: 'M1' },
          serviceDate: { from: '2026-10-01' },
        },
        {
          claimId: 'CF0000000002',
          status: { category: 'A7', code: '164', entity: 'IL' },
          message: 'Subscriber ID invalid',
          chargeCents: 10_000,
          patient: { last: 'ROE', memberId: 'M2' },
          serviceDate: { from: '2026-09-28', to: '2026-09-30' },
        },
      ],
    });
    const ack = parse277CA(only(text));
    expect(ack.payer).toMatchObject({ name: 'SIMULATED PAYER', id: 'DMC01', receivedDate: '2026-10-04' });
    expect(ack.batches).toMatchObject([
      { traceNumber: '000000041', acceptedCount: 1, rejectedCount: 1, acceptedAmount: 20_500, rejectedAmount: 10_000 },
    ]);
    expect(ack.claims.map((c) => [c.patientControlNumber, c.outcome, c.amount, c.payerClaimControlNumber])).toEqual([
      ['CF0000000001', 'accepted', 20_500, '12345678901234'],
      ['CF0000000002', 'rejected', 10_000, undefined],
    ]);
    expect(ack.claims[0].serviceDate).toEqual({ from: '2026-10-01', to: '2026-10-01' });
    expect(ack.claims[1].reports[0]).toMatchObject({
      statuses: [{ category: 'A7', code: '164', entity: 'IL' }],
      action: 'U',
      message: 'Subscriber ID invalid',
    });
  });
});

describe('write835', () => {
  it('payment, partial payment, denial and a PLB: read back with the same facts, and balanced', () => {
    const text = write835({
      ...envelope(11),
      payment: {
        amountCents: 15_000 + 9_000 - 1_000,
        method: 'ACH',
        date: '2026-10-20',
        bank: {
          payer: { routingNumber: '011000015', accountNumber: '1234567' },
          payee: { routingNumber: '021000021', accountNumber: '7654321' },
        },
      },
      traceNumber: '123456789012345',
      productionDate: '2026-10-19',
      payer: {
        name: 'SIMULATED PAYER',
        id: 'DMC01',
        taxId: '123456789',
        address: { line1: '1 PAYER WAY', city: 'SALEM', state: 'OR', postalCode: '97301' },
        technicalContact: { name: 'EDI', phone: '8005550100' },
      },
      payee: { name: 'RIVERBEND FAMILY MEDICINE', npi: '1457293011', taxId: '841234567' },
      claims: [
        {
          claimId: 'CF1',
          status: '1',
          filingIndicator: '12',
          chargeCents: 20_000,
          paidCents: 15_000,
          patientRespCents: 0,
          payerClaimControlNo: '111',
          patient: { last: 'DOE', first: 'JANE', memberId: 'M1' },
          statementFrom: '2026-10-01',
          lines: [
            {
              procedureCode: '99214',
              modifiers: ['25'],
              chargeCents: 20_000,
              paidCents: 15_000,
              controlNumber: '1',
              adjustments: [{ group: 'CO', reason: '45', amountCents: 5_000 }],
            },
          ],
        },
        {
          claimId: 'CF2',
          status: '1',
          filingIndicator: '12',
          patient: { last: 'TEST', memberId: 'M1' },
          payerClaimControlNo: 'ICN1',
          chargeCents: 12_000,
          paidCents: 9_000,
          patientRespCents: 2_000,
          lines: [
            {
              procedureCode: '36415',
              chargeCents: 12_000,
              paidCents: 9_000,
              units: 2,
              controlNumber: '1',
              adjustments: [
                { group: 'CO', reason: '45', amountCents: 1_000 },
                { group: 'PR', reason: '1', amountCents: 1_500 },
                { group: 'PR', reason: '2', amountCents: 500 },
              ],
            },
          ],
        },
        {
          claimId: 'CF3',
          status: '4',
          filingIndicator: '12',
          patient: { last: 'TEST', memberId: 'M1' },
          payerClaimControlNo: 'ICN1',
          chargeCents: 5_000,
          paidCents: 0,
          patientRespCents: 0,
          adjustments: [{ group: 'CO', reason: '50', amountCents: 1_000 }],
          lines: [
            {
              procedureCode: '85025',
              chargeCents: 5_000,
              paidCents: 0,
              controlNumber: '2',
              adjustments: [{ group: 'CO', reason: '50', amountCents: 4_000 }],
              remarks: ['N115'],
            },
          ],
        },
      ],
      providerAdjustments: [
        { providerId: '1457293011', fiscalPeriodDate: '2026-12-31', adjustments: [{ reason: 'WO', reference: 'CF0', amountCents: 1_000 }] },
      ],
    });
    const r = parse835(only(text));
    expect(r.payment).toMatchObject({
      handling: 'I',
      amount: 23_000,
      creditDebit: 'C',
      method: 'ACH',
      date: '2026-10-20',
    });
    // TRN03 is "1" + the payer's tax id
    expect(r.trace).toMatchObject({ number: '123456789012345', payerId: '1123456789' });
    expect(r.payer.references).toEqual([{ qualifier: '2U', value: 'DMC01' }]);
    expect(r.payee).toMatchObject({ npi: '1457293011', taxId: '841234567' });
    expect(
      r.claims.map((c) => [c.patientControlNumber, c.status, c.charge, c.paid, c.patientResponsibility, c.payerClaimControlNumber]),
    ).toEqual([
      ['CF1', '1', 20_000, 15_000, 0, '111'],
      ['CF2', '1', 12_000, 9_000, 2_000, 'ICN1'],
      ['CF3', '4', 5_000, 0, 0, 'ICN1'],
    ]);
    expect(r.claims[0].patient).toMatchObject({ lastName: 'DOE', firstName: 'JANE', id: 'M1' });
    expect(r.claims[0].dates).toEqual([
      { qualifier: '232', date: '2026-10-01' },
      { qualifier: '233', date: '2026-10-01' },
    ]);
    expect(r.claims[0].lines[0]).toMatchObject({
      procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] },
      charge: 20_000,
      paid: 15_000,
      controlNumber: '1',
    });
    expect(r.claims[1].lines[0].units).toBe(2);
    expect(r.claims[1].lines[0].adjustments.map((a) => [a.group, a.reason, a.amount])).toEqual([
      ['CO', '45', 1_000],
      ['PR', '1', 1_500],
      ['PR', '2', 500],
    ]);
    expect(r.claims[2].adjustments).toMatchObject([{ group: 'CO', reason: '50', amount: 1_000 }]);
    expect(r.claims[2].lines[0].remarks).toEqual([{ qualifier: 'HE', code: 'N115' }]);
    expect(r.providerAdjustments).toEqual([
      { providerId: '1457293011', fiscalPeriodDate: '2026-12-31', adjustments: [{ reason: 'WO', reference: 'CF0', amount: 1_000 }] },
    ]);
    expect(balance835(r)).toEqual({ balanced: true, problems: [] });
  });

  it('a non-payment 835 and CAS with more than six reasons of one group', () => {
    const reasons = ['1', '2', '3', '45', '96', '97', '204'];
    const text = write835({
      ...envelope(12),
      payment: { amountCents: 0, method: 'NON', date: '2026-10-20' },
      traceNumber: 'T1',
      payer: {
        name: 'P',
        id: 'DMC01',
        taxId: '123456789',
        address: { line1: '1 PAYER WAY', city: 'SALEM', state: 'OR', postalCode: '97301' },
        technicalContact: { name: 'EDI', phone: '8005550100' },
      },
      payee: { name: 'Q', npi: '1457293011' },
      claims: [
        {
          claimId: 'CF9',
          status: '4',
          filingIndicator: '12',
          patient: { last: 'TEST', memberId: 'M1' },
          payerClaimControlNo: 'ICN1',
          chargeCents: 700,
          paidCents: 0,
          lines: [
            {
              procedureCode: '99213',
              chargeCents: 700,
              paidCents: 0,
              adjustments: reasons.map((reason) => ({ group: 'CO', reason, amountCents: 100 })),
            },
          ],
        },
      ],
    });
    expect(text.match(/~CAS\*/g)).toHaveLength(2);
    const r = parse835(only(text));
    expect(r.payment).toMatchObject({ handling: 'H', amount: 0, method: 'NON' });
    expect(r.claims[0].lines[0].adjustments.map((a) => a.reason)).toEqual(reasons);
    expect(balance835(r).balanced).toBe(true);
  });
});
