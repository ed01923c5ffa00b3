// The 277 claim status response (005010X212): for each claim asked about in a 276, the payer's status (STC: category,
// status code, entity; effective date, charge, payment, check or EFT number), at claim and service-line level, plus
// statuses that answer a whole receiver or provider (E0: the inquiry itself was wrong). write277 is the simulated
// payer's answer; read277 and claimStatusFromResponse say what a follow-up task should do.
import type { IsoDate } from '../clearinghouse';
import type { Transaction } from './envelope';
import type { Segment } from './scanner';
import { components, type Delimiters } from './delimiters';
import { writeInterchange, d8, type EnvelopeArgs } from './envelopeWriter';
import { X12GenerationError } from './generationError';
import { HierarchyReader, CLAIM_STATUS_LEVELS } from './hierarchy';
import {
  keep,
  LevelNumbers,
  memberOf,
  partyOf,
  periodOf,
  writeParty,
  writePeriod,
  type Member,
  type Party,
  type Period,
} from './inquiryParts';
import { dropUndefined } from './270';
import { CLAIM_REFERENCES, serviceOf, writeChain, writeService, type InquiredLine, type Procedure } from './276';
import { formatX12Amount, type Cents } from './money';
import { phi } from './phi';
import type { SegmentWriter } from './segmentWriter';
import { describeComposite, followUpFor, type ClaimFollowUp, type StatusComposite } from './statusCodes';
import { X12SyntaxError } from './syntaxError';
import { el, isoDate, opt, optionalMoney, required, structureError } from './values';

export const IMPLEMENTATION_277 = '005010X212';

/** One STC as a payer writes it. */
export interface StatusReportInput {
  /** STC01, then STC10 and STC11 when the payer has more to say. */
  statuses: StatusComposite[];
  /** STC02: since when this status holds. */
  effectiveDate: IsoDate;
  /** STC04: total claim charge (claim level). */
  charge?: Cents;
  /** STC05: claim payment amount. */
  paid?: Cents;
  /** STC06: adjudication or finalized date. */
  adjudicatedDate?: IsoDate;
  /** STC07: ACH, BOP, CHK, FWT, NON. */
  paymentMethod?: string;
  /** STC08: check issue or EFT effective date. */
  paymentDate?: IsoDate;
  /** STC09: check or EFT trace number, what the 835's TRN02 will carry. */
  checkNumber?: string;
}

export interface StatusReport277 extends Omit<StatusReportInput, 'statuses' | 'effectiveDate'> {
  segmentIndex: number;
  statuses: (StatusComposite & { text: string })[];
  effectiveDate?: IsoDate;
  /** STC12 (not used by X212, kept when a payer sends it). */
  message?: string;
}

export interface AnsweredLine extends InquiredLine {
  /** SVC03. */
  paid?: Cents;
  reports: StatusReportInput[];
}

export interface AnsweredClaim {
  /** TRN02 (TRN*2): the 276's trace number, echoed. */
  trace: string;
  /** REF*EJ: the patient control number (our CLM01). */
  patientControlNumber?: string;
  /** REF*1K: the payer's claim control number. */
  payerClaimControlNumber?: string;
  billType?: string;
  prescriptionNumber?: string;
  clearinghouseTrace?: string;
  /** REF*VV: the voucher (remittance) identifier. */
  voucher?: string;
  serviceDate?: Period;
  reports: StatusReportInput[];
  lines?: AnsweredLine[];
}

/** A status about a whole receiver (2200B) or provider (2200C). */
export interface LevelStatusInput {
  /** TRN02: 2200B echoes the 276's BHT03; 2200C a provider trace number. */
  trace: string;
  reports: StatusReportInput[];
}

export interface ClaimStatusAnswerInput {
  payer: Party;
  receiver: Party & { status?: LevelStatusInput };
  provider?: Party & { status?: LevelStatusInput };
  subscriber?: Member;
  dependent?: Member;
  claim?: AnsweredClaim;
}

export interface LineStatus277 extends Omit<AnsweredLine, 'reports'> {
  segmentIndex: number;
  reports: StatusReport277[];
  followUp: ClaimFollowUp;
}

export interface ClaimStatus277 extends Omit<AnsweredClaim, 'reports' | 'lines'> {
  segmentIndex: number;
  payer: Party;
  receiver: Party;
  provider: Party;
  subscriber: Member;
  dependent?: Member;
  reports: StatusReport277[];
  lines: LineStatus277[];
  /** From the current claim-level STC (the latest effective date; the first of equals). */
  followUp: ClaimFollowUp;
}

export interface LevelStatus277 {
  party: Party;
  trace?: string;
  reports: StatusReport277[];
  followUp: ClaimFollowUp;
}

export interface ClaimStatusResponse277 {
  controlNumber: string;
  /** BHT03. */
  reference?: string;
  date?: IsoDate;
  time?: string;
  /** 2200B: statuses about the whole inquiry of a receiver. */
  receiverStatuses: LevelStatus277[];
  /** 2200C: statuses about everything asked for one provider. */
  providerStatuses: LevelStatus277[];
  claims: ClaimStatus277[];
  warnings: X12SyntaxError[];
}

export interface Write277Input extends EnvelopeArgs {
  /** BHT03: the payer's reference for this response. */
  reference: string;
  answers: ClaimStatusAnswerInput[];
}

// ---- writing ----

export function write277(input: Write277Input): string {
  if (input.answers.length === 0) throw new X12GenerationError(undefined, 'answers', 'must hold at least one answer');
  return writeInterchange({ ...input, functionalId: 'HN', implementation: IMPLEMENTATION_277, setId: '277' }, (w) => {
    w.segment('BHT', '0010', '08', input.reference, d8(input.now.date), input.now.time, 'DG');
    const hl = new LevelNumbers();
    input.answers.forEach((a, i) => {
      const field = `answers[${i}]`;
      if (a.claim) {
        if (!a.provider || !a.subscriber)
          throw new X12GenerationError(a.claim.trace, `${field}.${a.provider ? 'subscriber' : 'provider'}`, 'is required with a claim');
        // A claim answer: no 2200B/2200C statuses, the claim's own tell it all.
        writeChain(w, hl, { ...a, provider: a.provider, subscriber: a.subscriber }, field, { demographics: false });
        writeAnsweredClaim(w, a.claim, `${field}.claim`);
        return;
      }
      if (a.subscriber || a.dependent) throw new X12GenerationError(undefined, `${field}.claim`, 'is required with a subscriber');
      const source = hl.next();
      w.segment('HL', source, '', '20', '1');
      writeParty(w, 'PR', a.payer, `${field}.payer`);
      const receiver = hl.next();
      w.segment('HL', receiver, source, '21', a.provider ? '1' : '0');
      writeParty(w, '41', a.receiver, `${field}.receiver`);
      if (a.receiver.status) writeLevelStatus(w, '2', a.receiver.status, `${field}.receiver.status`);
      if (!a.provider) return;
      w.segment('HL', hl.next(), receiver, '19', '0');
      writeParty(w, '1P', a.provider, `${field}.provider`);
      if (a.provider.status) writeLevelStatus(w, '1', a.provider.status, `${field}.provider.status`);
    });
  });
}

function writeLevelStatus(w: SegmentWriter, trnType: string, s: LevelStatusInput, field: string): void {
  if (s.reports.length === 0) throw new X12GenerationError(undefined, `${field}.reports`, 'must hold at least one status');
  w.segment('TRN', trnType, s.trace);
  for (const r of s.reports) writeReport(w, r, field);
}

function writeAnsweredClaim(w: SegmentWriter, c: AnsweredClaim, field: string): void {
  if (!c.trace) throw new X12GenerationError(undefined, `${field}.trace`, 'is required');
  if (c.reports.length === 0) throw new X12GenerationError(c.trace, `${field}.reports`, 'must hold at least one status');
  w.segment('TRN', '2', c.trace);
  for (const r of c.reports) writeReport(w, r, field);
  if (c.payerClaimControlNumber) w.segment('REF', '1K', c.payerClaimControlNumber);
  if (c.billType) w.segment('REF', 'BLT', c.billType);
  if (c.patientControlNumber) w.segment('REF', 'EJ', c.patientControlNumber);
  if (c.prescriptionNumber) w.segment('REF', 'XZ', c.prescriptionNumber);
  if (c.voucher) w.segment('REF', 'VV', c.voucher);
  if (c.clearinghouseTrace) w.segment('REF', 'D9', c.clearinghouseTrace);
  if (c.serviceDate) writePeriod(w, '472', c.serviceDate);
  (c.lines ?? []).forEach((l, i) => {
    if (l.reports.length === 0) throw new X12GenerationError(c.trace, `${field}.lines[${i}].reports`, 'must hold at least one status');
    if (!l.serviceDate) throw new X12GenerationError(c.trace, `${field}.lines[${i}].serviceDate`, 'is required (DTP*472 of the line)');
    writeService(w, l);
    for (const r of l.reports) writeReport(w, r, `${field}.lines[${i}]`);
    if (l.controlNumber) w.segment('REF', 'FJ', l.controlNumber);
    writePeriod(w, '472', l.serviceDate);
  });
}

function writeReport(w: SegmentWriter, r: StatusReportInput, field: string): void {
  const [first, second, third, ...more] = r.statuses;
  if (!first) throw new X12GenerationError(undefined, `${field}.statuses`, 'must hold at least one status');
  if (more.length > 0) throw new X12GenerationError(undefined, `${field}.statuses`, 'holds at most three statuses (STC01, STC10, STC11)');
  const composite = (s?: StatusComposite) => (s ? [s.category, s.code, s.entity ?? '', s.codeList ?? ''] : '');
  const amount = (c?: Cents) => (c === undefined ? '' : formatX12Amount(c));
  const date = (d?: IsoDate) => (d === undefined ? '' : d8(d));
  w.segment(
    'STC',
    composite(first),
    d8(r.effectiveDate),
    '',
    amount(r.charge),
    amount(r.paid),
    date(r.adjudicatedDate),
    r.paymentMethod ?? '',
    date(r.paymentDate),
    r.checkNumber ?? '',
    composite(second),
    composite(third),
  );
}

// ---- reading ----

interface PartyLevel {
  seg: Segment;
  code: string;
  parent?: PartyLevel;
  party?: Party;
  trace?: string;
  reports: StatusReport277[];
}

/** Reads one 277 (X212). Throws X12SyntaxError where a segment cannot be placed or an amount cannot be read. */
export function read277(t: Transaction): ClaimStatusResponse277 {
  const st = t.segments[0];
  if (t.setId !== '277') throw structureError(st, `this is a ${t.setId} transaction, not a 277`);
  if (t.implementation && t.implementation.startsWith('005010X214'))
    throw structureError(st, 'this is a 277CA claim acknowledgement (005010X214), read it with parse277CA');
  const d = t.delimiters;
  const warnings: X12SyntaxError[] = [];
  const response: ClaimStatusResponse277 = {
    controlNumber: t.controlNumber,
    receiverStatuses: [],
    providerStatuses: [],
    claims: [],
    warnings,
  };
  const hierarchy = new HierarchyReader(CLAIM_STATUS_LEVELS, '277');
  const parties = new Map<string, PartyLevel>();
  const members = new Map<string, { member: Member; provider: PartyLevel; subscriber?: Member }>();
  let party: PartyLevel | undefined;
  let member: { member: Member; provider: PartyLevel; subscriber?: Member } | undefined;
  let claim: ClaimStatus277 | undefined;
  let line: LineStatus277 | undefined;
  const date = (seg: Segment, n: number) => keep(warnings, () => isoDate(seg, n));

  for (const seg of t.segments) {
    switch (seg.id) {
      case 'BHT':
        response.reference = opt(seg, 3);
        response.date = date(seg, 4);
        response.time = opt(seg, 5);
        break;
      case 'HL': {
        const l = hierarchy.read(seg);
        claim = undefined;
        line = undefined;
        if (l.code === '22' || l.code === '23') {
          party = undefined;
          const parent = l.code === '22' ? undefined : members.get(l.parentId as string);
          const provider = parent ? parent.provider : (parties.get(l.parentId as string) as PartyLevel);
          member = { member: {}, provider, subscriber: parent?.member };
          members.set(l.id, member);
        } else {
          member = undefined;
          party = { seg, code: l.code, parent: l.parentId ? parties.get(l.parentId) : undefined, reports: [] };
          parties.set(l.id, party);
        }
        break;
      }
      case 'NM1':
        if (member) Object.assign(member.member, dropUndefined(memberOf(seg)));
        else if (party) party.party = partyOf(seg);
        else throw structureError(seg, 'NM1 before the first HL');
        break;
      case 'TRN':
        if (party) {
          party.trace = required(seg, 2);
          break;
        }
        if (!member) throw structureError(seg, 'TRN before the first HL');
        line = undefined;
        claim = newClaim(seg, member);
        response.claims.push(claim);
        break;
      case 'STC': {
        const report = reportOf(seg, d, date);
        const target = line ?? claim ?? party;
        if (!target) throw structureError(seg, 'STC outside a receiver, provider or claim level');
        if (target === party && party.code === '20') throw structureError(seg, 'STC at the payer level');
        target.reports.push(report);
        break;
      }
      case 'REF':
        if (line) {
          if (el(seg, 1) === 'FJ') line.controlNumber = opt(seg, 2);
        } else if (claim) {
          const field = el(seg, 1) === 'VV' ? 'voucher' : CLAIM_REFERENCES[el(seg, 1)];
          if (field) Object.assign(claim, { [field]: opt(seg, 2) });
        }
        break;
      case 'DTP': {
        const target = line ?? claim;
        if (target && el(seg, 1) === '472') target.serviceDate = keep(warnings, () => periodOf(seg));
        break;
      }
      case 'SVC':
        if (!claim) throw structureError(seg, 'SVC outside a claim (no TRN before it)');
        line = { segmentIndex: seg.index, ...serviceOf(seg, d), reports: [], followUp: undefined as unknown as ClaimFollowUp };
        claim.lines.push(line);
        break;
    }
  }

  for (const c of response.claims) {
    if (c.reports.length === 0) warnings.push(structureError(segmentAt(t, c.segmentIndex), `claim ${c.trace} has no STC`));
    c.followUp = followUp(c.reports);
    for (const l of c.lines) l.followUp = followUp(l.reports);
    dropUndefined(c);
  }
  for (const p of parties.values()) {
    if (p.reports.length === 0) continue;
    if (!p.party) throw structureError(p.seg, `the level (HL ${p.code}) has no NM1`);
    const status = dropUndefined({ party: p.party, trace: p.trace, reports: p.reports, followUp: followUp(p.reports) });
    (p.code === '21' ? response.receiverStatuses : response.providerStatuses).push(status);
  }
  warnings.push(...hierarchy.childCodeWarnings());
  return response;
}

function segmentAt(t: Transaction, index: number): Segment {
  return t.segments.find((s) => s.index === index) ?? t.segments[0];
}

function newClaim(seg: Segment, m: { member: Member; provider: PartyLevel; subscriber?: Member }): ClaimStatus277 {
  const receiver = m.provider.parent;
  const payer = receiver?.parent;
  for (const [what, l] of [
    ['provider (HL 19)', m.provider],
    ['information receiver (HL 21)', receiver],
    ['payer (HL 20)', payer],
  ] as const)
    if (!l?.party) throw structureError(l?.seg ?? seg, `the ${what} level has no NM1`);
  return {
    segmentIndex: seg.index,
    trace: required(seg, 2),
    payer: (payer as PartyLevel).party as Party,
    receiver: (receiver as PartyLevel).party as Party,
    provider: m.provider.party as Party,
    subscriber: phi(m.subscriber ?? m.member),
    ...(m.subscriber ? { dependent: phi(m.member) } : {}),
    reports: [],
    lines: [],
    followUp: undefined as unknown as ClaimFollowUp,
  };
}

function reportOf(seg: Segment, d: Delimiters, date: (seg: Segment, n: number) => string | undefined): StatusReport277 {
  const statuses: StatusReport277['statuses'] = [];
  for (const n of [1, 10, 11]) {
    const composite = opt(seg, n);
    if (composite === undefined) continue;
    const [category = '', code = '', entity, codeList] = components(composite, d);
    if (!category)
      throw new X12SyntaxError({
        code: 'missing-element',
        segmentIndex: seg.index,
        segmentId: 'STC',
        element: n,
        reason: 'no status category',
      });
    const s: StatusComposite = dropUndefined({ category, code, entity: entity || undefined, codeList: codeList || undefined });
    statuses.push({ ...s, text: describeComposite(s) });
  }
  if (statuses.length === 0)
    throw new X12SyntaxError({
      code: 'missing-element',
      segmentIndex: seg.index,
      segmentId: 'STC',
      element: 1,
      reason: 'required element is missing',
    });
  return dropUndefined({
    segmentIndex: seg.index,
    statuses,
    effectiveDate: date(seg, 2),
    charge: optionalMoney(seg, 4),
    paid: optionalMoney(seg, 5),
    adjudicatedDate: date(seg, 6),
    paymentMethod: opt(seg, 7),
    paymentDate: date(seg, 8),
    checkNumber: opt(seg, 9),
    message: opt(seg, 12),
  });
}

/** The current status: the STC with the latest effective date (the first of several on one date, or of undated ones). */
export function currentReport<R extends { effectiveDate?: IsoDate }>(reports: R[]): R | undefined {
  let current: R | undefined;
  for (const r of reports) if (!current || (r.effectiveDate ?? '') > (current.effectiveDate ?? '')) current = r;
  return current;
}

function followUp(reports: StatusReport277[]): ClaimFollowUp {
  const r = currentReport(reports);
  if (!r) return { kind: 'unknown', says: 'no status reported', action: 'look at the status by hand (payer portal or phone)' };
  return followUpFor(r.statuses[0], r.paid);
}

// ---- what a follow-up task asks: where is this claim? ----

export interface ClaimStatusResult {
  /** What the task should say and do (from the claim's current STC, or a receiver/provider-level status). */
  followUp: ClaimFollowUp;
  /** Every status of the current STC in our words (STC01, STC10, STC11). */
  statuses: string[];
  effectiveDate?: IsoDate;
  charge?: Cents;
  paid?: Cents;
  adjudicatedDate?: IsoDate;
  paymentMethod?: string;
  paymentDate?: IsoDate;
  checkNumber?: string;
  payerClaimControlNumber?: string;
  lines: { procedure: Procedure; charge: Cents; paid?: Cents; followUp: ClaimFollowUp }[];
}

/**
 * The status of one claim, found by its patient control number (REF*EJ) or the 276's trace number (TRN02). When the
 * response does not mention it, a receiver- or provider-level status (E0 and the like) answers for it.
 */
export function claimStatusFromResponse(response: ClaimStatusResponse277, claimRef: string): ClaimStatusResult {
  const claim = response.claims.find((c) => c.patientControlNumber === claimRef) ?? response.claims.find((c) => c.trace === claimRef);
  if (!claim) {
    const level = [...response.providerStatuses, ...response.receiverStatuses][0];
    const r = level ? currentReport(level.reports) : undefined;
    if (level && r) return { followUp: level.followUp, statuses: r.statuses.map((s) => s.text), effectiveDate: r.effectiveDate, lines: [] };
    return {
      followUp: { kind: 'unknown', says: 'the payer’s response does not mention this claim', action: 'send the status inquiry again' },
      statuses: [],
      lines: [],
    };
  }
  const r = currentReport(claim.reports);
  return dropUndefined({
    followUp: claim.followUp,
    statuses: r?.statuses.map((s) => s.text) ?? [],
    effectiveDate: r?.effectiveDate,
    charge: r?.charge,
    paid: r?.paid,
    adjudicatedDate: r?.adjudicatedDate,
    paymentMethod: r?.paymentMethod,
    paymentDate: r?.paymentDate,
    checkNumber: r?.checkNumber,
    payerClaimControlNumber: claim.payerClaimControlNumber,
    lines: claim.lines.map((l) => dropUndefined({ procedure: l.procedure, charge: l.charge, paid: l.paid, followUp: l.followUp })),
  });
}
