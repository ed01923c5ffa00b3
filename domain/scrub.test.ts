// The claim edits, each proved with real codes from the fixture code sets (ICD-10-CM FY2021/FY2024, HCPCS
// July 2024, NCCI PTP/MUE 2024-07-01, add-on code edits, place of service), and the rule that an edit
// without data makes the claim fail instead of passing.
import path from 'node:path';
import { FIXTURES_DIR } from '../test/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CODESETS_DIR, loadCodeSetDirectory } from '../infra/codesets';
import { Icd10cmTable } from './codesets/icd10cm';
import { CodeSetRegistry } from './codesets/registry';
import { bypassesPtp, EDITS, scrub, type EditId, type ScrubClaim, type ScrubLine } from './scrub';

const fixtures = path.join(FIXTURES_DIR, 'codesets');
let codeSets: CodeSetRegistry;
beforeAll(() => {
  codeSets = loadCodeSetDirectory(fixtures);
}, 60_000);

const line = (lineNo: number, procedureCode: string, more: Partial<ScrubLine> = {}): ScrubLine => ({
  lineNo,
  procedureCode,
  modifiers: [],
  units: 1,
  chargeCents: 10_000,
  diagnosisPointers: [1],
  ...more,
});
const claim = (more: Partial<ScrubClaim> = {}): ScrubClaim => ({
  billingNpi: '1234567893',
  memberId: 'MBR-001',
  dateOfService: '2024-07-15',
  placeOfService: '11',
  timelyFilingDays: 365,
  diagnoses: ['E11.9', 'I10'],
  lines: [line(1, '99214', { diagnosisPointers: [1, 2] }), line(2, '36415')],
  ...more,
});
const run = (c: ScrubClaim, today = '2024-08-01', registry: CodeSetRegistry = codeSets) => scrub(c, { today, codeSets: registry });
const failed = (c: ScrubClaim, today?: string, registry?: CodeSetRegistry) => run(c, today, registry).failures.map((f) => f.editId);
const only = (editId: EditId, c: ScrubClaim, today?: string) => run(c, today).failures.filter((f) => f.editId === editId);

describe('the fixture code sets', () => {
  it('load with the span of dates of service each answers for; PTP rows deleted before the edition are left out', () => {
    const spans = (kind: Parameters<CodeSetRegistry['versions']>[0]) =>
      codeSets.versions(kind).map((v) => `${v.label} ${v.effectiveFrom ?? '…'}..${v.effectiveTo ?? '…'}`);
    expect(spans('ptp')).toEqual(['NCCI PTP practitioner 2024-07-01 2024-07-01..2024-09-30']);
    expect(spans('mue')).toEqual(['MUE practitioner 2024-07-01 2024-07-01..2024-09-30']);
    expect(spans('addOns')).toEqual(['NCCI add-on code edits (undated) …..…']);
    expect(spans('icd10cm').sort()).toEqual([
      'ICD-10-CM FY2021 (Jan 2021 release) 2020-10-01..2021-09-30',
      'ICD-10-CM FY2024 2023-10-01..2024-09-30',
    ]);
    expect(codeSets.versions('ptp')[0].table.stats.rows).toBe(1_669_820);
  });
});

describe('a clean claim', () => {
  it('passes every edit, and every edit ran on the versions in effect on its date of service', () => {
    // an annual wellness visit (G0439) with a problem-oriented E/M: the E/M needs modifier 25 (NCCI, mutually exclusive)
    const lines = (emModifiers: string[]) => [
      line(1, '99214', { diagnosisPointers: [1, 2], modifiers: emModifiers }),
      line(2, '36415'),
      line(3, '80053', { diagnosisPointers: [1, 2] }),
      line(4, 'G0439'),
    ];
    expect(failed(claim({ lines: lines([]) }))).toEqual(['PTP-001']);
    const r = run(claim({ lines: lines(['25']) }));
    expect(r.failures).toEqual([]);
    expect(r.editsSkipped).toEqual([]);
    expect(r.editsRun).toEqual(Object.keys(EDITS));
    expect(r.codeSetVersions).toEqual(
      expect.arrayContaining([
        'ICD-10-CM FY2024',
        'HCPCS Level II 2024-07',
        'NCCI PTP practitioner 2024-07-01',
        'MUE practitioner 2024-07-01',
      ]),
    );
  });

  it('every edit has a route and says what it checks', () => {
    for (const [id, e] of Object.entries(EDITS)) {
      expect(['CODER', 'BILLER'], id).toContain(e.route);
      expect(e.what.length, id).toBeGreaterThan(10);
    }
  });
});

describe('claim-level edits', () => {
  it('REQ-001: a claim without a member id or without lines goes to the biller', () => {
    const r = run(claim({ memberId: '', lines: [] }));
    expect(r.failures.filter((f) => f.editId === 'REQ-001').map((f) => [f.route, f.field])).toEqual([
      ['BILLER', 'coverage.memberId'],
      ['BILLER', 'lines'],
    ]);
  });

  it('NPI-001: an NPI with a wrong check digit', () => {
    expect(only('NPI-001', claim({ billingNpi: '1234567890' }))[0]).toMatchObject({ route: 'BILLER', field: 'provider.npi' });
  });

  it('DOS-001: a date of service in the future', () => {
    expect(failed(claim(), '2024-07-14')).toContain('DOS-001');
  });

  it("DOS-002: a date of service beyond the payer's timely-filing limit", () => {
    expect(only('DOS-002', claim({ timelyFilingDays: 90 }), '2024-10-14')[0].message).toBe(
      "The payer's 90-day filing limit passed on 2024-10-13.",
    );
    expect(failed(claim({ timelyFilingDays: 90 }), '2024-10-13')).not.toContain('DOS-002');
  });

  it('POS-001: a place of service that is not two digits', () => {
    expect(failed(claim({ placeOfService: '011' }))).toContain('POS-001');
  });

  it('POS-002: a place of service the CMS code set does not have, or has unassigned', () => {
    expect(only('POS-002', claim({ placeOfService: '00' }))[0].message).toMatch(/not in the CMS place-of-service code set/);
    expect(only('POS-002', claim({ placeOfService: '30' }))[0]).toMatchObject({
      route: 'BILLER',
      message: expect.stringMatching(/unassigned/),
    });
    for (const pos of ['02', '10', '11', '22', '27']) expect(failed(claim({ placeOfService: pos })), pos).not.toContain('POS-002');
  });
});

describe('diagnosis edits (ICD-10-CM by fiscal year of the date of service)', () => {
  it('DX-001: no diagnosis, or more than 12', () => {
    expect(failed(claim({ diagnoses: [], lines: [line(1, '99213', { diagnosisPointers: [] })] }))).toContain('DX-001');
    const thirteen = [
      'E11.9',
      'I10',
      'E78.5',
      'K21.9',
      'J06.9',
      'R05.9',
      'M54.50',
      'Z00.00',
      'N39.0',
      'J45.909',
      'F41.1',
      'G43.909',
      'L03.115',
    ];
    expect(failed(claim({ diagnoses: thirteen }))).toContain('DX-001');
  });

  it('DX-002: a code that does not exist in the version in effect (M54.50 only exists from FY2022)', () => {
    const r = run(claim({ dateOfService: '2021-03-01', diagnoses: ['M54.50'] }), '2021-03-15');
    expect(r.failures.find((f) => f.editId === 'DX-002')).toMatchObject({
      route: 'CODER',
      field: 'diagnoses[0]',
      message: 'M54.50 is not an ICD-10-CM code in ICD-10-CM FY2021 (Jan 2021 release), the version in effect on 2021-03-01.',
    });
    expect(only('DX-002', claim({ diagnoses: ['E11.99'] }))).toHaveLength(1);
    expect(only('DX-002', claim({ diagnoses: ['M54.50'] }))).toEqual([]);
  });

  it('DX-003: M54.5 is billable in FY2021 but a header in FY2024, where the coder is shown its billable codes', () => {
    const fy2021 = run(claim({ dateOfService: '2021-03-01', diagnoses: ['M54.5'], lines: [line(1, '99213')] }), '2021-03-15');
    expect(fy2021.failures.filter((f) => f.editId.startsWith('DX-'))).toEqual([]);
    expect(only('DX-003', claim({ diagnoses: ['M54.5', 'I10'] }))).toEqual([
      {
        editId: 'DX-003',
        severity: 'ERROR',
        route: 'CODER',
        field: 'diagnoses[0]',
        message:
          'M54.5 (Low back pain) is a category header in ICD-10-CM FY2024: code to the highest specificity (e.g. M54.50, M54.51, M54.59).',
      },
    ]);
    expect(failed(claim({ diagnoses: ['E11', 'I10'] }))).toEqual(['DX-003']);
  });

  it('PTR-001: a line pointing at a diagnosis the claim does not have', () => {
    expect(only('PTR-001', claim({ lines: [line(1, '99214', { diagnosisPointers: [1, 3] })] }))[0].field).toBe(
      'lines[0].diagnosisPointers',
    );
  });
});

describe('procedure, modifier and unit edits', () => {
  it('PX-001: a procedure code in neither CPT nor HCPCS format', () => {
    expect(failed(claim({ lines: [line(1, '9921')] }))).toContain('PX-001');
    expect(failed(claim({ lines: [line(1, 'W1234')] }))).toContain('PX-001');
  });

  it('PX-002: an unknown HCPCS Level II code', () => {
    expect(only('PX-002', claim({ lines: [line(1, 'A0001')] }))[0].message).toBe(
      'Line 1: A0001 is not a HCPCS Level II code (HCPCS Level II 2024-07).',
    );
  });

  it('PX-002: a terminated code fails after its termination date and passes before it (C9113 ended 2024-06-30)', () => {
    expect(only('PX-002', claim({ lines: [line(1, 'C9113')] }))[0].message).toMatch(/C9113 was terminated on 2024-06-30/);
    expect(only('PX-002', claim({ dateOfService: '2024-06-28', lines: [line(1, 'C9113')] }), '2024-07-01')).toEqual([]);
    expect(only('PX-002', claim({ lines: [line(1, 'A4397')] }))[0].message).toMatch(/terminated on 2021-12-31/);
  });

  it('PX-002: a code billed before it took effect (A2026, added 2024-04-01)', () => {
    expect(only('PX-002', claim({ dateOfService: '2024-02-01', lines: [line(1, 'A2026')] }), '2024-02-15')[0].message).toMatch(
      /takes effect on 2024-04-01/,
    );
  });

  it('MOD-001: more than four modifiers, or one that is not two characters', () => {
    expect(failed(claim({ lines: [line(1, '99214', { modifiers: ['25', '59', 'LT', 'RT', 'QW'] })] }))).toContain('MOD-001');
    expect(failed(claim({ lines: [line(1, '99214', { modifiers: ['250'] })] }))).toContain('MOD-001');
  });

  it('MOD-002: a modifier that is neither a CPT modifier nor in the HCPCS Level II list', () => {
    expect(only('MOD-002', claim({ lines: [line(1, '99214', { modifiers: ['ZZ'] })] }))[0].message).toBe(
      'Line 1: "ZZ" is neither a CPT nor a HCPCS Level II modifier.',
    );
    expect(
      failed(
        claim({
          lines: [
            line(1, '99214', { modifiers: ['25', '95'] }),
            line(2, '80053', { modifiers: ['QW'] }),
            line(3, '73030', { modifiers: ['RT', 'XS'] }),
          ],
        }),
      ),
    ).not.toContain('MOD-002');
  });

  it('MUE-001: units over a date-of-service MUE (36415: 2 a day, MAI 3; 99202: 1 a day, MAI 2), summed across lines', () => {
    expect(only('MUE-001', claim({ lines: [line(1, '36415', { units: 3 })] }))[0].message).toMatch(
      /^3 units of 36415 on 2024-07-15 exceed its MUE of 2 per day, a clinical benchmark \(MAI 3\)/,
    );
    expect(
      only('MUE-001', claim({ lines: [line(1, '36415', { units: 2 }), line(2, '36415', { units: 1, modifiers: ['91'] })] })),
    ).toHaveLength(1);
    expect(only('MUE-001', claim({ lines: [line(1, '99202', { units: 2 })] }))[0].message).toMatch(/policy limit \(MAI 2\)/);
    expect(only('MUE-001', claim({ lines: [line(1, '36415', { units: 2 })] }))).toEqual([]);
  });

  it('MUE-001: a line MUE (A0425: 250 per line, MAI 1) limits each line, not the day', () => {
    expect(only('MUE-001', claim({ lines: [line(1, 'A0425', { units: 251 })] }))[0]).toMatchObject({
      route: 'CODER',
      field: 'lines[0].units',
    });
    expect(only('MUE-001', claim({ lines: [line(1, 'A0425', { units: 200 }), line(2, 'A0425', { units: 200 })] }))).toEqual([]);
  });

  it('CHG-001: a line without a charge', () => {
    expect(only('CHG-001', claim({ lines: [line(1, '99214', { chargeCents: 0 })] }))[0].route).toBe('BILLER');
  });
});

describe('NCCI PTP-001 (same date of service)', () => {
  it('indicator 0: 80048 with 80053 is never paid, not even with modifier 59', () => {
    for (const modifiers of [[], ['59']]) {
      const f = only('PTP-001', claim({ lines: [line(1, '80053'), line(2, '80048', { modifiers })] }));
      expect(f).toHaveLength(1);
      expect(f[0]).toMatchObject({
        route: 'CODER',
        field: 'lines[1].procedureCode',
        message: expect.stringMatching(/^Line 2: 80048 is not paid with 80053 \(line 1\).*modifier indicator 0/),
      });
    }
    expect(only('PTP-001', claim({ lines: [line(1, '45380'), line(2, '45378')] }))).toHaveLength(1);
  });

  it('indicator 1: 97597 with 11042 needs an NCCI-associated modifier; 59 or XS on a line lets it through', () => {
    const lines = (modifiers: string[]) => [line(1, '11042'), line(2, '97597', { modifiers })];
    expect(only('PTP-001', claim({ lines: lines([]) }))[0].message).toMatch(
      /^Line 2: 97597 is bundled into 11042 \(line 1\) by an NCCI edit/,
    );
    expect(only('PTP-001', claim({ lines: lines(['59']) }))).toEqual([]);
    expect(only('PTP-001', claim({ lines: lines(['XS']) }))).toEqual([]);
    // 76 (repeat procedure) is not an NCCI-associated modifier
    expect(only('PTP-001', claim({ lines: lines(['76']) }))).toHaveLength(1);
  });

  it('indicator 1 on an E/M: 99213 with 90471 passes with 25 on the E/M', () => {
    expect(only('PTP-001', claim({ lines: [line(1, '90471'), line(2, '99213')] }))).toHaveLength(1);
    expect(only('PTP-001', claim({ lines: [line(1, '90471'), line(2, '99213', { modifiers: ['25'] })] }))).toEqual([]);
  });

  it('anatomic modifiers bypass only when they name different sites (20610/76942)', () => {
    const lines = (a: string[], b: string[]) => [line(1, '20610', { modifiers: a }), line(2, '76942', { modifiers: b })];
    expect(only('PTP-001', claim({ lines: lines(['RT'], ['RT']) }))).toHaveLength(1);
    expect(only('PTP-001', claim({ lines: lines(['RT'], ['LT']) }))).toEqual([]);
    expect(bypassesPtp(['LT'], ['LT', 'XS'])).toBe(true);
  });

  it('a pair with no edit, and a same-code pair, pass (99214 with 36415 and 80053)', () => {
    expect(only('PTP-001', claim({ lines: [line(1, '99214'), line(2, '36415'), line(3, '80053'), line(4, '36415')] }))).toEqual([]);
  });
});

describe('AOC-001 add-on codes', () => {
  it('type 1: 99417 without 99205/99215 fails; with 99215 it passes', () => {
    expect(only('AOC-001', claim({ lines: [line(1, '99213'), line(2, '99417')] }))[0].message).toBe(
      'Line 2: 99417 is an add-on code paid only with one of its primary procedures (99205, 99215); none is on this claim.',
    );
    expect(only('AOC-001', claim({ lines: [line(1, '99215'), line(2, '99417')] }))).toEqual([]);
    expect(only('AOC-001', claim({ lines: [line(1, '99359')] }))[0].message).toMatch(/\(99358\)/);
  });

  it('type 2 (any primary): 0054T alone fails, with a procedure it passes', () => {
    expect(only('AOC-001', claim({ lines: [line(1, '0054T')] }))[0].message).toMatch(/has no primary procedure/);
    expect(only('AOC-001', claim({ lines: [line(1, '27447'), line(2, '0054T')] }))).toEqual([]);
  });

  it('type 3: 20703 with an unlisted primary is a warning; alone an error; with a listed one it passes', () => {
    expect(only('AOC-001', claim({ lines: [line(1, '27447'), line(2, '20703')] }))[0]).toMatchObject({
      severity: 'WARNING',
      route: 'CODER',
    });
    expect(only('AOC-001', claim({ lines: [line(1, '20703')] }))[0].severity).toBe('ERROR');
    expect(only('AOC-001', claim({ lines: [line(1, '27470'), line(2, '20703')] }))).toEqual([]);
  });
});

describe('edits without data: skipped, reported, and never clean', () => {
  it('a date of service between the loaded ICD-10-CM versions (and outside the NCCI quarter) fails CS-001 for the biller', () => {
    const r = run(claim({ dateOfService: '2022-05-01' }), '2022-06-01');
    expect(r.editsSkipped.map((s) => s.editId)).toEqual(['DX-002', 'DX-003', 'MUE-001', 'PTP-001']);
    expect(r.editsSkipped[0].reason).toMatch(/^no ICD-10-CM code set loaded for 2022-05-01 \(loaded: ICD-10-CM FY2021/);
    expect(r.editsRun).not.toContain('DX-002');
    expect(r.editsRun).toContain('AOC-001');
    const cs = r.failures.filter((f) => f.editId === 'CS-001');
    expect(cs.map((f) => [f.severity, f.route])).toEqual([
      ['ERROR', 'BILLER'],
      ['ERROR', 'BILLER'],
      ['ERROR', 'BILLER'],
    ]);
    expect(cs[0].message).toMatch(/^Edits DX-002, DX-003 could not run: no ICD-10-CM code set loaded for 2022-05-01/);
    expect(r.failures.every((f) => f.editId === 'CS-001')).toBe(true);
  });

  it('no PTP table loaded at all: PTP-001 is skipped with the reason, the claim fails', () => {
    const noPtp = new CodeSetRegistry();
    for (const kind of ['icd10cm', 'hcpcs', 'modifiers', 'mue', 'addOns', 'pos'] as const)
      for (const v of codeSets.versions(kind)) noPtp.add(kind, v as never);
    const r = run(claim({ dateOfService: '2024-07-01' }), '2024-08-01', noPtp);
    expect(r.editsSkipped).toEqual([
      { editId: 'PTP-001', reason: 'no NCCI PTP practitioner table loaded for 2024-07-01 (none is loaded at all)' },
    ]);
    expect(r.failures.map((f) => [f.editId, f.severity, f.route])).toEqual([['CS-001', 'ERROR', 'BILLER']]);
    // a one-line claim has no pair to check: PTP-001 ran
    expect(run(claim({ lines: [line(1, '99214')] }), '2024-08-01', noPtp).editsSkipped).toEqual([]);
  });

  it('the shipped demo subsets report codes they do not cover instead of passing or failing them', () => {
    const demo = loadCodeSetDirectory(DEMO_CODESETS_DIR, { extendNewest: true });
    const r = run(claim({ diagnoses: ['S72.001A'], lines: [line(1, '11042'), line(2, '97597')] }), '2024-08-01', demo);
    expect(r.editsSkipped).toEqual([
      { editId: 'DX-002', reason: 'S72.001A is outside the categories loaded in the ICD-10-CM FY2024 demo subset' },
      { editId: 'DX-003', reason: 'S72.001A is outside the categories loaded in the ICD-10-CM FY2024 demo subset' },
      { editId: 'PTP-001', reason: '11042, 97597 are not covered by the NCCI PTP practitioner 2024-07-01 demo subset that is loaded' },
    ]);
    expect(r.failures.map((f) => f.editId)).toEqual(['CS-001', 'CS-001']);
  });

  it('demo data kept in force: the lifecycle claim dated 2026 is scrubbed, E11 fails only DX-003; strict loading refuses', () => {
    const demo = loadCodeSetDirectory(DEMO_CODESETS_DIR, { extendNewest: true });
    const today = '2026-11-25';
    const c = claim({ dateOfService: today, diagnoses: ['E11', 'I10'] });
    expect(failed(c, today, demo)).toEqual(['DX-003']);
    const clean = run({ ...c, diagnoses: ['E11.9', 'I10'] }, today, demo);
    expect(clean.failures).toEqual([]);
    expect(clean.codeSetVersions).toContain('ICD-10-CM FY2024 demo subset (kept in force after 2024-09-30)');
    const strict = run(c, today, loadCodeSetDirectory(DEMO_CODESETS_DIR));
    expect(strict.editsSkipped.map((s) => s.editId)).toEqual(['DX-002', 'DX-003', 'MUE-001', 'PTP-001']);
    expect(strict.failures.filter((f) => f.editId === 'CS-001')).toHaveLength(3);
  });

  it('a header code is still a header in a one-code registry; an empty registry skips every code-set edit', () => {
    const tiny = new CodeSetRegistry().add('icd10cm', {
      label: 'test',
      table: new Icd10cmTable([{ code: 'E11', billable: false, description: 'Type 2 diabetes mellitus' }]),
    });
    expect(run(claim({ diagnoses: ['E11'], lines: [line(1, '99213')] }), '2024-08-01', tiny).failures.map((f) => f.editId)).toEqual([
      'DX-003',
      'CS-001',
      'CS-001',
      'CS-001',
    ]);
    const none = run(claim(), '2024-08-01', new CodeSetRegistry());
    expect(none.editsSkipped.map((s) => s.editId)).toEqual(['POS-002', 'DX-002', 'DX-003', 'MUE-001', 'PTP-001', 'AOC-001']);
  });
});
