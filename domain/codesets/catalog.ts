// Recognises a code-set file by its name (the layout of shared/fixtures/codesets and of CMS downloads) and
// says which code set it is, which dates of service it answers for, and how to read it.
import type { IsoDate } from '../clearinghouse';
import { fiscalYearOf, fiscalYearRange, quarterEnd } from './dates';

export type CodeSetFileRole =
  'icd10cm' | 'hcpcs-attributes' | 'hcpcs-descriptions' | 'hcpcs-fixed-width' | 'modifiers' | 'ptp' | 'mue' | 'addOns' | 'pos';

export interface CodeSetFile {
  role: CodeSetFileRole;
  label: string;
  /** joins an attribute file to its description file (HCPCS `YYYY-MM`) */
  edition?: string;
  effectiveFrom?: IsoDate;
  effectiveTo?: IsoDate;
  /** a demo subset: whole categories (ICD-10-CM) or every edit among the codes it holds (PTP) */
  partial: boolean;
  encoding: 'utf8' | 'latin1';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * ICD-10-CM: `icd10cm_order_2024.tsv` is FY2024; `icd10cm-order-Jan-2021.txt` is the January 2021 release of
 * FY2021 (effective from the fiscal year's start), while an April release is CMS's mid-year update and
 * takes effect on 1 April. HCPCS `_YYYY-MM` quarterly files answer from 1 January of their year (terminated
 * codes stay in the file with their termination date) to the end of their quarter; the annual CMS
 * fixed-width file answers for its year. NCCI `_YYYY-MM-DD` files answer for their quarter. Files without a
 * date (modifier list, place of service, the add-on table of the fixtures) answer for any date.
 * Anything else (CARC/RARC, NOC list, outpatient and DME MUEs, readmes) is not a scrubbing code set: undefined.
 */
export function describeCodeSetFile(fileName: string): CodeSetFile | undefined {
  const name = fileName.split(/[\\/]/).pop()!.toLowerCase().replace(/\.gz$/, '');
  const partial = /demo|subset/.test(name);
  const base = { partial, encoding: 'utf8' as const };

  if (name.includes('icd10cm') && /\.(tsv|txt)$/.test(name)) {
    const month = new RegExp(`(${MONTHS.join('|')})[a-z]*[-_ ]?(\\d{4})`).exec(name);
    if (month) {
      const [m, y] = [MONTHS.indexOf(month[1]) + 1, Number(month[2])];
      const fy = fiscalYearOf(`${y}-${String(m).padStart(2, '0')}-01`);
      const range = fiscalYearRange(fy);
      const from = m === 4 ? `${y}-04-01` : range.from;
      return {
        ...base,
        role: 'icd10cm',
        label: `ICD-10-CM FY${fy} (${month[1][0].toUpperCase()}${month[1].slice(1)} ${y} release)${partial ? ' demo subset' : ''}`,
        effectiveFrom: from,
        effectiveTo: range.to,
      };
    }
    const year = /(20\d\d)/.exec(name);
    if (!year) return { ...base, role: 'icd10cm', label: `ICD-10-CM (${name}, undated)` };
    const fy = Number(year[1]);
    return { ...base, role: 'icd10cm', label: `ICD-10-CM FY${fy}${partial ? ' demo subset' : ''}`, ...rangeOf(fiscalYearRange(fy)) };
  }

  let m = /hcpcs_level2_(attributes|descriptions)_(\d{4})-(\d{2})\.tsv$/.exec(name);
  if (m) {
    const edition = `${m[2]}-${m[3]}`;
    return {
      ...base,
      role: m[1] === 'attributes' ? 'hcpcs-attributes' : 'hcpcs-descriptions',
      edition,
      label: `HCPCS Level II ${edition}`,
      effectiveFrom: `${m[2]}-01-01`,
      effectiveTo: quarterEnd(`${edition}-01`),
    };
  }
  m = /hcpc(\d{4})_contr_anweb\.txt$/.exec(name);
  if (m)
    return {
      ...base,
      role: 'hcpcs-fixed-width',
      encoding: 'latin1',
      edition: m[1],
      label: `HCPCS Level II ${m[1]} (CMS alpha-numeric file)`,
      effectiveFrom: `${m[1]}-01-01`,
      effectiveTo: `${m[1]}-12-31`,
    };
  if (/hcpcs_level2_modifiers\.tsv$/.test(name)) return { ...base, role: 'modifiers', label: 'HCPCS Level II modifiers' };

  m = /ncci_(ptp|mue)_practitioner_(\d{4}-\d{2}-\d{2})/.exec(name);
  if (m && /\.tsv$/.test(name)) {
    const what = m[1] === 'ptp' ? 'NCCI PTP practitioner' : 'MUE practitioner';
    return {
      ...base,
      role: m[1] as 'ptp' | 'mue',
      label: `${what} ${m[2]}${partial ? ' demo subset' : ''}`,
      effectiveFrom: m[2],
      effectiveTo: quarterEnd(m[2]),
    };
  }
  m = /ncci_add_on_code_edits(?:_(\d{4}-\d{2}-\d{2}))?/.exec(name);
  if (m && /\.tsv$/.test(name))
    return m[1]
      ? { ...base, role: 'addOns', label: `NCCI add-on code edits ${m[1]}`, effectiveFrom: m[1], effectiveTo: quarterEnd(m[1]) }
      : { ...base, role: 'addOns', label: 'NCCI add-on code edits (undated)' };
  if (/place_of_service\.tsv$/.test(name)) return { ...base, role: 'pos', label: 'CMS place of service codes' };
  return undefined;
}

const rangeOf = (r: { from: IsoDate; to: IsoDate }) => ({ effectiveFrom: r.from, effectiveTo: r.to });
