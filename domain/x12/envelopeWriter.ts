// Writing one interchange (ISA/GS/ST..SE/GE/IEA) around one transaction set, for the files the payer side
// sends (999, 277CA, 835). write837p.ts checks its envelope values its own way (its errors name the batch's
// fields) and shares only the ISA layout (isaSegment) with this one. Pure: no clock, no I/O.
import type { IsoDate } from '../clearinghouse';
import type { EnvelopeControl } from './controlNumbers';
import type { Delimiters } from './delimiters';
import { X12GenerationError } from './generationError';
import { SegmentWriter, writeDelimiters } from './segmentWriter';

/** An interchange sender or receiver (ISA05/06, ISA07/08); the id is also the GS02/GS03 application code. */
export interface EnvelopeParty {
  /** ZZ mutually defined, 01 DUNS, 30 federal tax id... */
  qualifier: string;
  id: string;
}

export interface EnvelopeArgs {
  sender: EnvelopeParty;
  receiver: EnvelopeParty;
  control: EnvelopeControl;
  now: { date: IsoDate; time: string };
  usage?: 'T' | 'P';
  delimiters?: Delimiters;
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
  args: EnvelopeArgs & {
    functionalId: string;
    implementation: string;
    setId: string;
    /** false where the guide marks ST03 Not Used (the 835, X221A1); GS08 still names the guide */
    st03?: boolean;
  },
  body: (w: SegmentWriter) => void,
): string {
  const d = writeDelimiters(args.delimiters);
  const { control, now } = args;
  for (const [field, n] of [
    ['control.interchangeControlNumber', control.interchangeControlNumber],
    ['control.groupControlNumber', control.groupControlNumber],
  ] as const) {
    if (!Number.isInteger(n) || n < 1 || n > 999_999_999)
      throw new X12GenerationError(undefined, field, `must be an integer from 1 to 999999999 (got ${n})`);
  }
  if (!/^[0-9A-Za-z]{4,9}$/.test(control.transactionControlNumber)) {
    throw new X12GenerationError(undefined, 'control.transactionControlNumber', 'must be 4 to 9 letters or digits');
  }
  if (!/^([01]\d|2[0-3])[0-5]\d$/.test(now.time)) throw new X12GenerationError(undefined, 'now.time', 'must be HHMM');
  const date = d8(now.date);
  for (const [name, p] of [
    ['sender', args.sender],
    ['receiver', args.receiver],
  ] as const) {
    if (!/^[0-9A-Z]{2}$/.test(p.qualifier))
      throw new X12GenerationError(undefined, `${name}.qualifier`, 'must be a 2-character id qualifier');
    if (p.id.length < 1 || p.id.length > 15) throw new X12GenerationError(undefined, `${name}.id`, 'must be 1 to 15 characters');
  }
  const isa13 = String(control.interchangeControlNumber).padStart(9, '0');
  const st02 = control.transactionControlNumber;

  const tx = new SegmentWriter(d);
  tx.segment('ST', args.setId, st02, args.st03 === false ? '' : args.implementation);
  body(tx);
  tx.segment('SE', String(tx.count + 1), st02);

  const group = new SegmentWriter(d);
  group.segment(
    'GS',
    args.functionalId,
    args.sender.id,
    args.receiver.id,
    date,
    now.time,
    String(control.groupControlNumber),
    'X',
    args.implementation,
  );
  const isa = isaSegment(d, {
    sender: args.sender,
    receiver: args.receiver,
    date,
    time: now.time,
    controlNumber: control.interchangeControlNumber,
    usage: args.usage ?? 'P',
  });
  const trailer = new SegmentWriter(d);
  trailer.segment('GE', '1', String(control.groupControlNumber));
  trailer.segment('IEA', '1', isa13);
  return isa + d.segment + group.toString() + tx.toString() + trailer.toString();
}

/**
 * The ISA at its fixed widths, from values the caller has checked; `date` is CCYYMMDD (ISA09 takes YYMMDD).
 * No authorisation or security information (00 + 10 spaces): clearinghouses authenticate the connection instead.
 */
export function isaSegment(
  d: Required<Delimiters>,
  isa: { sender: EnvelopeParty; receiver: EnvelopeParty; date: string; time: string; controlNumber: number; usage: string },
): string {
  return [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    isa.sender.qualifier,
    isa.sender.id.padEnd(15),
    isa.receiver.qualifier,
    isa.receiver.id.padEnd(15),
    isa.date.slice(2),
    isa.time,
    d.repetition,
    '00501',
    String(isa.controlNumber).padStart(9, '0'),
    '0',
    isa.usage,
    d.component,
  ].join(d.element);
}
