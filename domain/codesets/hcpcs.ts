// HCPCS Level II codes and modifiers: parsers for the attribute/description TSVs, the modifier list and the
// CMS alpha-numeric fixed-width file, and the date rules that say whether a code can be billed on a day.
// CPT (Level I) descriptions are AMA-licensed and never appear here; CPT modifier *numbers* do.
import type { IsoDate } from '../clearinghouse';
import { parseFileDate } from './dates';
import { CodeSetFormatError, lines, readTsv } from './tsv';

export interface HcpcsCode {
  code: string;
  addedOn?: IsoDate;
  /** the last day the code may be billed (CMS "termination date") */
  terminatedOn?: IsoDate;
  /** CMS action code of the latest change: A added, C changed, D discontinued, N no change, ... */
  actionCode?: string;
  shortDescription?: string;
  longDescription?: string;
}

export interface Modifier {
  code: string;
  description?: string;
  category?: string;
  addedOn?: IsoDate;
  terminatedOn?: IsoDate;
}

const LEVEL2 = /^[A-V]\d{4}$/;

export function isLevel2Code(code: string): boolean {
  return LEVEL2.test(code);
}

/** The attribute file of the CMS alpha-numeric release as a TSV (`hcpcs_code`, `date_added`, `date_term`, `action`). */
export function parseHcpcsAttributesTsv(text: string): HcpcsCode[] {
  const t = readTsv(text, [['hcpcs_code', 'hcpcs', 'code']]);
  const code = t.column('hcpcs_code', 'hcpcs', 'code');
  const added = t.column('date_added', 'add_date');
  const term = t.column('date_term', 'term_date');
  const action = t.column('action', 'action_code');
  const out: HcpcsCode[] = [];
  for (const r of t.rows()) {
    out.push({
      code: r[code].trim().toUpperCase(),
      addedOn: parseFileDate(r[added]),
      terminatedOn: parseFileDate(r[term]),
      actionCode: action >= 0 ? r[action]?.trim() || undefined : undefined,
    });
  }
  return out;
}

/** `hcpcs_code, hcpcs_desc_type (Long|Short), hcpcs_description` rows, two per code. */
export function parseHcpcsDescriptionsTsv(text: string): Map<string, { long?: string; short?: string }> {
  const t = readTsv(text, [['hcpcs_code'], ['hcpcs_desc_type'], ['hcpcs_description']]);
  const [code, type, desc] = [t.column('hcpcs_code'), t.column('hcpcs_desc_type'), t.column('hcpcs_description')];
  const out = new Map<string, { long?: string; short?: string }>();
  for (const r of t.rows()) {
    const entry = out.get(r[code]) ?? {};
    if (r[type] === 'Long') entry.long = r[desc];
    else if (r[type] === 'Short') entry.short = r[desc];
    out.set(r[code], entry);
  }
  return out;
}

export function withDescriptions(codes: HcpcsCode[], descriptions: Map<string, { long?: string; short?: string }>): HcpcsCode[] {
  return codes.map((c) => {
    const d = descriptions.get(c.code);
    return d ? { ...c, longDescription: d.long, shortDescription: d.short } : c;
  });
}

/** `mod_code, mod_type, mod_category, mod_description` (the Level II list; CPT modifier text is AMA-licensed). */
export function parseModifiersTsv(text: string): Modifier[] {
  const t = readTsv(text, [['mod_code', 'modifier', 'code']]);
  const [code, category, desc] = [
    t.column('mod_code', 'modifier', 'code'),
    t.column('mod_category'),
    t.column('mod_description', 'description'),
  ];
  const out: Modifier[] = [];
  for (const r of t.rows())
    out.push({ code: r[code].trim().toUpperCase(), category: r[category]?.trim() || undefined, description: r[desc]?.trim() || undefined });
  return out;
}

/**
 * The CMS alpha-numeric HCPCS file (e.g. HCPC2019_CONTR_ANWEB.txt): 320-character records. Columns (1-based):
 * code 1-5 (modifiers right-aligned in 4-5), sequence 6-10, record id 11 (3 code, 4 code continuation,
 * 7 modifier, 8 modifier continuation), long description 12-91, short description 92-119, date added
 * 269-276, action effective date 277-284, termination date 285-292, action code 293. Long descriptions
 * continue over records of the same code. Lines that are not records (the disclaimer on top) are skipped.
 */
export function parseHcpcsFixedWidth(text: string): { codes: HcpcsCode[]; modifiers: Modifier[] } {
  const codes: HcpcsCode[] = [];
  const modifiers: Modifier[] = [];
  let last: { long: string[]; target: HcpcsCode | Modifier; isCode: boolean } | undefined;
  const flush = () => {
    if (!last) return;
    const long = last.long.join(' ').replace(/\s+/g, ' ').trim();
    if (last.isCode) (last.target as HcpcsCode).longDescription = long;
    else (last.target as Modifier).description = long;
    last = undefined;
  };
  for (const line of lines(text)) {
    if (!/^[ A-Z0-9]{5}\d{5}[3478]/.test(line)) continue;
    const code = line.slice(0, 5).trim();
    const recordId = line[10];
    const long = line.slice(11, 91).trim();
    if (recordId === '4' || recordId === '8') {
      if (!last || last.target.code !== code)
        throw new CodeSetFormatError(`HCPCS continuation record for ${code} without its first record`);
      last.long.push(long);
      continue;
    }
    flush();
    if (line.length < 293) throw new CodeSetFormatError(`HCPCS record for ${code} is ${line.length} characters, expected 320`);
    const dates = { addedOn: parseFileDate(line.slice(268, 276)), terminatedOn: parseFileDate(line.slice(284, 292)) };
    if (recordId === '3') {
      const c: HcpcsCode = { code, ...dates, actionCode: line[292].trim() || undefined, shortDescription: line.slice(91, 119).trim() };
      codes.push(c);
      last = { long: [long], target: c, isCode: true };
    } else {
      const m: Modifier = { code, ...dates };
      modifiers.push(m);
      last = { long: [long], target: m, isCode: false };
    }
  }
  flush();
  return { codes, modifiers };
}

/** Whether a dated entry can be billed on `date`: added on or before it and not terminated before it. */
export function statusOn(entry: { addedOn?: IsoDate; terminatedOn?: IsoDate }, date: IsoDate): 'valid' | 'not-yet-valid' | 'terminated' {
  if (entry.addedOn && date < entry.addedOn) return 'not-yet-valid';
  if (entry.terminatedOn && date > entry.terminatedOn) return 'terminated';
  return 'valid';
}

/**
 * CPT (Level I) modifier numbers, accepted as a known list because their descriptions cannot ship:
 * 22-99 as published by the AMA, anesthesia physical status P1-P6, and Category II 1P/2P/3P/8P.
 */
export const CPT_MODIFIERS: ReadonlySet<string> = new Set([
  '22',
  '23',
  '24',
  '25',
  '26',
  '27',
  '32',
  '33',
  '47',
  '50',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '59',
  '62',
  '63',
  '66',
  '73',
  '74',
  '76',
  '77',
  '78',
  '79',
  '80',
  '81',
  '82',
  '90',
  '91',
  '92',
  '93',
  '95',
  '96',
  '97',
  '99',
  'P1',
  'P2',
  'P3',
  'P4',
  'P5',
  'P6',
  '1P',
  '2P',
  '3P',
  '8P',
]);

export class HcpcsTable {
  private readonly byCode = new Map<string, HcpcsCode>();
  constructor(codes: HcpcsCode[]) {
    for (const c of codes) this.byCode.set(c.code, c);
  }
  get size(): number {
    return this.byCode.size;
  }
  get(code: string): HcpcsCode | undefined {
    return this.byCode.get(code.trim().toUpperCase());
  }
}

export class ModifierTable {
  private readonly byCode = new Map<string, Modifier>();
  constructor(modifiers: Modifier[]) {
    for (const m of modifiers) this.byCode.set(m.code, m);
  }
  get size(): number {
    return this.byCode.size;
  }
  get(code: string): Modifier | undefined {
    return this.byCode.get(code.trim().toUpperCase());
  }
}
