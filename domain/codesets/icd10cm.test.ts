// The ICD-10-CM parsers read the real CMS order file (FY2021, fixed width) and the FY2024 TSV extract.
import path from 'node:path';
import { FIXTURES_DIR } from '../../test/fixtures';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCodeSetFile } from '../../infra/codesets';
import { Icd10cmTable, normaliseIcd10cm, parseIcd10cm, parseIcd10cmOrderFile, parseIcd10cmTsv, type Icd10cmCode } from './icd10cm';
import { CodeSetFormatError } from './tsv';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.join(FIXTURES_DIR, 'codesets/icd10cm');
const demo = path.resolve(repo, 'domain/codesets/data/icd10cm-2024-demo.tsv');

let fy2021: Icd10cmCode[];
let fy2024: Icd10cmCode[];
beforeAll(() => {
  fy2021 = parseIcd10cmOrderFile(readCodeSetFile(path.join(fixtures, 'icd10cm-order-Jan-2021.txt.gz')));
  fy2024 = parseIcd10cmTsv(readCodeSetFile(path.join(fixtures, 'icd10cm_order_2024.tsv')));
});

describe('ICD-10-CM importers', () => {
  it('reads the FY2021 CMS fixed-width order file: 95,358 codes of which 72,621 billable, dots after the 3rd character', () => {
    expect(fy2021).toHaveLength(95_358);
    expect(fy2021.filter((c) => c.billable)).toHaveLength(72_621);
    expect(fy2021[0]).toEqual({ code: 'A00', billable: false, shortDescription: 'Cholera', description: 'Cholera' });
    expect(fy2021[1].code).toBe('A00.0');
    expect(fy2021.find((c) => c.code === 'T38.0X1A')?.billable).toBe(true);
  });

  it('reads the FY2024 TSV extract: 97,296 codes of which 74,044 billable', () => {
    expect(fy2024).toHaveLength(97_296);
    expect(fy2024.filter((c) => c.billable)).toHaveLength(74_044);
    const byCode = new Map(fy2024.map((c) => [c.code, c]));
    for (const header of ['E11', 'M54.5']) expect(byCode.get(header)?.billable).toBe(false);
    for (const leaf of ['M54.50', 'E11.9', 'S72.001A', 'T38.0X1A', 'U09.9']) expect(byCode.get(leaf)?.billable).toBe(true);
  });

  it('tells the two layouts apart by their first line', () => {
    expect(parseIcd10cm('00001 A00     0 Cholera' + ' '.repeat(54) + 'Cholera\r\n')[0].code).toBe('A00');
    expect(parseIcd10cm('E11.9\t1\tType 2 diabetes mellitus without complications\n')[0]).toMatchObject({ code: 'E11.9', billable: true });
  });

  it('rejects a file that is not in the fixed-width layout', () => {
    expect(() => parseIcd10cmOrderFile('A00 Cholera\n')).toThrow(CodeSetFormatError);
  });

  it('normalises codes with or without the dot, in any case', () => {
    expect(['e119', 'E11.9', ' e11.9 '].map(normaliseIcd10cm)).toEqual(['E11.9', 'E11.9', 'E11.9']);
    expect(normaliseIcd10cm('I10')).toBe('I10');
    expect(normaliseIcd10cm('T380X1A')).toBe('T38.0X1A');
  });

  it('M54.5 is billable in FY2021 and a header over M54.50/M54.51/M54.59 in FY2024', () => {
    const t2021 = new Icd10cmTable(fy2021);
    const t2024 = new Icd10cmTable(fy2024);
    expect(t2021.get('M54.5')?.billable).toBe(true);
    expect(t2021.get('M54.50')).toBeUndefined();
    expect(t2024.get('M54.5')?.billable).toBe(false);
    expect(t2024.billableUnder('M54.5')).toEqual(['M54.50', 'M54.51', 'M54.59']);
  });

  it('the shipped demo subset holds whole FY2024 categories, and covers only those', () => {
    const subset = new Icd10cmTable(parseIcd10cmTsv(readCodeSetFile(demo)), { partial: true });
    const full = new Icd10cmTable(fy2024);
    const byCategory = (codes: readonly Icd10cmCode[]) => {
      const out = new Map<string, string[]>();
      for (const c of codes) (out.get(c.code.slice(0, 3)) ?? out.set(c.code.slice(0, 3), []).get(c.code.slice(0, 3))!).push(c.code);
      return out;
    };
    const [inSubset, inFull] = [byCategory(subset.all()), byCategory(full.all())];
    for (const [category, codes] of inSubset) expect(codes, category).toEqual(inFull.get(category));
    for (const code of ['E11.9', 'I10', 'J06.9', 'R05.9', 'M54.50', 'E78.5', 'K21.9', 'Z00.00'])
      expect(subset.get(code)?.billable, code).toBe(true);
    expect(subset.covers('E11.99')).toBe(true);
    expect(subset.get('E11.99')).toBeUndefined();
    expect(subset.covers('S72.001A')).toBe(false);
  });
});
