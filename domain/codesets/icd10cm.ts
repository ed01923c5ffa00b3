// ICD-10-CM code tables: parsers for the CMS order file (fixed width) and the TSV extract, and a table
// that answers whether a code exists and is billable in one fiscal-year version.
import { CodeSetFormatError, lines } from './tsv';

export interface Icd10cmCode {
  /** with the dot after the third character, e.g. `E11.9`; a 3-character category has none */
  code: string;
  /** valid for submission: a leaf code, not a header */
  billable: boolean;
  description: string;
  shortDescription?: string;
}

/** `e119`, `E11.9`, ` e11.9 ` all become `E11.9`. */
export function normaliseIcd10cm(code: string): string {
  const bare = code.trim().toUpperCase().replace('.', '');
  return bare.length > 3 ? `${bare.slice(0, 3)}.${bare.slice(3)}` : bare;
}

/**
 * The CMS order file: order number 1-5, code 7-13 (no dot), valid-for-submission flag 15, short
 * description 17-76, long description 78 to the end of the line (1-based columns).
 */
export function parseIcd10cmOrderFile(text: string): Icd10cmCode[] {
  const out: Icd10cmCode[] = [];
  let lineNo = 0;
  for (const line of lines(text)) {
    lineNo++;
    const flag = line[14];
    if (!/^\d{5} /.test(line) || (flag !== '0' && flag !== '1'))
      throw new CodeSetFormatError(
        `ICD-10-CM order file line ${lineNo} does not have the fixed-width layout: ${JSON.stringify(line.slice(0, 40))}`,
      );
    out.push({
      code: normaliseIcd10cm(line.slice(6, 13)),
      billable: flag === '1',
      shortDescription: line.slice(16, 76).trim(),
      description: line.slice(77).trim(),
    });
  }
  return out;
}

/**
 * The TSV extract: with a header naming `code`, `valid_for_submission` and `long_description` (the
 * fixtures' layout, an `order` column may lead), or headerless `code, valid, description` rows (the
 * shipped demo subset).
 */
export function parseIcd10cmTsv(text: string): Icd10cmCode[] {
  const out: Icd10cmCode[] = [];
  let cols: { code: number; valid: number; description: number } | undefined;
  for (const line of lines(text)) {
    const cells = line.split('\t');
    if (!cols) {
      const header = cells.map((c) => c.trim().toLowerCase());
      if (header.includes('code')) {
        cols = {
          code: header.indexOf('code'),
          valid: ['valid_for_submission', 'valid', 'billable'].map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1,
          description: ['long_description', 'description', 'long_desc'].map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1,
        };
        if (cols.valid < 0 || cols.description < 0)
          throw new CodeSetFormatError(`ICD-10-CM TSV header lacks a valid/description column: ${line}`);
        continue;
      }
      cols = /^\d{5}$/.test(cells[0]) ? { code: 1, valid: 2, description: 3 } : { code: 0, valid: 1, description: 2 };
    }
    const valid = cells[cols.valid]?.trim();
    if (valid !== '0' && valid !== '1') throw new CodeSetFormatError(`ICD-10-CM TSV row has no 0/1 validity flag: ${line.slice(0, 60)}`);
    out.push({ code: normaliseIcd10cm(cells[cols.code]), billable: valid === '1', description: (cells[cols.description] ?? '').trim() });
  }
  return out;
}

/** Either layout, told apart by the first line: the TSV has tabs, the order file starts with 5 digits and a space. */
export function parseIcd10cm(text: string): Icd10cmCode[] {
  const first = lines(text).next().value ?? '';
  return first.includes('\t') ? parseIcd10cmTsv(text) : parseIcd10cmOrderFile(text);
}

/** One version of the code set. A partial table (a demo subset) holds whole categories only and knows which. */
export class Icd10cmTable {
  private readonly codes: Icd10cmCode[];
  private readonly index = new Map<string, number>();
  private readonly categories?: Set<string>;

  constructor(codes: Icd10cmCode[], options: { partial?: boolean } = {}) {
    this.codes = codes;
    codes.forEach((c, i) => this.index.set(c.code, i));
    if (options.partial) this.categories = new Set(codes.map((c) => c.code.slice(0, 3)));
  }

  get size(): number {
    return this.codes.length;
  }

  get billableCount(): number {
    return this.codes.reduce((n, c) => n + (c.billable ? 1 : 0), 0);
  }

  get partial(): boolean {
    return this.categories !== undefined;
  }

  all(): readonly Icd10cmCode[] {
    return this.codes;
  }

  get(code: string): Icd10cmCode | undefined {
    const i = this.index.get(normaliseIcd10cm(code));
    return i === undefined ? undefined : this.codes[i];
  }

  /** Whether this table can say a code does not exist: always for a full table, per category for a subset. */
  covers(code: string): boolean {
    return !this.categories || this.categories.has(normaliseIcd10cm(code).slice(0, 3));
  }

  /** The billable codes under a header, in code-set order (the order files list children right after their header). */
  billableUnder(header: string, limit = 5): string[] {
    const start = this.index.get(normaliseIcd10cm(header));
    if (start === undefined) return [];
    const prefix = this.codes[start].code;
    const out: string[] = [];
    for (let i = start + 1; i < this.codes.length && out.length < limit; i++) {
      const c = this.codes[i];
      if (!c.code.startsWith(prefix)) break;
      if (c.billable) out.push(c.code);
    }
    return out;
  }
}
