// What the simulated payer decides, as pure functions of (seed, claim, context): which scenario a claim
// plays, whether a submission is accepted, how it is adjudicated, what the remittance says and how long
// each step takes. No I/O and no clock here; payer.ts applies these decisions to the simulator's state.
import type {
  Cents,
  ProviderAdjustmentMessage,
  RemittanceAdjustment,
  RemittanceClaim,
  RemittanceLine,
  RemittanceMessage,
  StatusAnswer,
  SubmittedLine,
} from '../domain/clearinghouse';
import { allowedCents } from './feeSchedule';
import { alphaId, intBetween, numericId, pickOne, pickWeighted, rngFor, uniform } from './random';

export const SCENARIOS = [
  'PAY_IN_FULL',
  'PARTIAL_PATIENT_RESP',
  'FRONT_END_REJECT',
  'SILENT_THEN_PAY',
  'SILENT_FOREVER',
  'CODING_DENIAL',
  'DENY_APPEAL_OVERTURNED',
  'DENY_APPEAL_UPHELD',
  'PAID_THEN_CORRECTED',
  'UNDERPAY',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const isScenario = (value: unknown): value is Scenario =>
  typeof value === 'string' && (SCENARIOS as readonly string[]).includes(value);

/**
 * Default mix, in percent. It mirrors a reasonably good practice: about 95% of claims accepted first time,
 * a denial rate under 10%. SILENT_FOREVER is a fault to test follow-up escalation, so it only happens when forced.
 * PAID_THEN_CORRECTED (paid, then reversed and paid again: CLP02 22) only happens when forced too, so that the
 * seeded mix of every existing seed stays what it was. UNDERPAY (allowed UNDERPAID_PERCENT below the fee schedule, the
 * shortfall hidden in the contractual adjustment, as real underpayments are) is forced only, for the same reason.
 */
export const DEFAULT_SCENARIO_WEIGHTS: Readonly<Record<Scenario, number>> = {
  PAY_IN_FULL: 70,
  PARTIAL_PATIENT_RESP: 12,
  FRONT_END_REJECT: 5,
  SILENT_THEN_PAY: 4,
  SILENT_FOREVER: 0,
  CODING_DENIAL: 4,
  DENY_APPEAL_OVERTURNED: 3,
  DENY_APPEAL_UPHELD: 2,
  PAID_THEN_CORRECTED: 0,
  UNDERPAY: 0,
};

/** A claim's scenario depends on the seed and the claim id only, so every attempt of a claim plays the same one. */
export function pickScenario(
  seed: number,
  claimId: string,
  weights: Readonly<Record<Scenario, number>> = DEFAULT_SCENARIO_WEIGHTS,
): Scenario {
  return pickWeighted(rngFor(seed, 'scenario', claimId), { ...weights });
}

// ---- delays -------------------------------------------------------------------------------------------

/** Ranges in days; the simulator multiplies by its day length, so a demo can compress weeks into minutes. */
export const DELAY_DAYS = {
  acknowledgement: [0.1, 1],
  adjudication: [5, 20],
  appealDecision: [10, 40],
  overturnedPayment: [2, 5],
  /** a "silent" payer that finally answers after follow-up pays this long after the second inquiry */
  paymentAfterFollowUp: [1, 3],
  /** PAID_THEN_CORRECTED: the reversal and corrected payment follow the first payment by this long */
  correction: [5, 15],
} as const satisfies Record<string, readonly [number, number]>;
export type DelayKind = keyof typeof DELAY_DAYS;

export function delayDays(seed: number, kind: DelayKind, claimId: string, step: string | number): number {
  const [min, max] = DELAY_DAYS[kind];
  return uniform(rngFor(seed, 'delay', kind, claimId, step), min, max);
}

// ---- ids ----------------------------------------------------------------------------------------------

/** Deterministic ids: a restarted simulator with the same seed mints the same ones, so re-deliveries dedupe. */
export const simulatorIds = {
  clearinghouseRef: (seed: number, idempotencyKey: string) => `CH${alphaId(seed, 'ref', idempotencyKey)}`,
  ackId: (seed: number, idempotencyKey: string) => `ACK${alphaId(seed, 'ack', idempotencyKey)}`,
  payerClaimControlNo: (seed: number, claimId: string, attempt: number) => numericId(14, seed, 'icn', claimId, attempt),
  /** `purpose` names the event (attempt or appeal level); `salt` moves on in the unlikely case of a collision. */
  traceNumber: (seed: number, claimId: string, purpose: string, salt = 0) => numericId(15, seed, 'trn', claimId, purpose, salt),
  appealRef: (seed: number, idempotencyKey: string) => `APL${alphaId(seed, 'appeal', idempotencyKey)}`,
  decisionId: (seed: number, idempotencyKey: string) => `APD${alphaId(seed, 'decision', idempotencyKey)}`,
};

// ---- submission ---------------------------------------------------------------------------------------

export type Adjudication =
  | { kind: 'PAY'; patientResponsibility: boolean }
  | { kind: 'DENY'; carc: string; rarc?: string }
  /** accepted, then nothing until the provider has followed up enough times */
  | { kind: 'AWAIT_FOLLOW_UP' }
  | { kind: 'NONE'; why: 'SILENT_FOREVER' | 'VOID' };

export type SubmissionDecision =
  { accepted: false; rejectionCode: string; reason: string } | { accepted: true; adjudication: Adjudication };

export interface SubmissionContext {
  seed: number;
  claimId: string;
  attempt: number;
  frequencyCode: '1' | '7' | '8';
  scenario: Scenario;
  /** distinct submissions of this claim the payer saw before this one */
  priorSubmissions: number;
  /** an earlier remittance already paid this claim */
  alreadyPaid: boolean;
  /** distinct status inquiries received for the claim so far */
  statusInquiries: number;
}

/** Status inquiries a SILENT_THEN_PAY payer needs before it finally adjudicates. */
export const INQUIRIES_BEFORE_SILENT_PAYMENT = 2;

/** 277CA front-end rejections: the claim never reached adjudication, so it is fixed and resubmitted. */
const FRONT_END_REJECTIONS = [
  'Subscriber ID invalid',
  'Subscriber name does not match payer records',
  'Patient date of birth does not match payer records',
  'Billing provider NPI not on file with the payer',
] as const;

export function decideSubmission(ctx: SubmissionContext): SubmissionDecision {
  if (ctx.scenario === 'FRONT_END_REJECT' && ctx.priorSubmissions === 0) {
    const reason = pickOne(rngFor(ctx.seed, 'rejection', ctx.claimId), FRONT_END_REJECTIONS);
    return { accepted: false, rejectionCode: 'A7', reason };
  }
  if (ctx.frequencyCode === '8') return { accepted: true, adjudication: { kind: 'NONE', why: 'VOID' } };
  // A second original for a claim already paid is what payers deny as an exact duplicate.
  if (ctx.frequencyCode === '1' && ctx.alreadyPaid) {
    return { accepted: true, adjudication: { kind: 'DENY', carc: '18' } };
  }
  return { accepted: true, adjudication: adjudicationFor(ctx) };
}

function adjudicationFor(ctx: SubmissionContext): Adjudication {
  switch (ctx.scenario) {
    case 'PAY_IN_FULL':
    case 'FRONT_END_REJECT':
      return { kind: 'PAY', patientResponsibility: false };
    case 'PARTIAL_PATIENT_RESP':
      return { kind: 'PAY', patientResponsibility: true };
    case 'PAID_THEN_CORRECTED':
    case 'UNDERPAY':
      return { kind: 'PAY', patientResponsibility: false };
    case 'SILENT_THEN_PAY':
      return ctx.statusInquiries >= INQUIRIES_BEFORE_SILENT_PAYMENT
        ? { kind: 'PAY', patientResponsibility: false }
        : { kind: 'AWAIT_FOLLOW_UP' };
    case 'SILENT_FOREVER':
      return { kind: 'NONE', why: 'SILENT_FOREVER' };
    case 'CODING_DENIAL':
      if (ctx.frequencyCode === '7') return { kind: 'PAY', patientResponsibility: false };
      return pickOne(rngFor(ctx.seed, 'coding-denial', ctx.claimId), [
        { kind: 'DENY', carc: '11', rarc: 'M76' },
        { kind: 'DENY', carc: '97', rarc: 'M15' },
      ] as const);
    case 'DENY_APPEAL_OVERTURNED':
    case 'DENY_APPEAL_UPHELD':
      return { kind: 'DENY', carc: '50', rarc: 'N115' };
  }
}

// ---- appeals ------------------------------------------------------------------------------------------

export type AppealDecision = 'OVERTURNED' | 'UPHELD';

/** Only a medical-necessity denial in the overturn scenario is overturned; everything else is upheld. */
export function decideAppeal(scenario: Scenario | undefined, hasDenial: boolean): AppealDecision {
  return scenario === 'DENY_APPEAL_OVERTURNED' && hasDenial ? 'OVERTURNED' : 'UPHELD';
}

// ---- remittance ---------------------------------------------------------------------------------------

export interface PatientRespPlan {
  deductibleCents: Cents;
  coinsurancePercent: number;
  copayCents: Cents;
}

/** The member's cost sharing for one adjudication: a deductible, a coinsurance, a copay, or a mix. */
export function patientRespPlan(seed: number, claimId: string, attempt: number): PatientRespPlan {
  const rng = rngFor(seed, 'patient-resp', claimId, attempt);
  const variant = pickOne(rng, ['DEDUCTIBLE', 'COINSURANCE', 'DEDUCTIBLE_COINSURANCE', 'COPAY'] as const);
  switch (variant) {
    case 'DEDUCTIBLE':
      return { deductibleCents: intBetween(rng, 10, 50) * 500, coinsurancePercent: 0, copayCents: 0 };
    case 'COINSURANCE':
      return { deductibleCents: 0, coinsurancePercent: 20, copayCents: 0 };
    case 'DEDUCTIBLE_COINSURANCE':
      return { deductibleCents: intBetween(rng, 4, 20) * 500, coinsurancePercent: 20, copayCents: 0 };
    case 'COPAY':
      return { deductibleCents: 0, coinsurancePercent: 0, copayCents: pickOne(rng, [2_000, 3_000, 4_000]) };
  }
}

export type RemittedLine = Pick<SubmittedLine, 'lineNo' | 'procedureCode' | 'units' | 'chargeCents'>;

export interface RemittanceClaimInput {
  claimId: string;
  payerClaimControlNo?: string;
  lines: RemittedLine[];
  outcome: { kind: 'PAY'; plan?: PatientRespPlan; underpaidPercent?: number } | { kind: 'DENY'; carc: string; rarc?: string };
}

/** UNDERPAY: how far below its own fee schedule the payer allows each line. */
export const UNDERPAID_PERCENT = 10;

/**
 * One claim's 835 CLP/SVC/CAS content. Every line balances (charge = paid + its adjustments) and the claim
 * totals are the sums of its lines, which is what claimflow's posting checks.
 */
export function remittanceClaim(input: RemittanceClaimInput): RemittanceClaim {
  const lines = [...input.lines].sort((a, b) => a.lineNo - b.lineNo);
  const remitted: RemittanceLine[] = [];
  const adjustments: RemittanceAdjustment[] = [];
  const add = (adj: RemittanceAdjustment) => {
    if (adj.amountCents !== 0) adjustments.push(adj);
  };

  if (input.outcome.kind === 'DENY') {
    const { carc, rarc } = input.outcome;
    for (const line of lines) {
      remitted.push({ lineNo: line.lineNo, procedureCode: line.procedureCode, chargeCents: line.chargeCents, paidCents: 0 });
      add({ lineNo: line.lineNo, groupCode: 'CO', carc, amountCents: line.chargeCents, ...(rarc ? { rarc } : {}) });
    }
    return claimTotals(input, '4', remitted, adjustments);
  }

  const plan = input.outcome.plan;
  const keptPercent = 100 - (input.outcome.underpaidPercent ?? 0);
  let deductibleLeft = plan?.deductibleCents ?? 0;
  let copayLeft = plan?.copayCents ?? 0;
  for (const line of lines) {
    const allowed = Math.round((allowedCents(line) * keptPercent) / 100);
    const deductible = Math.min(deductibleLeft, allowed);
    deductibleLeft -= deductible;
    const afterDeductible = allowed - deductible;
    // Rounded up so a small coinsurance is never lost to rounding.
    const coinsurance = Math.ceil((afterDeductible * (plan?.coinsurancePercent ?? 0)) / 100);
    const copay = Math.min(copayLeft, afterDeductible - coinsurance);
    copayLeft -= copay;
    const paid = allowed - deductible - coinsurance - copay;
    remitted.push({ lineNo: line.lineNo, procedureCode: line.procedureCode, chargeCents: line.chargeCents, paidCents: paid });
    add({ lineNo: line.lineNo, groupCode: 'CO', carc: '45', amountCents: line.chargeCents - allowed });
    add({ lineNo: line.lineNo, groupCode: 'PR', carc: '1', amountCents: deductible });
    add({ lineNo: line.lineNo, groupCode: 'PR', carc: '2', amountCents: coinsurance });
    add({ lineNo: line.lineNo, groupCode: 'PR', carc: '3', amountCents: copay });
  }
  return claimTotals(input, '1', remitted, adjustments);
}

function claimTotals(
  input: RemittanceClaimInput,
  statusCode: RemittanceClaim['statusCode'],
  lines: RemittanceLine[],
  adjustments: RemittanceAdjustment[],
): RemittanceClaim {
  return {
    claimId: input.claimId,
    statusCode,
    chargeCents: sum(lines.map((l) => l.chargeCents)),
    paidCents: sum(lines.map((l) => l.paidCents)),
    patientRespCents: sum(adjustments.filter((a) => a.groupCode === 'PR').map((a) => a.amountCents)),
    ...(input.payerClaimControlNo ? { payerClaimControlNo: input.payerClaimControlNo } : {}),
    adjustments,
    lines,
  };
}

export function remittanceMessage(input: {
  payerElectronicId: string;
  traceNumber: string;
  paymentDate: string;
  claims: RemittanceClaim[];
  providerAdjustments?: ProviderAdjustmentMessage[];
}): RemittanceMessage {
  const plb = input.providerAdjustments ?? [];
  // BPR02: the claims' payments less the provider-level adjustments (a negative PLB, e.g. interest, adds to it).
  const paymentCents = sum(input.claims.map((c) => c.paidCents)) - sum(plb.map((a) => a.amountCents));
  return {
    payerElectronicId: input.payerElectronicId,
    traceNumber: input.traceNumber,
    paymentDate: input.paymentDate,
    // An 835 that moves no money still goes out, as a "non-payment" remittance.
    paymentMethod: paymentCents > 0 ? 'ACH' : 'NON',
    paymentCents,
    claims: input.claims,
    ...(plb.length ? { providerAdjustments: plb } : {}),
  };
}

/** CLP02 22: the earlier payment of a claim taken back whole, every amount negated (the 835's way of reversing). */
export function reversalOf(paid: RemittanceClaim): RemittanceClaim {
  return {
    ...paid,
    statusCode: '22',
    chargeCents: -paid.chargeCents,
    paidCents: -paid.paidCents,
    patientRespCents: -paid.patientRespCents,
    adjustments: paid.adjustments.map((a) => ({ ...a, amountCents: -a.amountCents })),
    lines: paid.lines.map((l) => ({ ...l, chargeCents: -l.chargeCents, paidCents: -l.paidCents })),
  };
}

/**
 * PLB L6: prompt-pay interest on a claim paid late (after the provider had to follow up): 1% of the payment,
 * rounded up. Negative, because it adds to the payment. None on a claim that paid nothing.
 */
export function promptPayInterest(claim: RemittanceClaim, provider: { npi: string; paymentDate: string }): ProviderAdjustmentMessage[] {
  if (claim.paidCents <= 0) return [];
  return [
    {
      providerId: provider.npi,
      // The provider's fiscal period: the calendar year of the payment.
      fiscalPeriodDate: `${provider.paymentDate.slice(0, 4)}-12-31`,
      reasonCode: 'L6',
      referenceId: claim.payerClaimControlNo ?? claim.claimId,
      amountCents: -Math.ceil(claim.paidCents / 100),
    },
  ];
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

// ---- status (276/277) ---------------------------------------------------------------------------------

/** What the payer knows about a claim at the moment of an inquiry, reduced to what the answer needs. */
export type ClaimStatusView =
  | { kind: 'UNKNOWN' }
  | { kind: 'RECEIVED' }
  | { kind: 'REJECTED'; reason: string }
  | { kind: 'IN_PROCESS' }
  | { kind: 'VOIDED' }
  | { kind: 'PAID' }
  | { kind: 'DENIED'; carc: string };

export function statusAnswer(view: ClaimStatusView): StatusAnswer {
  switch (view.kind) {
    case 'UNKNOWN':
      return { category: 'NOT_FOUND', statusCode: 'A4', message: 'The payer has no record of this claim.' };
    case 'RECEIVED':
      return {
        category: 'PENDING',
        statusCode: 'A1',
        message: 'Received by the clearinghouse; the payer has not acknowledged it yet.',
      };
    case 'REJECTED':
      return {
        category: 'REJECTED',
        statusCode: 'A7',
        message: `Rejected at the payer's front end (${view.reason}); correct and resubmit.`,
      };
    case 'IN_PROCESS':
      return { category: 'PENDING', statusCode: 'P1', message: 'Accepted by the payer and pending adjudication.' };
    case 'VOIDED':
      return { category: 'FINALIZED', statusCode: 'F0', message: 'The void was processed; no further action.' };
    case 'PAID':
      return { category: 'FINALIZED', statusCode: 'F1', message: 'Finalized and paid; the remittance has been issued.' };
    case 'DENIED':
      return {
        category: 'FINALIZED',
        statusCode: 'F2',
        message: `Finalized and denied (CARC ${view.carc}); see the remittance advice.`,
      };
  }
}
