// What a payer owes under the practice's contract, and whether a remittance paid less: the expected allowed amount of
// a claim line from the contracted fee schedule (docs/fee-schedules.md), and the underpayment a posted 835 shows.
import type { Cents, IsoDate } from './clearinghouse';

/** One contracted rate: per unit of a procedure code, for one provider or the whole practice, over a date range. */
export interface ContractRate {
  payerId: string;
  /** absent: the practice's payer-wide rate */
  providerNpi?: string;
  procedureCode: string;
  /** absent: the rate without a modifier */
  modifier?: string;
  allowedCents: Cents;
  effectiveFrom: IsoDate;
  /** inclusive; absent: open-ended */
  effectiveTo?: IsoDate;
}

export interface ServiceContext {
  payerId: string;
  /** the rendering provider's NPI */
  providerNpi: string;
  dateOfService: IsoDate;
}

export interface ExpectedLineInput {
  procedureCode: string;
  modifiers: readonly string[];
  units: number;
  chargeCents: Cents;
}

export interface ExpectedAllowed {
  expectedAllowedCents: Cents;
  rate: ContractRate;
}

const inEffect = (r: ContractRate, dos: IsoDate) => r.effectiveFrom <= dos && (r.effectiveTo === undefined || dos <= r.effectiveTo);

/**
 * The expected allowed amount of one line: the most specific rate in effect on the date of service (the provider's
 * own over the payer-wide one, then a rate for one of the line's modifiers over the one without), times the units,
 * and never more than the charge, since payers allow the lesser of the charge and the schedule. No rate: undefined,
 * which means unknown, not zero.
 */
export function expectedAllowed(
  rates: readonly ContractRate[],
  service: ServiceContext,
  line: ExpectedLineInput,
): ExpectedAllowed | undefined {
  const candidates = rates.filter(
    (r) =>
      r.payerId === service.payerId &&
      r.procedureCode === line.procedureCode &&
      (r.providerNpi === undefined || r.providerNpi === service.providerNpi) &&
      (r.modifier === undefined || line.modifiers.includes(r.modifier)) &&
      inEffect(r, service.dateOfService),
  );
  if (candidates.length === 0) return undefined;
  const rank = (r: ContractRate) => [
    r.providerNpi !== undefined ? 1 : 0,
    // the line's first modifier is its most telling one (26, TC before 59)
    r.modifier !== undefined ? line.modifiers.length - line.modifiers.indexOf(r.modifier) : 0,
    // overlapping ranges (the import refuses them, older data may not): the latest start is the newest contract
    Date.parse(r.effectiveFrom),
  ];
  const best = candidates.reduce((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return rb[i] > ra[i] ? b : a;
    return a;
  });
  return { expectedAllowedCents: Math.min(line.chargeCents, best.allowedCents * line.units), rate: best };
}

// ---- underpayment -------------------------------------------------------------------------------------

/** A claim line after posting: what it was expected to be allowed and what the payer's 835s allowed and paid in all. */
export interface PostedLine {
  lineNo: number;
  procedureCode: string;
  /** null: no contracted rate, so no finding */
  expectedAllowedCents: Cents | null;
  paidCents: Cents;
  patientRespCents: Cents;
  /** the adjustment reasons of the remittance, as group-CARC (CO-45) */
  carcs: readonly string[];
}

/** How far below the expected amount a line may be allowed before it is an underpayment (the larger of the two). */
export interface UnderpaymentTolerance {
  cents: Cents;
  percent: number;
}

export interface UnderpaidLine {
  lineNo: number;
  procedureCode: string;
  expectedCents: Cents;
  allowedCents: Cents;
  paidCents: Cents;
  patientRespCents: Cents;
  differenceCents: Cents;
  carcs: string[];
}

export interface UnderpaymentFinding {
  lines: UnderpaidLine[];
  expectedCents: Cents;
  allowedCents: Cents;
  differenceCents: Cents;
  /** lines without a contracted rate, which could not be checked */
  uncheckedLineNos: number[];
}

/**
 * Which lines the payer allowed less than the contract says, beyond the tolerance. The allowed amount is what the
 * payer paid plus what it made the patient's responsibility (the rest of the charge is the contractual adjustment);
 * undefined when no line is underpaid.
 */
export function findUnderpayment(lines: readonly PostedLine[], tolerance: UnderpaymentTolerance): UnderpaymentFinding | undefined {
  const underpaid: UnderpaidLine[] = [];
  for (const l of lines) {
    if (l.expectedAllowedCents === null) continue;
    const allowed = l.paidCents + l.patientRespCents;
    const difference = l.expectedAllowedCents - allowed;
    const allowance = Math.max(tolerance.cents, Math.floor((l.expectedAllowedCents * tolerance.percent) / 100));
    if (difference <= allowance) continue;
    underpaid.push({
      lineNo: l.lineNo,
      procedureCode: l.procedureCode,
      expectedCents: l.expectedAllowedCents,
      allowedCents: allowed,
      paidCents: l.paidCents,
      patientRespCents: l.patientRespCents,
      differenceCents: difference,
      carcs: [...new Set(l.carcs)],
    });
  }
  if (underpaid.length === 0) return undefined;
  const sum = (f: (l: UnderpaidLine) => number) => underpaid.reduce((s, l) => s + f(l), 0);
  return {
    lines: underpaid,
    expectedCents: sum((l) => l.expectedCents),
    allowedCents: sum((l) => l.allowedCents),
    differenceCents: sum((l) => l.differenceCents),
    uncheckedLineNos: lines.filter((l) => l.expectedAllowedCents === null).map((l) => l.lineNo),
  };
}

// ---- expected vs collected --------------------------------------------------------------------------

/** A line of a claim the payer has answered (a payment posted), with its contracted amount if it has one. */
export interface AnsweredLine {
  payerId: string;
  expectedAllowedCents: Cents | null;
  paidCents: Cents;
  patientRespCents: Cents;
}

export interface ExpectedVsCollected {
  /** lines with a contracted amount; the figures below are theirs */
  pricedLines: number;
  /** lines without one, left out of the figures */
  unpricedLines: number;
  expectedCents: Cents;
  /** what the payer paid */
  collectedCents: Cents;
  patientRespCents: Cents;
  /** expected less what the payer paid and the patient owes: money the contract says is missing */
  shortfallCents: Cents;
}

function tally(lines: readonly AnsweredLine[]): ExpectedVsCollected {
  const priced = lines.filter((l) => l.expectedAllowedCents !== null);
  const sum = (f: (l: AnsweredLine) => number) => priced.reduce((s, l) => s + f(l), 0);
  const expectedCents = sum((l) => l.expectedAllowedCents ?? 0);
  const collectedCents = sum((l) => l.paidCents);
  const patientRespCents = sum((l) => l.patientRespCents);
  return {
    pricedLines: priced.length,
    unpricedLines: lines.length - priced.length,
    expectedCents,
    collectedCents,
    patientRespCents,
    shortfallCents: expectedCents - collectedCents - patientRespCents,
  };
}

/** Expected and collected money over answered lines, in all and per payer (payers in id order). */
export function expectedVsCollected(lines: readonly AnsweredLine[]): {
  total: ExpectedVsCollected;
  byPayer: (ExpectedVsCollected & { payerId: string })[];
} {
  const payers = [...new Set(lines.map((l) => l.payerId))].sort();
  return {
    total: tally(lines),
    byPayer: payers.map((payerId) => ({ payerId, ...tally(lines.filter((l) => l.payerId === payerId)) })),
  };
}
