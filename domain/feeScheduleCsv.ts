// A contracted fee schedule as a CSV file (docs/fee-schedules.md): one rate per row, syntax only. Whether the payer
// and provider exist in the practice is checked by the API. Rows are numbered as a spreadsheet shows them: the header is 1.
import type { ChargeProblem } from './chargeCsv';
import { MAX_PROBLEMS, parseCsv, parseCsvDate, parseDollars } from './chargeCsv';
import type { ContractRate } from './expectedPayment';

export const FEE_SCHEDULE_COLUMNS = [
  'payer_id',
  'provider_npi',
  'procedure_code',
  'modifier',
  'allowed',
  'effective_from',
  'effective_to',
] as const;
export type FeeScheduleColumn = (typeof FEE_SCHEDULE_COLUMNS)[number];
export const REQUIRED_FEE_SCHEDULE_COLUMNS: readonly FeeScheduleColumn[] = ['payer_id', 'procedure_code', 'allowed', 'effective_from'];

export type FeeScheduleProblem = ChargeProblem;

export interface FeeScheduleRow extends ContractRate {
  row: number;
}

export interface FeeScheduleFile {
  rows: FeeScheduleRow[];
  problems: FeeScheduleProblem[];
}

const PROCEDURE_CODE = /^[A-Z0-9]{5}$/;
const MODIFIER = /^[A-Z0-9]{2}$/;
const NPI = /^\d{10}$/;

export function readFeeScheduleFile(text: string): FeeScheduleFile {
  const { records, problem } = parseCsv(text);
  const problems: FeeScheduleProblem[] = problem ? [problem] : [];
  if (problem) return { rows: [], problems };
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => h !== '' && !(FEE_SCHEDULE_COLUMNS as readonly string[]).includes(h));
  for (const u of unknown)
    problems.push({ row: 1, column: u, message: `unknown column; the columns are ${FEE_SCHEDULE_COLUMNS.join(', ')}` });
  for (const c of REQUIRED_FEE_SCHEDULE_COLUMNS)
    if (!header.includes(c)) problems.push({ row: 1, column: c, message: 'the header must name this column' });
  const twice = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
  for (const t of new Set(twice)) problems.push({ row: 1, column: t, message: 'the header names this column twice' });
  if (problems.length) return { rows: [], problems };

  const rows: FeeScheduleRow[] = [];
  for (let i = 1; i < records.length && problems.length < MAX_PROBLEMS; i++) {
    const record = records[i];
    const row = i + 1;
    if (record.every((f) => f.trim() === '')) continue;
    const get = (c: FeeScheduleColumn) => {
      const k = header.indexOf(c);
      return k < 0 ? '' : (record[k] ?? '').trim();
    };
    const bad = (column: FeeScheduleColumn, message: string) => problems.push({ row, column, message });
    const before = problems.length;
    const payerId = get('payer_id');
    if (!payerId) bad('payer_id', 'is required');
    const providerNpi = get('provider_npi');
    if (providerNpi && !NPI.test(providerNpi)) bad('provider_npi', 'must be a 10-digit NPI, or empty for every provider');
    const procedureCode = get('procedure_code').toUpperCase();
    if (!PROCEDURE_CODE.test(procedureCode)) bad('procedure_code', 'must be a 5-character CPT or HCPCS code');
    const modifier = get('modifier').toUpperCase();
    if (modifier && !MODIFIER.test(modifier)) bad('modifier', 'must be a 2-character modifier, or empty');
    const allowed = parseDollars(get('allowed'));
    if (!allowed.ok) bad('allowed', get('allowed') === '' ? 'is required' : allowed.message);
    const from = parseCsvDate(get('effective_from'));
    if (!from) bad('effective_from', 'must be a date, YYYY-MM-DD or MM/DD/YYYY');
    const toText = get('effective_to');
    const to = toText ? parseCsvDate(toText) : undefined;
    if (toText && !to) bad('effective_to', 'must be a date, YYYY-MM-DD or MM/DD/YYYY, or empty for open-ended');
    if (from && to && to < from) bad('effective_to', 'must not be before effective_from');
    if (problems.length > before || !allowed.ok || !from) continue;
    rows.push({
      row,
      payerId,
      ...(providerNpi ? { providerNpi } : {}),
      procedureCode,
      ...(modifier ? { modifier } : {}),
      allowedCents: allowed.value,
      effectiveFrom: from,
      ...(to ? { effectiveTo: to } : {}),
    });
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ row: 1, message: 'the file has no rates' });
  return { rows, problems };
}

/** The rate a row is: which payer, provider, code and modifier; two rows of one key must not be in effect on the same day. */
export const rateKey = (r: ContractRate) => [r.payerId, r.providerNpi ?? '', r.procedureCode, r.modifier ?? ''].join('|');

const overlap = (a: ContractRate, b: ContractRate) =>
  a.effectiveFrom <= (b.effectiveTo ?? '9999-12-31') && b.effectiveFrom <= (a.effectiveTo ?? '9999-12-31');

/**
 * Rows whose date range overlaps another of the same rate, in the file or among the stored rates. A stored rate with
 * the row's own start is the one the row replaces (a re-import), never an overlap.
 */
export function overlappingRows(rows: readonly FeeScheduleRow[], stored: readonly ContractRate[]): FeeScheduleProblem[] {
  const problems: FeeScheduleProblem[] = [];
  const group = <T extends ContractRate>(list: readonly T[]) => {
    const byKey = new Map<string, T[]>();
    for (const r of list) {
      const key = rateKey(r);
      const same = byKey.get(key);
      if (same) same.push(r);
      else byKey.set(key, [r]);
    }
    return byKey;
  };
  const fileByKey = group(rows);
  const storedByKey = group(stored);
  for (const r of rows) {
    const key = rateKey(r);
    const mine = fileByKey.get(key) ?? [];
    const twin = mine.find((o) => o !== r && o.row < r.row && overlap(o, r));
    if (twin) {
      problems.push({
        row: r.row,
        column: 'effective_from',
        message: `overlaps row ${twin.row}, a rate of the same payer, provider, code and modifier`,
      });
      continue;
    }
    const replaced = (s: ContractRate) => mine.some((o) => o.effectiveFrom === s.effectiveFrom);
    const clash = (storedByKey.get(key) ?? []).find((s) => !replaced(s) && overlap(s, r));
    if (clash)
      problems.push({
        row: r.row,
        column: 'effective_from',
        message: `overlaps the stored rate in effect from ${clash.effectiveFrom}${clash.effectiveTo ? ` to ${clash.effectiveTo}` : ''}; end it in the file (same effective_from) first`,
      });
  }
  return problems;
}
