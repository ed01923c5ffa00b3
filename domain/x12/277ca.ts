// The 277CA claim acknowledgement (005010X214): each claim accepted into the payer's system or rejected at
// the front door, plus the batch- and provider-level counts. Also reads 277 status responses (X212).
import type { Transaction } from './envelope';
import type { Segment } from './scanner';
import { components, type Delimiters } from './delimiters';
import { X12SyntaxError } from './syntaxError';
import type { Cents } from './money';
import { phi, type Name, type Phi } from './phi';
import { nameOf } from './nm1';
import { categoryOutcome, describeStatus, type StatusOutcome } from './statusCodes';
import { el, isoDate, opt, optionalMoney, quantity, required, structureError } from './values';

export interface ClaimAcknowledgement277 {
  /** ST02. */
  controlNumber: string;
  /** BHT03: the payer's or clearinghouse's reference for this acknowledgement. */
  reference?: string;
  /** BHT04. */
  date?: string;
  /** Loop 2000A/2100A: who answers. */
  payer?: { name: string; idQualifier?: string; id?: string; receivedDate?: string; processDate?: string };
  /** Loop 2000B/2200B: the batch as a whole (our submitter id, our BHT03 as trace number). */
  batches: BatchStatus277[];
  /** Loop 2000C/2200C: per billing provider. */
  providers: BatchStatus277[];
  /** Loop 2000D/2200D (and 277 X212's subscriber/dependent levels): per claim. */
  claims: ClaimStatus277[];
  /** What did not stop the parse but is left out (a date that is not a date). */
  warnings: X12SyntaxError[];
}

/** One status composite of an STC (STC01, STC10 or STC11). */
export interface Status277 {
  /** Category (A1, A2, A7, F2, ...). */
  category: string;
  /** Status code (20, 21, 562, ...). */
  code: string;
  /** Entity the status is about (85 billing provider, IL subscriber, ...). */
  entity?: string;
  outcome: StatusOutcome;
  /** Our wording, e.g. "rejected, information invalid: NPI (billing provider)". */
  text: string;
}

/** One STC segment. */
export interface StatusReport277 {
  segmentIndex: number;
  statuses: Status277[];
  /** STC02. */
  date?: string;
  /** STC03: WQ accept, U reject (277CA action codes). */
  action?: string;
  /** STC04: total charge of what the status is about. */
  amount?: Cents;
  /** STC05: amount paid (277 status responses). */
  paid?: Cents;
  /** STC12: free-form message. */
  message?: string;
}

export interface BatchStatus277 {
  name?: string;
  idQualifier?: string;
  id?: string;
  /** TRN02: for a batch, the BHT03 of our 837; for a provider, the provider-of-service trace number. */
  traceNumber?: string;
  reports: StatusReport277[];
  /** QTY*90 / QTY*AA. */
  acceptedCount?: number;
  rejectedCount?: number;
  /** AMT*YU / AMT*YY. */
  acceptedAmount?: Cents;
  rejectedAmount?: Cents;
}

export interface ClaimStatus277 {
  segmentIndex: number;
  /** TRN02: the claim id we sent (CLM01). */
  patientControlNumber: string;
  /** NM1*QC (or IL) of the claim's level. */
  patient?: Phi<Name>;
  /** Worst of all statuses: rejected, then pending, finalized, accepted. */
  outcome: StatusOutcome;
  /** Our words for the status that decided the outcome. */
  reason: string;
  /** STC04 of the first status report. */
  amount?: Cents;
  /** REF*1K: the payer's claim control number, needed for corrections and inquiries. */
  payerClaimControlNumber?: string;
  /** REF*BLT: institutional bill type. */
  billType?: string;
  references: { qualifier: string; value: string }[];
  serviceDate?: { from: string; to: string };
  reports: StatusReport277[];
  lines: LineStatus277[];
}

export interface LineStatus277 {
  segmentIndex: number;
  procedure: { qualifier: string; code: string; modifiers: string[] };
  charge?: Cents;
  paid?: Cents;
  units?: number;
  /** REF*FJ: the line item control number we sent. */
  controlNumber?: string;
  serviceDate?: { from: string; to: string };
  reports: StatusReport277[];
}

const OUTCOME_RANK: Record<StatusOutcome, number> = { rejected: 4, pending: 3, finalized: 2, accepted: 1, other: 0 };
const CLAIM_LEVELS = new Set(['PT', '22', '23']);

/** Reads one 277CA (or 277). Throws X12SyntaxError when a segment is where a 277 cannot have it. */
export function parse277CA(t: Transaction): ClaimAcknowledgement277 {
  const st = t.segments[0];
  if (t.setId !== '277') throw structureError(st, `this is a ${t.setId} transaction, not a 277`);
  const d = t.delimiters;
  const warnings: X12SyntaxError[] = [];
  const date = (seg: Segment, n: number): string | undefined => keep(warnings, () => isoDate(seg, n));
  const period = (seg: Segment): { from: string; to: string } | undefined => keep(warnings, () => periodOf(seg));

  const ack: ClaimAcknowledgement277 = { controlNumber: t.controlNumber, batches: [], providers: [], claims: [], warnings };
  let level = '';
  let holder: BatchStatus277 | undefined; // the 2000B/2000C entity
  let patient: Phi<Name> | undefined;
  let claim: ClaimStatus277 | undefined;
  let line: LineStatus277 | undefined;

  for (const seg of t.segments) {
    switch (seg.id) {
      case 'BHT':
        ack.reference = opt(seg, 3);
        ack.date = date(seg, 4);
        break;
      case 'HL':
        level = required(seg, 3);
        claim = undefined;
        line = undefined;
        patient = undefined;
        holder = undefined;
        if (level === '21') ack.batches.push((holder = { reports: [] }));
        else if (level === '19') ack.providers.push((holder = { reports: [] }));
        break;
      case 'NM1': {
        const name = nameOf(seg);
        if (level === '20') ack.payer = { name: name.lastName, idQualifier: name.idQualifier, id: name.id };
        else if (holder) Object.assign(holder, { name: name.lastName, idQualifier: name.idQualifier, id: name.id });
        else if (CLAIM_LEVELS.has(level)) patient = phi(name);
        break;
      }
      case 'TRN':
        if (CLAIM_LEVELS.has(level)) {
          // Each claim loop (2200D) opens with its tracking number.
          line = undefined;
          claim = {
            segmentIndex: seg.index,
            patientControlNumber: required(seg, 2),
            patient,
            outcome: 'other',
            reason: '',
            references: [],
            reports: [],
            lines: [],
          };
          ack.claims.push(claim);
        } else if (holder) holder.traceNumber = opt(seg, 2);
        break;
      case 'STC': {
        const report = reportOf(seg, d, date);
        const target = line ?? claim ?? holder;
        if (!target) throw structureError(seg, 'STC outside a batch, provider or claim level');
        target.reports.push(report);
        break;
      }
      case 'QTY':
        if (holder && el(seg, 1) === '90') holder.acceptedCount = quantity(seg, 2);
        if (holder && el(seg, 1) === 'AA') holder.rejectedCount = quantity(seg, 2);
        break;
      case 'AMT':
        if (holder && el(seg, 1) === 'YU') holder.acceptedAmount = optionalMoney(seg, 2);
        if (holder && el(seg, 1) === 'YY') holder.rejectedAmount = optionalMoney(seg, 2);
        break;
      case 'REF':
        if (line) {
          if (el(seg, 1) === 'FJ') line.controlNumber = opt(seg, 2);
        } else if (claim) {
          const ref = { qualifier: el(seg, 1), value: el(seg, 2) };
          claim.references.push(ref);
          if (ref.qualifier === '1K') claim.payerClaimControlNumber = ref.value;
          if (ref.qualifier === 'BLT') claim.billType = ref.value;
        }
        break;
      case 'DTP':
        if (level === '20' && ack.payer) {
          if (el(seg, 1) === '050') ack.payer.receivedDate = date(seg, 3);
          if (el(seg, 1) === '009') ack.payer.processDate = date(seg, 3);
        } else if (el(seg, 1) === '472') {
          const target = line ?? claim;
          if (target) target.serviceDate = period(seg);
        }
        break;
      case 'SVC': {
        if (!claim) throw structureError(seg, 'SVC outside a claim (no TRN before it)');
        const [qualifier = '', code = '', ...modifiers] = components(required(seg, 1), d);
        line = {
          segmentIndex: seg.index,
          procedure: { qualifier, code, modifiers: modifiers.slice(0, 4).filter(Boolean) },
          charge: optionalMoney(seg, 2),
          paid: optionalMoney(seg, 3),
          units: quantity(seg, 7),
          reports: [],
        };
        claim.lines.push(line);
        break;
      }
    }
  }
  for (const c of ack.claims) Object.assign(c, verdict(c));
  return ack;
}

function reportOf(seg: Segment, d: Delimiters, date: (seg: Segment, n: number) => string | undefined): StatusReport277 {
  const statuses: Status277[] = [];
  for (const n of [1, 10, 11]) {
    const composite = opt(seg, n);
    if (composite === undefined) continue;
    const [category = '', code = '', entity] = components(composite, d);
    statuses.push({
      category,
      code,
      entity: entity || undefined,
      outcome: categoryOutcome(category),
      text: describeStatus(category, code, entity || undefined),
    });
  }
  if (statuses.length === 0)
    throw new X12SyntaxError({
      code: 'missing-element',
      segmentIndex: seg.index,
      segmentId: 'STC',
      element: 1,
      reason: 'required element is missing',
    });
  return {
    segmentIndex: seg.index,
    statuses,
    date: date(seg, 2),
    action: opt(seg, 3),
    amount: optionalMoney(seg, 4),
    paid: optionalMoney(seg, 5),
    message: opt(seg, 12),
  };
}

// A claim is as good as its worst status: one rejection among acceptances still means fix and resubmit.
function verdict(c: ClaimStatus277): Pick<ClaimStatus277, 'outcome' | 'reason' | 'amount'> {
  const all = [...c.reports, ...c.lines.flatMap((l) => l.reports)].flatMap((r) => r.statuses);
  let worst: Status277 | undefined;
  for (const s of all) if (!worst || OUTCOME_RANK[s.outcome] > OUTCOME_RANK[worst.outcome]) worst = s;
  return { outcome: worst?.outcome ?? 'other', reason: worst?.text ?? 'no status reported', amount: c.reports[0]?.amount };
}

// DTP*472: D8 (one date) or RD8 (from-to, separated by a hyphen).
function periodOf(seg: Segment): { from: string; to: string } | undefined {
  const format = el(seg, 2);
  const text = required(seg, 3);
  const [fromText, toText = fromText] = format === 'RD8' ? text.split('-') : [text];
  const from = isoDate(seg, 3, fromText);
  const to = isoDate(seg, 3, toText);
  return from && to ? { from, to } : undefined;
}

function keep<T>(warnings: X12SyntaxError[], read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof X12SyntaxError)) throw err;
    warnings.push(err);
    return undefined;
  }
}
