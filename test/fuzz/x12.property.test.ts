// Bad X12 (issue 6): random damage to the real fixture files must read into a positioned X12SyntaxError or a
// valid model, never a TypeError/RangeError or a hang, in the reader, in the 835/277CA/999/837P/TA1 parsers
// and through POST /api/inbound/x12 (400/202 JSON naming the segment, never 500, nothing stored for a
// rejected file). Fixed seed, printed with a report of what was tried.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSegments, readTransactions, readTransactionsStream, X12SyntaxError, type Transaction } from '../../domain/x12/reader';
import { balance835, parse835 } from '../../domain/x12/835';
import { parse277CA } from '../../domain/x12/277ca';
import { parse999 } from '../../domain/x12/999';
import { read837P } from '../../domain/x12/read837p';
import { parseTA1 } from '../../domain/x12/ta1';
import { useApiFixture } from '../../api/testSupport';
import { SIMULATOR_SENDER_ID } from '../../app/seed';
import { createReport, FUZZ_SEED, type Tally } from './report';
import { applyMutations, chunked, damagedFileArb, describeInput, loadFixtures } from './x12Mutations';
import { assertNoLeak, rowCounts } from './storage';

const fixtures = loadFixtures();
const report = createReport();
const RUNS = 300;
const API_RUNS = 150;
/** CPU per read or parse: an honest read of the largest fixture (330 kB, 820 claims) takes about 100 ms. */
const TIME_BOUND_MS = 1_000;
const ERROR_CODES = new Set(['delimiters', 'envelope', 'control-total', 'segment-id', 'missing-element', 'bad-value', 'structure']);

afterAll(() => report.print('X12 bad-input properties'));

/** A positioned error: the X12 layer's own type, with a segment number and id a person can look up. */
function expectPositioned(err: unknown, input: string): asserts err is X12SyntaxError {
  if (!(err instanceof X12SyntaxError)) {
    throw new Error(
      `${input}: threw ${(err as Error)?.name ?? typeof err} instead of X12SyntaxError: ${(err as Error)?.message ?? String(err)}`,
    );
  }
  expect(ERROR_CODES.has(err.code), `${input}: code ${err.code}`).toBe(true);
  expect(Number.isInteger(err.segmentIndex) && err.segmentIndex >= 0, `${input}: segmentIndex ${err.segmentIndex}`).toBe(true);
  expect(typeof err.segmentId, input).toBe('string');
  expect(err.message, input).toMatch(/^segment \d+ \(/);
  if (err.element !== undefined) expect(Number.isInteger(err.element) && err.element >= 0, `${input}: element ${err.element}`).toBe(true);
}

/** A valid model has no NaN or Infinity anywhere, and its money is whole cents. */
function expectSaneModel(model: unknown, input: string, path = ''): void {
  if (typeof model === 'number') {
    expect(Number.isFinite(model), `${input}: ${path} is ${model}`).toBe(true);
    return;
  }
  if (model instanceof X12SyntaxError) return expectPositioned(model, input); // warnings inside a model
  if (Array.isArray(model)) return model.forEach((v, i) => expectSaneModel(v, input, `${path}[${i}]`));
  if (model && typeof model === 'object') {
    for (const [k, v] of Object.entries(model)) expectSaneModel(v, input, path ? `${path}.${k}` : k);
  }
}

/**
 * CPU time, not wall time: six test processes share two cores here, and a hang or a blow-up shows in the
 * CPU the call burns, while wall time also counts waiting for a core.
 */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function timed<T>(input: string, what: string, fn: () => T): T {
  const started = process.cpuUsage();
  const out = fn();
  const ms = cpuMs(started);
  expect(ms, `${input}: ${what} took ${ms.toFixed(0)} ms of CPU`).toBeLessThan(TIME_BOUND_MS);
  return out;
}

function checkTransaction(t: Transaction, input: string): void {
  expect(t.segments[0]?.id, input).toBe('ST');
  expect(t.segments.at(-1)?.id, input).toBe('SE');
  for (const s of t.segments) expect(s.elements[0], input).toBe(s.id);
}

const PARSERS: [string, string, (t: Transaction) => unknown][] = [
  [
    '835',
    '835',
    (t) => {
      const r = parse835(t);
      return { r, balance: balance835(r) };
    },
  ],
  ['277CA', '277', parse277CA],
  ['999', '999', parse999],
  ['837P', '837', read837P],
];

/** Runs a parser: a model or a positioned error, nothing else. */
function parseOrRefuse(tally: Tally, input: string, parse: () => unknown): void {
  try {
    expectSaneModel(parse(), input);
    tally.accepted++;
  } catch (err) {
    if (err instanceof X12SyntaxError) {
      expectPositioned(err, input);
      tally.refused++;
    } else throw err;
  }
}

describe('the X12 reader on damaged fixture files', () => {
  it(`loads the fixture files (${fixtures.length})`, () => {
    expect(fixtures.length).toBeGreaterThan(60);
  });

  it('reads any damage into transactions or positioned errors, strict and lenient, within the time bound', async () => {
    await report.check(
      'reader: readTransactions (strict + lenient)',
      [damagedFileArb(fixtures)],
      (tally, { fixture, mutations }) => {
        const input = describeInput(fixture, mutations);
        const text = new TextDecoder().decode(applyMutations(fixture, mutations));
        for (const options of [undefined, { controlTotals: false, fixedWidthIsa: false }]) {
          const read = timed(input, 'readTransactions', () => readTransactions(text, options));
          for (const e of read.errors) expectPositioned(e, input);
          for (const t of read.transactions) checkTransaction(t, input);
          if (options === undefined) {
            if (read.errors.length > 0) tally.refused++;
            else tally.accepted++;
          }
        }
        // readSegments throws only X12SyntaxError (unreadable separators); anything else is a crash.
        try {
          timed(input, 'readSegments', () => [...readSegments(text)]);
        } catch (err) {
          expectPositioned(err, input);
        }
      },
      RUNS,
    );
  });

  it('streams any damaged file in any chunking to exactly what the whole-text read gives', async () => {
    const sizes = fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 70_000 })), { minLength: 1, maxLength: 6 });
    await report.check(
      'reader: readTransactionsStream = readTransactions',
      [damagedFileArb(fixtures), sizes],
      async (tally, { fixture, mutations }, chunkSizes) => {
        const bytes = applyMutations(fixture, mutations);
        // At most 20,000 chunks: below that, what the bound measures is the reader, not the microseconds each
        // await of an async iterator costs (1-byte chunks of the 330 kB fixture are 330,000 awaits).
        const floor = Math.ceil(bytes.length / 20_000);
        chunkSizes = chunkSizes.map((n) => Math.max(n, floor));
        const input = `${describeInput(fixture, mutations)} in chunks of ${chunkSizes.join(',')}`;
        const whole = readTransactions(new TextDecoder().decode(bytes));
        const started = process.cpuUsage();
        const streamed: { transactions: Transaction[]; errors: X12SyntaxError[] } = { transactions: [], errors: [] };
        for await (const r of readTransactionsStream(chunked(bytes, chunkSizes))) {
          if ('error' in r) streamed.errors.push(r.error);
          else streamed.transactions.push(r.transaction);
        }
        const ms = cpuMs(started);
        expect(ms, `${input}: the stream took ${ms.toFixed(0)} ms of CPU`).toBeLessThan(TIME_BOUND_MS);
        for (const e of streamed.errors) expectPositioned(e, input);
        expect(
          streamed.errors.map((e) => e.message),
          input,
        ).toEqual(whole.errors.map((e) => e.message));
        const shape = (ts: Transaction[]) =>
          ts.map((t) => ({ set: t.setId, control: t.controlNumber, segments: t.segments.map((s) => s.elements) }));
        expect(shape(streamed.transactions), input).toEqual(shape(whole.transactions));
        if (streamed.errors.length > 0) tally.refused++;
        else tally.accepted++;
      },
      RUNS,
    );
  });

  it('parses every transaction of a damaged file into a model or a positioned error (835, 277CA, 999, 837P, TA1)', async () => {
    await report.check(
      'parsers: 835/277CA/999/837P/TA1 on damaged transactions',
      [damagedFileArb(fixtures)],
      (tally, { fixture, mutations }) => {
        const input = describeInput(fixture, mutations);
        const text = new TextDecoder().decode(applyMutations(fixture, mutations));
        // Lenient, so that damage the envelope would catch (SE01 counts) still reaches the parsers.
        const { transactions } = readTransactions(text, { controlTotals: false, fixedWidthIsa: false });
        for (const t of transactions) {
          for (const [name, setId, parse] of PARSERS) {
            // Each parser also reads every other kind of transaction as if it were its own: foreign loops.
            const what = `${input} ${name} on ${t.setId}`;
            timed(what, name, () => parseOrRefuse(tally, what, () => parse(t.setId === setId ? t : { ...t, setId })));
          }
        }
        try {
          for (const seg of readSegments(text)) if (seg.id === 'TA1') parseOrRefuse(tally, `${input} TA1`, () => parseTA1(seg));
        } catch (err) {
          expectPositioned(err, input);
        }
      },
      RUNS,
    );
  });
});

describe('POST /api/inbound/x12 with damaged fixture files', () => {
  const f = useApiFixture();

  // Payers with the ids the fixture 835s name (N1*PR, REF*2U, TRN03), so that their remittances get past the
  // unknown-payer branch into validation, storage and posting exceptions, where damage can do more harm.
  beforeAll(async () => {
    const ids = ['560894904', '1000000000', '87726', '1566339911', '1935665544', '999', '1512345678', '1559123456'];
    await f.db.prisma.payer.createMany({
      data: ids.map((electronicPayerId, i) => ({ id: `fuzz-payer-${i}`, name: `Fuzz payer ${i}`, electronicPayerId })),
      skipDuplicates: true,
    });
    atStart = await rowCounts(f.db.prisma);
  });
  let atStart: Awaited<ReturnType<typeof rowCounts>>;

  it('answers 400 or 202 JSON naming the segment, never 500, and stores nothing for a refused file', async () => {
    await report.check(
      'API: POST /api/inbound/x12 damaged files',
      [damagedFileArb(fixtures), fc.boolean()],
      async (tally, { fixture, mutations }, lenient) => {
        const input = `${describeInput(fixture, mutations)}${lenient ? ' ?controlTotals=false' : ''}`;
        const bytes = applyMutations(fixture, mutations);
        const before = await rowCounts(f.db.prisma);
        const res = await fetch(`${f.api.baseUrl}/api/inbound/x12${lenient ? '?controlTotals=false' : ''}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/edi-x12', 'X-User-Id': SIMULATOR_SENDER_ID },
          body: new Uint8Array(bytes),
        });
        const text = await res.text();
        expect([202, 400], `${input}: ${res.status} ${text.slice(0, 300)}`).toContain(res.status);
        expect(res.headers.get('content-type'), input).toMatch(/^application\/json/);
        assertNoLeak(text, input);
        const body = JSON.parse(text);
        const after = await rowCounts(f.db.prisma);
        const named = (e: { segmentIndex?: unknown; segmentId?: unknown }) =>
          typeof e.segmentIndex === 'number' && typeof e.segmentId === 'string';
        if (res.status === 400) {
          tally.refused++;
          expect(body.error.code, input).toMatch(/^X12_/);
          for (const e of body.error.errors ?? []) expect(named(e), `${input}: ${JSON.stringify(e)}`).toBe(true);
          if ((body.error.errors ?? []).length > 0) expect(named(body.error), `${input}: ${JSON.stringify(body.error)}`).toBe(true);
          expect(after, `${input}: a refused file stored something`).toEqual(before);
        } else {
          tally.accepted++;
          for (const e of body.errors) expect(named(e), `${input}: ${JSON.stringify(e)}`).toBe(true);
          // Every transaction failed: nothing may have been stored, not even part of one.
          if (body.transactions.length === 0)
            expect(after, `${input}: a file with no accepted transaction stored something`).toEqual(before);
        }
      },
      API_RUNS,
    );
  });

  it('answers NUL characters inside elements with a JSON answer, never a 500 (PostgreSQL stores no NUL)', async () => {
    const medicare = fixtures.find((x) => x.name === '835/linuxforhealth-x12__medicare-part-a.835')!.bytes.toString('latin1');
    const cases = [
      medicare.replace('N1*PR*INSURANCE COMPANY OF TIMBUCKTU', 'N1*PR*INSURANCE\u0000COMPANY'),
      medicare.replace('CLP*666123*', 'CLP*666\u0000123*'),
      medicare.replace('TRN*1*12345*', 'TRN*1*123\u000045*'),
      medicare.replace('CAS*CO*45*73348.57', 'CAS*CO*4\u00005*73348.57'),
    ];
    for (const [i, text] of cases.entries()) {
      const before = await rowCounts(f.db.prisma);
      const res = await f.api.request('POST', '/api/inbound/x12?controlTotals=false', {
        rawBody: text,
        headers: { 'Content-Type': 'application/edi-x12' },
      });
      expect([202, 400], `case ${i}: ${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      if (res.status === 400 || res.body.transactions.length === 0) expect(await rowCounts(f.db.prisma), `case ${i}`).toEqual(before);
    }
  });

  it(`(seed ${FUZZ_SEED}) keeps the tables intact afterwards`, async () => {
    // Damaged files may add remittances and exceptions, never take a table or a row away.
    const counts = await rowCounts(f.db.prisma);
    expect(Object.keys(counts).sort()).toEqual(Object.keys(atStart).sort());
    for (const [table, n] of Object.entries(atStart)) expect(counts[table], table).toBeGreaterThanOrEqual(n);
  });
});
