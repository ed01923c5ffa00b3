// Checking the ISA/GS/ST envelopes around segments and handing out whole transactions, one at a time.
import type { Delimiters } from './delimiters';
import type { Segment } from './scanner';
import { X12SyntaxError, type X12ErrorCode } from './syntaxError';

export interface ReadOptions {
  /**
   * Check SE01/SE02, GE01/GE02 and IEA01/IEA02 (default true). Turn off only for a sender known to send
   * wrong trailers: SE01 is what reveals a truncated transaction.
   */
  controlTotals?: boolean;
  /** Require the ISA's fields at their fixed widths (default true); false accepts trimmed ISAs. */
  fixedWidthIsa?: boolean;
}

export interface InterchangeInfo {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA13 as sent (nine digits, leading zeros kept). */
  controlNumber: string;
  /** ISA09 as YYYY-MM-DD (ISA dates carry no century: 20YY), or as sent when not six digits. */
  date: string;
  /** ISA10, HHMM. */
  time: string;
  /** ISA15: P production, T test, I information. */
  usageIndicator: string;
  /** ISA12, e.g. 00501. */
  version: string;
}

export interface GroupInfo {
  /** GS01, e.g. HP (835), HC (837), HN (277), FA (999). */
  functionalId: string;
  senderCode: string;
  receiverCode: string;
  /** GS04 as YYYY-MM-DD, or as sent. */
  date: string;
  time: string;
  /** GS06. */
  controlNumber: string;
  /** GS08, the implementation guide, e.g. 005010X221A1. */
  version: string;
}

export interface Transaction {
  /** ST01, e.g. 835. */
  setId: string;
  /** ST02. */
  controlNumber: string;
  /** GS08 (ST03 in a bare ST..SE file). */
  implementation?: string;
  interchange?: InterchangeInfo;
  group?: GroupInfo;
  /** ST through SE, both included. */
  segments: Segment[];
  delimiters: Delimiters;
}

export type ReadResult = { transaction: Transaction } | { error: X12SyntaxError };

// Elements the X12 segment dictionary marks mandatory, for the segments our transactions rely on. A
// missing one makes the transaction unusable (a 999 would reject it). SVC is absent on purpose: SVC02 is
// mandatory, yet real remittances carry informational SVCs without it (see the BCBS NC sample), and the
// 835 model reads those as zero.
const MANDATORY: Record<string, readonly number[]> = {
  BHT: [1, 2],
  NM1: [1, 2],
  N1: [1],
  N3: [1],
  REF: [1],
  PER: [1],
  DTM: [1],
  DTP: [1, 2, 3],
  HL: [1, 3],
  SBR: [1],
  CLM: [1, 5],
  HI: [1],
  LX: [1],
  BPR: [1, 2, 3, 4],
  TRN: [1, 2],
  CLP: [1, 2, 3, 4],
  CAS: [1, 2, 3],
  PLB: [1, 2, 3, 4],
  STC: [1],
  AMT: [1, 2],
  QTY: [1],
  AK1: [1, 2],
  AK2: [1, 2],
  IK3: [1, 2],
  IK4: [1, 3],
  IK5: [1],
  AK9: [1, 2, 3, 4],
};
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];
const SEGMENT_ID = /^[A-Z][A-Z0-9]{1,2}$/;
/** Beyond this, more errors about one transaction say nothing new. */
const MAX_ERRORS_PER_TRANSACTION = 50;

interface OpenInterchange {
  isa: Segment;
  info: InterchangeInfo;
  groups: number;
}
interface OpenGroup {
  gs: Segment;
  info: GroupInfo;
  sets: number;
  rejected: boolean;
}
interface OpenTransaction {
  st: Segment;
  segments: Segment[];
  errors: X12SyntaxError[];
  delimiters: Delimiters;
  rejected: boolean;
}

/**
 * Fed segment by segment; emits a transaction when its SE checks out, or the errors that sink it. A bad
 * transaction never takes the good ones around it down; a bad ISA or GS takes down what it encloses.
 */
export class EnvelopeReader {
  private interchange?: OpenInterchange;
  private group?: OpenGroup;
  private tx?: OpenTransaction;
  private bare?: boolean; // the file starts at ST: no envelope expected
  private skipping = false; // after a broken ISA or a GS without ISA, until the next ISA
  private strayReported = false;
  private readonly controlTotals: boolean;
  private readonly fixedWidthIsa: boolean;

  constructor(
    private readonly emit: (r: ReadResult) => void,
    options: ReadOptions = {},
  ) {
    this.controlTotals = options.controlTotals ?? true;
    this.fixedWidthIsa = options.fixedWidthIsa ?? true;
  }

  push(seg: Segment, d: Delimiters): void {
    if (this.bare === undefined) this.bare = seg.id === 'ST';
    if (this.skipping && seg.id !== 'ISA') return;
    switch (seg.id) {
      case 'ISA':
        return this.openInterchange(seg);
      case 'GS':
        return this.openGroup(seg);
      case 'ST':
        return this.openTransaction(seg, d);
      case 'SE':
        return this.closeTransaction(seg);
      case 'GE':
        return this.closeGroup(seg);
      case 'IEA':
        return this.closeInterchange(seg);
    }
    if (this.tx) {
      this.tx.segments.push(seg);
      this.check(seg);
    } else if (!(seg.id === 'TA1' && this.interchange && !this.group)) {
      // TA1 (an interchange acknowledgement) is the one segment allowed outside a group.
      if (!this.strayReported) this.fail('structure', seg, `${seg.id} is outside any transaction (ST..SE)`);
      this.strayReported = true;
    }
  }

  /** End of input: whatever is still open was never closed. */
  end(): void {
    this.abandonTransaction(undefined);
    this.abandonGroup(undefined);
    this.abandonInterchange(undefined);
  }

  private openInterchange(isa: Segment): void {
    this.abandonTransaction(isa);
    this.abandonGroup(isa);
    this.abandonInterchange(isa);
    this.skipping = false;
    this.strayReported = false;
    const problems = this.isaProblems(isa);
    if (problems.length > 0) {
      // The receiver of a bad ISA cannot trust anything up to its IEA (it would answer with a TA1 reject).
      for (const p of problems) this.emit({ error: p });
      this.skipping = true;
      return;
    }
    this.interchange = { isa, info: interchangeInfo(isa), groups: 0 };
  }

  private closeInterchange(iea: Segment): void {
    this.strayReported = false;
    if (!this.interchange) return this.fail('envelope', iea, 'IEA without an ISA');
    this.abandonTransaction(iea);
    this.abandonGroup(iea);
    const { isa, groups } = this.interchange;
    if (this.controlTotals) {
      if (!isCount(value(iea, 1), groups)) {
        this.fail('control-total', iea, `IEA01 says ${value(iea, 1) || 'nothing'}, the interchange has ${groups} functional group(s)`, 1);
      }
      if (value(iea, 2) !== value(isa, 13)) {
        this.fail('control-total', iea, `IEA02 ${value(iea, 2)} does not match ISA13 ${value(isa, 13)} (segment ${isa.index})`, 2);
      }
    }
    this.interchange = undefined;
  }

  private openGroup(gs: Segment): void {
    this.strayReported = false;
    if (!this.interchange) {
      this.fail('envelope', gs, 'functional group without an interchange header (no ISA before it)');
      this.skipping = true;
      return;
    }
    this.abandonTransaction(gs);
    this.abandonGroup(gs);
    this.interchange.groups++;
    const missing = missingElements(gs, [1, 2, 3, 4, 5, 6, 7, 8]);
    for (const e of missing) this.emit({ error: e });
    this.group = { gs, info: groupInfo(gs), sets: 0, rejected: missing.length > 0 };
  }

  private closeGroup(ge: Segment): void {
    this.strayReported = false;
    if (!this.group) return this.fail('envelope', ge, 'GE without a GS');
    this.abandonTransaction(ge);
    const { gs, sets } = this.group;
    if (this.controlTotals) {
      if (!isCount(value(ge, 1), sets)) {
        this.fail('control-total', ge, `GE01 says ${value(ge, 1) || 'nothing'}, the group has ${sets} transaction set(s)`, 1);
      }
      if (value(ge, 2) !== value(gs, 6)) {
        this.fail('control-total', ge, `GE02 ${value(ge, 2)} does not match GS06 ${value(gs, 6)} (segment ${gs.index})`, 2);
      }
    }
    this.group = undefined;
  }

  private openTransaction(st: Segment, d: Delimiters): void {
    this.strayReported = false;
    this.abandonTransaction(st);
    const errors = missingElements(st, [1, 2]);
    if (!this.group && !this.bare) {
      errors.push(
        new X12SyntaxError({
          code: 'envelope',
          segmentIndex: st.index,
          segmentId: 'ST',
          reason: 'transaction set outside a functional group (no GS before it)',
        }),
      );
    }
    if (this.group) this.group.sets++;
    this.tx = { st, segments: [st], errors, delimiters: d, rejected: this.group?.rejected ?? false };
  }

  private closeTransaction(se: Segment): void {
    this.strayReported = false;
    const tx = this.tx;
    if (!tx) return this.fail('envelope', se, 'SE without an ST');
    tx.segments.push(se);
    this.tx = undefined;
    if (this.controlTotals) {
      const count = tx.segments.length;
      if (!isCount(value(se, 1), count)) {
        tx.errors.push(
          this.error('control-total', se, `SE01 says ${value(se, 1) || 'nothing'}, the transaction has ${count} segments (ST..SE)`, 1),
        );
      }
      if (value(se, 2) !== value(tx.st, 2)) {
        tx.errors.push(
          this.error('control-total', se, `SE02 ${value(se, 2)} does not match ST02 ${value(tx.st, 2)} (segment ${tx.st.index})`, 2),
        );
      }
    }
    if (tx.errors.length > 0) {
      for (const e of tx.errors) this.emit({ error: e });
      return;
    }
    if (tx.rejected) return; // its GS was bad, already reported
    this.emit({ transaction: this.transaction(tx) });
  }

  private transaction(tx: OpenTransaction): Transaction {
    const group = this.group?.info;
    return {
      setId: value(tx.st, 1),
      controlNumber: value(tx.st, 2),
      implementation: group?.version || value(tx.st, 3) || undefined,
      interchange: this.interchange?.info,
      group,
      segments: tx.segments,
      delimiters: tx.delimiters,
    };
  }

  private check(seg: Segment): void {
    const tx = this.tx as OpenTransaction;
    if (tx.errors.length >= MAX_ERRORS_PER_TRANSACTION) return;
    if (!SEGMENT_ID.test(seg.id)) {
      tx.errors.push(this.error('segment-id', seg, `"${seg.id}" is not a segment id (a terminator or separator may be wrong)`));
      return;
    }
    const mandatory = MANDATORY[seg.id];
    if (mandatory === undefined) return;
    // Runs on every segment of every file: no allocation unless something is missing.
    for (const n of mandatory) if (isEmpty(seg.elements[n])) tx.errors.push(missing(seg, n));
  }

  private abandonTransaction(at: Segment | undefined): void {
    const tx = this.tx;
    if (!tx) return;
    this.tx = undefined;
    this.fail('envelope', tx.st, `transaction ${value(tx.st, 2)} has no SE (${followedBy(at)})`);
  }

  private abandonGroup(at: Segment | undefined): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    this.fail('envelope', group.gs, `functional group ${value(group.gs, 6)} has no GE (${followedBy(at)})`);
  }

  private abandonInterchange(at: Segment | undefined): void {
    const interchange = this.interchange;
    if (!interchange) return;
    this.interchange = undefined;
    this.fail('envelope', interchange.isa, `interchange ${value(interchange.isa, 13)} has no IEA (${followedBy(at)})`);
  }

  private isaProblems(isa: Segment): X12SyntaxError[] {
    if (isa.elements.length !== 17) {
      return [this.error('envelope', isa, `the ISA has ${isa.elements.length - 1} elements, 16 expected`)];
    }
    const problems: X12SyntaxError[] = [];
    if (this.fixedWidthIsa) {
      ISA_WIDTHS.forEach((width, i) => {
        const found = isa.elements[i + 1].length;
        if (found !== width)
          problems.push(this.error('envelope', isa, `ISA${pad2(i + 1)} must be ${width} characters wide, found ${found}`, i + 1));
      });
      if (problems.length > 0) return problems;
      if (!/^\d{9}$/.test(value(isa, 13)))
        problems.push(this.error('envelope', isa, `control number "${value(isa, 13)}" is not nine digits`, 13));
      if (!['P', 'T', 'I'].includes(value(isa, 15)))
        problems.push(this.error('envelope', isa, `usage indicator "${value(isa, 15)}" is not P, T or I`, 15));
    } else if (value(isa, 13).trim() === '') {
      problems.push(this.error('missing-element', isa, 'required element is missing', 13));
    }
    return problems;
  }

  private fail(code: X12ErrorCode, seg: Segment, reason: string, element?: number): void {
    this.emit({ error: this.error(code, seg, reason, element) });
  }

  private error(code: X12ErrorCode, seg: Segment, reason: string, element?: number): X12SyntaxError {
    return new X12SyntaxError({ code, segmentIndex: seg.index, segmentId: seg.id, element, reason });
  }
}

function missingElements(seg: Segment, positions: readonly number[]): X12SyntaxError[] {
  return positions.filter((n) => isEmpty(seg.elements[n])).map((n) => missing(seg, n));
}

function missing(seg: Segment, n: number): X12SyntaxError {
  return new X12SyntaxError({
    code: 'missing-element',
    segmentIndex: seg.index,
    segmentId: seg.id,
    element: n,
    reason: 'required element is missing',
  });
}

function isEmpty(v: string | undefined): boolean {
  return v === undefined || v.length === 0 || (v.charCodeAt(0) === 32 && v.trim() === '');
}

function value(seg: Segment, n: number): string {
  return seg.elements[n] ?? '';
}

function isCount(text: string, expected: number): boolean {
  return /^\d+$/.test(text) && Number(text) === expected;
}

function followedBy(at: Segment | undefined): string {
  return at ? `segment ${at.index} (${at.id}) comes first` : 'the file ends first';
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function interchangeInfo(isa: Segment): InterchangeInfo {
  const v = (n: number) => value(isa, n).trim();
  const date = v(9);
  return {
    senderQualifier: v(5),
    senderId: v(6),
    receiverQualifier: v(7),
    receiverId: v(8),
    controlNumber: v(13),
    date: /^\d{6}$/.test(date) ? `20${date.slice(0, 2)}-${date.slice(2, 4)}-${date.slice(4, 6)}` : date,
    time: v(10),
    usageIndicator: v(15),
    version: v(12),
  };
}

function groupInfo(gs: Segment): GroupInfo {
  const date = value(gs, 4);
  return {
    functionalId: value(gs, 1),
    senderCode: value(gs, 2),
    receiverCode: value(gs, 3),
    date: /^\d{8}$/.test(date) ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}` : date,
    time: value(gs, 5),
    controlNumber: value(gs, 6),
    version: value(gs, 8),
  };
}
