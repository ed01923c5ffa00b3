// The CMS place-of-service code set as shipped in the fixtures (September 2023).
import path from 'node:path';
import { FIXTURES_DIR } from '../../test/fixtures';
import { describe, expect, it } from 'vitest';
import { readCodeSetFile } from '../../infra/codesets';
import { parsePlaceOfServiceTsv, PlaceOfServiceTable } from './pos';

const file = path.join(FIXTURES_DIR, 'codesets/pos/place_of_service.tsv');

describe('place-of-service importer', () => {
  it('reads 99 codes: 18 facility, 34 non-facility, 47 unassigned, including telehealth 02/10 and outreach 27', () => {
    const codes = parsePlaceOfServiceTsv(readCodeSetFile(file));
    expect(codes).toHaveLength(99);
    const count = (type: string) => codes.filter((c) => c.type === type).length;
    expect([count('Facility'), count('Non-Facility'), count('Unassigned')]).toEqual([18, 34, 47]);
    const table = new PlaceOfServiceTable(codes);
    expect(table.get('11')).toMatchObject({ type: 'Non-Facility', name: 'Office' });
    for (const code of ['02', '10', '27']) expect(table.get(code)?.type).not.toBe('Unassigned');
    expect(table.get('30')?.type).toBe('Unassigned');
    expect(table.get('00')).toBeUndefined();
  });
});
