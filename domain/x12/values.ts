// Reading one element of a segment as text, amount, number or date, with the position in every error.
import type { Segment } from './scanner';
import { X12SyntaxError } from './syntaxError';
import { parseCents, type Cents } from './money';

/** Element n (1-based) as sent, '' when absent. */
export function el(seg: Segment, n: number): string {
  return seg.elements[n] ?? '';
}

/** Element n, or undefined when empty. */
export function opt(seg: Segment, n: number): string | undefined {
  const v = seg.elements[n];
  return v === undefined || v === '' ? undefined : v;
}

export function badValue(seg: Segment, n: number | undefined, reason: string): X12SyntaxError {
  return new X12SyntaxError({ code: 'bad-value', segmentIndex: seg.index, segmentId: seg.id, element: n, reason });
}

export function structureError(seg: Segment, reason: string): X12SyntaxError {
  return new X12SyntaxError({ code: 'structure', segmentIndex: seg.index, segmentId: seg.id, reason });
}

export function required(seg: Segment, n: number): string {
  const v = opt(seg, n);
  if (v === undefined)
    throw new X12SyntaxError({
      code: 'missing-element',
      segmentIndex: seg.index,
      segmentId: seg.id,
      element: n,
      reason: 'required element is missing',
    });
  return v;
}

/** A required amount in cents. */
export function money(seg: Segment, n: number): Cents {
  return amountOf(seg, n, required(seg, n));
}

/** An amount in cents, undefined when the element is empty. */
export function optionalMoney(seg: Segment, n: number): Cents | undefined {
  const v = opt(seg, n);
  return v === undefined ? undefined : amountOf(seg, n, v);
}

function amountOf(seg: Segment, n: number, text: string): Cents {
  const cents = parseCents(text);
  if (cents === undefined) {
    const why = /^-?\d*\.\d{3,}$/.test(text) ? 'is not a whole number of cents' : 'is not a number';
    throw badValue(seg, n, `"${text}" ${why}`);
  }
  return cents;
}

/** A decimal quantity (units, days): not money, so a plain number is exact enough. */
export function quantity(seg: Segment, n: number): number | undefined {
  const v = opt(seg, n);
  if (v === undefined) return undefined;
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(v)) throw badValue(seg, n, `"${v}" is not a number`);
  return Number(v);
}

/** A CCYYMMDD date as YYYY-MM-DD; undefined when empty. Throws when it is not a calendar date. */
export function isoDate(seg: Segment, n: number, text = opt(seg, n)): string | undefined {
  if (text === undefined) return undefined;
  const iso = toIsoDate(text);
  if (iso === undefined) throw badValue(seg, n, `"${text}" is not a date (CCYYMMDD)`);
  return iso;
}

export function toIsoDate(text: string): string | undefined {
  if (text.length !== 8 || !/^\d{8}$/.test(text)) return undefined;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(4, 6));
  const day = Number(text.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
