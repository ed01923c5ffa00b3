// The 999 implementation acknowledgement (005010X231A1): was each transaction set of our file accepted?
import type { Transaction } from './envelope';
import type { Segment } from './scanner';
import { components } from './delimiters';
import { badValue, el, opt, required, structureError } from './values';

export interface Ack999 {
  /** ST02 of the 999 itself. */
  controlNumber: string;
  /** AK1: which functional group of ours this answers. */
  group: { functionalId: string; controlNumber: string; version?: string };
  /** AK901: A accepted, E accepted with errors, P partially accepted, R rejected, M/W/X rejected (security). */
  status: string;
  accepted: boolean;
  /** AK902..AK904. */
  setsIncluded: number;
  setsReceived: number;
  setsAccepted: number;
  /** AK905..AK909: functional group syntax error codes. */
  groupErrors: string[];
  /** One per AK2..IK5 loop. */
  sets: SetResponse999[];
}

export interface SetResponse999 {
  /** AK201, e.g. 837. */
  setId: string;
  /** AK202: the ST02 we sent. */
  controlNumber: string;
  /** AK203. */
  implementation?: string;
  /** IK501: A accepted, E accepted with errors, R rejected, M/W/X rejected (security). */
  status: string;
  accepted: boolean;
  /** IK502..IK506: transaction set syntax error codes (e.g. 5 one or more segments in error). */
  errorCodes: string[];
  segmentErrors: SegmentError999[];
}

export interface SegmentError999 {
  /** IK301. */
  segmentId: string;
  /** IK302: position in our transaction set, ST = 1. */
  position: number;
  /** IK303. */
  loopId?: string;
  /** IK304: 1 unrecognized segment, 2 unexpected, 3 required segment missing, 8 segment has data element errors, ... */
  code?: string;
  /** CTX segments, as sent (business unit identifiers such as CLM01, or situational triggers). */
  context: string[];
  elementErrors: ElementError999[];
}

export interface ElementError999 {
  /** IK401-1: element position in the segment. */
  position: number;
  /** IK401-2. */
  component?: number;
  /** IK401-3. */
  repetition?: number;
  /** IK402: data element reference number. */
  reference?: string;
  /** IK403: 1 required element missing, 2 conditional required missing, 4 too short, 5 too long, 7 invalid code value, 8 invalid date, ... */
  code: string;
  /** IK404: a copy of the bad data. */
  badValue?: string;
}

const SET_STATUS = ['A', 'E', 'M', 'R', 'W', 'X'];
const GROUP_STATUS = ['A', 'E', 'M', 'P', 'R', 'W', 'X'];

/** Reads one 999. Throws X12SyntaxError when its loops are out of order or its codes are not 999 codes. */
export function parse999(t: Transaction): Ack999 {
  const st = t.segments[0];
  if (t.setId !== '999') throw structureError(st, `this is a ${t.setId} transaction, not a 999`);
  let group: Ack999['group'] | undefined;
  let set: SetResponse999 | undefined;
  let segmentError: SegmentError999 | undefined;
  let trailer: Segment | undefined;
  const sets: SetResponse999[] = [];

  for (const seg of t.segments) {
    if (seg.id === 'ST' || seg.id === 'SE') continue;
    if (trailer) throw structureError(seg, `${seg.id} after AK9 (AK9 closes the 999)`);
    switch (seg.id) {
      case 'AK1':
        if (group) throw structureError(seg, 'a second AK1 (one functional group per 999)');
        group = { functionalId: required(seg, 1), controlNumber: required(seg, 2), version: opt(seg, 3) };
        break;
      case 'AK2':
        if (!group) throw structureError(seg, 'AK2 before AK1');
        if (set) throw structureError(seg, `AK2 while the set response for ${set.controlNumber} has no IK5 yet`);
        set = {
          setId: required(seg, 1),
          controlNumber: required(seg, 2),
          implementation: opt(seg, 3),
          status: '',
          accepted: false,
          errorCodes: [],
          segmentErrors: [],
        };
        segmentError = undefined;
        break;
      case 'IK3':
        if (!set) throw structureError(seg, 'IK3 outside a set response (no AK2 before it)');
        segmentError = {
          segmentId: required(seg, 1),
          position: integer(seg, 2),
          loopId: opt(seg, 3),
          code: opt(seg, 4),
          context: [],
          elementErrors: [],
        };
        set.segmentErrors.push(segmentError);
        break;
      case 'CTX':
        // Context (the claim's CLM01, a situational trigger) for the IK3 or IK4 before it.
        if (!segmentError) throw structureError(seg, 'CTX without an IK3 before it');
        segmentError.context.push(seg.elements.slice(1).join(t.delimiters.element));
        break;
      case 'IK4': {
        if (!segmentError) throw structureError(seg, 'IK4 without an IK3 before it');
        const [position, component, repetition] = components(required(seg, 1), t.delimiters);
        segmentError.elementErrors.push({
          position: integerOf(seg, 1, position),
          component: component ? integerOf(seg, 1, component) : undefined,
          repetition: repetition ? integerOf(seg, 1, repetition) : undefined,
          reference: opt(seg, 2),
          code: required(seg, 3),
          badValue: opt(seg, 4),
        });
        break;
      }
      case 'IK5': {
        if (!set) throw structureError(seg, 'IK5 outside a set response (no AK2 before it)');
        const status = code(seg, 1, SET_STATUS);
        set.status = status;
        set.accepted = status === 'A' || status === 'E';
        set.errorCodes = [2, 3, 4, 5, 6].map((n) => el(seg, n)).filter(Boolean);
        sets.push(set);
        set = undefined;
        segmentError = undefined;
        break;
      }
      case 'AK9':
        if (!group) throw structureError(seg, 'AK9 before AK1');
        if (set) throw structureError(seg, `AK9 while the set response for ${set.controlNumber} has no IK5`);
        trailer = seg;
        break;
      default:
        throw structureError(seg, `${seg.id} is not a 999 segment`);
    }
  }
  const se = t.segments[t.segments.length - 1];
  if (!group) throw structureError(se, 'the 999 has no AK1');
  if (!trailer) throw structureError(se, 'the 999 has no AK9');
  const status = code(trailer, 1, GROUP_STATUS);
  return {
    controlNumber: t.controlNumber,
    group,
    status,
    accepted: status === 'A' || status === 'E' || status === 'P',
    setsIncluded: integer(trailer, 2),
    setsReceived: integer(trailer, 3),
    setsAccepted: integer(trailer, 4),
    groupErrors: [5, 6, 7, 8, 9].map((n) => el(trailer as Segment, n)).filter(Boolean),
    sets,
  };
}

function code(seg: Segment, n: number, allowed: string[]): string {
  const v = required(seg, n);
  if (!allowed.includes(v)) throw badValue(seg, n, `"${v}" is not one of ${allowed.join(', ')}`);
  return v;
}

function integer(seg: Segment, n: number): number {
  return integerOf(seg, n, required(seg, n));
}

function integerOf(seg: Segment, n: number, text: string): number {
  if (!/^\d+$/.test(text)) throw badValue(seg, n, `"${text}" is not a number`);
  return Number(text);
}
