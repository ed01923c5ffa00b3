// Claim edits run before submission. Each failure says which edit, how bad, in words a biller or
// coder understands, and whose queue fixes it. Pure: code sets and dates come in as arguments.
import type { IsoDate } from './clearinghouse';
import { isValidNpi } from './npi';

export interface ScrubLine {
  lineNo: number;
  procedureCode: string;
  modifiers: string[];
  units: number;
  chargeCents: number;
  diagnosisPointers: number[];
}

export interface ScrubClaim {
  billingNpi: string;
  memberId: string;
  dateOfService: IsoDate;
  placeOfService: string;
  timelyFilingDays: number;
  diagnoses: string[];
  lines: ScrubLine[];
}

export interface ScrubContext {
  today: IsoDate;
  /** ICD-10-CM lookup for the date of service: undefined when the code does not exist */
  lookupDiagnosis(code: string): { billable: boolean } | undefined;
}

export interface EditFailure {
  editId: string;
  severity: 'ERROR' | 'WARNING';
  message: string;
  route: 'CODER' | 'BILLER';
  field?: string;
}

export const EDITS = {
  'REQ-001': { route: 'BILLER', what: 'required claim fields are present' },
  'NPI-001': { route: 'BILLER', what: 'billing provider NPI passes its check digit' },
  'DOS-001': { route: 'BILLER', what: 'date of service is not in the future' },
  'DOS-002': { route: 'BILLER', what: "date of service is inside the payer's timely-filing limit" },
  'POS-001': { route: 'BILLER', what: 'place of service is a two-digit code' },
  'DX-001': { route: 'CODER', what: 'at least one and at most 12 diagnoses' },
  'DX-002': { route: 'CODER', what: 'each diagnosis exists in ICD-10-CM for the date of service' },
  'DX-003': { route: 'CODER', what: 'each diagnosis is billable (not a category header)' },
  'PX-001': { route: 'CODER', what: 'procedure codes have CPT/HCPCS format' },
  'MOD-001': { route: 'CODER', what: 'at most 4 two-character modifiers per line' },
  'PTR-001': { route: 'CODER', what: 'each line points at 1 to 4 existing diagnoses' },
  'CHG-001': { route: 'BILLER', what: 'each line has a positive charge and at least one unit' },
} as const;
export type EditId = keyof typeof EDITS;

const DAY = 86_400_000;

export function scrub(claim: ScrubClaim, ctx: ScrubContext): { failures: EditFailure[]; editsRun: EditId[] } {
  const failures: EditFailure[] = [];
  const fail = (editId: EditId, message: string, field?: string, severity: 'ERROR' | 'WARNING' = 'ERROR') =>
    failures.push({ editId, severity, message, route: EDITS[editId].route, field });

  if (!claim.memberId) fail('REQ-001', 'The patient has no member id on this coverage.', 'coverage.memberId');
  if (!claim.lines.length) fail('REQ-001', 'The claim has no service lines.', 'lines');
  if (!isValidNpi(claim.billingNpi)) fail('NPI-001', `NPI ${claim.billingNpi} fails its check digit: check the provider record.`, 'provider.npi');

  const dos = Date.parse(`${claim.dateOfService}T00:00:00Z`);
  const today = Date.parse(`${ctx.today}T00:00:00Z`);
  if (dos > today) fail('DOS-001', `Date of service ${claim.dateOfService} is in the future.`, 'dateOfService');
  const lastDay = dos + claim.timelyFilingDays * DAY;
  if (today > lastDay)
    fail('DOS-002', `The payer's ${claim.timelyFilingDays}-day filing limit passed on ${new Date(lastDay).toISOString().slice(0, 10)}.`, 'dateOfService');
  if (!/^\d{2}$/.test(claim.placeOfService)) fail('POS-001', `Place of service "${claim.placeOfService}" is not a two-digit code.`, 'placeOfService');

  if (claim.diagnoses.length === 0 || claim.diagnoses.length > 12)
    fail('DX-001', `A professional claim carries 1 to 12 diagnoses; this one has ${claim.diagnoses.length}.`, 'diagnoses');
  claim.diagnoses.forEach((code, i) => {
    const found = ctx.lookupDiagnosis(code);
    if (!found) fail('DX-002', `${code} is not an ICD-10-CM code valid on ${claim.dateOfService}.`, `diagnoses[${i}]`);
    else if (!found.billable) fail('DX-003', `${code} is a category header: code to the highest specificity.`, `diagnoses[${i}]`);
  });

  claim.lines.forEach((l, i) => {
    if (!/^(\d{4}[0-9A-Z]|[A-V]\d{4})$/.test(l.procedureCode))
      fail('PX-001', `Line ${l.lineNo}: "${l.procedureCode}" is not a CPT or HCPCS code.`, `lines[${i}].procedureCode`);
    if (l.modifiers.length > 4 || l.modifiers.some((m) => !/^[0-9A-Z]{2}$/.test(m)))
      fail('MOD-001', `Line ${l.lineNo}: modifiers must be at most four 2-character codes.`, `lines[${i}].modifiers`);
    if (!l.diagnosisPointers.length || l.diagnosisPointers.length > 4 || l.diagnosisPointers.some((p) => p < 1 || p > claim.diagnoses.length))
      fail('PTR-001', `Line ${l.lineNo}: diagnosis pointers ${l.diagnosisPointers.join(',') || '(none)'} do not point at the claim's ${claim.diagnoses.length} diagnoses.`, `lines[${i}].diagnosisPointers`);
    if (l.chargeCents <= 0 || l.units < 1) fail('CHG-001', `Line ${l.lineNo}: charge and units must be positive.`, `lines[${i}]`);
  });

  return { failures, editsRun: Object.keys(EDITS) as EditId[] };
}
