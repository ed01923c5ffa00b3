// Random damage to real X12 files: the arbitraries the X12 property tests draw from. Positions are plain
// naturals taken modulo the file's length, so fast-check shrinks a failure towards the file's start.
import fs from 'node:fs';
import { FIXTURES_DIR } from '../fixtures';
import fc from 'fast-check';
import { detectDelimiters, type Delimiters } from '../../domain/x12/reader';

export const FIXTURES_ROOT = `${FIXTURES_DIR}/x12/`;

export interface Fixture {
  name: string;
  bytes: Buffer;
  /** what the unharmed file declares; '*' '~' ':' when it declares nothing readable */
  delimiters: Delimiters;
}

/** Every fixture file, the invalid ones included: they are bad input already, and mutations make them worse. */
export function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const dir of fs.readdirSync(FIXTURES_ROOT).sort()) {
    for (const file of fs.readdirSync(`${FIXTURES_ROOT}${dir}`).sort()) {
      const bytes = fs.readFileSync(`${FIXTURES_ROOT}${dir}/${file}`);
      let delimiters: Delimiters = { element: '*', component: ':', segment: '~' };
      try {
        delimiters = detectDelimiters(bytes.toString('latin1'));
      } catch {
        // an invalid fixture: segment-level mutations cut it at '~'
      }
      out.push({ name: `${dir}/${file}`, bytes, delimiters });
    }
  }
  return out;
}

export type Mutation =
  | { kind: 'flip-byte'; at: number; byte: number }
  | { kind: 'delete-segment'; at: number }
  | { kind: 'duplicate-segment'; at: number }
  | { kind: 'swap-segments'; a: number; b: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'change-delimiter'; which: 'element' | 'component' | 'segment'; scope: 'declared' | 'everywhere'; to: string }
  | { kind: 'inject-element'; at: number; value: string }
  | { kind: 'huge-element'; at: number; size: number; fill: string }
  | { kind: 'random-bytes'; at: number; bytes: Uint8Array }
  | { kind: 'isa-length'; element: number; delta: number };

// Separator candidates: the usual ones, letters and digits (never allowed), blanks, multi-byte characters.
const DELIMITER_CHARS = [
  '*',
  '~',
  ':',
  '|',
  '>',
  '^',
  '_',
  '!',
  '\n',
  '\r',
  ' ',
  '\t',
  'A',
  '9',
  '\u00e9',
  '\u20ac',
  '\u0000',
  '\\',
  '"',
  "'",
];
const ELEMENT_VALUES = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '',
    '-',
    '.',
    '-.',
    '1.234',
    '1e3',
    '+5',
    '99999999999999999999',
    '-0',
    '0.00',
    '20230230',
    '99999999',
    'NaN',
    'Infinity',
    '\u0000',
    'A\u0000B',
  ),
  fc.constantFrom('ISA', 'GS', 'ST', 'SE', 'GE', 'IEA', 'CLP', 'SVC', 'CAS', 'BPR', 'HL', 'STC', 'AK2', 'IK5', 'CLM', 'SV1', 'NM1'),
  fc.stringMatching(/^-?\d{0,12}(\.\d{0,4})?$/),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip-byte' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ kind: fc.constant('delete-segment' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-segment' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-segments' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('change-delimiter' as const),
    which: fc.constantFrom('element' as const, 'component' as const, 'segment' as const),
    scope: fc.constantFrom('declared' as const, 'everywhere' as const),
    to: fc.constantFrom(...DELIMITER_CHARS),
  }),
  fc.record({ kind: fc.constant('inject-element' as const), at: fc.nat(), value: ELEMENT_VALUES }),
  fc.record({
    kind: fc.constant('huge-element' as const),
    at: fc.nat(),
    size: fc.integer({ min: 1_000, max: 300_000 }),
    fill: fc.constantFrom('9', 'A', '.', '-', ' ', '\u00e9', '*', ':'),
  }),
  fc.record({ kind: fc.constant('random-bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({
    kind: fc.constant('isa-length' as const),
    element: fc.integer({ min: 1, max: 16 }),
    delta: fc.integer({ min: -3, max: 3 }).filter((n) => n !== 0),
  }),
);

/** One to four mutations, applied in order. */
export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

/** A fixture and what is done to it. */
export const damagedFileArb = (fixtures: readonly Fixture[]) =>
  fc.record({ fixture: fc.constantFrom(...fixtures), mutations: mutationsArb });

export function describeInput(fixture: Fixture, mutations: readonly Mutation[]): string {
  return `${fixture.name} ${mutations.map((m) => m.kind).join('+')}`;
}

/** The fixture with the mutations applied, as bytes (random bytes and flips may leave invalid UTF-8). */
export function applyMutations(fixture: Fixture, mutations: readonly Mutation[]): Buffer {
  let bytes = fixture.bytes;
  for (const m of mutations) bytes = applyOne(bytes, fixture.delimiters, m);
  return bytes;
}

function applyOne(bytes: Buffer, d: Delimiters, m: Mutation): Buffer {
  // latin1 maps bytes to characters one to one, so text edits keep every other byte as it was.
  const text = bytes.toString('latin1');
  const len = Math.max(text.length, 1);
  switch (m.kind) {
    case 'flip-byte': {
      if (bytes.length === 0) return bytes;
      const out = Buffer.from(bytes);
      out[m.at % bytes.length] = m.byte;
      return out;
    }
    case 'truncate':
      return bytes.subarray(0, m.at % len);
    case 'random-bytes': {
      const at = m.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
    }
    case 'delete-segment':
    case 'duplicate-segment':
    case 'swap-segments': {
      const segs = text.split(d.segment);
      if (segs.length === 0) return bytes;
      if (m.kind === 'delete-segment') segs.splice(m.at % segs.length, 1);
      else if (m.kind === 'duplicate-segment') {
        const i = m.at % segs.length;
        segs.splice(i, 0, segs[i]);
      } else {
        const a = m.a % segs.length;
        const b = m.b % segs.length;
        [segs[a], segs[b]] = [segs[b], segs[a]];
      }
      return Buffer.from(segs.join(d.segment), 'latin1');
    }
    case 'change-delimiter': {
      const from = d[m.which];
      const to = Buffer.from(m.to, 'utf8').toString('latin1');
      if (m.scope === 'everywhere') return Buffer.from(text.split(from).join(to), 'latin1');
      // Only where the ISA declares it: the rest of the file keeps the old one.
      const at = declaredAt(text, d, m.which);
      if (at === undefined) return bytes;
      return Buffer.from(text.slice(0, at) + to + text.slice(at + 1), 'latin1');
    }
    case 'inject-element': {
      const segs = text.split(d.segment);
      const i = m.at % segs.length;
      const value = Buffer.from(m.value, 'utf8').toString('latin1');
      const parts = segs[i].split(d.element);
      parts.splice(1 + (m.at % Math.max(parts.length, 1)), 0, value);
      segs[i] = parts.join(d.element);
      return Buffer.from(segs.join(d.segment), 'latin1');
    }
    case 'huge-element': {
      const segs = text.split(d.segment);
      const i = m.at % segs.length;
      const fill = Buffer.from(m.fill, 'utf8').toString('latin1');
      segs[i] = `${segs[i]}${d.element}${fill.repeat(m.size)}`;
      return Buffer.from(segs.join(d.segment), 'latin1');
    }
    case 'isa-length': {
      // Widen or narrow one fixed-width ISA field of the first interchange.
      const start = text.indexOf('ISA');
      if (start === -1) return bytes;
      const sep = text[start + 3];
      let p = start + 3;
      for (let n = 1; n < m.element && p !== -1; n++) p = text.indexOf(sep, p + 1);
      if (p === -1) return bytes;
      const field = p + 1;
      const edited =
        m.delta > 0 ? text.slice(0, field) + ' '.repeat(m.delta) + text.slice(field) : text.slice(0, field) + text.slice(field - m.delta);
      return Buffer.from(edited, 'latin1');
    }
  }
}

/** Where the first ISA declares a separator: after "ISA", ISA16 itself, the character after ISA16. */
function declaredAt(text: string, d: Delimiters, which: 'element' | 'component' | 'segment'): number | undefined {
  const start = text.indexOf('ISA');
  if (start === -1) return undefined;
  if (which === 'element') return start + 3;
  let p = start + 3;
  for (let n = 0; n < 15; n++) {
    p = text.indexOf(d.element, p + 1);
    if (p === -1) return undefined;
  }
  return which === 'component' ? p + 1 : p + 2;
}

/** The bytes cut into chunks of the given sizes (cycled), as a file stream would hand them out. */
export async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[i++ % sizes.length]);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}
