// CSV charge import, the file's side: RFC 4180 records, the column layout of docs/charge-import.md, and its rows
// grouped into claims by the source system's encounter id. Syntax only (dates, dollars, numbers, lists); what a
// code or amount may be is held to the same schemas as POST /api/claims by the API, and whether a patient,
// provider or payer exists is checked there too. Rows are numbered as a spreadsheet shows them: the header is 1.
import type { IsoDate } from './clearinghouse';

export interface ChargeProblem {
  /** 1-based record number, the header being row 1 (file-level problems are reported on row 1) */
  row: number;
  column?: string;
  message: string;
}

/** The encounter-level columns: one value per encounter, given on any of its rows and repeated or left blank on the others. */
export const ENCOUNTER_COLUMNS = [
  'encounter_id',
  'patient_id',
  'patient_last_name',
  'patient_first_name',
  'patient_birth_date',
  'patient_sex',
  'patient_address',
  'patient_city',
  'patient_state',
  'patient_zip',
  'payer_id',
  'member_id',
  'group_number',
  'provider_npi',
  'date_of_service',
  'place_of_service',
  'diagnoses',
  'documentation',
] as const;
/** The line-level columns: one claim line per row. */
export const LINE_COLUMNS = ['procedure_code', 'modifiers', 'units', 'charge', 'diagnosis_pointers'] as const;
export const CHARGE_COLUMNS = [...ENCOUNTER_COLUMNS, ...LINE_COLUMNS] as const;
export type ChargeColumn = (typeof CHARGE_COLUMNS)[number];
type EncounterColumn = (typeof ENCOUNTER_COLUMNS)[number];

/** Columns every file's header must name; the patient columns may be left out by a file that names patient_id only. */
export const REQUIRED_COLUMNS: readonly ChargeColumn[] = [
  'encounter_id',
  'provider_npi',
  'date_of_service',
  'place_of_service',
  'procedure_code',
  'charge',
];

/** What a report lists at most: past that, a file has a systematic problem and the rest would say the same. */
export const MAX_PROBLEMS = 500;

// ---- RFC 4180 -------------------------------------------------------------------------------------

export interface CsvRecords {
  /** every record, blank ones included, so that record i is row i + 1 */
  records: string[][];
  problem?: ChargeProblem;
}

/**
 * Reads comma-separated records: quoted fields may hold commas, doubled quotes and line breaks; lines end in
 * CRLF or LF; a UTF-8 byte order mark (which spreadsheets write) is dropped. A quote inside an unquoted field,
 * text after a closing quote or a quote left open is a problem naming the record it is in.
 */
export function parseCsv(text: string): CsvRecords {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  const row = () => records.length + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '"' && field === '') {
      // a quoted field: up to the quote not followed by another
      let j = i + 1;
      let value = '';
      for (;;) {
        const q = src.indexOf('"', j);
        if (q < 0) return { records, problem: { row: row(), message: 'a quoted field is never closed' } };
        value += src.slice(j, q);
        if (src[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      field = value;
      const next = src[i];
      if (i < src.length && next !== ',' && next !== '\n' && next !== '\r') {
        return { records, problem: { row: row(), message: 'text follows a closing quote; quote the whole field' } };
      }
      // An empty quoted field must still count as a field, which `field === ''` alone would not tell.
      if (i >= src.length) {
        endRecord();
        return { records };
      }
      continue;
    }
    if (c === ',') {
      endField();
      i++;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else if (c === '"') {
      return { records, problem: { row: row(), message: 'a quote inside an unquoted field; quote the field and double the quote' } };
    } else {
      const stop = nextSpecial(src, i);
      field += src.slice(i, stop);
      i = stop;
    }
  }
  // A last line without its line break is still a record; a file ending in a line break adds none.
  if (field !== '' || record.length > 0) endRecord();
  return { records };
}

function nextSpecial(s: string, from: number): number {
  for (let k = from; k < s.length; k++) {
    const c = s[k];
    if (c === ',' || c === '\n' || c === '\r' || c === '"') return k;
  }
  return s.length;
}

// ---- values -----------------------------------------------------------------------------------------

/** YYYY-MM-DD or MM/DD/YYYY (what US practice systems export), as YYYY-MM-DD when it is a real calendar date. */
export function parseCsvDate(value: string): IsoDate | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const parts = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : undefined;
  if (!parts) return undefined;
  const date = `${parts[0]}-${parts[1].padStart(2, '0')}-${parts[2].padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  // 2026-02-30 is no date: Date rolls it over, which the round trip catches.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date ? date : undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Dollars to integer cents without floating point: "145.00", "145.5", "145" and "$145.00". Three decimals would
 * silently round a fraction of a cent away, so they are refused like a negative amount.
 */
export function parseDollars(value: string): Parsed<number> {
  const m = /^\$?(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) {
    if (/^-|^\$-|^\(/.test(value)) return { ok: false, message: 'must not be negative' };
    if (/^\$?\d+\.\d{3,}$/.test(value)) return { ok: false, message: 'must have at most 2 decimals (cents), such as 145.00' };
    return { ok: false, message: 'must be dollars and cents, such as 145.00' };
  }
  return { ok: true, value: Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) };
}

/** Lists inside one field: "I10;E11.9" or "I10|E11.9", blanks dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[;|]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseWhole(value: string): Parsed<number> {
  return /^\d{1,9}$/.test(value) ? { ok: true, value: Number(value) } : { ok: false, message: 'must be a whole number' };
}

// ---- the layout -------------------------------------------------------------------------------------

export interface ChargeLine {
  row: number;
  procedureCode: string;
  modifiers: string[];
  units: number;
  chargeCents: number;
  diagnosisPointers: number[];
}

/** One source encounter: one claim. Fields hold the trimmed text; `at` says which row each encounter-level value came from. */
export interface ChargeEncounter {
  encounterId: string;
  firstRow: number;
  /** every row of the encounter, those whose line could not be read included */
  rows: number[];
  values: Partial<Record<EncounterColumn, string>>;
  at: Partial<Record<EncounterColumn, number>>;
  dateOfService?: IsoDate;
  birthDate?: IsoDate;
  diagnoses: string[];
  lines: ChargeLine[];
}

export interface ChargeFile {
  encounters: ChargeEncounter[];
  /** data rows read (blank rows not counted) */
  rows: number;
  problems: ChargeProblem[];
}

/** Reads a charge file: its header, then one claim line per row, grouped by encounter_id in the order first seen. */
export function readChargeFile(text: string): ChargeFile {
  const { records, problem } = parseCsv(text);
  const problems: ChargeProblem[] = problem ? [problem] : [];
  const out: ChargeFile = { encounters: [], rows: 0, problems };
  if (problem) return out;
  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) {
    problems.push({ row: 1, message: 'the file is empty: a header row naming the columns is required' });
    return out;
  }
  const known = new Set<string>(CHARGE_COLUMNS);
  const index = new Map<ChargeColumn, number>();
  header.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!known.has(name)) problems.push({ row: 1, column: raw.trim(), message: 'unknown column' });
    else if (index.has(name as ChargeColumn)) problems.push({ row: 1, column: name, message: 'the column is named twice' });
    else index.set(name as ChargeColumn, i);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!index.has(column)) problems.push({ row: 1, column, message: 'missing column' });
  }
  if (!index.has('patient_id') && !index.has('patient_last_name')) {
    problems.push({ row: 1, column: 'patient_id', message: 'missing column: name patient_id or the patient_ columns' });
  }
  if (problems.length > 0) return out;

  const byId = new Map<string, ChargeEncounter>();
  const add = (p: ChargeProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  for (let r = 1; r < records.length; r++) {
    const rec = records[r];
    const row = r + 1;
    if (rec.every((v) => v.trim() === '')) continue;
    out.rows++;
    if (rec.length !== header.length) {
      add({ row, message: `has ${rec.length} fields where the header names ${header.length}` });
      continue;
    }
    const get = (c: ChargeColumn) => {
      const i = index.get(c);
      return i === undefined ? '' : rec[i].trim();
    };
    const encounterId = get('encounter_id');
    if (!encounterId) {
      add({ row, column: 'encounter_id', message: 'is required' });
      continue;
    }
    if (encounterId.length > 100) {
      add({ row, column: 'encounter_id', message: 'must be at most 100 characters' });
      continue;
    }
    let enc = byId.get(encounterId);
    if (!enc) {
      enc = { encounterId, firstRow: row, rows: [], values: {}, at: {}, diagnoses: [], lines: [] };
      byId.set(encounterId, enc);
      out.encounters.push(enc);
    }
    enc.rows.push(row);
    for (const column of ENCOUNTER_COLUMNS) {
      const value = get(column);
      if (value === '') continue;
      const earlier = enc.values[column];
      if (earlier === undefined) {
        enc.values[column] = value;
        enc.at[column] = row;
      } else if (earlier !== value) {
        add({ row, column, message: `differs from row ${enc.at[column]} of encounter ${encounterId}` });
      }
    }
    const line = readLine(row, get, add);
    if (line) enc.lines.push(line);
  }
  for (const enc of out.encounters) finishEncounter(enc, add);
  return out;
}

function readLine(row: number, get: (c: ChargeColumn) => string, add: (p: ChargeProblem) => void): ChargeLine | undefined {
  let ok = true;
  const fail = (column: ChargeColumn, message: string) => {
    add({ row, column, message });
    ok = false;
  };
  const procedureCode = get('procedure_code');
  if (!procedureCode) fail('procedure_code', 'is required');
  const unitsText = get('units');
  const units = unitsText === '' ? { ok: true as const, value: 1 } : parseWhole(unitsText);
  if (!units.ok) fail('units', units.message);
  const chargeText = get('charge');
  const charge: Parsed<number> = chargeText === '' ? { ok: false, message: 'is required' } : parseDollars(chargeText);
  if (!charge.ok) fail('charge', charge.message);
  const pointers: number[] = [];
  for (const p of splitList(get('diagnosis_pointers'))) {
    const n = parseWhole(p);
    if (n.ok) pointers.push(n.value);
    else fail('diagnosis_pointers', 'must be diagnosis numbers separated by ; such as 1;2');
  }
  if (!ok || !units.ok || !charge.ok) return undefined;
  return {
    row,
    procedureCode,
    modifiers: splitList(get('modifiers')),
    units: units.value,
    chargeCents: charge.value,
    diagnosisPointers: pointers,
  };
}

function finishEncounter(enc: ChargeEncounter, add: (p: ChargeProblem) => void): void {
  const need = (column: EncounterColumn, what = 'is required') => {
    if (enc.values[column] === undefined) add({ row: enc.firstRow, column, message: `${what} (on a row of encounter ${enc.encounterId})` });
  };
  need('provider_npi');
  need('date_of_service');
  need('place_of_service');
  const dos = enc.values.date_of_service;
  if (dos !== undefined) {
    enc.dateOfService = parseCsvDate(dos);
    if (!enc.dateOfService) {
      add({ row: enc.at.date_of_service!, column: 'date_of_service', message: 'must be a real date written YYYY-MM-DD or MM/DD/YYYY' });
    }
  }
  if (enc.values.patient_id === undefined) {
    need('patient_last_name', 'is required when patient_id is not given');
    need('patient_first_name', 'is required when patient_id is not given');
    need('patient_birth_date', 'is required when patient_id is not given');
  }
  const birth = enc.values.patient_birth_date;
  if (birth !== undefined) {
    enc.birthDate = parseCsvDate(birth);
    if (!enc.birthDate) {
      add({
        row: enc.at.patient_birth_date!,
        column: 'patient_birth_date',
        message: 'must be a real date written YYYY-MM-DD or MM/DD/YYYY',
      });
    }
  }
  if ((enc.values.payer_id === undefined) !== (enc.values.member_id === undefined)) {
    const missing = enc.values.payer_id === undefined ? 'payer_id' : 'member_id';
    add({ row: enc.firstRow, column: missing, message: 'payer_id and member_id are given together' });
  }
  enc.diagnoses = splitList(enc.values.diagnoses ?? '');
}
