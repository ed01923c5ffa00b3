import { describe, expect, it } from 'vitest';
import { overlappingRows, readFeeScheduleFile } from './feeScheduleCsv';

const HEADER = 'payer_id,provider_npi,procedure_code,modifier,allowed,effective_from,effective_to';

describe('fee schedule CSV', () => {
  it('reads rates in cents with optional provider, modifier and end', () => {
    const file = readFeeScheduleFile(
      `${HEADER}\r\npayer-a,,99213,,92.00,2026-01-01,\r\npayer-a,1457293011,99213,25,$95.5,01/01/2026,12/31/2026\r\n`,
    );
    expect(file.problems).toEqual([]);
    expect(file.rows).toEqual([
      { row: 2, payerId: 'payer-a', procedureCode: '99213', allowedCents: 9_200, effectiveFrom: '2026-01-01' },
      {
        row: 3,
        payerId: 'payer-a',
        providerNpi: '1457293011',
        procedureCode: '99213',
        modifier: '25',
        allowedCents: 9_550,
        effectiveFrom: '2026-01-01',
        effectiveTo: '2026-12-31',
      },
    ]);
  });

  it('names the row and column of every problem', () => {
    const file = readFeeScheduleFile(
      `${HEADER}\npayer-a,123,9921,X,-5,2026-02-30,\npayer-a,,99213,,92.001,2026-01-01,2025-12-31\n,,99213,,1,2026-01-01,\n`,
    );
    expect(file.problems).toEqual([
      { row: 2, column: 'provider_npi', message: expect.any(String) },
      { row: 2, column: 'procedure_code', message: expect.any(String) },
      { row: 2, column: 'modifier', message: expect.any(String) },
      { row: 2, column: 'allowed', message: 'must not be negative' },
      { row: 2, column: 'effective_from', message: expect.any(String) },
      { row: 3, column: 'allowed', message: expect.stringContaining('2 decimals') },
      { row: 3, column: 'effective_to', message: 'must not be before effective_from' },
      { row: 4, column: 'payer_id', message: 'is required' },
    ]);
    expect(file.rows).toEqual([]);
  });

  it('refuses a header without the required columns or with unknown ones', () => {
    expect(readFeeScheduleFile('payer_id,code,allowed\npayer-a,99213,1\n').problems.map((p) => p.column)).toEqual([
      'code',
      'procedure_code',
      'effective_from',
    ]);
    expect(readFeeScheduleFile(`${HEADER}\n`).problems).toEqual([{ row: 1, message: 'the file has no rates' }]);
  });

  it('finds overlapping rates of the same kind in the file and against stored ones, but not a re-import', () => {
    const file = readFeeScheduleFile(
      `${HEADER}\npayer-a,,99213,,92,2026-01-01,2026-06-30\npayer-a,,99213,,93,2026-06-01,\npayer-a,,99213,25,99,2026-01-01,\npayer-a,,99214,,130,2026-01-01,\n`,
    );
    expect(overlappingRows(file.rows, [])).toEqual([{ row: 3, column: 'effective_from', message: expect.stringContaining('row 2') }]);
    const stored = [
      { payerId: 'payer-a', procedureCode: '99214', allowedCents: 120, effectiveFrom: '2025-01-01' },
      { payerId: 'payer-a', procedureCode: '99213', modifier: '25', allowedCents: 99, effectiveFrom: '2026-01-01' },
    ];
    const [row4, row5] = readFeeScheduleFile(`${HEADER}\npayer-a,,99213,25,99,2026-01-01,\npayer-a,,99214,,130,2026-01-01,\n`).rows.map(
      (r) => ({ ...r, row: r.row + 2 }),
    );
    expect(overlappingRows([row4, row5], stored)).toEqual([
      { row: 5, column: 'effective_from', message: expect.stringContaining('stored rate in effect from 2025-01-01') },
    ]);
  });
});
