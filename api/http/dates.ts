// Calendar dates (dates of service, birth dates) travel as YYYY-MM-DD and live in @db.Date columns as UTC midnight.
import type { IsoDate } from '../../domain/clearinghouse';

export function dateFromIso(iso: IsoDate): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

export function isoFromDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** Today in UTC, the calendar the @db.Date columns use. */
export function todayIso(now = new Date()): IsoDate {
  return isoFromDate(now);
}
