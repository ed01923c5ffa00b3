// Calendar arithmetic for code-set editions: fiscal years, quarters and the compact dates CMS files carry.
import type { IsoDate } from '../clearinghouse';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: string): s is IsoDate {
  return ISO.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}

/** The federal fiscal year N runs from 1 October of N-1 to 30 September of N (ICD-10-CM's yearly cycle). */
export function fiscalYearRange(fy: number): { from: IsoDate; to: IsoDate } {
  return { from: `${fy - 1}-10-01`, to: `${fy}-09-30` };
}

export function fiscalYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 10 ? year + 1 : year;
}

/** Last day of the calendar quarter holding `date` (NCCI and HCPCS files are quarterly editions). */
export function quarterEnd(date: IsoDate): IsoDate {
  const year = Number(date.slice(0, 4));
  const lastMonth = Math.ceil(Number(date.slice(5, 7)) / 3) * 3;
  const day = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  return `${year}-${String(lastMonth).padStart(2, '0')}-${day}`;
}

/**
 * `YYYYMMDD` or `YYYY-MM-DD` to an ISO date; blank, `*` and the open-ended `99991231` give undefined.
 * Anything else that is not a date also gives undefined rather than a wrong date.
 */
export function parseFileDate(raw: string | undefined): IsoDate | undefined {
  const s = (raw ?? '').trim();
  if (!s || s === '*' || s === '99991231' || s === '9999-12-31') return undefined;
  const iso = /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s;
  return isIsoDate(iso) ? iso : undefined;
}

/** Whether `date` lies in [from, to]; a missing bound is open. ISO dates compare as strings. */
export function within(date: IsoDate, from: IsoDate | undefined, to: IsoDate | undefined): boolean {
  return (from === undefined || from <= date) && (to === undefined || date <= to);
}
