// The registry answers each date of service from the code-set version in effect on that date.
import path from 'node:path';
import { FIXTURES_DIR } from '../../test/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CODESETS_DIR, loadCodeSetDirectory } from '../../infra/codesets';
import { Icd10cmTable } from './icd10cm';
import { CodeSetRegistry } from './registry';

const fixtures = path.join(FIXTURES_DIR, 'codesets');
const table = (codes: [string, boolean][]) => new Icd10cmTable(codes.map(([code, billable]) => ({ code, billable, description: code })));

describe('code-set registry: which version answers for a date', () => {
  const registry = new CodeSetRegistry()
    .add('icd10cm', { label: 'FY2021', effectiveFrom: '2020-10-01', effectiveTo: '2021-09-30', table: table([['M54.5', true]]) })
    .add('icd10cm', {
      label: 'FY2024',
      effectiveFrom: '2023-10-01',
      effectiveTo: '2024-09-30',
      table: table([
        ['M54.5', false],
        ['M54.50', true],
      ]),
    });

  it('picks the fiscal year holding the date of service, boundaries included', () => {
    expect(registry.select('icd10cm', '2020-10-01')?.label).toBe('FY2021');
    expect(registry.select('icd10cm', '2021-09-30')?.label).toBe('FY2021');
    expect(registry.select('icd10cm', '2023-10-01')?.label).toBe('FY2024');
    expect(registry.select('icd10cm', '2024-09-30')?.label).toBe('FY2024');
  });

  it('has no version for a date before, between or after the loaded ones, and says what is loaded', () => {
    for (const date of ['2020-09-30', '2022-05-01', '2024-10-01']) expect(registry.select('icd10cm', date), date).toBeUndefined();
    expect(registry.missing('icd10cm', '2022-05-01')).toBe(
      'no ICD-10-CM code set loaded for 2022-05-01 (loaded: FY2021 2020-10-01..2021-09-30; FY2024 2023-10-01..2024-09-30)',
    );
    expect(registry.missing('ptp', '2022-05-01')).toBe('no NCCI PTP practitioner table loaded for 2022-05-01 (none is loaded at all)');
    expect(registry.lookupDiagnosis('M54.5', '2022-05-01').status).toBe('no-code-set');
  });

  it('M54.5 is billable on a FY2021 date of service and a header on a FY2024 one', () => {
    expect(registry.lookupDiagnosis('M54.5', '2021-03-01')).toMatchObject({ status: 'billable', version: 'FY2021' });
    expect(registry.lookupDiagnosis('m545', '2024-03-01')).toMatchObject({ status: 'header', code: 'M54.5', version: 'FY2024' });
    expect(registry.lookupDiagnosis('M54.50', '2021-03-01')).toMatchObject({ status: 'unknown', version: 'FY2021' });
  });

  it('with extendNewest, keeps the newest version in force after its end, but never fills a gap or the past', () => {
    const extending = new CodeSetRegistry({ extendNewest: true });
    for (const v of registry.versions('icd10cm')) extending.add('icd10cm', v);
    expect(extending.select('icd10cm', '2026-11-25')).toMatchObject({ label: 'FY2024', extended: true });
    expect(extending.select('icd10cm', '2024-05-01')).toMatchObject({ label: 'FY2024', extended: false });
    expect(extending.select('icd10cm', '2022-05-01')).toBeUndefined();
    expect(extending.select('icd10cm', '2019-05-01')).toBeUndefined();
  });

  it('when versions overlap, the one that took effect last wins (a mid-year April update over the October release)', () => {
    const r = new CodeSetRegistry()
      .add('icd10cm', { label: 'FY2023', effectiveFrom: '2022-10-01', effectiveTo: '2023-09-30', table: table([]) })
      .add('icd10cm', { label: 'FY2023 April', effectiveFrom: '2023-04-01', effectiveTo: '2023-09-30', table: table([]) });
    expect(r.select('icd10cm', '2023-03-31')?.label).toBe('FY2023');
    expect(r.select('icd10cm', '2023-04-01')?.label).toBe('FY2023 April');
  });
});

// The whole fixture folder (with the 2.5-million-row PTP table) is loaded by domain/scrub.test.ts; here the
// ICD-10-CM, HCPCS and place-of-service folders are enough.
describe('code-set registry loaded from folders', () => {
  let full: CodeSetRegistry;
  beforeAll(() => {
    full = new CodeSetRegistry();
    for (const folder of ['icd10cm', 'hcpcs', 'pos'])
      for (const kind of ['icd10cm', 'hcpcs', 'modifiers', 'pos'] as const)
        for (const v of loadCodeSetDirectory(path.join(fixtures, folder)).versions(kind)) full.add(kind, v as never);
  }, 60_000);

  it('loads every fixture code set of those folders with its span of dates of service', () => {
    const spans = (kind: Parameters<CodeSetRegistry['versions']>[0]) =>
      full
        .versions(kind)
        .map((v) => `${v.label} ${v.effectiveFrom ?? '…'}..${v.effectiveTo ?? '…'}`)
        .sort();
    expect(spans('icd10cm')).toEqual([
      'ICD-10-CM FY2021 (Jan 2021 release) 2020-10-01..2021-09-30',
      'ICD-10-CM FY2024 2023-10-01..2024-09-30',
    ]);
    expect(spans('hcpcs')).toEqual([
      'HCPCS Level II 2019 (CMS alpha-numeric file) 2019-01-01..2019-12-31',
      'HCPCS Level II 2024-07 2024-01-01..2024-09-30',
    ]);
    expect(spans('modifiers')).toEqual(['HCPCS Level II modifiers 2019 2019-01-01..2019-12-31', 'HCPCS Level II modifiers …..…']);
    expect(spans('pos')).toEqual(['CMS place of service codes …..…']);
    // the July 2024 attribute file was joined with its description file
    expect(full.select('hcpcs', '2024-07-15')?.table.get('G0438')?.shortDescription).toBe('Ppps, initial visit');
    // the 2019 modifiers answer for 2019 (CP was terminated 2017-12-31), the undated list for other years
    expect(full.select('modifiers', '2019-06-01')?.label).toBe('HCPCS Level II modifiers 2019');
    expect(full.select('modifiers', '2024-06-01')?.label).toBe('HCPCS Level II modifiers');
  });

  it('answers the M54.5 question from the real FY2021 and FY2024 files', () => {
    expect(full.lookupDiagnosis('M54.5', '2021-03-01')).toMatchObject({
      status: 'billable',
      version: 'ICD-10-CM FY2021 (Jan 2021 release)',
    });
    expect(full.lookupDiagnosis('M54.5', '2024-07-01')).toMatchObject({ status: 'header', version: 'ICD-10-CM FY2024' });
    expect(full.lookupDiagnosis('M54.5', '2026-01-05').status).toBe('no-code-set');
  });

  it('the shipped demo data keeps its newest versions in force for later dates of service', () => {
    const demo = loadCodeSetDirectory(DEMO_CODESETS_DIR, { extendNewest: true });
    const today = demo.forDate('2026-11-25');
    expect(Object.keys(today).sort()).toEqual(['addOns', 'hcpcs', 'icd10cm', 'modifiers', 'mue', 'pos', 'ptp']);
    expect(today.icd10cm).toMatchObject({ label: 'ICD-10-CM FY2024 demo subset', extended: true });
    expect(demo.lookupDiagnosis('E11.9', '2026-11-25').status).toBe('billable');
    expect(demo.lookupDiagnosis('S72.001A', '2026-11-25').status).toBe('no-code-set');
    expect(loadCodeSetDirectory(DEMO_CODESETS_DIR).forDate('2026-11-25')).not.toHaveProperty('icd10cm');
  });
});
