// The reader: separators from every kind of header, segments, envelopes, and streams that agree with strings.
import fs from 'node:fs';
import { FIXTURES_DIR } from '../../test/fixtures';
import { describe, expect, it } from 'vitest';
import {
  components,
  detectDelimiters,
  readSegments,
  readSegmentsStream,
  readTransactions,
  readTransactionsStream,
  X12SyntaxError,
  type ReadResult,
  type Segment,
} from './reader';

const ROOT = `${FIXTURES_DIR}/x12/`;
const fixture = (file: string) => fs.readFileSync(ROOT + file, 'utf8');
const ALL_FIXTURES = fs.readdirSync(ROOT).flatMap((dir) => fs.readdirSync(ROOT + dir).map((f) => `${dir}/${f}`));

/** A small, correct 835 interchange: ISA..IEA around `sets` transactions. */
function interchange(sets: string[][], { isa13 = '000000001', gs06 = '1' } = {}): string {
  const isa = `ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*${isa13}*0*P*:~`;
  const body = sets.map((lines, i) => {
    const st = String(i + 1).padStart(4, '0');
    const segs = [`ST*835*${st}`, ...lines];
    return [...segs, `SE*${segs.length + 1}*${st}`].join('~');
  });
  return (
    [isa, `GS*HP*SENDER*RECEIVER*20240101*1200*${gs06}*X*005010X221A1`, ...body, `GE*${sets.length}*${gs06}`, `IEA*1*${isa13}`].join('~') +
    '~\n'
  );
}
const TINY_835 = [
  'BPR*I*10*C*CHK************20240101',
  'TRN*1*T1*1999999999',
  'N1*PR*PAYER',
  'N1*PE*CLINIC*XX*1234567893',
  'LX*1',
  'CLP*A1*1*10*10**12*ICN1',
];

async function* chunked(text: string, size: number, asBytes = true): AsyncGenerator<string | Uint8Array> {
  const data = asBytes ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('detectDelimiters', () => {
  it.each([
    ['835/linuxforhealth-x12__managed-care.835', { element: '*', component: ':', repetition: '^', segment: '~' }],
    [
      '835/keironstoddart-edi-835-parser__united_healthcare_legacy_sample.txt',
      { element: '*', component: '>', repetition: '^', segment: '~' },
    ],
    ['277ca/imsweb-x12-parser__x12_277CA_rejected.txt', { element: '*', component: '|', repetition: '^', segment: '~' }],
    ['999/imsweb-x12-parser__x12_999_rejected.txt', { element: '*', component: '|', repetition: '^', segment: '~' }],
    ['835/tastypackets-x12-parser__multi-line-not-delimited.edi', { element: '*', component: ':', repetition: '^', segment: '\n' }],
    // ISA11 is "U" (a standards id, not a separator) even in this 00501 file.
    ['837p/imsweb-x12-parser__x12_valid_different_separators.txt', { element: '~', component: '^', segment: '_' }],
    // 00402: ISA11 became the repetition separator; newline terminator and indented segments.
    ['837p/xlate-staedi__sample837-original.edi', { element: '*', component: '>', repetition: '`', segment: '\n' }],
    // 4010 ISA with trimmed fields: counted, not positioned.
    ['ta1/uhin-x12-parser-library__TA1.edi', { element: '*', component: ':', segment: '~' }],
    // No envelope: from the ST segment.
    ['835/keironstoddart-edi-835-parser__blue_cross_nc_sample.txt', { element: '*', component: ':', segment: '~' }],
  ])('%s', (file, expected) => {
    expect(detectDelimiters(fixture(file))).toEqual(expected);
  });

  it('takes the component separator of a bare ST..SE file from a composite that shows it', () => {
    expect(detectDelimiters('ST*835*1~BPR*I*1*C*CHK~CLP*A*1*1*1~SVC*HC>99213*1*1~SE*5*1~')).toEqual({
      element: '*',
      component: '>',
      segment: '~',
    });
    expect(detectDelimiters('ST|277|1\nSTC|A1^20|20240101\nSE|3|1\n')).toEqual({ element: '|', component: '^', segment: '\n' });
  });

  it('reads CR LF after ISA16 as a line-end terminator', () => {
    const text = interchange([TINY_835]).replace(/~/g, '\r\n');
    expect(detectDelimiters(text).segment).toBe('\n');
    const { transactions, errors } = readTransactions(text);
    expect(errors).toEqual([]);
    expect(transactions[0].segments.every((s) => !s.elements.some((e) => e.includes('\r')))).toBe(true);
  });

  it('refuses what is not X12, saying where', () => {
    expect(() => detectDelimiters('hello world')).toThrow(X12SyntaxError);
    expect(() => detectDelimiters('ISA*00*too short')).toThrow('segment 1 (ISA): the ISA header has');
  });
});

describe('readSegments', () => {
  it('numbers segments from 1, keeps the id as element 0 and the character offset', () => {
    const text = fixture('835/linuxforhealth-x12__medicare-part-a.835');
    const segs = [...readSegments(text)];
    expect(segs[0]).toMatchObject({ id: 'ISA', index: 1, offset: 0 });
    const clp = segs.find((s) => s.id === 'CLP') as Segment;
    expect(clp.elements[0]).toBe('CLP');
    expect(clp.elements[1]).toBe('666123'); // X12's CLP01
    expect(text.slice(clp.offset, clp.offset + 10)).toBe('CLP*666123');
    expect(segs.map((s) => s.index)).toEqual(segs.map((_, i) => i + 1));
  });

  it('splits composites with the file’s component separator', () => {
    const text = fixture('835/keironstoddart-edi-835-parser__united_healthcare_legacy_sample.txt');
    const d = detectDelimiters(text);
    const svc = [...readSegments(text)].find((s) => s.id === 'SVC') as Segment;
    expect(components(svc.elements[1], d)).toEqual(['HC', 'B4152']);
    expect(components('', d)).toEqual([]);
  });

  it('reads the file with ~ as element separator and _ as terminator', () => {
    const segs = [...readSegments(fixture('837p/imsweb-x12-parser__x12_valid_different_separators.txt'))];
    const same = [...readSegments(fixture('837p/imsweb-x12-parser__x12_valid.txt'))];
    expect(segs.map((s) => s.elements)).toEqual(same.map((s) => s.elements.map((e) => e.replace(/:/g, '^'))));
  });

  it('follows each interchange’s own separators in a file of several', () => {
    const a = interchange([TINY_835]);
    const b = interchange([TINY_835], { isa13: '000000002', gs06: '2' }).replace(/\*/g, '|').replace(/~/g, '\n');
    const { transactions, errors } = readTransactions(a + b);
    expect(errors).toEqual([]);
    expect(transactions.map((t) => [t.delimiters.element, t.delimiters.segment, t.interchange?.controlNumber])).toEqual([
      ['*', '~', '000000001'],
      ['|', '\n', '000000002'],
    ]);
  });
});

describe('readTransactions', () => {
  it('returns envelope details with each transaction', () => {
    const { transactions } = readTransactions(fixture('835/keironstoddart-edi-835-parser__emedny_sample.txt'));
    expect(transactions[0]).toMatchObject({
      setId: '835',
      controlNumber: '1740',
      implementation: '005010X221A1',
      interchange: {
        senderId: 'EMEDNYBAT',
        receiverId: 'ETIN',
        controlNumber: '006000600',
        date: '2010-01-01',
        time: '1000',
        usageIndicator: 'T',
      },
      group: { functionalId: 'HP', controlNumber: '6000600', version: '005010X221A1', senderCode: 'EMEDNYBAT', receiverCode: 'ETIN' },
    });
    expect(transactions[0].segments[0].id).toBe('ST');
    expect(transactions[0].segments.at(-1)?.id).toBe('SE');
  });

  it('reads a bare ST..SE file without an envelope', () => {
    const { transactions, errors } = readTransactions('ST*835*0001~' + TINY_835.join('~') + '~SE*8*0001~');
    expect(errors).toEqual([]);
    expect(transactions[0]).toMatchObject({ setId: '835', controlNumber: '0001', interchange: undefined, group: undefined });
  });

  it('reports a bad transaction inside a batch by segment number and id, and keeps the good ones', () => {
    const bad = ['BPR*I*10*C*CHK', 'TRN*1*T2', 'N1*PR*PAYER', 'N1*PE*CLINIC', 'CLP*A2*1**10'];
    const text = interchange([TINY_835, bad, TINY_835]);
    const { transactions, errors } = readTransactions(text);
    expect(transactions.map((t) => t.controlNumber)).toEqual(['0001', '0003']);
    expect(errors.map((e) => e.message)).toEqual(['segment 16 (CLP), element 3: required element is missing']);
    expect(errors[0]).toMatchObject({ segmentIndex: 16, segmentId: 'CLP', element: 3, code: 'missing-element' });
  });

  it('catches a truncated transaction by its SE01 count', () => {
    const text = interchange([TINY_835, TINY_835]).replace('CLP*A1*1*10*10**12*ICN1~SE*8*0002', 'SE*8*0002');
    const { transactions, errors } = readTransactions(text);
    expect(transactions).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual(['segment 17 (SE), element 1: SE01 says 8, the transaction has 7 segments (ST..SE)']);
  });

  it('checks trailer control numbers and group/interchange counts', () => {
    const text = interchange([TINY_835]).replace('GE*1*1', 'GE*2*9').replace('IEA*1*000000001', 'IEA*3*000000007');
    const { transactions, errors } = readTransactions(text);
    expect(transactions).toHaveLength(1); // already verified at its SE
    expect(errors.map((e) => [e.segmentId, e.element, e.code])).toEqual([
      ['GE', 1, 'control-total'],
      ['GE', 2, 'control-total'],
      ['IEA', 1, 'control-total'],
      ['IEA', 2, 'control-total'],
    ]);
  });

  it('names the ST of a transaction that never ends', () => {
    const text = interchange([TINY_835]).replace(/SE\*8\*0001~/, '');
    const { transactions, errors } = readTransactions(text);
    expect(transactions).toEqual([]);
    expect(errors[0].message).toBe('segment 3 (ST): transaction 0001 has no SE (segment 10 (GE) comes first)');
  });

  it('reports segments outside any transaction once per run, and odd segment ids inside one', () => {
    const text = interchange([[...TINY_835, 'a*b']]).replace('GE*1*1', 'XX*1~YY*2~GE*1*1');
    const { errors } = readTransactions(text);
    expect(errors.map((e) => e.message)).toEqual([
      'segment 10 (a): "a" is not a segment id (a terminator or separator may be wrong)',
      'segment 12 (XX): XX is outside any transaction (ST..SE)',
    ]);
  });
});

describe('streaming', () => {
  const sizes = [1, 7, 64 * 1024];

  it.each(sizes)('gives the same segments in %i-byte chunks as from the whole string, for every fixture', async (size) => {
    for (const file of ALL_FIXTURES) {
      const text = fixture(file);
      const whole = [...readSegments(text)];
      const streamed = await collect(readSegmentsStream(chunked(text, size)));
      expect(streamed, file).toEqual(whole);
    }
  });

  it('accepts string chunks too', async () => {
    const text = fixture('835/tastypackets-x12-parser__multi-line-not-delimited.edi');
    expect(await collect(readSegmentsStream(chunked(text, 5, false)))).toEqual([...readSegments(text)]);
  });

  it.each(sizes)('yields the same transactions and errors in %i-byte chunks as readTransactions', async (size) => {
    for (const file of ALL_FIXTURES) {
      const text = fixture(file);
      const whole = readTransactions(text);
      const results: ReadResult[] = await collect(readTransactionsStream(chunked(text, size)));
      const transactions = results.flatMap((r) => ('transaction' in r ? [r.transaction] : []));
      const errors = results.flatMap((r) => ('error' in r ? [r.error.message] : []));
      expect(transactions, file).toEqual(whole.transactions);
      expect(errors, file).toEqual(whole.errors.map((e) => e.message));
    }
  });

  it('keeps multi-byte characters whole when a chunk splits them', async () => {
    const text = interchange([[...TINY_835.slice(0, 2), 'N1*PR*CAISSE MÉDICALE ÉTÉ', ...TINY_835.slice(3)]]);
    const streamed = await collect(readSegmentsStream(chunked(text, 1)));
    expect(streamed.find((s) => s.id === 'N1')?.elements[2]).toBe('CAISSE MÉDICALE ÉTÉ');
    expect(streamed).toEqual([...readSegments(text)]);
  });
});
