// The TA1 interchange acknowledgement: the whole interchange we sent was accepted or rejected.
import type { Segment } from './scanner';
import { badValue, el, required, structureError } from './values';

export interface InterchangeAck {
  /** TA101: the ISA13 we sent. */
  controlNumber: string;
  /** TA102 as YYYY-MM-DD (20YY), TA103 HHMM: when we sent it. */
  date: string;
  time: string;
  /** TA104: A accepted, E accepted with errors, R rejected. */
  status: string;
  accepted: boolean;
  /** TA105, e.g. 024 invalid interchange content. */
  noteCode: string;
  /** Our wording of the note code, when we know it. */
  note?: string;
}

/** TA105 note codes, in our words (the ones seen in practice). */
const NOTES: Readonly<Record<string, string>> = {
  '000': 'no error',
  '001': 'ISA13 and IEA02 control numbers differ',
  '021': 'IEA01 does not count the functional groups',
  '022': 'invalid control structure',
  '023': 'improper end of file',
  '024': 'invalid interchange content',
  '025': 'duplicate interchange control number',
  '026': 'invalid element separator',
  '027': 'invalid component separator',
};

export function parseTA1(seg: Segment): InterchangeAck {
  if (seg.id !== 'TA1') throw structureError(seg, `${seg.id} is not a TA1`);
  const status = required(seg, 4);
  if (!['A', 'E', 'R'].includes(status)) throw badValue(seg, 4, `"${status}" is not A, E or R`);
  const date = el(seg, 2);
  const noteCode = required(seg, 5);
  return {
    controlNumber: required(seg, 1),
    date: /^\d{6}$/.test(date) ? `20${date.slice(0, 2)}-${date.slice(2, 4)}-${date.slice(4, 6)}` : date,
    time: el(seg, 3),
    status,
    accepted: status !== 'R',
    noteCode,
    note: NOTES[noteCode],
  };
}
