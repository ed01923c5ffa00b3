// Writes a 999 implementation acknowledgement (005010X231A1) for a received functional group: one AK2..IK5
// response per transaction set, IK3/IK4 for the segments and elements in error, AK9 for the group.
import { writeInterchange, type EnvelopeArgs } from './envelopeWriter';

export const IMPLEMENTATION_999 = '005010X231A1';

export interface ElementError999Input {
  /** IK401-1: element position in the segment. */
  position: number;
  component?: number;
  /** IK402: data element reference number. */
  reference?: string;
  /** IK403: 1 required element missing, 4 too short, 5 too long, 7 invalid code value, 8 invalid date... */
  code: string;
  /** IK404: a copy of the bad data (never PHI: leave it out for names, ids, dates). */
  badValue?: string;
}

export interface SegmentError999Input {
  /** IK301 */
  segmentId: string;
  /** IK302: position in the transaction set, ST = 1. */
  position: number;
  loopId?: string;
  /** IK304: 1 unrecognized segment, 2 unexpected, 3 required missing, 8 segment has data element errors. */
  code?: string;
  elementErrors?: ElementError999Input[];
}

export interface SetAck999Input {
  /** AK201, e.g. 837 */
  setId: string;
  /** AK202: the ST02 of the set acknowledged. */
  controlNumber: string;
  /** AK203 */
  implementation?: string;
  accepted: boolean;
  /** IK502..IK506 when rejected; '5' (one or more segments in error) when none given. */
  errorCodes?: string[];
  segmentErrors?: SegmentError999Input[];
}

export interface Ack999Input extends EnvelopeArgs {
  /** AK1: the functional group answered (GS01, GS06, GS08 of the received file). */
  group: { functionalId: string; controlNumber: string; version?: string };
  sets: SetAck999Input[];
  /** AK903: sets received, when more arrived than are answered (unreadable ones); default sets.length. */
  setsReceived?: number;
  /** AK905..: group-level syntax error codes. */
  groupErrors?: string[];
}

export function write999(input: Ack999Input): string {
  const accepted = input.sets.filter((s) => s.accepted).length;
  const received = input.setsReceived ?? input.sets.length;
  // A whole group accepted, none (rejected) or some (partially accepted).
  const groupStatus = received > 0 && accepted === received ? 'A' : accepted === 0 ? 'R' : 'P';
  return writeInterchange({ ...input, functionalId: 'FA', implementation: IMPLEMENTATION_999, setId: '999' }, (w) => {
    w.segment('AK1', input.group.functionalId, input.group.controlNumber, input.group.version ?? '');
    for (const set of input.sets) {
      w.segment('AK2', set.setId, set.controlNumber, set.implementation ?? '');
      for (const e of set.segmentErrors ?? []) {
        w.segment('IK3', e.segmentId, String(e.position), e.loopId ?? '', e.code ?? '8');
        for (const el of e.elementErrors ?? []) {
          const position = el.component === undefined ? String(el.position) : [String(el.position), String(el.component)];
          w.segment('IK4', position, el.reference ?? '', el.code, el.badValue ?? '');
        }
      }
      const codes = set.accepted ? [] : (set.errorCodes?.length ? set.errorCodes : ['5']).slice(0, 5);
      w.segment('IK5', set.accepted ? 'A' : 'R', ...codes);
    }
    w.segment('AK9', groupStatus, String(input.sets.length), String(received), String(accepted), ...(input.groupErrors ?? []).slice(0, 5));
  });
}
