// HCPCS Level II importers on the real July 2024 extracts and the verbatim CMS 2019 fixed-width file.
import path from 'node:path';
import { FIXTURES_DIR } from '../../test/fixtures';
import { describe, expect, it } from 'vitest';
import { readCodeSetFile } from '../../infra/codesets';
import {
  CPT_MODIFIERS,
  HcpcsTable,
  parseHcpcsAttributesTsv,
  parseHcpcsDescriptionsTsv,
  parseHcpcsFixedWidth,
  parseModifiersTsv,
  statusOn,
  withDescriptions,
} from './hcpcs';

const dir = path.join(FIXTURES_DIR, 'codesets/hcpcs');
const read = (name: string, encoding: BufferEncoding = 'utf8') => readCodeSetFile(path.join(dir, name), encoding);

describe('HCPCS Level II importers', () => {
  it('reads 8,033 codes with their added and termination dates from the July 2024 attribute file', () => {
    const codes = parseHcpcsAttributesTsv(read('hcpcs_level2_attributes_2024-07.tsv'));
    expect(codes).toHaveLength(8_033);
    const table = new HcpcsTable(codes);
    expect(table.get('G0438')).toMatchObject({ addedOn: '2011-01-01', terminatedOn: undefined });
    expect(table.get('A4397')).toMatchObject({ addedOn: '1990-01-01', terminatedOn: '2021-12-31' });
    expect(codes.filter((c) => c.terminatedOn)).toHaveLength(1_058);
  });

  it('joins the long and short descriptions: 8,033 codes x 2 rows', () => {
    const descriptions = parseHcpcsDescriptionsTsv(read('hcpcs_level2_descriptions_2024-07.tsv'));
    expect(descriptions.size).toBe(8_033);
    const codes = withDescriptions(parseHcpcsAttributesTsv(read('hcpcs_level2_attributes_2024-07.tsv')), descriptions);
    expect(codes.every((c) => c.longDescription && c.shortDescription)).toBe(true);
    expect(codes.find((c) => c.code === 'A0021')?.shortDescription).toBe('Outside state ambulance serv');
  });

  it('reads the 384 Level II modifier rows (KX is listed twice, under General and Therapy)', () => {
    const mods = parseModifiersTsv(read('hcpcs_level2_modifiers.tsv'));
    expect(mods).toHaveLength(384);
    expect(new Set(mods.map((m) => m.code)).size).toBe(383);
    for (const m of ['LT', 'RT', 'XE', 'XS', 'XP', 'XU', 'GT', 'QW'])
      expect(
        mods.some((x) => x.code === m),
        m,
      ).toBe(true);
    expect(mods.some((m) => m.code === '59' || m.code === '25')).toBe(false);
    for (const m of ['25', '59', '76', '91']) expect(CPT_MODIFIERS.has(m)).toBe(true);
  });

  it('reads the CMS 2019 fixed-width file: 6,440 codes and 360 modifiers, long descriptions joined across records', () => {
    const { codes, modifiers } = parseHcpcsFixedWidth(read('HCPC2019_CONTR_ANWEB.txt.gz', 'latin1'));
    expect(codes).toHaveLength(6_440);
    expect(modifiers).toHaveLength(360);
    expect(codes.find((c) => c.code === 'G0438')).toMatchObject({
      addedOn: '2011-01-01',
      terminatedOn: undefined,
      actionCode: 'N',
      shortDescription: 'Ppps, initial visit',
      longDescription: expect.stringMatching(
        /^Annual wellness visit; includes a personalized prevention plan of service \(pps\), initial visit$/i,
      ),
    });
    expect(modifiers.find((m) => m.code === 'AD')?.description).toBe(
      'Medical supervision by a physician: more than four concurrent anesthesia procedures',
    );
    expect(modifiers.find((m) => m.code === 'CP')).toMatchObject({ terminatedOn: '2017-12-31' });
  });

  it('a code is billable from its added date through its termination date', () => {
    const c1834 = { addedOn: '2022-10-01', terminatedOn: '2023-03-31' };
    expect(statusOn(c1834, '2022-09-30')).toBe('not-yet-valid');
    expect(statusOn(c1834, '2022-10-01')).toBe('valid');
    expect(statusOn(c1834, '2023-03-31')).toBe('valid');
    expect(statusOn(c1834, '2023-04-01')).toBe('terminated');
  });
});
