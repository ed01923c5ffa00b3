// Writing X12 segments, for every file we send (837P, 835, 277CA, 999 and their envelopes): one way of joining
// elements and components and of dropping trailing empty ones, and one check of what X12 cannot carry.
import type { Delimiters } from './delimiters';
import { X12GenerationError } from './generationError';

export const DEFAULT_WRITE_DELIMITERS: Required<Delimiters> = { element: '*', component: ':', repetition: '^', segment: '~' };

/** The separators to write with: the ones given, the defaults for the rest (an undefined repetition too). */
export function writeDelimiters(given: Delimiters | undefined): Required<Delimiters> {
  return { ...DEFAULT_WRITE_DELIMITERS, ...given, repetition: given?.repetition ?? DEFAULT_WRITE_DELIMITERS.repetition };
}

/** An element: text, a composite written with the component separator, or repeats written with ISA11 (EB03, EQ01). */
export type X12Element = string | readonly string[] | { readonly repeats: readonly string[] };

/**
 * The first character of `value` that X12 cannot carry: a separator (X12 has no escape character, so it would
 * silently split the value) or one outside printable ASCII. Undefined when the value can be written as it is.
 */
export function unwritableCharacter(value: string, d: Required<Delimiters>): { ch: string; delimiter: boolean } | undefined {
  // Untyped input can put a number where a code belongs; it is refused, never written as whatever String() makes of it.
  if (typeof value !== 'string') throw new TypeError(`an X12 value must be text, got ${typeof value}`);
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === d.element || ch === d.component || ch === d.repetition || ch === d.segment) return { ch, delimiter: true };
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return { ch, delimiter: false };
  }
  return undefined;
}

/** Collects segments, each ended with the segment terminator. */
export class SegmentWriter {
  private readonly parts: string[] = [];
  private readonly checkValues: boolean;

  /**
   * `checkValues: false` is for a caller that has checked every value already: the 837P writer checks each as
   * it takes it from the claim, so that its errors name the claim and field, and a second look at every
   * character would only slow down large batches.
   */
  constructor(
    private readonly d: Required<Delimiters>,
    { checkValues = true }: { checkValues?: boolean } = {},
  ) {
    this.checkValues = checkValues;
  }

  /** Trailing empty elements (and trailing empty components of a composite) are dropped. */
  segment(id: string, ...elements: X12Element[]): void {
    let end = elements.length;
    while (end > 0 && isEmpty(elements[end - 1])) end--;
    let s = id;
    for (let i = 0; i < end; i++) s += this.d.element + this.render(elements[i], id, i + 1);
    this.parts.push(s + this.d.segment);
  }

  /** A segment exactly as given, e.g. the ISA: it is fixed-width, so nothing may be trimmed from it. */
  rawSegment(text: string): void {
    this.parts.push(text + this.d.segment);
  }

  get count(): number {
    return this.parts.length;
  }

  toString(): string {
    return this.parts.join('');
  }

  private render(e: X12Element, id: string, n: number): string {
    if (typeof e === 'string') return this.check(e, id, n);
    if ('repeats' in e) return e.repeats.map((r) => this.check(r, id, n)).join(this.d.repetition);
    let end = e.length;
    while (end > 0 && e[end - 1] === '') end--;
    const parts = e.slice(0, end);
    return (this.checkValues ? parts.map((c) => this.check(c, id, n)) : parts).join(this.d.component);
  }

  private check(v: string, id: string, n: number): string {
    if (!this.checkValues) return v;
    const bad = unwritableCharacter(v, this.d);
    if (bad) {
      const field = `${id}${String(n).padStart(2, '0')}`;
      throw new X12GenerationError(
        undefined,
        field,
        bad.delimiter
          ? `contains the delimiter '${bad.ch}', which X12 cannot escape`
          : 'contains a character outside the X12 character set',
      );
    }
    return v;
  }
}

function isEmpty(e: X12Element): boolean {
  if (typeof e === 'string') return e === '';
  return 'repeats' in e ? e.repeats.every((c) => c === '') : e.every((c) => c === '');
}
