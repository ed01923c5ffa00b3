// Generated 270/271/276/277 files covering what claimflow sends and what the simulated payer answers: every kind of
// answer (active, inactive, rejected at each level; paid, denied, pending, rejected, not found, inquiry errors).
// Used by the round-trip tests (domain/x12/inquiries.test.ts) and written out by scripts/x12-samples.ts so that an
// outside validator can judge them. Names, ids and dates are made up.
import type { EnvelopeArgs } from '../domain/x12/envelopeWriter';
import { write270, type Write270Input } from '../domain/x12/270';
import { write271, type Write271Input } from '../domain/x12/271';
import { write276, type Write276Input } from '../domain/x12/276';
import { write277, type Write277Input } from '../domain/x12/277';
import type { Party } from '../domain/x12/inquiryParts';

export interface InquirySample {
  /** File name without extension. */
  name: string;
  type: '270' | '271' | '276' | '277';
  text: string;
}

const envelope = (n: number, from = 'CLAIMFLOW', to = 'SIMPAYER'): EnvelopeArgs => ({
  sender: { qualifier: 'ZZ', id: from },
  receiver: { qualifier: 'ZZ', id: to },
  control: { interchangeControlNumber: n, groupControlNumber: n, transactionControlNumber: String(n).padStart(4, '0') },
  now: { date: '2026-11-02', time: '0915' },
  usage: 'T',
});

export const PAYER: Party = { entityType: '2', name: 'SIMULATED HEALTH PLAN', idQualifier: 'PI', id: 'SIMPAYER01' };
export const PRACTICE: Party = { entityType: '2', name: 'RIVERSIDE FAMILY MEDICINE', idQualifier: 'XX', id: '1234567893' };
export const SUBMITTER: Party = { entityType: '2', name: 'CLAIMFLOW', idQualifier: '46', id: 'CLAIMFLOW01' };
export const SUBSCRIBER = { lastName: 'TESTER', firstName: 'PAT', memberId: 'W123456789', birthDate: '1980-04-12', gender: 'F' };
export const CHILD = { lastName: 'TESTER', firstName: 'SAM', birthDate: '2015-09-30', gender: 'M' };
const TRACE = { type: '1', number: 'EL-0001', originator: '9CLAIMFLOW' };

export const INPUT_270: Record<string, Write270Input> = {
  'subscriber-eligibility': {
    ...envelope(101),
    reference: 'ELIG0001',
    inquiries: [
      {
        payer: PAYER,
        provider: PRACTICE,
        subscriber: SUBSCRIBER,
        trace: TRACE,
        serviceDate: { from: '2026-11-02', to: '2026-11-02' },
        serviceTypes: ['30'],
      },
    ],
  },
  'dependent-eligibility': {
    ...envelope(102),
    reference: 'ELIG0002',
    inquiries: [
      {
        payer: PAYER,
        provider: { entityType: '1', name: 'RIVERA', firstName: 'ANA', idQualifier: 'XX', id: '1245319599' },
        subscriber: { memberId: 'W123456789', lastName: 'TESTER', firstName: 'PAT' },
        dependent: { ...CHILD, relationship: '19' },
        trace: { ...TRACE, number: 'EL-0002' },
        serviceDate: { from: '2026-10-01', to: '2026-10-31' },
        serviceTypes: ['30', '98', 'MH'],
      },
    ],
  },
  'two-patients': {
    ...envelope(103),
    reference: 'ELIG0003',
    inquiries: [
      { payer: PAYER, provider: PRACTICE, subscriber: SUBSCRIBER, trace: { ...TRACE, number: 'EL-0003' }, serviceTypes: ['30'] },
      {
        payer: PAYER,
        provider: PRACTICE,
        subscriber: { lastName: 'EXAMPLE', firstName: 'JO', memberId: 'X987654321', birthDate: '1955-01-20' },
        trace: { ...TRACE, number: 'EL-0004' },
        serviceTypes: ['30'],
      },
    ],
  },
};

const echo = (n: string) => [{ type: '2', number: n, originator: '9CLAIMFLOW' }];

export const INPUT_271: Record<string, Write271Input> = {
  'active-with-benefits': {
    ...envelope(201, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'ELIG0001',
    answers: [
      {
        payer: PAYER,
        provider: PRACTICE,
        subscriber: {
          ...SUBSCRIBER,
          traces: echo('EL-0001'),
          groupNumber: 'GRP-77',
          dates: [{ qualifier: '346', period: { from: '2026-01-01', to: '2026-01-01' } }],
          benefits: [
            { code: '1', coverageLevel: 'FAM', serviceTypes: ['30'], insuranceType: 'PR', planDescription: 'SILVER PPO' },
            { code: 'B', coverageLevel: 'IND', serviceTypes: ['98'], timePeriod: '27', amount: 2500, inNetwork: 'Y' },
            { code: 'A', coverageLevel: 'IND', serviceTypes: ['30'], percent: 20, inNetwork: 'Y' },
            { code: 'A', coverageLevel: 'IND', serviceTypes: ['30'], percent: 12.5, inNetwork: 'N' },
            { code: 'C', coverageLevel: 'IND', serviceTypes: ['30'], timePeriod: '23', amount: 150000, inNetwork: 'Y' },
            {
              code: 'C',
              coverageLevel: 'IND',
              serviceTypes: ['30'],
              timePeriod: '29',
              amount: 42050,
              inNetwork: 'Y',
              dates: [{ qualifier: '292', period: { from: '2026-01-01', to: '2026-12-31' } }],
            },
            { code: 'G', coverageLevel: 'FAM', serviceTypes: ['30'], timePeriod: '23', amount: 600000, inNetwork: 'Y' },
            {
              code: 'L',
              messages: ['PRIMARY CARE PROVIDER ON FILE'],
              relatedEntities: [{ entity: 'P3', entityType: '1', name: 'RIVERA', firstName: 'ANA', idQualifier: 'XX', id: '1245319599' }],
            },
          ],
        },
      },
    ],
  },
  'dependent-active': {
    ...envelope(202, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'ELIG0002',
    answers: [
      {
        payer: PAYER,
        provider: { entityType: '1', name: 'RIVERA', firstName: 'ANA', idQualifier: 'XX', id: '1245319599' },
        subscriber: { lastName: 'TESTER', firstName: 'PAT', memberId: 'W123456789' },
        dependent: {
          ...CHILD,
          relationship: '19',
          traces: echo('EL-0002'),
          benefits: [
            { code: '1', coverageLevel: 'DEP', serviceTypes: ['30', '98', 'MH'], planDescription: 'SILVER PPO' },
            { code: 'B', serviceTypes: ['MH'], timePeriod: '27', amount: 4000, authorizationRequired: 'Y', inNetwork: 'Y' },
          ],
        },
      },
    ],
  },
  inactive: {
    ...envelope(203, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'ELIG0003',
    answers: [
      {
        payer: PAYER,
        provider: PRACTICE,
        subscriber: {
          ...SUBSCRIBER,
          traces: echo('EL-0003'),
          dates: [{ qualifier: '357', period: { from: '2026-06-30', to: '2026-06-30' } }],
          benefits: [{ code: '6', serviceTypes: ['30'] }],
        },
      },
    ],
  },
  'provider-not-on-file': {
    ...envelope(204, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'ELIG0004',
    answers: [{ payer: PAYER, provider: { ...PRACTICE, rejections: [{ code: '51', followUp: 'N' }] } }],
  },
  'payer-unavailable': {
    ...envelope(205, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'ELIG0005',
    answers: [{ payer: { ...PAYER, rejections: [{ code: '42', followUp: 'R', validRequest: true }] }, provider: PRACTICE }],
  },
  // 2100C with a subscriber rejection (75): allowed by the guide, refused by linuxforhealth-x12 (it takes the 2100B codes there).
  'subscriber-not-found': {
    ...envelope(206, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'ELIG0006',
    answers: [
      {
        payer: PAYER,
        provider: PRACTICE,
        subscriber: { ...SUBSCRIBER, traces: echo('EL-0006'), rejections: [{ code: '75', followUp: 'C', validRequest: true }] },
      },
    ],
  },
  'date-of-service-in-future': {
    ...envelope(207, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'ELIG0007',
    answers: [
      {
        payer: PAYER,
        provider: PRACTICE,
        subscriber: {
          ...SUBSCRIBER,
          traces: echo('EL-0007'),
          benefits: [{ code: 'V', serviceTypes: ['30'], rejections: [{ code: '63', followUp: 'C' }] }],
        },
      },
    ],
  },
};

const CLAIM_PATIENT = { ...SUBSCRIBER };

export const INPUT_276: Record<string, Write276Input> = {
  'claim-with-lines': {
    ...envelope(301),
    reference: 'STAT0001',
    inquiries: [
      {
        payer: PAYER,
        receiver: SUBMITTER,
        provider: PRACTICE,
        subscriber: CLAIM_PATIENT,
        claim: {
          trace: 'CLM-1001',
          patientControlNumber: 'CLM-1001',
          payerClaimControlNumber: 'PCN998877',
          charge: 27500,
          serviceDate: { from: '2026-10-05', to: '2026-10-05' },
          lines: [
            {
              procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] },
              charge: 20000,
              units: 1,
              controlNumber: 'L1',
              serviceDate: { from: '2026-10-05', to: '2026-10-05' },
            },
            {
              procedure: { qualifier: 'HC', code: '36415' },
              charge: 7500,
              units: 1,
              controlNumber: 'L2',
              serviceDate: { from: '2026-10-05', to: '2026-10-05' },
            },
          ],
        },
      },
    ],
  },
  'dependent-claim': {
    ...envelope(302),
    reference: 'STAT0002',
    inquiries: [
      {
        payer: PAYER,
        receiver: SUBMITTER,
        provider: PRACTICE,
        subscriber: { lastName: 'TESTER', firstName: 'PAT', memberId: 'W123456789' },
        dependent: CHILD,
        claim: {
          trace: 'CLM-1002',
          patientControlNumber: 'CLM-1002',
          charge: 15000,
          serviceDate: { from: '2026-09-01', to: '2026-09-03' },
        },
      },
    ],
  },
  'one-line-claim': {
    ...envelope(303),
    reference: 'STAT0003',
    inquiries: [
      {
        payer: PAYER,
        receiver: SUBMITTER,
        provider: PRACTICE,
        subscriber: CLAIM_PATIENT,
        claim: {
          trace: 'CLM-1007',
          patientControlNumber: 'CLM-1007',
          charge: 9900,
          lines: [
            {
              procedure: { qualifier: 'HC', code: '99213' },
              charge: 9900,
              units: 1,
              controlNumber: 'L1',
              serviceDate: { from: '2026-10-12', to: '2026-10-12' },
            },
          ],
        },
      },
    ],
  },
};

const answerBase = { payer: PAYER, receiver: SUBMITTER, provider: PRACTICE, subscriber: CLAIM_PATIENT };
const day = '2026-11-02';

export const INPUT_277: Record<string, Write277Input> = {
  'paid-with-check': {
    ...envelope(401, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'STATR001',
    answers: [
      {
        ...answerBase,
        claim: {
          trace: 'CLM-1001',
          patientControlNumber: 'CLM-1001',
          payerClaimControlNumber: 'PCN998877',
          serviceDate: { from: '2026-10-05', to: '2026-10-05' },
          reports: [
            {
              statuses: [{ category: 'F1', code: '65' }],
              effectiveDate: '2026-10-28',
              charge: 27500,
              paid: 18240,
              adjudicatedDate: '2026-10-27',
              paymentMethod: 'CHK',
              paymentDate: '2026-10-28',
              checkNumber: '00456789',
            },
          ],
          lines: [
            {
              procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] },
              charge: 20000,
              paid: 14000,
              units: 1,
              controlNumber: 'L1',
              serviceDate: { from: '2026-10-05', to: '2026-10-05' },
              reports: [{ statuses: [{ category: 'F1', code: '65' }], effectiveDate: '2026-10-28' }],
            },
            {
              procedure: { qualifier: 'HC', code: '36415' },
              charge: 7500,
              paid: 4240,
              units: 1,
              controlNumber: 'L2',
              serviceDate: { from: '2026-10-05', to: '2026-10-05' },
              reports: [{ statuses: [{ category: 'F1', code: '65' }], effectiveDate: '2026-10-28' }],
            },
          ],
        },
      },
    ],
  },
  'denied-not-eligible': {
    ...envelope(402, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'STATR002',
    answers: [
      {
        ...answerBase,
        subscriber: { lastName: 'TESTER', firstName: 'PAT', memberId: 'W123456789' },
        dependent: CHILD,
        claim: {
          trace: 'CLM-1002',
          patientControlNumber: 'CLM-1002',
          reports: [
            {
              statuses: [{ category: 'F2', code: '88', entity: 'QC' }],
              effectiveDate: '2026-10-20',
              charge: 15000,
              paid: 0,
              adjudicatedDate: '2026-10-19',
            },
          ],
        },
      },
    ],
  },
  'line-denied': {
    ...envelope(409, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'STATR009',
    answers: [
      {
        ...answerBase,
        claim: {
          trace: 'CLM-1007',
          patientControlNumber: 'CLM-1007',
          payerClaimControlNumber: 'PCN445566',
          reports: [
            {
              statuses: [{ category: 'F2', code: '84' }],
              effectiveDate: '2026-10-30',
              charge: 9900,
              paid: 0,
              adjudicatedDate: '2026-10-30',
            },
          ],
          lines: [
            {
              procedure: { qualifier: 'HC', code: '99213' },
              charge: 9900,
              paid: 0,
              units: 1,
              controlNumber: 'L1',
              serviceDate: { from: '2026-10-12', to: '2026-10-12' },
              reports: [{ statuses: [{ category: 'F2', code: '84' }], effectiveDate: '2026-10-30' }],
            },
          ],
        },
      },
    ],
  },
  'pending-with-history': {
    ...envelope(403, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'STATR003',
    answers: [
      {
        ...answerBase,
        claim: {
          trace: 'CLM-1003',
          patientControlNumber: 'CLM-1003',
          reports: [
            { statuses: [{ category: 'A2', code: '20' }], effectiveDate: '2026-10-10', charge: 9900 },
            { statuses: [{ category: 'P2', code: '46' }], effectiveDate: '2026-10-24', charge: 9900 },
          ],
        },
      },
    ],
  },
  'documentation-requested': {
    ...envelope(404, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'STATR004',
    answers: [
      {
        ...answerBase,
        claim: { trace: 'CLM-1004', reports: [{ statuses: [{ category: 'R4', code: '21' }], effectiveDate: day, charge: 45000 }] },
      },
    ],
  },
  'rejected-invalid-npi': {
    ...envelope(405, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'STATR005',
    answers: [
      {
        ...answerBase,
        claim: {
          trace: 'CLM-1005',
          patientControlNumber: 'CLM-1005',
          reports: [
            {
              statuses: [
                { category: 'A7', code: '562', entity: '85' },
                { category: 'A7', code: '21', entity: '85' },
              ],
              effectiveDate: day,
              charge: 12000,
            },
          ],
        },
      },
    ],
  },
  'claim-not-found': {
    ...envelope(406, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'STATR006',
    answers: [
      {
        ...answerBase,
        claim: {
          trace: 'CLM-1006',
          patientControlNumber: 'CLM-1006',
          reports: [{ statuses: [{ category: 'A4', code: '35' }], effectiveDate: day, charge: 5000 }],
        },
      },
    ],
  },
  'inquiry-error-receiver': {
    ...envelope(407, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'STATR007',
    answers: [
      {
        payer: PAYER,
        receiver: {
          ...SUBMITTER,
          status: { trace: 'STAT0007', reports: [{ statuses: [{ category: 'E0', code: '24', entity: '41' }], effectiveDate: day }] },
        },
      },
    ],
  },
  'provider-unavailable': {
    ...envelope(408, 'SIMPAYER', 'CLAIMFLOW'),
    reference: 'STATR008',
    answers: [
      {
        payer: PAYER,
        receiver: SUBMITTER,
        provider: {
          ...PRACTICE,
          status: { trace: 'PRV-0008', reports: [{ statuses: [{ category: 'E1', code: '0' }], effectiveDate: day }] },
        },
      },
    ],
  },
};

export function inquirySamples(): InquirySample[] {
  return [
    ...Object.entries(INPUT_270).map(([name, input]) => ({ name, type: '270' as const, text: write270(input) })),
    ...Object.entries(INPUT_271).map(([name, input]) => ({ name, type: '271' as const, text: write271(input) })),
    ...Object.entries(INPUT_276).map(([name, input]) => ({ name, type: '276' as const, text: write276(input) })),
    ...Object.entries(INPUT_277).map(([name, input]) => ({ name, type: '277' as const, text: write277(input) })),
  ];
}
