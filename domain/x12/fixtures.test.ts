// Every sample file in shared/fixtures/x12 against the facts its MANIFEST.md row states.
import fs from 'node:fs';
import { FIXTURES_DIR } from '../../test/fixtures';
import { describe, expect, it } from 'vitest';
import { readSegments, readTransactions, type ReadOptions, type Transaction } from './reader';
import { balance835, parse835 } from './835';
import { parse277CA } from './277ca';
import { parse999 } from './999';
import { parseTA1 } from './ta1';
import { parseCents } from './money';

const ROOT = `${FIXTURES_DIR}/x12/`;

/** The MANIFEST's facts (money as the MANIFEST writes it, compared in cents). */
interface Facts {
  isa?: number;
  gs?: number;
  st?: number;
  gs08?: string;
  clp?: number;
  clp02?: Record<string, number>;
  cas?: number;
  plb?: number;
  svc?: number;
  bpr02?: string;
  balanced?: boolean;
  clm?: number;
  sumClm02?: string;
  sv1?: number;
  sv2?: number;
  stc?: number;
  eb?: number;
  aaa?: number;
  ak2?: number;
  ik5?: string[];
}

/**
 * Files the MANIFEST lists as valid that break an X12 envelope rule, with the errors the default (strict)
 * read reports and the tolerance that reads them. Mostly parser test-suite files edited by hand without
 * fixing SE01; the strict read is what production gets, so it is asserted, not hidden.
 */
interface Defects {
  errors: string[];
  tolerate: ReadOptions;
}
const SE01 = (seg: number, says: number, has: number) =>
  `segment ${seg} (SE), element 1: SE01 says ${says}, the transaction has ${has} segments (ST..SE)`;
const LENIENT_TOTALS: ReadOptions = { controlTotals: false };

const VALID: [string, Facts, Defects?][] = [
  [
    '835/linuxforhealth-x12__cob-contractural-adjustment.835',
    { isa: 1, gs: 1, st: 1, clp: 1, cas: 2, plb: 0, gs08: '005010X221A1', clp02: { '2': 1 }, bpr02: '34.00', balanced: true },
  ],
  [
    '835/linuxforhealth-x12__managed-care.835',
    { isa: 1, gs: 1, st: 1, clp: 2, cas: 5, plb: 0, gs08: '005010X221A1', clp02: { '1': 2 }, bpr02: '945.00', balanced: true },
  ],
  [
    '835/linuxforhealth-x12__medicare-part-a.835',
    { isa: 1, gs: 1, st: 1, clp: 2, cas: 2, plb: 1, gs08: '005010X221A1', clp02: { '1': 2 }, bpr02: '150000.00', balanced: true },
  ],
  [
    '835/linuxforhealth-x12__secondary-payment.835',
    { isa: 1, gs: 1, st: 1, clp: 2, cas: 4, plb: 0, gs08: '005010X221A1', clp02: { '2': 2 }, bpr02: '1222.00', balanced: true },
  ],
  [
    '835/linuxforhealth-x12__tertiary-payment.835',
    { isa: 1, gs: 1, st: 1, clp: 1, cas: 1, plb: 0, gs08: '005010X221A1', clp02: { '3': 1 }, bpr02: '187.50', balanced: true },
  ],
  [
    '835/keironstoddart-edi-835-parser__emedny_sample.txt',
    { isa: 1, gs: 1, st: 1, clp: 3, cas: 4, plb: 0, gs08: '005010X221A1', clp02: { '1': 1, '2': 2 }, bpr02: '45.75', balanced: true },
  ],
  [
    '835/keironstoddart-edi-835-parser__united_healthcare_legacy_sample.txt',
    { isa: 1, gs: 1, st: 1, clp: 2, cas: 6, plb: 0, gs08: '005010X221A1', clp02: { '1': 2 }, bpr02: '349.99', balanced: true },
  ],
  [
    '835/keironstoddart-edi-835-parser__blue_cross_nc_sample.txt',
    { isa: 0, gs: 0, st: 1, clp: 1, clp02: { '1': 1 }, cas: 3, svc: 3, bpr02: '1922.86', balanced: true },
    { errors: [SE01(32, 33, 32)], tolerate: LENIENT_TOTALS },
  ],
  [
    '835/tastypackets-x12-parser__profee-multiple.edi',
    {
      isa: 156,
      gs: 156,
      st: 156,
      clp: 468,
      cas: 624,
      plb: 0,
      gs08: '005010X221A1',
      clp02: { '1': 156, '2': 312 },
      bpr02: '45.75',
      balanced: true,
    },
  ],
  [
    '835/tastypackets-x12-parser__multi-line-not-delimited.edi',
    { isa: 1, gs: 1, st: 1, clp: 3, cas: 4, plb: 0, gs08: '005010X221A1', clp02: { '1': 1, '2': 2 }, bpr02: '45.75', balanced: true },
  ],
  [
    '837p/linuxforhealth-x12__demo.ambulance.example5.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 4, sv2: 0, gs08: '005010X222A2', sumClm02: '766.50' },
  ],
  [
    '837p/linuxforhealth-x12__demo.autoaccident.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 2, sv2: 0, gs08: '005010X222A2', sumClm02: '185.00' },
  ],
  [
    '837p/linuxforhealth-x12__demo.cob.2ndary.example4.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 1, sv2: 0, gs08: '005010X222A2', sumClm02: '145.50' },
  ],
  [
    '837p/linuxforhealth-x12__demo.cob.example3.A.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 3, sv2: 0, gs08: '005010X222A2', sumClm02: '79.04' },
  ],
  [
    '837p/linuxforhealth-x12__demo.cob.example3.B.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 3, sv2: 0, gs08: '005010X222A2', sumClm02: '79.04' },
  ],
  [
    '837p/linuxforhealth-x12__demo.cob.example3.C.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 3, sv2: 0, gs08: '005010X222A2', sumClm02: '79.04' },
  ],
  [
    '837p/linuxforhealth-x12__demo.cob.example4.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 1, sv2: 0, gs08: '005010X222A2', sumClm02: '120.00' },
  ],
  [
    '837p/linuxforhealth-x12__demo.drug.example10.1.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 2, sv2: 0, gs08: '005010X222A2', sumClm02: '103.37' },
  ],
  [
    '837p/linuxforhealth-x12__demo.drug.example10.2.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 6, sv2: 0, gs08: '005010X222A2', sumClm02: '2232.93' },
  ],
  [
    '837p/linuxforhealth-x12__demo.drug.example10.3.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 6, sv2: 0, gs08: '005010X222A2', sumClm02: '2232.93' },
  ],
  [
    '837p/linuxforhealth-x12__demo.example1.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 4, sv2: 0, gs08: '005010X222A2', sumClm02: '100.00' },
  ],
  [
    '837p/linuxforhealth-x12__demo.example11.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 2, sv2: 0, gs08: '005010X222A2', sumClm02: '28.75' },
  ],
  [
    '837p/linuxforhealth-x12__demo.example12.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 1, sv2: 0, gs08: '005010X222A2', sumClm02: '252.71' },
  ],
  [
    '837p/linuxforhealth-x12__demo.example2.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 4, sv2: 0, gs08: '005010X222A2', sumClm02: '100.00' },
  ],
  [
    '837p/linuxforhealth-x12__demo.example6.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 1, sv2: 0, gs08: '005010X222A2', sumClm02: '145.50' },
  ],
  [
    '837p/linuxforhealth-x12__demo.example7.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 2, sv2: 0, gs08: '005010X222A2', sumClm02: '520.24' },
  ],
  ['837p/linuxforhealth-x12__demo.example8.837', { isa: 1, gs: 1, st: 1, clm: 1, sv1: 1, sv2: 0, gs08: '005010X222A2', sumClm02: '75.00' }],
  [
    '837p/linuxforhealth-x12__demo.example9.837',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 1, sv2: 0, gs08: '005010X222A2', sumClm02: '827.00' },
  ],
  [
    '837p/imsweb-x12-parser__x12_complex.txt',
    { isa: 1, gs: 1, st: 2, clm: 6, sv1: 10, sv2: 0, gs08: '005010X222A1', sumClm02: '3000' },
    {
      errors: [SE01(149, 25, 147), SE01(296, 26, 147), 'segment 297 (GE), element 1: GE01 says 1, the group has 2 transaction set(s)'],
      tolerate: LENIENT_TOTALS,
    },
  ],
  [
    '837p/imsweb-x12-parser__x12_multiple_gs.txt',
    { isa: 1, gs: 3, st: 3, clm: 6, sv1: 6, sv2: 0, gs08: '005010X222A1', sumClm02: '3000' },
    {
      errors: [
        SE01(36, 25, 34),
        SE01(72, 25, 34),
        SE01(108, 25, 34),
        'segment 110 (IEA), element 1: IEA01 says 1, the interchange has 3 functional group(s)',
      ],
      tolerate: LENIENT_TOTALS,
    },
  ],
  [
    '837p/imsweb-x12-parser__x12_multiple_isa.txt',
    { isa: 2, gs: 2, st: 2, clm: 4, sv1: 4, sv2: 0, gs08: '005010X222A1', sumClm02: '2000' },
    { errors: [SE01(36, 25, 34), SE01(74, 25, 34)], tolerate: LENIENT_TOTALS },
  ],
  [
    '837p/imsweb-x12-parser__x12_multiple_st.txt',
    { isa: 1, gs: 1, st: 2, clm: 4, sv1: 4, sv2: 0, gs08: '005010X222A1', sumClm02: '2000' },
    {
      errors: [SE01(36, 25, 34), SE01(70, 25, 34), 'segment 71 (GE), element 1: GE01 says 1, the group has 2 transaction set(s)'],
      tolerate: LENIENT_TOTALS,
    },
  ],
  [
    '837p/imsweb-x12-parser__x12_valid.txt',
    { isa: 1, gs: 1, st: 1, clm: 2, sv1: 2, sv2: 0, gs08: '005010X222A1', sumClm02: '1000' },
    { errors: [SE01(36, 25, 34)], tolerate: LENIENT_TOTALS },
  ],
  [
    '837p/imsweb-x12-parser__x12_valid_different_separators.txt',
    { isa: 1, gs: 1, st: 1, clm: 2, sv1: 2, sv2: 0, gs08: '005010X222A1', sumClm02: '1000' },
    { errors: [SE01(36, 25, 34)], tolerate: LENIENT_TOTALS },
  ],
  [
    '837p/imsweb-x12-parser__x12_many_claims.txt',
    { isa: 1, gs: 1, st: 1, clm: 820, sv1: 820, sv2: 0, gs08: '005010X222A1', sumClm02: '410000' },
    { errors: [SE01(11488, 25, 11486)], tolerate: LENIENT_TOTALS },
  ],
  ['837p/xlate-staedi__sample837-original.edi', { isa: 1, gs: 1, st: 1, clm: 1, sv1: 1, sv2: 0, gs08: '005010X222', sumClm02: '5332.54' }],
  ['837p/uhin-x12-parser-library__837.edi', { isa: 1, gs: 1, st: 1, clm: 1, sv1: 1, sv2: 0, gs08: '005010X222A1', sumClm02: '2' }],
  [
    '837i/linuxforhealth-x12__institutional-claim.837i',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 0, sv2: 2, gs08: '005010X223A3', sumClm02: '89.93' },
  ],
  [
    '837i/linuxforhealth-x12__out-of-network-repriced-claim.837i',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 0, sv2: 1, gs08: '005010X223A3', sumClm02: '14.84' },
  ],
  [
    '837i/linuxforhealth-x12__ppo-repriced-claim.837i',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 0, sv2: 2, gs08: '005010X223A3', sumClm02: '237.50' },
  ],
  [
    '837i/linuxforhealth-x12__two-claims-single-provider.837i',
    { isa: 1, gs: 1, st: 1, clm: 2, sv1: 0, sv2: 3, gs08: '005010X223A3', sumClm02: '139.95' },
  ],
  [
    '837i/imsweb-x12-parser__x223-test.txt',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 0, sv2: 1, gs08: '005010X223A2', sumClm02: '500' },
    { errors: [SE01(50, 25, 48)], tolerate: LENIENT_TOTALS },
  ],
  ['277ca/imsweb-x12-parser__x12_277CA_accepted.txt', { isa: 1, gs: 1, st: 1, stc: 2, gs08: '005010X214' }],
  ['277ca/imsweb-x12-parser__x12_277CA_rejected.txt', { isa: 1, gs: 1, st: 1, stc: 2, gs08: '005010X214' }],
  ['277/linuxforhealth-x12__claim-level-status-ncpdp.277', { isa: 1, gs: 1, st: 1, stc: 1, gs08: '005010X212' }],
  ['277/linuxforhealth-x12__claim-level-status.277', { isa: 1, gs: 1, st: 1, stc: 4, gs08: '005010X212' }],
  ['277/linuxforhealth-x12__information-receiver-level-status.277', { isa: 1, gs: 1, st: 1, stc: 1, gs08: '005010X212' }],
  ['277/linuxforhealth-x12__provider-level-status.277', { isa: 1, gs: 1, st: 1, stc: 2, gs08: '005010X212' }],
  [
    '277/imsweb-x12-parser__x12_277_x212.txt',
    { isa: 1, gs: 1, st: 1, stc: 8, gs08: '005010X212' },
    { errors: ['segment 111 (IEA), element 2: IEA02 842928883 does not match ISA13 000000001 (segment 1)'], tolerate: LENIENT_TOTALS },
  ],
  ['276/linuxforhealth-x12__claim-level-status-ncpdp.276', { isa: 1, gs: 1, st: 1, gs08: '005010X212' }],
  ['276/linuxforhealth-x12__claim-level-status.276', { isa: 1, gs: 1, st: 1, gs08: '005010X212' }],
  ['276/linuxforhealth-x12__information-receiver-level-status.276', { isa: 1, gs: 1, st: 1, gs08: '005010X212' }],
  ['276/linuxforhealth-x12__provider-level-status.276', { isa: 1, gs: 1, st: 1, gs08: '005010X212' }],
  ['270/linuxforhealth-x12__dependent-health-benefit-check.270', { isa: 1, gs: 1, st: 1, eb: 0, aaa: 0, gs08: '005010X279A1' }],
  ['270/linuxforhealth-x12__subscriber-health-benefit-check.270', { isa: 1, gs: 1, st: 1, eb: 0, aaa: 0, gs08: '005010X279A1' }],
  ['271/linuxforhealth-x12__dependent-health-benefit-check.271', { isa: 1, gs: 1, st: 1, eb: 5, aaa: 0, gs08: '005010X279A1' }],
  [
    '271/linuxforhealth-x12__subscriber-health-benefit-check-error.271',
    { isa: 1, gs: 1, st: 1, eb: 0, aaa: 1, gs08: '005010X279A1' },
    { errors: ['segment 10 (SE), element 2: SE02 4323 does not match ST02 4321 (segment 3)'], tolerate: LENIENT_TOTALS },
  ],
  ['271/linuxforhealth-x12__subscriber-health-benefit-check.271', { isa: 1, gs: 1, st: 1, eb: 5, aaa: 0, gs08: '005010X279A1' }],
  [
    '999/imsweb-x12-parser__x12_999_accepted.txt',
    { isa: 1, gs: 1, st: 1, ak2: 1, gs08: '005010X231A1', ik5: ['A'] },
    { errors: ['segment 10 (IEA), element 2: IEA02 000000001 does not match ISA13 000000286 (segment 1)'], tolerate: LENIENT_TOTALS },
  ],
  ['999/imsweb-x12-parser__x12_999_rejected.txt', { isa: 1, gs: 1, st: 1, ak2: 1, gs08: '005010X231A1', ik5: ['R'] }],
  ['999/xlate-staedi__simple999.edi', { isa: 1, gs: 1, st: 1, ak2: 3, gs08: '005010X231', ik5: ['A', 'R', 'R'] }],
  // A 4010 interchange acknowledgement with trimmed ISA fields, and IEA01 counting the TA1 as a group.
  [
    'ta1/uhin-x12-parser-library__TA1.edi',
    { isa: 1, gs: 0, st: 0 },
    {
      errors: [2, 4, 6, 8].map(
        (n) =>
          `segment 1 (ISA), element ${n}: ISA0${n} must be ${n === 2 || n === 4 ? 10 : 15} characters wide, found ${{ 2: 1, 4: 1, 6: 10, 8: 9 }[n]}`,
      ),
      tolerate: { fixedWidthIsa: false, controlTotals: false },
    },
  ],
];

/** The negative files: what the MANIFEST says each is, and the error(s) naming where. */
const INVALID: [string, Facts, { errors: string[]; alsoWhenLenient?: boolean }][] = [
  // Only defect: ISA02 is one character short (9 spaces): the ISA is not 106 characters.
  [
    'invalid/imsweb-x12-parser__x12_bad_first_line.txt',
    { isa: 1, gs: 1, st: 1, clm: 2, sv1: 2, sv2: 0, sumClm02: '1000' },
    { errors: ['segment 1 (ISA), element 2: ISA02 must be 10 characters wide, found 9'] },
  ],
  // Missing N3 and HI, duplicated REF*EI, a second claim removed: the X12-level symptom is SE01. The
  // 837P loop rules (N3 required in 2010AA, HI in 2300) belong to the 837P reader.
  [
    'invalid/imsweb-x12-parser__x12_segment_errors.txt',
    { isa: 1, gs: 1, st: 1, clm: 1, sv1: 1, sv2: 0, sumClm02: '500' },
    { errors: [SE01(25, 25, 23)] },
  ],
  // NM102 and CLM05 are mandatory in the X12 dictionary; reported even when control totals are not checked.
  [
    'invalid/imsweb-x12-parser__x12_missing_elements.txt',
    { isa: 1, gs: 1, st: 1, clm: 2, sv1: 2, sv2: 0, sumClm02: '1000' },
    {
      errors: [
        'segment 7 (NM1), element 2: required element is missing',
        'segment 31 (CLM), element 5: required element is missing',
        SE01(36, 25, 34),
      ],
      alsoWhenLenient: true,
    },
  ],
  [
    'invalid/imsweb-x12-parser__x12_no_isa_line.txt',
    { isa: 0, gs: 1 },
    { errors: ['segment 1 (GS): functional group without an interchange header (no ISA before it)'], alsoWhenLenient: true },
  ],
  // Its layout errors (IK5 before AK1, IK5*Q) are the 999 reader's; the envelope sees SE01.
  ['invalid/xlate-staedi__invalid999.edi', { isa: 1, gs: 1, st: 1, ak2: 3 }, { errors: [SE01(20, 16, 18)] }],
];

const read = (file: string) => fs.readFileSync(ROOT + file, 'utf8');

function segmentCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of readSegments(text)) counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
  return counts;
}

function checkSegmentFacts(text: string, facts: Facts): void {
  const counts = segmentCounts(text);
  const n = (id: string) => counts.get(id) ?? 0;
  const expectations: [keyof Facts, string][] = [
    ['isa', 'ISA'],
    ['gs', 'GS'],
    ['st', 'ST'],
    ['clp', 'CLP'],
    ['cas', 'CAS'],
    ['plb', 'PLB'],
    ['svc', 'SVC'],
    ['clm', 'CLM'],
    ['sv1', 'SV1'],
    ['sv2', 'SV2'],
    ['stc', 'STC'],
    ['eb', 'EB'],
    ['aaa', 'AAA'],
    ['ak2', 'AK2'],
  ];
  for (const [fact, id] of expectations) if (facts[fact] !== undefined) expect(n(id), `${id} segments`).toBe(facts[fact]);
  if (facts.sumClm02 !== undefined) {
    let total = 0;
    for (const s of readSegments(text)) if (s.id === 'CLM') total += parseCents(s.elements[2]) ?? NaN;
    expect(total).toBe(parseCents(facts.sumClm02));
  }
}

function checkModelFacts(transactions: Transaction[], facts: Facts): void {
  if (facts.gs08) for (const t of transactions) expect(t.implementation).toBe(facts.gs08);
  const setId = transactions[0]?.setId;
  if (setId === '835') {
    const remits = transactions.map(parse835);
    const statuses: Record<string, number> = {};
    for (const c of remits.flatMap((r) => r.claims)) statuses[c.status] = (statuses[c.status] ?? 0) + 1;
    if (facts.clp02) expect(statuses).toEqual(facts.clp02);
    if (facts.clp !== undefined) expect(remits.flatMap((r) => r.claims)).toHaveLength(facts.clp);
    // "BPR02=45.75 in each of the 156 transactions"
    if (facts.bpr02) for (const r of remits) expect(r.payment.amount).toBe(parseCents(facts.bpr02));
    if (facts.balanced) for (const r of remits) expect(balance835(r)).toEqual({ balanced: true, problems: [] });
  }
  if (setId === '277') {
    const acks = transactions.map(parse277CA);
    const reports = acks.flatMap((a) =>
      [...a.batches, ...a.providers, ...a.claims, ...a.claims.flatMap((c) => c.lines)].flatMap((x) => x.reports),
    );
    if (facts.stc !== undefined) expect(reports).toHaveLength(facts.stc);
  }
  if (setId === '999') {
    const acks = transactions.map(parse999);
    if (facts.ik5) expect(acks.flatMap((a) => a.sets.map((s) => s.status))).toEqual(facts.ik5);
  }
}

describe('fixtures listed as valid', () => {
  it('the table covers every fixture file', () => {
    const onDisk = fs.readdirSync(ROOT).flatMap((dir) => fs.readdirSync(ROOT + dir).map((f) => `${dir}/${f}`));
    expect([...VALID, ...INVALID].map(([f]) => f).sort()).toEqual(onDisk.sort());
  });

  it.each(VALID)('%s reads and yields the MANIFEST facts', (file, facts, defects) => {
    const text = read(file);
    checkSegmentFacts(text, facts);
    const strict = readTransactions(text);
    expect(strict.errors.map((e) => e.message)).toEqual(defects?.errors ?? []);
    const { transactions, errors } = readTransactions(text, defects?.tolerate);
    expect(errors).toEqual([]);
    expect(transactions).toHaveLength(facts.st ?? 0);
    checkModelFacts(transactions, facts);
  });

  it('the TA1 says the interchange was rejected for invalid content', () => {
    const ta1 = [...readSegments(read('ta1/uhin-x12-parser-library__TA1.edi'))].find((s) => s.id === 'TA1');
    expect(parseTA1(ta1!)).toMatchObject({
      controlNumber: '000000100',
      date: '2003-08-09',
      status: 'R',
      accepted: false,
      noteCode: '024',
      note: 'invalid interchange content',
    });
  });
});

describe('fixtures listed as invalid', () => {
  it.each(INVALID)('%s fails with errors naming segment number and id', (file, facts, expected) => {
    const text = read(file);
    checkSegmentFacts(text, facts);
    const { transactions, errors } = readTransactions(text);
    expect(transactions).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual(expected.errors);
    for (const e of errors) {
      expect(e.segmentIndex).toBeGreaterThan(0);
      expect(e.segmentId).toMatch(/^[A-Z][A-Z0-9]{1,2}$/);
    }
    if (expected.alsoWhenLenient) {
      const lenient = readTransactions(text, { controlTotals: false, fixedWidthIsa: false });
      expect(lenient.transactions).toEqual([]);
      expect(lenient.errors.length).toBeGreaterThan(0);
    }
  });

  it('the invalid 999 is refused by the 999 reader at its misplaced IK5', () => {
    const [t] = readTransactions(read('invalid/xlate-staedi__invalid999.edi'), { controlTotals: false }).transactions;
    expect(() => parse999(t)).toThrow('segment 4 (IK5): IK5 outside a set response (no AK2 before it)');
  });

  it('a trimmed-ISA tolerance reads the bad first line (its only defect) and nothing else changes', () => {
    const { transactions, errors } = readTransactions(read('invalid/imsweb-x12-parser__x12_bad_first_line.txt'), {
      fixedWidthIsa: false,
      controlTotals: false,
    });
    expect(errors).toEqual([]);
    expect(transactions).toHaveLength(1);
  });
});
