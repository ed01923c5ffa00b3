// Every loaded code-set version, and which one answers for a date of service: ICD-10-CM by fiscal year,
// HCPCS and NCCI by quarter. A date no loaded version covers gets no table, and the edits say so.
import type { IsoDate } from '../clearinghouse';
import { within } from './dates';
import type { HcpcsTable, ModifierTable } from './hcpcs';
import { normaliseIcd10cm, type Icd10cmTable } from './icd10cm';
import type { AddOnTable, MueTable, PtpTable } from './ncci';
import type { PlaceOfServiceTable } from './pos';

export interface CodeSetTables {
  icd10cm: Icd10cmTable;
  hcpcs: HcpcsTable;
  modifiers: ModifierTable;
  ptp: PtpTable;
  mue: MueTable;
  addOns: AddOnTable;
  pos: PlaceOfServiceTable;
}
export type CodeSetKind = keyof CodeSetTables;

export const CODE_SET_NAMES: Record<CodeSetKind, string> = {
  icd10cm: 'ICD-10-CM code set',
  hcpcs: 'HCPCS Level II code set',
  modifiers: 'HCPCS modifier list',
  ptp: 'NCCI PTP practitioner table',
  mue: 'MUE practitioner table',
  addOns: 'NCCI add-on code table',
  pos: 'place-of-service code set',
};

export interface CodeSetVersion<T> {
  /** e.g. `ICD-10-CM FY2024`, `NCCI PTP practitioner 2024-07-01` */
  label: string;
  /** first date of service this version answers for; absent = any earlier date */
  effectiveFrom?: IsoDate;
  /** last date of service it answers for; absent = until replaced */
  effectiveTo?: IsoDate;
  table: T;
}

export interface SelectedVersion<T> extends CodeSetVersion<T> {
  /** the date of service is after this version's end and the registry extends its newest version */
  extended: boolean;
}

export type CodeSetsOnDate = { [K in CodeSetKind]?: SelectedVersion<CodeSetTables[K]> };

export type DiagnosisLookup =
  | { status: 'billable' | 'header'; code: string; description: string; version: string }
  | { status: 'unknown'; code: string; version: string }
  | { status: 'no-code-set'; code: string; reason: string };

export interface RegistryOptions {
  /**
   * Let the newest loaded version of each code set answer for dates of service after its end, until a
   * newer one is loaded. Production loads the current files and leaves this off, so that a claim dated
   * after the newest table is never scrubbed against last year's codes; the shipped demo data (FY2024
   * ICD-10-CM, 2024 Q3 NCCI) turns it on so that demo claims dated today can be scrubbed at all.
   */
  extendNewest?: boolean;
}

export class CodeSetRegistry {
  private readonly loaded: { [K in CodeSetKind]: CodeSetVersion<CodeSetTables[K]>[] } = {
    icd10cm: [],
    hcpcs: [],
    modifiers: [],
    ptp: [],
    mue: [],
    addOns: [],
    pos: [],
  };

  constructor(readonly options: RegistryOptions = {}) {}

  add<K extends CodeSetKind>(kind: K, version: CodeSetVersion<CodeSetTables[K]>): this {
    (this.loaded[kind] as CodeSetVersion<CodeSetTables[K]>[]).push(version);
    return this;
  }

  versions<K extends CodeSetKind>(kind: K): readonly CodeSetVersion<CodeSetTables[K]>[] {
    return this.loaded[kind] as CodeSetVersion<CodeSetTables[K]>[];
  }

  /** The version covering `date` (the latest-starting one if several do); else, when extending, the newest one for dates after it. */
  select<K extends CodeSetKind>(kind: K, date: IsoDate): SelectedVersion<CodeSetTables[K]> | undefined {
    const all = this.versions(kind);
    const covering = all.filter((v) => within(date, v.effectiveFrom, v.effectiveTo));
    if (covering.length) {
      const best = covering.reduce((a, b) => ((b.effectiveFrom ?? '') > (a.effectiveFrom ?? '') ? b : a));
      return { ...best, extended: false };
    }
    if (!this.options.extendNewest || !all.length) return undefined;
    const newest = all.reduce((a, b) => ((b.effectiveTo ?? '9999') > (a.effectiveTo ?? '9999') ? b : a));
    return newest.effectiveTo && date > newest.effectiveTo ? { ...newest, extended: true } : undefined;
  }

  forDate(date: IsoDate): CodeSetsOnDate {
    const out: CodeSetsOnDate = {};
    for (const kind of Object.keys(this.loaded) as CodeSetKind[]) {
      const v = this.select(kind, date);
      if (v) (out as Record<CodeSetKind, unknown>)[kind] = v;
    }
    return out;
  }

  /** Why there is no table of this kind for `date`, in words for the person who has to load it. */
  missing(kind: CodeSetKind, date: IsoDate): string {
    const all = this.versions(kind);
    if (!all.length) return `no ${CODE_SET_NAMES[kind]} loaded for ${date} (none is loaded at all)`;
    const spans = all.map((v) => `${v.label} ${v.effectiveFrom ?? '…'}..${v.effectiveTo ?? '…'}`).join('; ');
    return `no ${CODE_SET_NAMES[kind]} loaded for ${date} (loaded: ${spans})`;
  }

  /** ICD-10-CM code status in the version in effect on the date of service. */
  lookupDiagnosis(code: string, date: IsoDate): DiagnosisLookup {
    const normal = normaliseIcd10cm(code);
    const v = this.select('icd10cm', date);
    if (!v) return { status: 'no-code-set', code: normal, reason: this.missing('icd10cm', date) };
    const found = v.table.get(normal);
    if (found) return { status: found.billable ? 'billable' : 'header', code: normal, description: found.description, version: v.label };
    if (!v.table.covers(normal))
      return { status: 'no-code-set', code: normal, reason: `${normal} is outside the categories loaded in the ${v.label}` };
    return { status: 'unknown', code: normal, version: v.label };
  }
}
