// What kind of X12 file a clearinghouse dropped, told from its envelope alone (ST01, GS08 or ST03, a TA1), so that
// a mailbox can file it before any reader checks its contents: a broken 835 is still an 835, for the intake to
// refuse with its own errors.
import { readSegments } from './reader';
import { X12SyntaxError } from './syntaxError';

/**
 * The transactions claimflow meets in a clearinghouse mailbox: what comes back (999, TA1, 277CA (005010X214),
 * 277 (005010X212), 835, 271) and what goes out or may be echoed back (837P, 837I, 270, 276).
 */
export const X12_FILE_KINDS = ['999', 'TA1', '277CA', '277', '835', '271', '837P', '837I', '270', '276'] as const;
export type X12FileKind = (typeof X12_FILE_KINDS)[number];

export type X12FileClassification =
  /** every transaction in the file (and every TA1) is of this kind */
  | { kind: X12FileKind }
  /** one file, several kinds (an interchange may carry a 999 and a 277CA): each is listed once, in file order */
  | { kind: 'MIXED'; kinds: X12FileKind[] }
  /** not X12, or X12 claimflow does not exchange: `reason` says which, with no content of the file in it */
  | { kind: 'UNKNOWN'; reason: string };

/** The kind of one transaction set from ST01 and its implementation guide (GS08, or ST03 in a bare file). */
function kindOf(setId: string, implementation: string | undefined): X12FileKind | string {
  const guide = implementation ?? '';
  switch (setId) {
    case '999':
    case '835':
    case '270':
    case '271':
    case '276':
      return setId;
    case '277':
      // X214 is the claim acknowledgement (277CA); X212 the answer to a 276 status inquiry.
      if (guide.includes('X214')) return '277CA';
      if (guide.includes('X212') || guide === '') return '277';
      return `a 277 of implementation guide ${guide}`;
    case '837':
      if (guide.includes('X222')) return '837P';
      if (guide.includes('X223')) return '837I';
      return guide ? `an 837 of implementation guide ${guide}` : 'an 837 that names no implementation guide';
    default:
      return `transaction set ${setId || '(empty ST01)'}`;
  }
}

const isKind = (k: string): k is X12FileKind => (X12_FILE_KINDS as readonly string[]).includes(k);

/**
 * The kind of a whole file. Reads segments only (no envelope counts, no loops), so it answers for files the
 * intake will reject; a file whose separators cannot be read, or with no ST or TA1 segment, is UNKNOWN.
 */
export function classifyX12File(text: string): X12FileClassification {
  const found: X12FileKind[] = [];
  const foreign: string[] = [];
  let groupVersion: string | undefined;
  try {
    for (const seg of readSegments(text)) {
      switch (seg.id) {
        case 'GS':
          groupVersion = seg.elements[8] || undefined;
          break;
        case 'GE':
          groupVersion = undefined;
          break;
        case 'TA1':
          found.push('TA1');
          break;
        case 'ST': {
          const kind = kindOf(seg.elements[1] ?? '', groupVersion ?? (seg.elements[3] || undefined));
          if (isKind(kind)) found.push(kind);
          else foreign.push(kind);
          break;
        }
      }
    }
  } catch (err) {
    if (err instanceof X12SyntaxError) return { kind: 'UNKNOWN', reason: `not readable as X12: ${err.reason}` };
    throw err;
  }
  if (foreign.length) return { kind: 'UNKNOWN', reason: `holds ${[...new Set(foreign)].join(', ')}, which claimflow does not exchange` };
  const kinds = [...new Set(found)];
  if (kinds.length === 0) return { kind: 'UNKNOWN', reason: 'no ST or TA1 segment: not an X12 interchange' };
  return kinds.length === 1 ? { kind: kinds[0] } : { kind: 'MIXED', kinds };
}
