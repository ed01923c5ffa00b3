// Medicare NCCI edits: procedure-to-procedure (PTP) pairs, medically unlikely edits (MUE) and add-on code
// edits (AOC). Parsers take the TSV text; the PTP table is packed into typed arrays because the
// practitioner file has 2.5 million rows.
import type { IsoDate } from '../clearinghouse';
import { parseFileDate, within } from './dates';
import { CodeSetFormatError, readTsv } from './tsv';

// ---- PTP ----

/** 0: never billable together; 1: allowed with an NCCI-associated modifier; 9: the edit does not apply. */
export type ModifierIndicator = '0' | '1' | '9';

export interface PtpEdit {
  column1: string;
  column2: string;
  /** absent when the file does not carry it (the fixture extract does not) */
  effectiveOn?: IsoDate;
  /** the last date of service the edit applies to; absent while the edit is active (99991231) */
  deletedOn?: IsoDate;
  modifierIndicator: ModifierIndicator;
  rationale?: string;
}

/**
 * Modifiers that bypass a PTP edit with indicator 1 (NCCI Policy Manual, ch. I): anatomic E1-E4, FA, F1-F9,
 * LC, LD, LM, RC, RI, LT, RT, TA, T1-T9; global surgery 24, 25, 57, 58, 78, 79; other 27, 59, 91, XE, XS,
 * XP, XU. 76/77 (repeat procedure) are not on the list.
 */
export const NCCI_ANATOMIC_MODIFIERS: ReadonlySet<string> = new Set([
  'E1',
  'E2',
  'E3',
  'E4',
  'FA',
  'F1',
  'F2',
  'F3',
  'F4',
  'F5',
  'F6',
  'F7',
  'F8',
  'F9',
  'LC',
  'LD',
  'LM',
  'RC',
  'RI',
  'LT',
  'RT',
  'TA',
  'T1',
  'T2',
  'T3',
  'T4',
  'T5',
  'T6',
  'T7',
  'T8',
  'T9',
]);
export const NCCI_OTHER_MODIFIERS: ReadonlySet<string> = new Set([
  '24',
  '25',
  '57',
  '58',
  '78',
  '79',
  '27',
  '59',
  '91',
  'XE',
  'XS',
  'XP',
  'XU',
]);

const dateToInt = (d: IsoDate | undefined) => (d ? Number(d.replaceAll('-', '')) : 0);
const intToDate = (n: number): IsoDate | undefined => {
  if (!n) return undefined;
  const s = String(n);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};

export class PtpTable {
  private readonly codes: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly head = new Map<number, number>();
  private next = new Int32Array(0);
  private indicator = new Uint8Array(0);
  private effective = new Uint32Array(0);
  private deleted = new Uint32Array(0);
  private rationaleIndex = new Uint8Array(0);
  private readonly rationales: string[] = [];
  private rows = 0;
  private openRows = 0;
  private readonly coveredCodes?: Set<string>;
  private readonly explicitCoverage: boolean;

  /**
   * `partial`: a subset holding every edit among the codes it covers, and nothing about any other code;
   * `coveredCodes` lists them (otherwise the codes its rows name are taken as covered).
   */
  constructor(options: { partial?: boolean; coveredCodes?: Iterable<string>; expectedRows?: number } = {}) {
    if (options.partial) this.coveredCodes = new Set(options.coveredCodes);
    this.explicitCoverage = options.coveredCodes !== undefined;
    this.grow(Math.max(16, options.expectedRows ?? 1024));
  }

  private grow(capacity: number) {
    const copy = <T extends Int32Array | Uint8Array | Uint32Array>(a: T, make: (n: number) => T) => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.next = copy(this.next, (n) => new Int32Array(n));
    this.indicator = copy(this.indicator, (n) => new Uint8Array(n));
    this.effective = copy(this.effective, (n) => new Uint32Array(n));
    this.deleted = copy(this.deleted, (n) => new Uint32Array(n));
    this.rationaleIndex = copy(this.rationaleIndex, (n) => new Uint8Array(n));
  }

  private id(code: string): number {
    let v = this.ids.get(code);
    if (v === undefined) {
      v = this.codes.length;
      if (v >= 65_536) throw new CodeSetFormatError('NCCI PTP table has more than 65,536 distinct codes');
      this.ids.set(code, v);
      this.codes.push(code);
    }
    return v;
  }

  add(edit: PtpEdit): void {
    if (this.rows === this.next.length) this.grow(this.rows * 2);
    const key = this.id(edit.column1) * 65_536 + this.id(edit.column2);
    const row = this.rows++;
    this.next[row] = this.head.get(key) ?? -1;
    this.head.set(key, row);
    this.indicator[row] = Number(edit.modifierIndicator);
    this.effective[row] = dateToInt(edit.effectiveOn);
    this.deleted[row] = dateToInt(edit.deletedOn);
    if (!edit.deletedOn) this.openRows++;
    let r = edit.rationale ? this.rationales.indexOf(edit.rationale) : 255;
    if (r < 0 && this.rationales.length < 255) r = this.rationales.push(edit.rationale!) - 1;
    this.rationaleIndex[row] = r < 0 ? 255 : r;
    if (this.coveredCodes && !this.explicitCoverage) this.coveredCodes.add(edit.column1).add(edit.column2);
  }

  /** rows read, and how many have no deletion date */
  get stats(): { rows: number; active: number; codes: number } {
    return { rows: this.rows, active: this.openRows, codes: this.codes.length };
  }

  get partial(): boolean {
    return this.coveredCodes !== undefined;
  }

  /** Whether the table knows every edit between `code` and another covered code. */
  covers(code: string): boolean {
    return !this.coveredCodes || this.coveredCodes.has(code);
  }

  /** Every row for the ordered pair (column 1, column 2), newest first. */
  edits(column1: string, column2: string): PtpEdit[] {
    const a = this.ids.get(column1);
    const b = this.ids.get(column2);
    if (a === undefined || b === undefined) return [];
    const out: PtpEdit[] = [];
    for (let row = this.head.get(a * 65_536 + b) ?? -1; row >= 0; row = this.next[row]) {
      out.push({
        column1,
        column2,
        effectiveOn: intToDate(this.effective[row]),
        deletedOn: intToDate(this.deleted[row]),
        modifierIndicator: String(this.indicator[row]) as ModifierIndicator,
        rationale: this.rationaleIndex[row] === 255 ? undefined : this.rationales[this.rationaleIndex[row]],
      });
    }
    return out;
  }

  /** The edit for the ordered pair in effect on `date` (effective on or before it, not deleted before it). */
  inEffect(column1: string, column2: string, date: IsoDate): PtpEdit | undefined {
    return this.edits(column1, column2).find((e) => within(date, e.effectiveOn, e.deletedOn));
  }
}

/**
 * `column1, column2, [effective_date,] deletion_date, modifier_indicator, [ptp_rationale]` with dates as
 * YYYYMMDD (99991231 or `*` = not deleted). Rows deleted before `dropDeletedBefore` can never apply to
 * a date of service the table answers for, so a loader may leave them out. A partial file (demo subset)
 * names the codes it covers in a leading comment line `# covers: 99213 36415 ...`.
 */
export function parsePtpTsv(text: string, options: { partial?: boolean; dropDeletedBefore?: IsoDate } = {}): PtpTable {
  const t = readTsv(text, [
    ['column1', 'column_1', 'col1'],
    ['column2', 'column_2', 'col2'],
    ['deletion_date', 'deletion'],
    ['modifier_indicator', 'modifier'],
  ]);
  const c1 = t.column('column1', 'column_1', 'col1');
  const c2 = t.column('column2', 'column_2', 'col2');
  const eff = t.column('effective_date', 'effective');
  const del = t.column('deletion_date', 'deletion');
  const mi = t.column('modifier_indicator', 'modifier');
  const why = t.column('ptp_rationale', 'rationale');
  const covers = t.comments.find((c) => c.startsWith('covers:'));
  const coveredCodes = covers ? covers.slice('covers:'.length).trim().split(/\s+/) : undefined;
  const table = new PtpTable({ partial: options.partial, coveredCodes, expectedRows: Math.ceil(text.length / 40) });
  for (const r of t.rows()) {
    const indicator = r[mi]?.trim();
    if (indicator !== '0' && indicator !== '1' && indicator !== '9')
      throw new CodeSetFormatError(`NCCI PTP row ${r.join(' ')} has modifier indicator ${indicator}`);
    const deletedOn = parseFileDate(r[del]);
    if (options.dropDeletedBefore && deletedOn && deletedOn < options.dropDeletedBefore) continue;
    table.add({
      column1: r[c1].trim(),
      column2: r[c2].trim(),
      effectiveOn: eff >= 0 ? parseFileDate(r[eff]) : undefined,
      deletedOn,
      modifierIndicator: indicator,
      rationale: why >= 0 ? r[why]?.trim() || undefined : undefined,
    });
  }
  return table;
}

// ---- MUE ----

export interface MueEdit {
  code: string;
  units: number;
  /** MUE adjudication indicator: 1 claim-line edit, 2 date-of-service edit (policy), 3 date-of-service edit (clinical) */
  mai: 1 | 2 | 3;
  rationale?: string;
}

/** `hcpcs_code, mue_units, mue_mai, [mue_rationale, mue_service]`; the MAI column may carry its text ("2 Date of Service Edit: Policy"). */
export function parseMueTsv(text: string): MueEdit[] {
  const t = readTsv(text, [
    ['hcpcs_code', 'code'],
    ['mue_units', 'units'],
    ['mue_mai', 'mai'],
  ]);
  const [code, units, mai, why] = [
    t.column('hcpcs_code', 'code'),
    t.column('mue_units', 'units'),
    t.column('mue_mai', 'mai'),
    t.column('mue_rationale', 'rationale'),
  ];
  const out: MueEdit[] = [];
  for (const r of t.rows()) {
    const n = Number(r[units]);
    const m = Number(r[mai]?.trim()[0]);
    if (!Number.isInteger(n) || n < 0 || (m !== 1 && m !== 2 && m !== 3))
      throw new CodeSetFormatError(`MUE row ${r.join(' ')} has no valid units/MAI`);
    out.push({ code: r[code].trim(), units: n, mai: m, rationale: why >= 0 ? r[why]?.trim() || undefined : undefined });
  }
  return out;
}

export class MueTable {
  private readonly byCode = new Map<string, MueEdit>();
  constructor(edits: MueEdit[]) {
    for (const e of edits) this.byCode.set(e.code, e);
  }
  get size(): number {
    return this.byCode.size;
  }
  /** undefined: no MUE for this code (not every code has one) */
  get(code: string): MueEdit | undefined {
    return this.byCode.get(code);
  }
}

// ---- Add-on codes ----

/**
 * Edit type 1: paid only with one of the listed primary codes. Type 2: no primary list (CMS writes
 * `CCCCC`); the contractor decides. Type 3: some primaries listed; the contractor may allow others.
 */
export interface AddOnEdit {
  addOn: string;
  primary: string;
  type: 1 | 2 | 3;
  effectiveOn?: IsoDate;
  deletedOn?: IsoDate;
}

export const ANY_PRIMARY = 'CCCCC';

/** `primary_code, add_on_code, aoc_edit_type`, optionally with effective/deletion date columns. */
export function parseAddOnTsv(text: string): AddOnEdit[] {
  const t = readTsv(text, [
    ['primary_code', 'primary'],
    ['add_on_code', 'addon', 'add_on'],
    ['aoc_edit_type', 'edit_type', 'type'],
  ]);
  const [primary, addOn, type] = [
    t.column('primary_code', 'primary'),
    t.column('add_on_code', 'addon', 'add_on'),
    t.column('aoc_edit_type', 'edit_type', 'type'),
  ];
  const [eff, del] = [t.column('effective_date', 'aoc_eff_dt'), t.column('deletion_date', 'aoc_del_dt')];
  const out: AddOnEdit[] = [];
  for (const r of t.rows()) {
    const n = Number(r[type]);
    if (n !== 1 && n !== 2 && n !== 3) throw new CodeSetFormatError(`add-on code row ${r.join(' ')} has edit type ${r[type]}`);
    out.push({
      addOn: r[addOn].trim(),
      primary: r[primary].trim(),
      type: n,
      effectiveOn: eff >= 0 ? parseFileDate(r[eff]) : undefined,
      deletedOn: del >= 0 ? parseFileDate(r[del]) : undefined,
    });
  }
  return out;
}

export interface AddOnRule {
  addOn: string;
  type: 1 | 2 | 3;
  /** the listed primary codes; empty for type 2 */
  primaries: ReadonlySet<string>;
  /** CMS lists `CCCCC`: any primary procedure the contractor accepts */
  anyPrimary: boolean;
}

export class AddOnTable {
  private readonly byAddOn = new Map<string, AddOnEdit[]>();
  constructor(edits: AddOnEdit[]) {
    for (const e of edits) {
      const list = this.byAddOn.get(e.addOn) ?? [];
      list.push(e);
      this.byAddOn.set(e.addOn, list);
    }
  }
  get size(): number {
    return this.byAddOn.size;
  }
  /** The rule for an add-on code on a date of service; undefined when the code is not an add-on code. */
  rule(code: string, date: IsoDate): AddOnRule | undefined {
    const rows = (this.byAddOn.get(code) ?? []).filter((e) => within(date, e.effectiveOn, e.deletedOn));
    if (!rows.length) return undefined;
    const type = rows.some((e) => e.type === 1) ? 1 : rows.some((e) => e.type === 3) ? 3 : 2;
    return {
      addOn: code,
      type,
      primaries: new Set(rows.map((e) => e.primary).filter((p) => p !== ANY_PRIMARY)),
      anyPrimary: rows.some((e) => e.primary === ANY_PRIMARY),
    };
  }
}
