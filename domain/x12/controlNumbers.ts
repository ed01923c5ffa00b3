// Envelope control numbers (ISA13, GS06, ST02) for the files we send: each file gets numbers the
// receiver has not seen from us, so its duplicate-interchange check never drops a real submission.
//
// The function is pure: the caller persists the last numbers it used (one row, updated in the same
// transaction that records the file) and passes them back in. Two writers sharing that row must
// serialise on it; nothing here can make concurrent callers unique.

/** ISA13 and GS06 are at most 9 digits; ST02 is 4-9 characters, so the same ceiling serves all three. */
export const MAX_CONTROL_NUMBER = 999_999_999;

export interface ControlNumbers {
  isa: number;
  gs: number;
  st: number;
}

/** What generate837P puts in the envelope: ISA13/IEA02, GS06/GE02, ST02/SE02. */
export interface EnvelopeControl {
  interchangeControlNumber: number;
  groupControlNumber: number;
  transactionControlNumber: string;
}

export class ControlNumberError extends Error {
  readonly code = 'CONTROL_NUMBER';
  constructor(
    readonly field: keyof ControlNumbers,
    readonly value: unknown,
  ) {
    super(`last ${field} control number must be an integer from 0 to ${MAX_CONTROL_NUMBER}, got ${String(value)}`);
    this.name = 'ControlNumberError';
  }
}

/**
 * The numbers for the next file: each one is last + 1. After 999,999,999 a number wraps to 1 — not 0,
 * which several translators read as "no control number". The wrap is the one step that is not
 * increasing; receivers check duplicates over days or weeks, and a billing office sends far fewer than
 * a billion files in that time, so a wrapped number cannot collide with one they still remember.
 */
export function nextControlNumbers(last: ControlNumbers): ControlNumbers {
  return { isa: next(last.isa, 'isa'), gs: next(last.gs, 'gs'), st: next(last.st, 'st') };
}

/** ST02 is alphanumeric with at least 4 characters, hence the zero padding. */
export function toEnvelopeControl(n: ControlNumbers): EnvelopeControl {
  return {
    interchangeControlNumber: n.isa,
    groupControlNumber: n.gs,
    transactionControlNumber: String(n.st).padStart(4, '0'),
  };
}

function next(value: number, field: keyof ControlNumbers): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_CONTROL_NUMBER) throw new ControlNumberError(field, value);
  return value === MAX_CONTROL_NUMBER ? 1 : value + 1;
}
