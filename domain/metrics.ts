// The supervisor's measures computed from plain rows (no I/O): stuck-claim rules, A/R aging, denial and
// clean-claim rates, days in A/R, and queue throughput and handling times. The API loads the rows.
//
// Two kinds of "day" meet here. Process ages (time in a state, task lateness, the timely-filing clock) are
// lifecycle days of `dayMs`, the same days the workflow's timers count, so a compressed demo ages claims at
// the speed its timers run. Accounting measures over calendar dates (A/R aging since the date of service,
// days in A/R, rate windows over payment dates) count calendar days.
import type { Cents, IsoDate } from './clearinghouse';
import { routeDenial, type DenialCategory } from './denials';

export const CALENDAR_DAY_MS = 86_400_000;

// ---- stuck claims ------------------------------------------------------------------------------

/** Days a claim may stay in a state before a supervisor should look at it. States not listed have no limit. */
export const DEFAULT_STATE_THRESHOLD_DAYS: Readonly<Record<string, number>> = {
  CODING: 3,
  SCRUBBING: 1,
  READY: 1,
  SUBMITTED: 3,
  ACKNOWLEDGED: 1,
  REJECTED: 3,
  AWAITING_ADJUDICATION: 45,
  PAID: 1,
  PARTIALLY_PAID: 1,
  DENIED: 10,
  APPEALED: 60,
  POSTED: 2,
  WRITTEN_OFF: 1,
};

/** A pending activity listed as failing once Temporal is on this attempt (two failures behind it). */
export const DEFAULT_FAILING_ACTIVITY_ATTEMPTS = 3;

export class ThresholdSpecError extends Error {}

/** "CODING=2,AWAITING_ADJUDICATION=60" → overrides; a state set to 0 has no limit. */
export function parseStateThresholds(spec: string, knownStates: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [state, raw] = part.split('=').map((s) => s.trim());
    const days = Number(raw);
    if (!knownStates.includes(state)) throw new ThresholdSpecError(`unknown claim state "${state}"`);
    if (raw === undefined || raw === '' || !Number.isFinite(days) || days < 0) {
      throw new ThresholdSpecError(`the threshold of ${state} must be a number of days, got "${raw ?? ''}"`);
    }
    out[state] = days;
  }
  return out;
}

/** Defaults with overrides applied; a 0 override removes the limit. */
export function stateThresholds(overrides: Readonly<Record<string, number>> = {}): Record<string, number> {
  const merged: Record<string, number> = { ...DEFAULT_STATE_THRESHOLD_DAYS, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter(([, days]) => days > 0));
}

export interface StateTooLong {
  thresholdDays: number;
  daysInState: number;
  /** when the claim crossed its threshold */
  stuckSince: Date;
}

export function stateTooLong(
  claim: { state: string; stateEnteredAt: Date },
  thresholds: Readonly<Record<string, number>>,
  dayMs: number,
  now: Date,
): StateTooLong | null {
  const thresholdDays = thresholds[claim.state];
  if (thresholdDays === undefined) return null;
  const inStateMs = now.getTime() - claim.stateEnteredAt.getTime();
  if (inStateMs <= thresholdDays * dayMs) return null;
  return {
    thresholdDays,
    daysInState: roundTo(inStateMs / dayMs, 1),
    stuckSince: new Date(claim.stateEnteredAt.getTime() + thresholdDays * dayMs),
  };
}

/** The instant the workflow counts the timely-filing limit to: date of service plus the payer's days. */
export function timelyFilingDeadline(dateOfService: IsoDate, timelyFilingDays: number, dayMs: number): Date {
  return new Date(Date.parse(`${dateOfService}T00:00:00Z`) + timelyFilingDays * dayMs);
}

export interface TimelyFilingRisk {
  deadline: Date;
  /** negative once the limit has passed */
  daysLeft: number;
}

/** Within `withinDays` of the limit (or past it). Whether the payer already accepted the claim is the caller's check. */
export function timelyFilingRisk(
  claim: { dateOfService: IsoDate; timelyFilingDays: number },
  o: { withinDays: number; dayMs: number; now: Date },
): TimelyFilingRisk | null {
  const deadline = timelyFilingDeadline(claim.dateOfService, claim.timelyFilingDays, o.dayMs);
  const leftMs = deadline.getTime() - o.now.getTime();
  if (leftMs > o.withinDays * o.dayMs) return null;
  return { deadline, daysLeft: roundTo(leftMs / o.dayMs, 1) };
}

/** Latest date of service that can be within `withinDays` of the limit: a coarse database filter, refined by timelyFilingRisk. */
export function timelyFilingDosCutoff(timelyFilingDays: number, o: { withinDays: number; dayMs: number; now: Date }): Date {
  const ms = o.now.getTime() + (o.withinDays - timelyFilingDays) * o.dayMs;
  // Round up to the next calendar day: date-of-service columns hold whole dates.
  return new Date(Math.ceil(ms / CALENDAR_DAY_MS) * CALENDAR_DAY_MS);
}

// ---- A/R aging -----------------------------------------------------------------------------------

export interface AgingBucketDef {
  label: string;
  minDays: number;
  /** null: no upper end */
  maxDays: number | null;
}

export const AGING_BUCKETS: readonly AgingBucketDef[] = [
  { label: '0-30', minDays: 0, maxDays: 30 },
  { label: '31-60', minDays: 31, maxDays: 60 },
  { label: '61-90', minDays: 61, maxDays: 90 },
  { label: '91-120', minDays: 91, maxDays: 120 },
  { label: '120+', minDays: 121, maxDays: null },
];

/** Whole calendar days from the date of service to the (UTC) date of `asOf`; a future date of service is 0. */
export function daysSinceService(dateOfService: IsoDate, asOf: Date): number {
  const dos = Date.parse(`${dateOfService}T00:00:00Z`);
  const today = Date.parse(`${asOf.toISOString().slice(0, 10)}T00:00:00Z`);
  return Math.max(0, Math.round((today - dos) / CALENDAR_DAY_MS));
}

export function agingBucketIndex(ageDays: number): number {
  const i = AGING_BUCKETS.findIndex((b) => ageDays >= b.minDays && (b.maxDays === null || ageDays <= b.maxDays));
  return i < 0 ? 0 : i;
}

export interface AgingBucket extends AgingBucketDef {
  balanceCents: Cents;
  claims: number;
}

export interface AgingRow {
  buckets: AgingBucket[];
  totalCents: Cents;
  claims: number;
}

export interface OpenBalance {
  payerId: string;
  dateOfService: IsoDate;
  balanceCents: Cents;
}

export interface AgingReport {
  total: AgingRow;
  byPayer: { payerId: string; aging: AgingRow }[];
}

const emptyAging = (): AgingRow => ({
  buckets: AGING_BUCKETS.map((b) => ({ ...b, balanceCents: 0, claims: 0 })),
  totalCents: 0,
  claims: 0,
});

/** Open balances into the five buckets, in total and per payer (payers in id order). Non-positive balances are not A/R. */
export function agingReport(balances: readonly OpenBalance[], asOf: Date): AgingReport {
  const total = emptyAging();
  const byPayer = new Map<string, AgingRow>();
  for (const b of balances) {
    if (b.balanceCents <= 0) continue;
    const i = agingBucketIndex(daysSinceService(b.dateOfService, asOf));
    let row = byPayer.get(b.payerId);
    if (!row) byPayer.set(b.payerId, (row = emptyAging()));
    for (const r of [total, row]) {
      r.buckets[i].balanceCents += b.balanceCents;
      r.buckets[i].claims += 1;
      r.totalCents += b.balanceCents;
      r.claims += 1;
    }
  }
  return {
    total,
    byPayer: [...byPayer.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([payerId, aging]) => ({ payerId, aging })),
  };
}

// ---- denial rate -------------------------------------------------------------------------------

/** One payer answer about one claim (an 835 CLP): status code and the CARCs of its adjustments. */
export interface AdjudicatedPayment {
  statusCode: string;
  carcs: readonly string[];
}

export interface DenialRates {
  adjudicated: number;
  denied: number;
  rate: number | null;
  byCategory: { category: DenialCategory; denied: number; rate: number | null; carcs: Record<string, number> }[];
  formula: string;
}

/**
 * Denied claim payments (CLP02 4) over adjudicated ones (1, 2, 3, 4; reversals, 22, are neither). A denial
 * counts once, under the category of the CARC that routes it (domain/denials.ts), so categories add up to the total.
 */
export function denialRates(payments: readonly AdjudicatedPayment[]): DenialRates {
  const adjudicatedCodes = new Set(['1', '2', '3', '4']);
  const counted = payments.filter((p) => adjudicatedCodes.has(p.statusCode));
  const denied = counted.filter((p) => p.statusCode === '4');
  const byCategory = new Map<DenialCategory, { denied: number; carcs: Record<string, number> }>();
  for (const p of denied) {
    const route = routeDenial(p.carcs);
    const entry = byCategory.get(route.category) ?? { denied: 0, carcs: {} };
    entry.denied += 1;
    const carc = route.carc ?? 'none';
    entry.carcs[carc] = (entry.carcs[carc] ?? 0) + 1;
    byCategory.set(route.category, entry);
  }
  return {
    adjudicated: counted.length,
    denied: denied.length,
    rate: ratio(denied.length, counted.length),
    byCategory: [...byCategory.entries()]
      .sort(([a, x], [b, y]) => y.denied - x.denied || a.localeCompare(b))
      .map(([category, e]) => ({ category, denied: e.denied, rate: ratio(e.denied, counted.length), carcs: e.carcs })),
    formula:
      'denial rate = denied claim payments (835 CLP02 = 4) / adjudicated claim payments (CLP02 1, 2, 3 or 4); per category, the denials routed to it by their deciding CARC / all adjudicated claim payments',
  };
}

// ---- clean-claim rate --------------------------------------------------------------------------

export interface FirstSubmissionFacts {
  /** the acknowledgement recorded on the first submission's row */
  firstSubmissionStatus: 'SENT' | 'ACCEPTED' | 'REJECTED';
  /** the workflow's first verdict after the first submission (a status inquiry can decide without a 277CA) */
  firstVerdict?: 'ACCEPTED' | 'REJECTED';
  /** the claim went out again before any verdict (the payer had never received it) */
  resubmittedBeforeVerdict: boolean;
  /** a scrubbing edit failed and a person fixed the claim before its first submission */
  scrubFixedBeforeSubmission: boolean;
}

export type FirstPassOutcome = 'CLEAN' | 'REJECTED' | 'SCRUB_FIX' | 'RESUBMITTED' | 'PENDING';

export function firstPassOutcome(f: FirstSubmissionFacts): FirstPassOutcome {
  if (f.scrubFixedBeforeSubmission) return 'SCRUB_FIX';
  const verdict = f.firstSubmissionStatus !== 'SENT' ? f.firstSubmissionStatus : f.firstVerdict;
  if (verdict === 'REJECTED') return 'REJECTED';
  if (verdict === 'ACCEPTED') return 'CLEAN';
  return f.resubmittedBeforeVerdict ? 'RESUBMITTED' : 'PENDING';
}

export interface CleanClaimRate {
  submitted: number;
  /** submitted claims whose first submission has a verdict (pending ones are left out of the rate) */
  decided: number;
  clean: number;
  pending: number;
  notClean: { rejected: number; scrubFix: number; resubmitted: number };
  rate: number | null;
  formula: string;
}

export function cleanClaimRate(claims: readonly FirstSubmissionFacts[]): CleanClaimRate {
  const counts: Record<FirstPassOutcome, number> = { CLEAN: 0, REJECTED: 0, SCRUB_FIX: 0, RESUBMITTED: 0, PENDING: 0 };
  for (const c of claims) counts[firstPassOutcome(c)] += 1;
  const decided = claims.length - counts.PENDING;
  return {
    submitted: claims.length,
    decided,
    clean: counts.CLEAN,
    pending: counts.PENDING,
    notClean: { rejected: counts.REJECTED, scrubFix: counts.SCRUB_FIX, resubmitted: counts.RESUBMITTED },
    rate: ratio(counts.CLEAN, decided),
    formula:
      'clean-claim rate = claims accepted by the payer on their first submission, with no rejection and no scrubbing fix before it / submitted claims whose first submission has been answered (claims still awaiting that answer are counted as pending and left out)',
  };
}

// ---- days in A/R -------------------------------------------------------------------------------

export interface DaysInAr {
  value: number | null;
  openArCents: Cents;
  chargesCents: Cents;
  periodDays: number;
  averageDailyChargesCents: number;
  formula: string;
}

export function daysInAr(o: { openArCents: Cents; chargesCents: Cents; periodDays: number }): DaysInAr {
  const averageDaily = o.chargesCents / o.periodDays;
  return {
    value: averageDaily > 0 ? roundTo(o.openArCents / averageDaily, 1) : null,
    openArCents: o.openArCents,
    chargesCents: o.chargesCents,
    periodDays: o.periodDays,
    averageDailyChargesCents: roundTo(averageDaily, 2),
    formula: `days in A/R = total open A/R (sum of open claim balances) / average daily charges, where average daily charges = total charges of claims with a date of service in the last ${o.periodDays} days (voided claims excluded) / ${o.periodDays}`,
  };
}

// ---- queues --------------------------------------------------------------------------------------

export interface DoneTask {
  kind: string;
  doneById: string | null;
  createdAt: Date;
  claimedAt: Date | null;
  doneAt: Date;
}

export interface UserDay {
  userId: string;
  /** start of the day bucket */
  day: Date;
  done: number;
}

/** Tasks done per user per day; days are buckets of `dayMs` aligned to the epoch (UTC midnight for real days). */
export function throughputByUserDay(tasks: readonly DoneTask[], dayMs: number): UserDay[] {
  const counts = new Map<string, UserDay>();
  for (const t of tasks) {
    const userId = t.doneById ?? 'workflow';
    const day = new Date(Math.floor(t.doneAt.getTime() / dayMs) * dayMs);
    const key = `${userId}\u0000${day.getTime()}`;
    const entry = counts.get(key) ?? { userId, day, done: 0 };
    entry.done += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => a.day.getTime() - b.day.getTime() || a.userId.localeCompare(b.userId));
}

export interface HandlingTime {
  kind: string;
  done: number;
  averageMs: number;
  medianMs: number;
}

/** From the moment someone took the task (or it was opened, if nobody claimed it) to done. */
export function handlingTimeByKind(tasks: readonly DoneTask[]): HandlingTime[] {
  const byKind = new Map<string, number[]>();
  for (const t of tasks) {
    const start = (t.claimedAt ?? t.createdAt).getTime();
    const ms = Math.max(0, t.doneAt.getTime() - start);
    const list = byKind.get(t.kind) ?? [];
    list.push(ms);
    byKind.set(t.kind, list);
  }
  return [...byKind.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, ms]) => ({
      kind,
      done: ms.length,
      averageMs: Math.round(ms.reduce((s, x) => s + x, 0) / ms.length),
      medianMs: median(ms),
    }));
}

// ---- helpers -------------------------------------------------------------------------------------

/** A fraction rounded to 4 decimals, or null when nothing was counted. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? roundTo(part / whole, 4) : null;
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}
