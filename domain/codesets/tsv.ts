// Reads the tab-separated code-set extracts: one header line naming the columns, then one record a line.

export interface TsvTable {
  header: string[];
  /** `#` lines before the header, without the `#` (the demo subsets say what they cover there) */
  comments: string[];
  /** the index of the first of `names` present in the header, or -1 */
  column(...names: string[]): number;
  rows(): Generator<string[]>;
}

/** Splits into lines without copying the whole file into an array (the NCCI PTP file has 2.5 million lines). */
export function* lines(text: string): Generator<string> {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(pos, end - 1) : text.slice(pos, end);
    pos = end + 1;
    if (line.trim()) yield line;
  }
}

export function readTsv(text: string, requiredColumns: string[][] = []): TsvTable {
  const it = lines(text);
  const comments: string[] = [];
  let first = it.next();
  while (!first.done && first.value.startsWith('#')) {
    comments.push(first.value.slice(1).trim());
    first = it.next();
  }
  const header = first.done ? [] : first.value.split('\t').map((h) => h.trim().toLowerCase());
  const column = (...names: string[]) => {
    for (const n of names) {
      const i = header.indexOf(n.toLowerCase());
      if (i >= 0) return i;
    }
    return -1;
  };
  for (const alternatives of requiredColumns)
    if (column(...alternatives) < 0)
      throw new CodeSetFormatError(`missing column ${alternatives.join(' or ')} (header: ${header.join(', ')})`);
  return {
    header,
    comments,
    column,
    *rows() {
      for (const line of it) yield line.split('\t');
    },
  };
}

/** A code-set file that does not have the layout its parser expects. */
export class CodeSetFormatError extends Error {
  readonly code = 'CODESET_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'CodeSetFormatError';
  }
}
