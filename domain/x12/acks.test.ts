// 277CA, 277 and 999 acknowledgements: what a claim's workflow learns from them.
import fs from 'node:fs';
import { FIXTURES_DIR } from '../../test/fixtures';
import { describe, expect, it } from 'vitest';
import { readTransactions } from './reader';
import { parse277CA } from './277ca';
import { parse999 } from './999';
import { describeStatus } from './statusCodes';

const ROOT = `${FIXTURES_DIR}/x12/`;
const first = (file: string) => readTransactions(fs.readFileSync(ROOT + file, 'utf8'), { controlTotals: false }).transactions[0];

describe('parse277CA', () => {
  it('an accepted claim: patient control number, amount, payer claim number, and the batch counts', () => {
    const ack = parse277CA(first('277ca/imsweb-x12-parser__x12_277CA_accepted.txt'));
    expect(ack.payer).toMatchObject({ name: 'NYSDOH', id: '141797357', receivedDate: '2011-03-11', processDate: '2011-03-11' });
    expect(ack.batches).toMatchObject([
      {
        traceNumber: '000000674',
        acceptedCount: 1,
        acceptedAmount: 12500,
        reports: [{ statuses: [{ category: 'A1', code: '20', outcome: 'accepted' }], action: 'WQ', amount: 12500 }],
      },
    ]);
    expect(ack.providers).toMatchObject([{ id: '1234567890', traceNumber: '1107000000000135FF' }]);
    expect(ack.claims).toHaveLength(1);
    expect(ack.claims[0]).toMatchObject({
      patientControlNumber: '5781',
      outcome: 'accepted',
      reason: 'accepted into adjudication: accepted for processing',
      amount: 12500,
      payerClaimControlNumber: '1107000000014420',
      patient: { lastName: 'TPATIENT', phi: true },
    });
  });

  it('a rejected claim, with "|" as component separator, gets a human reason', () => {
    const ack = parse277CA(first('277ca/imsweb-x12-parser__x12_277CA_rejected.txt'));
    expect(ack.claims[0]).toMatchObject({
      patientControlNumber: '3920394930203',
      outcome: 'rejected',
      reason: 'rejected, information invalid: NPI (billing provider)',
      amount: 19914,
      payerClaimControlNumber: '1107000000001120',
      billType: '731',
      serviceDate: { from: '2009-03-11', to: '2009-03-11' },
    });
    expect(ack.claims[0].reports[0].statuses[0]).toEqual({
      category: 'A7',
      code: '562',
      entity: '85',
      outcome: 'rejected',
      text: 'rejected, information invalid: NPI (billing provider)',
    });
  });

  it('reads 277 status responses too: claims under subscriber and dependent levels, line statuses, messages', () => {
    const ack = parse277CA(first('277/linuxforhealth-x12__claim-level-status.277'));
    expect(ack.claims.map((c) => [c.patientControlNumber, c.outcome, c.amount])).toEqual([
      ['ABCXYZ1', 'pending', 851388],
      ['ABCXYZ2', 'finalized', 759900],
      ['ABCXYC3', 'finalized', 15000],
    ]);
    expect(ack.claims[2]).toMatchObject({
      patient: { entity: 'QC', lastName: 'MANN', firstName: 'JOSEPH' },
      lines: [{ procedure: { code: '99203' }, charge: 15000, paid: 0, units: 1 }],
    });
    const many = parse277CA(first('277/imsweb-x12-parser__x12_277_x212.txt'));
    expect(many.claims).toHaveLength(8);
    expect(many.claims[0].reports[0].message).toBe('PAYER ACKNOWLEDGED RECEIPT OF THE CLAIM');
  });

  it('says an unknown status code as a number rather than inventing a meaning', () => {
    expect(describeStatus('A1', '704')).toBe('received: status 704');
    expect(describeStatus('Z9', '')).toBe('category Z9');
    expect(describeStatus('A6', '164', 'IL')).toBe('rejected, information missing: contract or member number (subscriber)');
  });
});

describe('parse999', () => {
  it('an accepted 999', () => {
    expect(parse999(first('999/imsweb-x12-parser__x12_999_accepted.txt'))).toMatchObject({
      group: { functionalId: 'HC', controlNumber: '17456' },
      status: 'A',
      accepted: true,
      setsIncluded: 1,
      setsReceived: 1,
      setsAccepted: 1,
      sets: [{ setId: '837', controlNumber: '0001', status: 'A', accepted: true, segmentErrors: [] }],
    });
  });

  it('a rejected 999 with the segment in error', () => {
    expect(parse999(first('999/imsweb-x12-parser__x12_999_rejected.txt'))).toMatchObject({
      status: 'R',
      accepted: false,
      setsAccepted: 0,
      sets: [{ controlNumber: '0028', status: 'R', errorCodes: ['5'], segmentErrors: [{ segmentId: 'NM', position: 17, code: '1' }] }],
    });
  });

  it('a partial acceptance: per set IK5 with IK3/IK4 details and their CTX', () => {
    const ack = parse999(first('999/xlate-staedi__simple999.edi'));
    expect(ack.status).toBe('P');
    expect(ack.sets.map((s) => s.status)).toEqual(['A', 'R', 'R']);
    expect(ack.sets[1].segmentErrors).toEqual([
      {
        segmentId: 'CLM',
        position: 22,
        loopId: undefined,
        code: '8',
        context: ['CLM01:123456789'],
        elementErrors: [{ position: 2, component: undefined, repetition: undefined, reference: '782', code: '1', badValue: undefined }],
      },
    ]);
    expect(ack.sets[2].segmentErrors[0]).toMatchObject({ segmentId: 'REF', position: 57, code: '3' });
  });

  it('refuses codes that are not 999 codes, naming segment and element', () => {
    const { transactions } = readTransactions('ST*999*1~AK1*HC*1~AK2*837*0001~IK5*Q~AK9*A*1*1*1~SE*6*1~');
    expect(() => parse999(transactions[0])).toThrow('segment 4 (IK5), element 1: "Q" is not one of A, E, M, R, W, X');
  });
});
