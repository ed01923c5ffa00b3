// Writes a TA1 interchange acknowledgement: an interchange (ISA..IEA) holding no functional group, only the TA1
// answering the ISA13 of an interchange received. IEA01 is 0: a TA1 is not a group.
import { d8, isaSegment, type EnvelopeArgs } from './envelopeWriter';
import { X12GenerationError } from './generationError';
import { SegmentWriter, writeDelimiters } from './segmentWriter';

export interface TA1Input extends Pick<EnvelopeArgs, 'sender' | 'receiver' | 'now' | 'usage' | 'delimiters'> {
  /** ISA13 of this interchange */
  interchangeControlNumber: number;
  /** what is acknowledged: the ISA13, ISA09 (as YYYY-MM-DD) and ISA10 of the interchange received */
  received: { controlNumber: string; date: string; time: string };
  /** TA104: A accepted, E accepted with errors, R rejected */
  status: 'A' | 'E' | 'R';
  /** TA105: 000 no error, 001 ISA13/IEA02 differ, 022 invalid control structure, 024 invalid content... */
  noteCode: string;
}

export function writeTA1(input: TA1Input): string {
  const d = writeDelimiters(input.delimiters);
  const n = input.interchangeControlNumber;
  if (!Number.isInteger(n) || n < 1 || n > 999_999_999)
    throw new X12GenerationError(undefined, 'interchangeControlNumber', `must be an integer from 1 to 999999999 (got ${n})`);
  if (!/^\d{9}$/.test(input.received.controlNumber))
    throw new X12GenerationError(undefined, 'received.controlNumber', 'must be the nine digits of the ISA13 received');
  if (!/^([01]\d|2[0-3])[0-5]\d$/.test(input.received.time)) throw new X12GenerationError(undefined, 'received.time', 'must be HHMM');
  if (!/^\d{3}$/.test(input.noteCode)) throw new X12GenerationError(undefined, 'noteCode', 'must be a three-digit TA105 code');
  if (!/^([01]\d|2[0-3])[0-5]\d$/.test(input.now.time)) throw new X12GenerationError(undefined, 'now.time', 'must be HHMM');
  const isa = isaSegment(d, {
    sender: input.sender,
    receiver: input.receiver,
    date: d8(input.now.date),
    time: input.now.time,
    controlNumber: n,
    usage: input.usage ?? 'P',
  });
  const w = new SegmentWriter(d);
  w.segment('TA1', input.received.controlNumber, d8(input.received.date).slice(2), input.received.time, input.status, input.noteCode);
  w.segment('IEA', '0', String(n).padStart(9, '0'));
  return isa + d.segment + w.toString();
}
