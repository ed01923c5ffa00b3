// Claim edits run before submission. Each failure says which edit, how bad, in words a biller or
// coder understands, and whose queue fixes it. Pure: code sets and dates come in as arguments.
//
// Code-set edits answer from the versions in effect on the date of service (ICD-10-CM by fiscal year,
// HCPCS and NCCI by quarter; see domain/codesets/registry.ts). An edit that needs a table the registry does
// not have for that date — or a demo subset that does not cover a code — is not run: it is listed in
// `editsSkipped` with the reason, and CS-001 fails the claim with an ERROR for the biller, because a claim
// is never clean merely because an edit had nothing to check against. An edit that had nothing to check
// (no Level II codes for PX-002, a single line for PTP-001) counts as run.
import type { IsoDate } from './clearinghouse';
import { isIsoDate } from './codesets/dates';
import { CPT_MODIFIERS, isLevel2Code, statusOn } from './codesets/hcpcs';
import { NCCI_ANATOMIC_MODIFIERS, NCCI_OTHER_MODIFIERS } from './codesets/ncci';
import { CODE_SET_NAMES, type CodeSetKind, type CodeSetRegistry, type CodeSetsOnDate } from './codesets/registry';
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
  /** the loaded code-set versions; the edits pick the ones in effect on the claim's date of service */
  codeSets: Pick<CodeSetRegistry, 'forDate' | 'missing'>;
}

export interface EditFailure {
  editId: string;
  severity: 'ERROR' | 'WARNING';
  message: string;
  route: 'CODER' | 'BILLER';
  field?: string;
}

export interface SkippedEdit {
  editId: EditId;
  reason: string;
}

export interface ScrubOutcome {
  failures: EditFailure[];
  /** edits that checked everything they had to */
  editsRun: EditId[];
  /** edits that could not check all of the claim for lack of code-set data, each with the reason */
  editsSkipped: SkippedEdit[];
  /** the code-set versions the edits answered from, e.g. `ICD-10-CM FY2024` */
  codeSetVersions: string[];
}

export const EDITS = {
  'REQ-001': { route: 'BILLER', what: 'required claim fields are present' },
  'NPI-001': { route: 'BILLER', what: 'billing provider NPI passes its check digit' },
  'DOS-001': { route: 'BILLER', what: 'date of service is not in the future' },
  'DOS-002': { route: 'BILLER', what: "date of service is inside the payer's timely-filing limit" },
  'POS-001': { route: 'BILLER', what: 'place of service is a two-digit code' },
  'POS-002': { route: 'BILLER', what: 'place of service is an assigned code of the CMS place-of-service code set' },
  'DX-001': { route: 'CODER', what: 'at least one and at most 12 diagnoses' },
  'DX-002': { route: 'CODER', what: 'each diagnosis exists in the ICD-10-CM version in effect on the date of service' },
  'DX-003': { route: 'CODER', what: 'each diagnosis is billable (not a category header) in that version' },
  'PX-001': { route: 'CODER', what: 'procedure codes have CPT/HCPCS format' },
  'PX-002': { route: 'CODER', what: 'HCPCS Level II codes exist and are not terminated on the date of service' },
  'MOD-001': { route: 'CODER', what: 'at most 4 two-character modifiers per line' },
  'MOD-002': { route: 'CODER', what: 'each modifier is a CPT modifier or a HCPCS Level II modifier valid on the date of service' },
  'PTR-001': { route: 'CODER', what: 'each line points at 1 to 4 existing diagnoses' },
  'CHG-001': { route: 'BILLER', what: 'each line has a positive charge and at least one unit' },
  'MUE-001': { route: 'CODER', what: 'units of service within the practitioner medically unlikely edit (MUE)' },
  'PTP-001': { route: 'CODER', what: 'no NCCI procedure-to-procedure pair billed together without an allowed modifier' },
  'AOC-001': { route: 'CODER', what: 'each add-on code is billed with a primary procedure' },
  'CS-001': { route: 'BILLER', what: 'every edit had the code sets it needs for the date of service' },
} as const;
export type EditId = keyof typeof EDITS;

const DAY = 86_400_000;
const PROCEDURE = /^(\d{4}[0-9A-Z]|[A-V]\d{4})$/;
const MODIFIER = /^[0-9A-Z]{2}$/;

export function scrub(claim: ScrubClaim, ctx: ScrubContext): ScrubOutcome {
  const failures: EditFailure[] = [];
  const fail = (editId: EditId, message: string, field?: string, severity: 'ERROR' | 'WARNING' = 'ERROR') =>
    failures.push({ editId, severity, message, route: EDITS[editId].route, field });
  const dos = claim.dateOfService;
  const validDos = isIsoDate(dos);

  // edit -> reasons it could not run in full; (code set, reason) -> the edits it blocked
  const skipped = new Map<EditId, Set<string>>();
  const blocked = new Map<string, { kind: CodeSetKind | undefined; edits: Set<EditId> }>();
  const skip = (editId: EditId, reason: string, kind?: CodeSetKind) => {
    (skipped.get(editId) ?? skipped.set(editId, new Set()).get(editId)!).add(reason);
    const b = blocked.get(reason) ?? blocked.set(reason, { kind, edits: new Set() }).get(reason)!;
    b.edits.add(editId);
  };
  const sets: CodeSetsOnDate = validDos ? ctx.codeSets.forDate(dos) : {};
  /** the table of `kind` for the date of service, or undefined after recording why each edit had to skip */
  const table = <K extends CodeSetKind>(kind: K, ...editIds: EditId[]) => {
    const v = sets[kind];
    if (!v) for (const id of editIds) skip(id, validDos ? ctx.codeSets.missing(kind, dos) : 'the claim has no valid date of service', kind);
    return v?.table as NonNullable<CodeSetsOnDate[K]>['table'] | undefined;
  };

  // ---- claim header ----
  if (!claim.memberId) fail('REQ-001', 'The patient has no member id on this coverage.', 'coverage.memberId');
  if (!claim.lines.length) fail('REQ-001', 'The claim has no service lines.', 'lines');
  if (!validDos) fail('REQ-001', `The date of service "${dos}" is not a date (YYYY-MM-DD).`, 'dateOfService');
  if (!isValidNpi(claim.billingNpi))
    fail('NPI-001', `NPI ${claim.billingNpi} fails its check digit: check the provider record.`, 'provider.npi');

  if (validDos) {
    const dosMs = Date.parse(`${dos}T00:00:00Z`);
    const today = Date.parse(`${ctx.today}T00:00:00Z`);
    if (dosMs > today) fail('DOS-001', `Date of service ${dos} is in the future.`, 'dateOfService');
    const lastDay = dosMs + claim.timelyFilingDays * DAY;
    if (today > lastDay)
      fail(
        'DOS-002',
        `The payer's ${claim.timelyFilingDays}-day filing limit passed on ${new Date(lastDay).toISOString().slice(0, 10)}.`,
        'dateOfService',
      );
  }

  if (!/^\d{2}$/.test(claim.placeOfService))
    fail('POS-001', `Place of service "${claim.placeOfService}" is not a two-digit code.`, 'placeOfService');
  else {
    const pos = table('pos', 'POS-002');
    const found = pos?.get(claim.placeOfService);
    if (pos && !found)
      fail('POS-002', `Place of service ${claim.placeOfService} is not in the CMS place-of-service code set.`, 'placeOfService');
    else if (found?.type === 'Unassigned')
      fail(
        'POS-002',
        `Place of service ${claim.placeOfService} is unassigned in the CMS code set: use the code for where the service was given (e.g. 11 office, 02/10 telehealth).`,
        'placeOfService',
      );
  }

  // ---- diagnoses ----
  if (claim.diagnoses.length === 0 || claim.diagnoses.length > 12)
    fail('DX-001', `A professional claim carries 1 to 12 diagnoses; this one has ${claim.diagnoses.length}.`, 'diagnoses');
  if (claim.diagnoses.length) {
    const icd = table('icd10cm', 'DX-002', 'DX-003');
    const version = sets.icd10cm?.label;
    if (icd)
      claim.diagnoses.forEach((raw, i) => {
        const found = icd.get(raw);
        const code = raw.trim().toUpperCase();
        if (!found && !icd.covers(raw)) {
          const reason = `${code} is outside the categories loaded in the ${version}`;
          skip('DX-002', reason, 'icd10cm');
          skip('DX-003', reason, 'icd10cm');
        } else if (!found)
          fail('DX-002', `${code} is not an ICD-10-CM code in ${version}, the version in effect on ${dos}.`, `diagnoses[${i}]`);
        else if (!found.billable) {
          const leaves = icd.billableUnder(found.code, 4);
          const hint = leaves.length ? ` (e.g. ${leaves.join(', ')})` : '';
          fail(
            'DX-003',
            `${found.code} (${found.description}) is a category header in ${version}: code to the highest specificity${hint}.`,
            `diagnoses[${i}]`,
          );
        }
      });
  }

  // ---- lines ----
  const wellFormed = claim.lines.filter((l) => PROCEDURE.test(l.procedureCode));
  claim.lines.forEach((l, i) => {
    if (!PROCEDURE.test(l.procedureCode))
      fail('PX-001', `Line ${l.lineNo}: "${l.procedureCode}" is not a CPT or HCPCS code.`, `lines[${i}].procedureCode`);
    if (l.modifiers.length > 4 || l.modifiers.some((m) => !MODIFIER.test(m)))
      fail('MOD-001', `Line ${l.lineNo}: modifiers must be at most four 2-character codes.`, `lines[${i}].modifiers`);
    if (
      !l.diagnosisPointers.length ||
      l.diagnosisPointers.length > 4 ||
      l.diagnosisPointers.some((p) => p < 1 || p > claim.diagnoses.length)
    )
      fail(
        'PTR-001',
        `Line ${l.lineNo}: diagnosis pointers ${l.diagnosisPointers.join(',') || '(none)'} do not point at the claim's ${claim.diagnoses.length} diagnoses.`,
        `lines[${i}].diagnosisPointers`,
      );
    if (l.chargeCents <= 0 || l.units < 1) fail('CHG-001', `Line ${l.lineNo}: charge and units must be positive.`, `lines[${i}]`);
  });
  const field = (l: ScrubLine, rest = '') => `lines[${claim.lines.indexOf(l)}]${rest}`;

  // PX-002: Level II codes on the date of service (CPT existence needs the AMA's licensed file: format only)
  const level2 = wellFormed.filter((l) => isLevel2Code(l.procedureCode));
  if (level2.length) {
    const hcpcs = table('hcpcs', 'PX-002');
    if (hcpcs)
      for (const l of level2) {
        const found = hcpcs.get(l.procedureCode);
        const status = found && statusOn(found, dos);
        if (!found)
          fail(
            'PX-002',
            `Line ${l.lineNo}: ${l.procedureCode} is not a HCPCS Level II code (${sets.hcpcs!.label}).`,
            field(l, '.procedureCode'),
          );
        else if (status === 'terminated')
          fail(
            'PX-002',
            `Line ${l.lineNo}: HCPCS ${l.procedureCode} was terminated on ${found.terminatedOn} and cannot be billed for ${dos}: use its replacement code.`,
            field(l, '.procedureCode'),
          );
        else if (status === 'not-yet-valid')
          fail(
            'PX-002',
            `Line ${l.lineNo}: HCPCS ${l.procedureCode} takes effect on ${found.addedOn}, after the date of service ${dos}.`,
            field(l, '.procedureCode'),
          );
      }
  }

  // MOD-002: CPT modifiers are a known list; Level II modifiers come from the modifier file
  const level2Modifiers = claim.lines.flatMap((l) =>
    l.modifiers.filter((m) => MODIFIER.test(m) && !CPT_MODIFIERS.has(m)).map((m) => ({ l, m })),
  );
  if (level2Modifiers.length) {
    const modifiers = table('modifiers', 'MOD-002');
    if (modifiers)
      for (const { l, m } of level2Modifiers) {
        const found = modifiers.get(m);
        if (!found) fail('MOD-002', `Line ${l.lineNo}: "${m}" is neither a CPT nor a HCPCS Level II modifier.`, field(l, '.modifiers'));
        else if (statusOn(found, dos) !== 'valid')
          fail(
            'MOD-002',
            `Line ${l.lineNo}: modifier ${m} is not valid on ${dos}${found.terminatedOn ? ` (terminated ${found.terminatedOn})` : ''}.`,
            field(l, '.modifiers'),
          );
      }
  }

  // MUE-001: MAI 1 limits each line; MAI 2 and 3 limit the day's total for the code
  if (wellFormed.length) {
    const mue = table('mue', 'MUE-001');
    if (mue)
      for (const code of new Set(wellFormed.map((l) => l.procedureCode))) {
        const edit = mue.get(code);
        if (!edit) continue;
        const ofCode = wellFormed.filter((l) => l.procedureCode === code);
        if (edit.units === 0) {
          fail(
            'MUE-001',
            `Line ${ofCode[0].lineNo}: ${code} has a practitioner MUE of 0 units: it is not payable on a practitioner claim.`,
            field(ofCode[0], '.procedureCode'),
          );
        } else if (edit.mai === 1) {
          for (const l of ofCode.filter((x) => x.units > edit.units))
            fail(
              'MUE-001',
              `Line ${l.lineNo}: ${l.units} units of ${code} exceed its MUE of ${edit.units} per line. Correct the units, or report separate services on separate lines with the modifier that applies (e.g. 76, 91, XS).`,
              field(l, '.units'),
            );
        } else {
          const total = ofCode.reduce((n, l) => n + l.units, 0);
          if (total > edit.units)
            fail(
              'MUE-001',
              edit.mai === 2
                ? `${total} units of ${code} on ${dos} exceed its MUE of ${edit.units} per day, a policy limit (MAI 2): units above it are denied and cannot be appealed. Correct the units.`
                : `${total} units of ${code} on ${dos} exceed its MUE of ${edit.units} per day, a clinical benchmark (MAI 3): units above it are denied. Correct the units, or bill ${edit.units} and appeal with the documentation if more were medically necessary.`,
              field(ofCode[0], '.units'),
            );
        }
      }
  }

  // PTP-001: every ordered pair of different codes on the claim (one date of service)
  const distinct = [...new Set(wellFormed.map((l) => l.procedureCode))];
  if (distinct.length > 1) {
    const ptp = table('ptp', 'PTP-001');
    if (ptp) {
      const uncovered = distinct.filter((c) => !ptp.covers(c));
      if (uncovered.length)
        skip(
          'PTP-001',
          `${uncovered.join(', ')} ${uncovered.length > 1 ? 'are' : 'is'} not covered by the ${sets.ptp!.label} that is loaded`,
          'ptp',
        );
      for (const col1 of wellFormed)
        for (const col2 of wellFormed) {
          if (col1.procedureCode === col2.procedureCode || !ptp.covers(col1.procedureCode) || !ptp.covers(col2.procedureCode)) continue;
          const edit = ptp.inEffect(col1.procedureCode, col2.procedureCode, dos);
          if (!edit || edit.modifierIndicator === '9') continue;
          const why = edit.rationale ? ` (${edit.rationale})` : '';
          if (edit.modifierIndicator === '0')
            fail(
              'PTP-001',
              `Line ${col2.lineNo}: ${col2.procedureCode} is not paid with ${col1.procedureCode} (line ${col1.lineNo}) on the same day: NCCI edit with modifier indicator 0${why}, which no modifier bypasses. Remove line ${col2.lineNo} or correct the coding.`,
              field(col2, '.procedureCode'),
            );
          else if (!bypassesPtp(col1.modifiers, col2.modifiers))
            fail(
              'PTP-001',
              `Line ${col2.lineNo}: ${col2.procedureCode} is bundled into ${col1.procedureCode} (line ${col1.lineNo}) by an NCCI edit${why}. If it was a separate, distinct service, add an NCCI-associated modifier (25 on a separately identifiable E/M, 59 or XE/XS/XP/XU, LT/RT or another anatomic modifier, 91); otherwise remove line ${col2.lineNo}.`,
              field(col2, '.modifiers'),
            );
        }
    }
  }

  // AOC-001: add-on codes need their primary procedure on the same claim
  if (wellFormed.length) {
    const addOns = table('addOns', 'AOC-001');
    if (addOns)
      for (const l of wellFormed) {
        const rule = addOns.rule(l.procedureCode, dos);
        if (!rule) continue;
        const others = distinct.filter((c) => c !== l.procedureCode);
        const primaries = others.filter((c) => !addOns.rule(c, dos));
        const listed = [...rule.primaries];
        const sample = listed.slice(0, 6).join(', ') + (listed.length > 6 ? `, … (${listed.length} codes)` : '');
        if (others.some((c) => rule.primaries.has(c)) || (rule.anyPrimary && primaries.length)) continue;
        if (rule.type === 1)
          fail(
            'AOC-001',
            `Line ${l.lineNo}: ${l.procedureCode} is an add-on code paid only with one of its primary procedures (${sample}); none is on this claim.`,
            field(l, '.procedureCode'),
          );
        else if (!primaries.length)
          fail(
            'AOC-001',
            `Line ${l.lineNo}: ${l.procedureCode} is an add-on code and this claim has no primary procedure for it.`,
            field(l, '.procedureCode'),
          );
        else if (rule.type === 3)
          fail(
            'AOC-001',
            `Line ${l.lineNo}: ${l.procedureCode} is an add-on code whose listed primaries (${sample}) are not on this claim; the contractor may accept ${primaries.join(', ')}: check its policy.`,
            field(l, '.procedureCode'),
            'WARNING',
          );
      }
  }

  // CS-001: one failure per missing code set (or uncovered part of a subset), naming the edits it stopped
  for (const [reason, { kind, edits }] of blocked) {
    const ids = [...edits];
    const what = kind ? CODE_SET_NAMES[kind] : 'code set';
    fail(
      'CS-001',
      `Edit${ids.length > 1 ? 's' : ''} ${ids.join(', ')} could not run: ${reason}. The claim cannot be called clean until ${ids.length > 1 ? 'they run' : 'it runs'}: load the ${what} for ${dos} and scrub again.`,
      `codeSets.${kind ?? 'all'}`,
    );
  }

  const editsSkipped = [...skipped].map(([editId, reasons]) => ({ editId, reason: [...reasons].join('; ') }));
  const editsRun = (Object.keys(EDITS) as EditId[]).filter((id) => !skipped.has(id));
  // A version marked extended answers past its end date because the registry was told to keep the newest
  // version in force (the shipped demo data); it is named so that the result shows which table was used.
  const codeSetVersions = Object.values(sets).map((v) => (v.extended ? `${v.label} (kept in force after ${v.effectiveTo})` : v.label));
  return { failures, editsRun, editsSkipped, codeSetVersions };
}

/**
 * Whether the lines' modifiers allow an indicator-1 pair: a non-anatomic NCCI-associated modifier (25, 59,
 * XE/XS/XP/XU, 91, ...) on either line, or anatomic modifiers that differ between the lines (LT vs RT).
 */
export function bypassesPtp(column1Modifiers: string[], column2Modifiers: string[]): boolean {
  if ([...column1Modifiers, ...column2Modifiers].some((m) => NCCI_OTHER_MODIFIERS.has(m))) return true;
  const sites = (mods: string[]) =>
    mods
      .filter((m) => NCCI_ANATOMIC_MODIFIERS.has(m))
      .sort()
      .join(',');
  const [a, b] = [sites(column1Modifiers), sites(column2Modifiers)];
  return (a !== '' || b !== '') && a !== b;
}
