// How the dashboard words numbers: money arrives as integer cents and is shown as dollars, rates arrive as
// fractions and are shown as percentages, durations arrive as milliseconds or lifecycle days. Labels of
// states, task kinds and denial categories are the workspace's own (web/src/format.ts).
import { kindLabel } from '../format';

export { CATEGORY_LABELS, dateTime, kindLabel, stateLabel } from '../format';

const wholeDollarFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** $1,235 (or $1.2k, $3.4M on chart labels, where space is short). */
export function dollarsShort(cents: number): string {
  const d = cents / 100;
  if (Math.abs(d) >= 1_000_000) return `$${trim(d / 1_000_000)}M`;
  if (Math.abs(d) >= 10_000) return `$${trim(d / 1_000)}k`;
  return wholeDollarFormat.format(d);
}

function trim(x: number): string {
  return x.toFixed(1).replace(/\.0$/, '');
}

/** 12.5% from 0.125; a dash when nothing was counted. */
export function percent(rate: number | null): string {
  if (rate === null) return '–';
  return `${(rate * 100).toFixed(rate * 100 < 10 && rate !== 0 ? 1 : 0)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** 14:05:09 in the viewer's time zone. */
export function clock(d: Date): string {
  return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** "3 h 12 min", "45 s", "2.5 days" from milliseconds. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${trim(h / 24)} days`;
}

/** Lifecycle days as the API reports them (already rounded to one decimal). */
export function days(n: number): string {
  return `${n} ${Math.abs(n) === 1 ? 'day' : 'days'}`;
}

/**
 * A span of time for a reader: under one lifecycle day as a clock duration ("25 s", "3 h 5 min"), from one
 * day on in lifecycle days, so that a limit of 0.0001 day reads "9 s" and not "0 days".
 */
export function span(ms: number, dayMs: number): string {
  const abs = Math.abs(ms);
  if (abs < dayMs) return duration(abs);
  return days(Math.round((abs / dayMs) * 10) / 10);
}

/** CODE_REVIEW → "code review". */
export function words(code: string): string {
  return code.toLowerCase().replace(/_/g, ' ');
}

/** CODER → "Coder". */
export function queueName(queue: string): string {
  return queue.charAt(0) + queue.slice(1).toLowerCase();
}

/** A task kind in the middle of a sentence: "code review", "timely filing at risk". */
export function kindWords(kind: string): string {
  const label = kindLabel(kind);
  return label === kind ? words(kind) : label.charAt(0).toLowerCase() + label.slice(1);
}
