// Finding a file's separators: from the ISA header when there is one, else from the first segment.
import { X12SyntaxError } from './syntaxError';

export interface Delimiters {
  element: string;
  component: string;
  /** ISA11 from version 00402 on; absent in older interchanges and in bare ST..SE files. */
  repetition?: string;
  segment: string;
}

/** The parts of a composite element; an empty element has none. */
export function components(value: string, d: Delimiters): string[] {
  return value === '' ? [] : value.split(d.component);
}

/** Separators of the text's first interchange (or of a bare ST..SE file). Throws X12SyntaxError when unreadable. */
export function detectDelimiters(text: string): Delimiters {
  const found = delimitersAt(text, skipBlank(text, 0), true);
  // `final` is true, so delimitersAt never asks for more text.
  return found as Delimiters;
}

/** How far into a bare ST..SE file we look for a composite that shows its component separator. */
export const BARE_SAMPLE = 4096;
/** A well-formed ISA ends at 106 characters; a trimmed one is shorter. Anything past this is not an ISA. */
const ISA_MAX = 200;

/**
 * Separators of the interchange (or bare segment) starting at `start`, or null when `text` ends too soon to
 * tell and more may come (`final` false: the streaming reader is waiting for its next chunk).
 */
export function delimitersAt(text: string, start: number, final: boolean, segmentIndex = 1): Delimiters | null {
  return text.startsWith('ISA', start) ? fromIsa(text, start, final, segmentIndex) : fromBareSegment(text, start, final);
}

// Counting separators, not reading fixed positions: a trimmed ISA (seen from legacy gateways) still yields
// the right separators, and its widths are then checked (or tolerated) by the envelope reader.
function fromIsa(text: string, start: number, final: boolean, segmentIndex: number): Delimiters | null {
  const fail = (reason: string) => new X12SyntaxError({ code: 'delimiters', segmentIndex, segmentId: 'ISA', reason });
  if (text.length <= start + 3) {
    if (final) throw fail('the file ends inside the ISA header');
    return null;
  }
  const element = text[start + 3];
  if (!isSeparatorChar(element)) throw fail(`"${element}" after ISA cannot be an element separator`);
  const seps = [start + 3];
  for (let n = 2; n <= 16; n++) {
    const p = text.indexOf(element, seps[seps.length - 1] + 1);
    if (p === -1 || p - start > ISA_MAX) {
      if (p === -1 && !final && text.length - start <= ISA_MAX) return null;
      throw fail(`the ISA header has ${n - 1} elements, 16 expected`);
    }
    seps.push(p);
  }
  const last = seps[15];
  if (text.length <= last + 2) {
    if (final) throw fail('the file ends before the ISA segment terminator');
    return null;
  }
  // A CR right after ISA16 may be the first half of CR LF: wait for the next character.
  if (text[last + 2] === '\r' && text.length <= last + 3 && !final) return null;
  const component = text[last + 1];
  let segment = text[last + 2];
  // ISA16 followed by CR LF: the line end is the terminator and the CR is trimmed from every segment.
  if (segment === '\r' && text[last + 3] === '\n') segment = '\n';
  if (!isSeparatorChar(component)) throw fail(`ISA16 "${component}" cannot be a component separator`);
  if (!isSeparatorChar(segment) && segment !== '\n' && segment !== '\r') throw fail(`"${segment}" cannot be a segment terminator`);
  if (new Set([element, component, segment]).size !== 3) throw fail('element, component and segment separators must differ');
  const d: Delimiters = { element, component, segment };
  const isa11 = text.slice(seps[10] + 1, seps[11]);
  const isa12 = text.slice(seps[11] + 1, seps[12]);
  // Before 00402 ISA11 was the standards identifier ("U"), not a separator.
  if (isa11.length === 1 && isSeparatorChar(isa11) && isa12 >= '00402' && !Object.values(d).includes(isa11)) d.repetition = isa11;
  return d;
}

const BARE_ID = /^[A-Z][A-Z0-9]{1,2}/;

function fromBareSegment(text: string, start: number, final: boolean): Delimiters | null {
  const head = BARE_ID.exec(text.slice(start, start + 3));
  const fail = (reason: string) =>
    new X12SyntaxError({ code: 'delimiters', segmentIndex: 1, segmentId: head?.[0] ?? text.slice(start, start + 3), reason });
  if (!head) {
    if (!final && text.length - start < 3) return null;
    throw fail('the file starts with neither an ISA header nor a segment id');
  }
  const element = text[start + head[0].length];
  if (element === undefined) {
    if (final) throw fail('the file ends after the first segment id');
    return null;
  }
  if (!isSeparatorChar(element)) throw fail(`"${element}" after ${head[0]} cannot be an element separator`);
  // Wait for a sample big enough that the stream and the whole-string read decide alike.
  if (!final && text.length - start < BARE_SAMPLE) return null;
  const sample = text.slice(start, start + BARE_SAMPLE);
  const tilde = sample.indexOf('~');
  const newline = sample.indexOf('\n');
  if (tilde === -1 && newline === -1) throw fail('no segment terminator (~ or a line end) in the first segments');
  const segment = tilde !== -1 && (newline === -1 || tilde < newline) ? '~' : '\n';
  return { element, component: evidentComponent(sample, element) ?? ':', segment };
}

// Without an ISA16 the component separator can only be seen where a composite is used: a procedure
// (SVC/SV1/SV2), a diagnosis (HI) or a status (STC) starts with a short qualifier and its separator.
function evidentComponent(sample: string, element: string): string | undefined {
  const e = escapeRegExp(element);
  const re = new RegExp(`(?:^|[~\\n])\\s*(?:SVC|SV1|SV2|SV3|SV5|HI|STC)${e}[A-Z0-9]{1,3}([:>^|])`);
  return re.exec(sample)?.[1];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Printable, not a letter or digit, not a space: what X12 allows as a separator. */
function isSeparatorChar(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code <= 32 || code === 127) return false;
  return !((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122));
}

/** Index of the first character that is not a space, tab, line end or byte-order mark. */
export function skipBlank(text: string, from: number): number {
  let i = from;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return i;
}

export function isBlank(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9 || code === 0xfeff;
}
