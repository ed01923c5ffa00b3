import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvDate, parseDollars, readChargeFile } from './chargeCsv';

const HEADER =
  'encounter_id,patient_id,patient_last_name,patient_first_name,patient_birth_date,payer_id,member_id,provider_npi,date_of_service,place_of_service,diagnoses,procedure_code,modifiers,units,charge,diagnosis_pointers';

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    const { records, problem } = parseCsv('a,"b,c","say ""hi""","two\nlines",e\n1,2,3,4,5\n');
    expect(problem).toBeUndefined();
    expect(records).toEqual([
      ['a', 'b,c', 'say "hi"', 'two\nlines', 'e'],
      ['1', '2', '3', '4', '5'],
    ]);
  });

  it('takes CRLF or LF, drops a byte order mark, and keeps a last line without its line break', () => {
    expect(parseCsv('\ufeffa,b\r\n1,2\r\n3,4').records).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parseCsv('a,b\n1,2\n').records).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps empty fields, quoted or not, and a CRLF inside quotes', () => {
    expect(parseCsv('a,,""\r\n"x\r\ny",""').records).toEqual([
      ['a', '', ''],
      ['x\r\ny', ''],
    ]);
  });

  it('names the record of a stray quote, text after a closing quote, or a quote never closed', () => {
    expect(parseCsv('a,b\n1,x"y\n').problem).toMatchObject({ row: 2 });
    expect(parseCsv('a,b\n1,2\n"x"y,3\n').problem).toMatchObject({ row: 3, message: expect.stringMatching(/closing quote/) });
    expect(parseCsv('a,b\n1,"open\n2,3\n').problem).toMatchObject({ row: 2, message: 'a quoted field is never closed' });
  });
});

describe('values', () => {
  it('reads dollars into integer cents without floating point', () => {
    expect(parseDollars('145.00')).toEqual({ ok: true, value: 14_500 });
    expect(parseDollars('145.5')).toEqual({ ok: true, value: 14_550 });
    expect(parseDollars('145')).toEqual({ ok: true, value: 14_500 });
    expect(parseDollars('$0.07')).toEqual({ ok: true, value: 7 });
    expect(parseDollars('19.99')).toEqual({ ok: true, value: 1_999 });
    expect(parseDollars('145.001')).toMatchObject({ ok: false, message: expect.stringMatching(/at most 2 decimals/) });
    expect(parseDollars('-5.00')).toEqual({ ok: false, message: 'must not be negative' });
    expect(parseDollars('1e3')).toEqual({ ok: false, message: 'must be dollars and cents, such as 145.00' });
    expect(parseDollars('1,450.00').ok).toBe(false);
  });

  it('reads YYYY-MM-DD and MM/DD/YYYY, refusing dates that do not exist', () => {
    expect(parseCsvDate('2026-10-20')).toBe('2026-10-20');
    expect(parseCsvDate('10/20/2026')).toBe('2026-10-20');
    expect(parseCsvDate('1/2/2026')).toBe('2026-01-02');
    expect(parseCsvDate('02/30/2026')).toBeUndefined();
    expect(parseCsvDate('20/10/2026')).toBeUndefined();
    expect(parseCsvDate('2026-10-20T00:00')).toBeUndefined();
  });
});

describe('readChargeFile', () => {
  const row = (o: Partial<Record<string, string>>) =>
    HEADER.split(',')
      .map((c) => o[c] ?? '')
      .map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
      .join(',');
  const base = {
    patient_id: 'pat-01',
    provider_npi: '1457293011',
    date_of_service: '10/20/2026',
    place_of_service: '11',
    diagnoses: 'I10;E11.9',
    procedure_code: '99213',
    units: '1',
    charge: '145.00',
    diagnosis_pointers: '1|2',
  };

  it('groups rows into encounters by encounter_id, in the order first seen, even when not adjacent', () => {
    const text = [
      HEADER,
      row({ ...base, encounter_id: 'A1' }),
      row({ encounter_id: 'B1', ...base, patient_id: 'pat-02', procedure_code: '99214', charge: '200' }),
      row({ encounter_id: 'A1', procedure_code: '93000', charge: '75.5', modifiers: '25;59', diagnosis_pointers: '2' }),
      '',
    ].join('\r\n');
    const file = readChargeFile(text);
    expect(file.problems).toEqual([]);
    expect(file.rows).toBe(3);
    expect(file.encounters.map((e) => [e.encounterId, e.rows])).toEqual([
      ['A1', [2, 4]],
      ['B1', [3]],
    ]);
    const a = file.encounters[0];
    expect(a.dateOfService).toBe('2026-10-20');
    expect(a.diagnoses).toEqual(['I10', 'E11.9']);
    expect(a.lines).toEqual([
      { row: 2, procedureCode: '99213', modifiers: [], units: 1, chargeCents: 14_500, diagnosisPointers: [1, 2] },
      { row: 4, procedureCode: '93000', modifiers: ['25', '59'], units: 1, chargeCents: 7_550, diagnosisPointers: [2] },
    ]);
  });

  it('names the row (header = 1) and column of each problem', () => {
    const text = [
      HEADER,
      row({ ...base, encounter_id: 'A1' }),
      row({ ...base, encounter_id: 'A1', charge: '14.500' }),
      row({ ...base, encounter_id: 'B1', units: 'two', date_of_service: '2026-02-30' }),
      row({ ...base, encounter_id: 'A1', date_of_service: '10/21/2026' }),
    ].join('\n');
    const { problems } = readChargeFile(text);
    expect(problems).toEqual([
      { row: 3, column: 'charge', message: 'must have at most 2 decimals (cents), such as 145.00' },
      { row: 4, column: 'units', message: 'must be a whole number' },
      { row: 5, column: 'date_of_service', message: 'differs from row 2 of encounter A1' },
      { row: 4, column: 'date_of_service', message: 'must be a real date written YYYY-MM-DD or MM/DD/YYYY' },
    ]);
  });

  it('reports a missing or unknown header column as a file-level problem on row 1', () => {
    const { problems, encounters } = readChargeFile(
      'encounter_id,patient_id,provider_npi,date_of_service,place_of_service,procedure_code,cost\nA,p,1,2026-01-01,11,99213,5\n',
    );
    expect(encounters).toEqual([]);
    expect(problems).toEqual([
      { row: 1, column: 'cost', message: 'unknown column' },
      { row: 1, column: 'charge', message: 'missing column' },
    ]);
  });

  it('refuses a row whose field count differs from the header, and an empty file', () => {
    expect(readChargeFile(`${HEADER}\nA1,pat-01\n`).problems).toEqual([{ row: 2, message: 'has 2 fields where the header names 16' }]);
    expect(readChargeFile('\ufeff').problems).toEqual([
      { row: 1, message: 'the file is empty: a header row naming the columns is required' },
    ]);
  });

  it('asks for the patient columns when patient_id is absent', () => {
    const { problems } = readChargeFile(
      [HEADER, row({ ...base, patient_id: '', encounter_id: 'A1', patient_last_name: 'Doe' })].join('\n'),
    );
    expect(problems.map((p) => p.column)).toEqual(['patient_first_name', 'patient_birth_date']);
  });
});
