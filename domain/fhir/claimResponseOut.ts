// The payer's adjudication of a claim, as claimflow posted it from 835 remittances (ClaimPayment, LinePayment,
// PaymentAdjustment), as a FHIR R4 ClaimResponse and ExplanationOfBenefit. Every payment of the claim counts:
// a reversal (CLP02 22) cancels the payment it reverses and the correction that follows it adds its own. Pure.
import type {
  ClaimResponse,
  ClaimResponseError,
  ClaimResponseItemAdjudication,
  ClaimResponsePayment,
  ClaimResponseTotal,
  ExplanationOfBenefit,
} from '@medplum/fhirtypes';
import { carcMeaning, groupMeaning } from '../adjustmentReasons';
import { claimIdentifiers, coded, procedureConcept, PROFESSIONAL, usd, type ClaimRecord } from './claimOut';
import { SYSTEMS } from './systems';

/** One claim payment of a remittance, in the order the remittances were received. */
export interface AdjudicationRecord {
  /** 835 CLP02: 1-3 processed, 4 denied, 22 reversal */
  statusCode: string;
  chargeCents: number;
  paidCents: number;
  patientRespCents: number;
  payerClaimControlNo: string | null;
  /** the remittance's payment date, YYYY-MM-DD */
  paymentDate: string;
  traceNumber: string;
  /** ISO 8601 instant the remittance was received */
  receivedAt: string;
  lines: { lineNo: number; paidCents: number }[];
  adjustments: { lineNo: number | null; groupCode: string; carc: string; rarc: string | null; amountCents: number }[];
}

export type Outcome = ClaimResponse['outcome'];

const category = {
  submitted: coded(SYSTEMS.adjudication, 'submitted', 'Submitted Amount'),
  eligible: coded(SYSTEMS.adjudication, 'eligible', 'Eligible Amount'),
  benefit: coded(SYSTEMS.adjudication, 'benefit', 'Benefit Amount'),
  memberLiability: coded(SYSTEMS.c4bbAdjudication, 'memberliability', 'Member liability'),
};

/**
 * What the payer decided: nothing yet (null), a denial (error), a reversal awaiting its correction (queued), some
 * lines refused while others were paid (partial), or paid as billed less contractual and patient shares (complete).
 */
export function outcomeOf(payments: readonly AdjudicationRecord[], claim: Pick<ClaimRecord, 'lines'>): Outcome | null {
  const last = payments.at(-1);
  if (!last) return null;
  if (last.statusCode === '4') return 'error';
  if (last.statusCode === '22') return 'queued';
  const lines = lineFigures(payments, claim);
  const refused = lines.some((l) => l.submitted > 0 && l.paid === 0 && l.memberLiability === 0);
  return refused && lines.some((l) => l.paid > 0) ? 'partial' : 'complete';
}

interface LineFigures {
  lineNo: number;
  submitted: number;
  paid: number;
  memberLiability: number;
  adjustments: Map<string, { groupCode: string; carc: string; amountCents: number }>;
}

function lineFigures(payments: readonly AdjudicationRecord[], claim: Pick<ClaimRecord, 'lines'>): LineFigures[] {
  const byLine = new Map<number, LineFigures>(
    claim.lines.map((l) => [l.lineNo, { lineNo: l.lineNo, submitted: l.chargeCents, paid: 0, memberLiability: 0, adjustments: new Map() }]),
  );
  for (const p of payments) {
    for (const l of p.lines) {
      const f = byLine.get(l.lineNo);
      if (f) f.paid += l.paidCents;
    }
    for (const a of p.adjustments) {
      const f = a.lineNo === null ? undefined : byLine.get(a.lineNo);
      if (f) addAdjustment(f.adjustments, a);
      if (f && a.groupCode === 'PR') f.memberLiability += a.amountCents;
    }
  }
  return [...byLine.values()];
}

function addAdjustment(
  into: Map<string, { groupCode: string; carc: string; amountCents: number }>,
  a: AdjudicationRecord['adjustments'][number],
) {
  const key = `${a.groupCode}|${a.carc}`;
  const seen = into.get(key);
  if (seen) seen.amountCents += a.amountCents;
  else into.set(key, { groupCode: a.groupCode, carc: a.carc, amountCents: a.amountCents });
}

/** One adjudication per adjustment group and CARC that did not cancel out: the reason is the CARC. */
function adjustmentAdjudications(
  adjustments: Iterable<{ groupCode: string; carc: string; amountCents: number }>,
): ClaimResponseItemAdjudication[] {
  return [...adjustments]
    .filter((a) => a.amountCents !== 0)
    .map((a) => ({
      category: coded(SYSTEMS.adjustmentGroup, a.groupCode, groupMeaning(a.groupCode).meaning),
      reason: coded(SYSTEMS.carc, a.carc, carcMeaning(a.carc).meaning),
      amount: usd(a.amountCents),
    }));
}

function itemAdjudication(l: LineFigures): ClaimResponseItemAdjudication[] {
  return [
    { category: category.submitted, amount: usd(l.submitted) },
    { category: category.eligible, amount: usd(l.paid + l.memberLiability) },
    { category: category.benefit, amount: usd(l.paid) },
    { category: category.memberLiability, amount: usd(l.memberLiability) },
    ...adjustmentAdjudications(l.adjustments.values()),
  ];
}

interface Adjudicated {
  outcome: Outcome;
  disposition: string;
  items: { itemSequence: number; adjudication: ClaimResponseItemAdjudication[] }[];
  claimLevel: ClaimResponseItemAdjudication[];
  total: ClaimResponseTotal[];
  payment?: ClaimResponsePayment;
  error: ClaimResponseError[];
  created: string;
  payerClaimControlNo: string | null;
}

const DISPOSITION: Record<Outcome, string> = {
  complete: 'Processed: paid as adjudicated',
  partial: 'Processed: some items were not paid',
  error: 'Denied',
  queued: 'The payment was reversed; awaiting the corrected adjudication',
};

function adjudicate(claim: ClaimRecord, payments: readonly AdjudicationRecord[]): Adjudicated | null {
  const outcome = outcomeOf(payments, claim);
  const last = payments.at(-1);
  if (!outcome || !last) return null;
  const lines = lineFigures(payments, claim);
  const claimLevel = new Map<string, { groupCode: string; carc: string; amountCents: number }>();
  for (const p of payments) for (const a of p.adjustments) if (a.lineNo === null) addAdjustment(claimLevel, a);
  const paid = payments.reduce((s, p) => s + p.paidCents, 0);
  const memberLiability = payments.reduce((s, p) => s + p.patientRespCents, 0);
  const denialReasons = outcome === 'error' ? [...new Set(last.adjustments.filter((a) => a.groupCode !== 'PR').map((a) => a.carc))] : [];
  return {
    outcome,
    disposition: DISPOSITION[outcome],
    items: lines.map((l) => ({ itemSequence: l.lineNo, adjudication: itemAdjudication(l) })),
    claimLevel: adjustmentAdjudications(claimLevel.values()),
    total: [
      { category: category.submitted, amount: usd(claim.totalChargeCents) },
      { category: category.eligible, amount: usd(paid + memberLiability) },
      { category: category.benefit, amount: usd(paid) },
      { category: category.memberLiability, amount: usd(memberLiability) },
    ],
    ...(paid !== 0
      ? {
          payment: {
            type: coded(SYSTEMS.paymentType, outcome === 'complete' ? 'complete' : 'partial'),
            date: last.paymentDate,
            amount: usd(paid),
            identifier: { system: 'urn:claimflow:remittance-trace', value: last.traceNumber },
          },
        }
      : {}),
    error: denialReasons.map((carc) => ({ code: coded(SYSTEMS.carc, carc, carcMeaning(carc).meaning) })),
    created: last.receivedAt,
    payerClaimControlNo: [...payments].reverse().find((p) => p.payerClaimControlNo)?.payerClaimControlNo ?? null,
  };
}

const insurer = (c: ClaimRecord) => ({
  reference: `Organization/${c.payerId}`,
  identifier: { system: SYSTEMS.claimflowPayer, value: c.payerId },
  display: c.payerName,
});

/** The ClaimResponse (id: the claim's id), or null before the payer has adjudicated the claim. */
export function claimResponseOut(claim: ClaimRecord, payments: readonly AdjudicationRecord[]): ClaimResponse | null {
  const a = adjudicate(claim, payments);
  if (!a) return null;
  return {
    resourceType: 'ClaimResponse',
    id: claim.id,
    ...(a.payerClaimControlNo
      ? { identifier: [{ system: 'urn:claimflow:payer-claim-control-number', value: a.payerClaimControlNo }] }
      : {}),
    status: 'active',
    type: PROFESSIONAL,
    use: 'claim',
    patient: { reference: `Patient/${claim.patientId}` },
    created: a.created,
    insurer: insurer(claim),
    requestor: { reference: `Practitioner/${claim.providerId}` },
    request: { reference: `Claim/${claim.id}`, identifier: claimIdentifiers(claim)[0] },
    outcome: a.outcome,
    disposition: a.disposition,
    item: a.items,
    ...(a.claimLevel.length > 0 ? { adjudication: a.claimLevel } : {}),
    total: a.total,
    ...(a.payment ? { payment: a.payment } : {}),
    ...(a.error.length > 0 ? { error: a.error } : {}),
  };
}

/** The ExplanationOfBenefit (id: the claim's id): the claim and its adjudication together, or null before adjudication. */
export function explanationOfBenefitOut(claim: ClaimRecord, payments: readonly AdjudicationRecord[]): ExplanationOfBenefit | null {
  const a = adjudicate(claim, payments);
  if (!a) return null;
  const byLine = new Map(a.items.map((i) => [i.itemSequence, i.adjudication]));
  return {
    resourceType: 'ExplanationOfBenefit',
    id: claim.id,
    identifier: claimIdentifiers(claim),
    status: 'active',
    type: PROFESSIONAL,
    use: 'claim',
    patient: { reference: `Patient/${claim.patientId}` },
    billablePeriod: { start: claim.dateOfService, end: claim.dateOfService },
    created: a.created,
    insurer: insurer(claim),
    provider: { reference: `Practitioner/${claim.providerId}`, identifier: { system: SYSTEMS.npi, value: claim.providerNpi } },
    claim: { reference: `Claim/${claim.id}` },
    claimResponse: { reference: `ClaimResponse/${claim.id}` },
    outcome: a.outcome,
    disposition: a.disposition,
    insurance: [{ focal: true, coverage: { reference: `Coverage/${claim.coverageId}` } }],
    diagnosis: claim.diagnoses.map((d) => ({ sequence: d.seq, diagnosisCodeableConcept: coded(SYSTEMS.icd10cm, d.code) })),
    item: claim.lines.map((l) => ({
      sequence: l.lineNo,
      diagnosisSequence: l.diagnosisPointers,
      productOrService: procedureConcept(l.procedureCode),
      ...(l.modifiers.length > 0 ? { modifier: l.modifiers.map((m) => ({ coding: [{ code: m }] })) } : {}),
      servicedDate: claim.dateOfService,
      locationCodeableConcept: coded(SYSTEMS.placeOfService, claim.placeOfService),
      quantity: { value: l.units },
      net: usd(l.chargeCents),
      adjudication: byLine.get(l.lineNo) ?? [],
    })),
    ...(a.claimLevel.length > 0 ? { adjudication: a.claimLevel } : {}),
    total: a.total,
    ...(a.payment
      ? { payment: { type: a.payment.type, date: a.payment.date, amount: a.payment.amount, identifier: a.payment.identifier } }
      : {}),
  };
}
