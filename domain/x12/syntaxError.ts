// The one error type of the X12 layer: where in the file (segment number and id, element) and why.

/** What kind of problem it is, so a caller can decide (reject the file, hold posting, ask a human). */
export type X12ErrorCode =
  | 'delimiters' // the separators cannot be read, nothing after can be trusted
  | 'envelope' // ISA/GS/ST/SE/GE/IEA missing, misplaced or malformed
  | 'control-total' // SE01/GE01/IEA01 counts or trailer control numbers disagree
  | 'segment-id' // not a 2-3 character upper-case segment id
  | 'missing-element' // an element X12 marks mandatory is empty
  | 'bad-value' // a number, amount, date or code that does not parse
  | 'structure'; // a segment where the transaction's layout does not allow it

export interface X12SyntaxErrorInit {
  code: X12ErrorCode;
  /** 1-based segment number within the file; 0 when the file has no readable segment at all. */
  segmentIndex: number;
  segmentId: string;
  /** 1-based element position (X12's "01" is 1), when one element is at fault. */
  element?: number;
  reason: string;
}

export class X12SyntaxError extends Error {
  readonly code: X12ErrorCode;
  readonly segmentIndex: number;
  readonly segmentId: string;
  readonly element?: number;
  readonly reason: string;

  constructor(init: X12SyntaxErrorInit) {
    const where = `segment ${init.segmentIndex} (${init.segmentId || '?'})`;
    super(init.element === undefined ? `${where}: ${init.reason}` : `${where}, element ${init.element}: ${init.reason}`);
    this.name = 'X12SyntaxError';
    this.code = init.code;
    this.segmentIndex = init.segmentIndex;
    this.segmentId = init.segmentId;
    this.element = init.element;
    this.reason = init.reason;
  }
}
