// Cutting text into segments, incrementally: fed whole or chunk by chunk, it yields the same segments.
import { delimitersAt, isBlank, type Delimiters } from './delimiters';

export interface Segment {
  id: string;
  /** elements[0] is the segment id, so elements[1] is X12's "01" element. */
  elements: string[];
  /** 1-based segment number within the file. */
  index: number;
  /** Character offset of the segment's first character in the (decoded) file. */
  offset: number;
}

export class SegmentScanner {
  private buf = '';
  private pos = 0; // where in buf the next segment may start
  private base = 0; // file offset of buf[0]
  private count = 0;
  private current?: Delimiters;
  // Chunks held back, unjoined, while a long segment waits for its terminator: joining each chunk to the tail
  // and searching the tail again cost time in the square of the segment's length (a 100 kB element in 1-byte
  // chunks took seconds), so chunks without the terminator in force are only joined once one has it.
  private held: string[] = [];
  private waitingFor?: string;

  /** With `fixed` delimiters, ISA headers are not consulted (the caller knows better). */
  constructor(private readonly fixed?: Delimiters) {
    this.current = fixed;
  }

  /** The separators in force for the segment last yielded (a later ISA may change them). */
  get delimiters(): Delimiters | undefined {
    return this.current;
  }

  feed(text: string): void {
    if (this.waitingFor !== undefined && !text.includes(this.waitingFor)) {
      this.held.push(text);
      return;
    }
    if (this.held.length > 0) text = this.takeHeld() + text;
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = text;
    } else {
      // Only the unfinished tail is kept: memory stays at one chunk plus one segment.
      this.base += this.pos;
      this.buf = this.buf.slice(this.pos) + text;
    }
    this.pos = 0;
  }

  /**
   * Yields every complete segment fed so far. With `final` false an unterminated tail waits for the next
   * chunk; with `final` true it is the last segment (files often omit the last terminator).
   * Throws X12SyntaxError when an ISA's separators cannot be read.
   */
  *drain(final: boolean): Generator<Segment> {
    if (this.held.length > 0) {
      if (!final) return; // nothing held can end the tail: no need to search it again
      this.feed(this.takeHeld());
    }
    this.waitingFor = undefined;
    const buf = this.buf;
    const len = buf.length;
    for (;;) {
      let start = this.pos;
      // Line ends after terminators, indentation, a byte-order mark: never part of a segment.
      while (start < len && isBlank(buf.charCodeAt(start))) start++;
      this.pos = start;
      if (start >= len) return;
      // Every interchange names its own separators, so a file of several interchanges may change them.
      if (this.fixed === undefined && (this.current === undefined || (buf.charCodeAt(start) === 73 && buf.startsWith('ISA', start)))) {
        const found = delimitersAt(buf, start, final, this.count + 1);
        if (found === null) return;
        this.current = found;
      }
      const d = this.current as Delimiters;
      let end = buf.indexOf(d.segment, start);
      if (end === -1) {
        if (!final) {
          this.waitingFor = d.segment;
          return;
        }
        end = len;
      }
      let stop = end;
      if (d.segment === '\n' && buf.charCodeAt(stop - 1) === 13) stop--;
      this.pos = end + 1;
      if (stop <= start) continue; // an empty segment ("~~")
      const elements = buf.slice(start, stop).split(d.element);
      this.count++;
      yield { id: elements[0], elements, index: this.count, offset: this.base + start };
    }
  }

  private takeHeld(): string {
    const text = this.held.join('');
    this.held = [];
    this.waitingFor = undefined;
    return text;
  }
}
