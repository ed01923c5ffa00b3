// Writing one interchange (ISA/GS/ST..SE/GE/IEA) around one transaction set, for the files the payer side
// sends (999, 277CA, 835). 837p.ts keeps its own envelope code (it validates 837-specific fields as it
// writes); this is the shared writer for the payer-side transactions. Pure: no clock, no I/O.
import type { IsoDate } from '../clearinghouse';
import type { EnvelopeControl } from './controlNumbers';
import type { Delimiters } from './delimiters';
import { X12GenerationError, formatX12Amount, type EnvelopeParty } from './write837p';

export { formatX12Amount, X12GenerationError, type EnvelopeParty };

export const DEFAULT_WRITE_DELIMITERS: Required<Delimiters> = { element: '*', component: ':', repetition: '^', segment: '~' };

export interface EnvelopeArgs {
  sender: EnvelopeParty;
  receiver: EnvelopeParty;
  control: EnvelopeControl;
  now: { date: IsoDate; time: string };
  usage?: 'T' | 'P';
  delimiters?: Delimiters;
}

/** An element: text, or a composite written with the component separator. */
export type X12Element = string | readonly string[];

/** Collects the segments of one transaction set (ST..SE are added by writeInterchange). */
export class TransactionWriter {
  private readonly segments: string[] = [];

  constructor(private readonly d: Required<Delimiters>) {}

  /** Trailing empty elements (and trailing empty components of a composite) are dropped. */
  segment(id: string, ...elements: X12Element[]): void {
    let end = elements.length;
    while (end > 0 && isEmpty(elements[end - 1])) end--;
    let s = id;
    for (let i = 0; i < end; i++) s += this.d.element + this.render(elements[i], id, i + 1);
    this.segments.push(s);
  }

  get count(): number {
    return this.segments.length;
  }

  lines(): readonly string[] {
    return this.segments;
  }

  private render(e: X12Element, id: string, n: number): string {
    if (typeof e === 'string') return this.check(e, id, n);
    let end = e.length;
    while (end > 0 && e[end - 1] === '') end--;
    return e
      .slice(0, end)
      .map((c) => this.check(c, id, n))
      .join(this.d.component);
  }

  // X12 has no escape character: a delimiter inside a value would silently split it.
  private check(v: string, id: string, n: number): string {
    for (const ch of v) {
      if (ch === this.d.element || ch === this.d.component || ch === this.d.repetition || ch === this.d.segment) {
        throw new X12GenerationError(undefined, `${id}${String(n).padStart(2, '0')}`, `contains the delimiter '${ch}', which X12 cannot escape`);
      }
      const c = ch.charCodeAt(0);
      if (c < 0x20 || c > 0x7e) throw new X12GenerationError(undefined, `${id}${String(n).padStart(2, '0')}`, 'contains a character outside the X12 character set');
    }
    return v;
  }
}

function isEmpty(e: X12Element): boolean {
  return typeof e === 'string' ? e === '' : e.every((c) => c === '');
}

export function d8(iso: IsoDate): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new X12GenerationError(undefined, 'date', `must be YYYY-MM-DD (got ${JSON.stringify(iso)})`);
  return iso.replaceAll('-', '');
}

/**
 * One interchange holding one functional group holding one transaction set. `body` writes the segments
 * between ST and SE; the counts (SE01, GE01, IEA01) and trailer control numbers are filled in here, and
 * the ISA is written at its fixed widths.
 */
export function writeInterchange(
  args: EnvelopeArgs & { functionalId: string; implementation: string; setId: string },
  body: (w: TransactionWriter) => void,
): string {
  const d: Required<Delimiters> = { ...DEFAULT_WRITE_DELIMITERS, ...args.delimiters, repetition: args.delimiters?.repetition ?? DEFAULT_WRITE_DELIMITERS.repetition };
  const { control, now } = args;
  for (const [field, n] of [['control.interchangeControlNumber', control.interchangeControlNumber], ['control.groupControlNumber', control.groupControlNumber]] as const) {
    if (!Number.isInteger(n) || n < 1 || n > 999_999_999) throw new X12GenerationError(undefined, field, `must be an integer from 1 to 999999999 (got ${n})`);
  }
  if (!/^[0-9A-Za-z]{4,9}$/.test(control.transactionControlNumber)) {
    throw new X12GenerationError(undefined, 'control.transactionControlNumber', 'must be 4 to 9 letters or digits');
  }
  if (!/^([01]\d|2[0-3])[0-5]\d$/.test(now.time)) throw new X12GenerationError(undefined, 'now.time', 'must be HHMM');
  const date = d8(now.date);
  for (const [name, p] of [['sender', args.sender], ['receiver', args.receiver]] as const) {
    if (!/^[0-9A-Z]{2}$/.test(p.qualifier)) throw new X12GenerationError(undefined, `${name}.qualifier`, 'must be a 2-character id qualifier');
    if (p.id.length < 1 || p.id.length > 15) throw new X12GenerationError(undefined, `${name}.id`, 'must be 1 to 15 characters');
  }
  const isa13 = String(control.interchangeControlNumber).padStart(9, '0');
  const st02 = control.transactionControlNumber;

  const tx = new TransactionWriter(d);
  tx.segment('ST', args.setId, st02, args.implementation);
  body(tx);
  tx.segment('SE', String(tx.count + 1), st02);

  const env = new TransactionWriter(d);
  env.segment('GS', args.functionalId, args.sender.id, args.receiver.id, date, now.time, String(control.groupControlNumber), 'X', args.implementation);
  const isa = ['ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), args.sender.qualifier, args.sender.id.padEnd(15), args.receiver.qualifier,
    args.receiver.id.padEnd(15), date.slice(2), now.time, d.repetition, '00501', isa13, '0', args.usage ?? 'P', d.component].join(d.element);
  const trailer = new TransactionWriter(d);
  trailer.segment('GE', '1', String(control.groupControlNumber));
  trailer.segment('IEA', '1', isa13);
  return [isa, ...env.lines(), ...tx.lines(), ...trailer.lines()].map((s) => s + d.segment).join('');
}
