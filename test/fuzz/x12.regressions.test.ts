// X12 problems the property tests in x12.property.test.ts found, each kept as a plain example.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSegments, readTransactions, readTransactionsStream } from '../../domain/x12/reader';
import { read837P } from '../../domain/x12/read837p';
import { chunked, FIXTURES_ROOT } from './x12Mutations';

const fixture = (path: string) => fs.readFileSync(`${FIXTURES_ROOT}${path}`, 'latin1');

describe('found by fuzzing the X12 reader', () => {
  it('streams a 300 kB element in small chunks in linear time (was quadratic: seconds per file)', async () => {
    // Before the fix every chunk was joined to the unfinished segment and the whole of it searched again:
    // 100 kB in 1-byte chunks took 2.2 s, 300 kB about 20 s. Now chunks wait unjoined until a terminator comes.
    const text = fixture('270/linuxforhealth-x12__dependent-health-benefit-check.270').replace('BHT*', `BHT*${'9'.repeat(300_000)}*`);
    const bytes = Buffer.from(text, 'latin1');
    const started = process.cpuUsage(); // CPU, not wall time: the test machine's cores are shared
    const results = [];
    for await (const r of readTransactionsStream(chunked(bytes, [8]))) results.push(r);
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    expect(ms).toBeLessThan(1_000);
    const whole = readTransactions(text);
    expect(results.flatMap((r) => ('transaction' in r ? [r.transaction.segments.map((s) => s.elements)] : []))).toEqual(
      whole.transactions.map((t) => t.segments.map((s) => s.elements)),
    );
    expect(results.flatMap((r) => ('error' in r ? [r.error.message] : []))).toEqual(whole.errors.map((e) => e.message));
  });

  it('reads the last segment of a stream that ends without a terminator after held chunks', async () => {
    const text = fixture('999/xlate-staedi__simple999.edi').trimEnd().replace(/~$/, '');
    const segments = [...readSegments(text)].map((s) => s.elements);
    const fromStream: string[][] = [];
    const { readSegmentsStream } = await import('../../domain/x12/reader');
    for await (const s of readSegmentsStream(chunked(Buffer.from(text, 'latin1'), [3]))) fromStream.push(s.elements);
    expect(fromStream).toEqual(segments);
  });

  it('keeps NaN out of the 837P model: unreadable diagnosis pointers, units and CAS quantities are warned and left out', () => {
    // Found as a deleted ISA16 plus a flipped byte: SV1 pointers that are not numbers came out as NaN in the
    // model (null in JSON, NaN in any sum downstream), with a warning. Now they are left out, with the warning.
    const text = fixture('837p/linuxforhealth-x12__demo.example2.837').replace(
      'SV1*HC:99213*40.00*UN*1.00***1~',
      'SV1*HC:99213*40.00*UN*ABC***1:A:13~',
    );
    const { transactions } = readTransactions(text, { controlTotals: false });
    expect(transactions).toHaveLength(1);
    const read = read837P(transactions[0]);
    const line = read.claims[0].claim.lines[0];
    expect(line.units).toBe(0);
    expect(line.diagnosisPointers).toEqual([1]);
    expect(read.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('units "ABC" is not a positive number'),
        expect.stringContaining('diagnosis pointer "A" is not 1 to 12'),
        expect.stringContaining('diagnosis pointer "13" is not 1 to 12'),
      ]),
    );
    const numbers = JSON.stringify(read.claims, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? 'NOT FINITE' : v));
    expect(numbers).not.toContain('NOT FINITE');
  });
});
