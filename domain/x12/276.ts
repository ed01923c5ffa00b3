// The 276 claim status inquiry (005010X212): which payer is asked, by which submitter (information receiver) and
// provider, about which claim of which subscriber (or dependent). write276 is claimflow's follow-up question;
// read276 is how the simulated payer reads it.
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
  readDemographics,
  writeDemographics,
  writeMemberName,
  writeParty,
  writePeriod,
  type Member,
  type Party,
  type Period,
} from './inquiryParts';
import { dropUndefined } from './270';
import { formatX12Amount, type Cents } from './money';
import { phi } from './phi';
import type { SegmentWriter } from './segmentWriter';
import type { X12SyntaxError } from './syntaxError';
import { el, isoDate, money, opt, optionalMoney, quantity, required, structureError } from './values';

export const IMPLEMENTATION_276 = '005010X212';

export interface Procedure {
  /** SVC01-1: HC (CPT/HCPCS), NU (revenue code), N4 (NDC)... */
  qualifier: string;
  code: string;
  modifiers?: string[];
}

/** 2210D/E: one service line asked about. */
export interface InquiredLine {
  procedure: Procedure;
  /** SVC02. */
  charge: Cents;
  /** SVC04: the revenue code of an institutional line. */
  revenueCode?: string;
  /** SVC07. */
  units?: number;
  /** REF*FJ: the line item control number we sent on the claim. */
  controlNumber?: string;
  serviceDate?: Period;
}

/** 2200D/E: the claim asked about. */
export interface InquiredClaim {
  /** TRN02 (TRN*1): our number for this question; the 277 echoes it (TRN*2). claimflow uses the claim id. */
  trace: string;
  /** REF*EJ: the patient control number (CLM01) the claim was sent with. */
  patientControlNumber?: string;
  /** REF*1K: the payer's claim control number, from the 277CA or 835. */
  payerClaimControlNumber?: string;
  /** REF*BLT: institutional bill type. */
  billType?: string;
  /** REF*XZ: pharmacy prescription number. */
  prescriptionNumber?: string;
  /** REF*D9: a clearinghouse's claim number. */
  clearinghouseTrace?: string;
  /** AMT*T3: total claim charge (situational in the guide: the simple example of a dependent's claim leaves it out). */
  charge?: Cents;
  /** DTP*472: the claim's dates of service. */
  serviceDate?: Period;
  lines?: InquiredLine[];
}

export interface ClaimStatusInquiry {
  /** 2100A: NM1*PR (PI payer id, XV CMS plan id). */
  payer: Party;
  /** 2100B: NM1*41, the submitter (46 ETIN). */
  receiver: Party;
  /** 2100C: NM1*1P, the billing provider (XX NPI, FI tax id, SV payer-assigned number). */
  provider: Party;
  /** 2000D/2100D: DMG (when the subscriber is the patient) and NM1*IL with the member id. */
  subscriber: Member;
  /** 2000E/2100E: DMG and NM1*QC, when the patient is not the subscriber. */
  dependent?: Member;
  claim: InquiredClaim;
}

export interface ClaimStatusRequest276 {
  controlNumber: string;
  /** BHT03. */
  reference?: string;
  date?: IsoDate;
  time?: string;
  /** One per claim asked about; subscriber and dependent carry the PHI mark. */
  inquiries: ClaimStatusInquiry[];
  warnings: X12SyntaxError[];
}

export interface Write276Input extends EnvelopeArgs {
  /** BHT03. */
  reference: string;
  inquiries: ClaimStatusInquiry[];
}

export function write276(input: Write276Input): string {
  if (input.inquiries.length === 0) throw new X12GenerationError(undefined, 'inquiries', 'must ask about at least one claim');
  if (!input.reference) throw new X12GenerationError(undefined, 'reference', 'is required (BHT03)');
  return writeInterchange({ ...input, functionalId: 'HR', implementation: IMPLEMENTATION_276, setId: '276' }, (w) => {
    w.segment('BHT', '0010', '13', input.reference, d8(input.now.date), input.now.time);
    const hl = new LevelNumbers();
    input.inquiries.forEach((q, i) => {
      const field = `inquiries[${i}]`;
      if (!q.subscriber.memberId) throw new X12GenerationError(q.claim.trace, `${field}.subscriber.memberId`, 'is required');
      if (!q.subscriber.lastName) throw new X12GenerationError(q.claim.trace, `${field}.subscriber.lastName`, 'is required');
      if (q.dependent && !q.dependent.lastName) throw new X12GenerationError(q.claim.trace, `${field}.dependent.lastName`, 'is required');
      writeChain(w, hl, q, field);
      writeInquiredClaim(w, q.claim, `${field}.claim`);
    });
  });
}

/** HL 20/21/19/22(/23) with their names, as the 276 and the 277 both nest them. */
export function writeChain(
  w: SegmentWriter,
  hl: LevelNumbers,
  q: { payer: Party; receiver: Party; provider: Party; subscriber: Member; dependent?: Member },
  field: string,
  options: { demographics: boolean } = { demographics: true },
): void {
  const source = hl.next();
  w.segment('HL', source, '', '20', '1');
  writeParty(w, 'PR', q.payer, `${field}.payer`);
  const receiver = hl.next();
  w.segment('HL', receiver, source, '21', '1');
  writeParty(w, '41', q.receiver, `${field}.receiver`);
  const provider = hl.next();
  w.segment('HL', provider, receiver, '19', '1');
  writeParty(w, '1P', q.provider, `${field}.provider`);
  const subscriber = hl.next();
  w.segment('HL', subscriber, provider, '22', q.dependent ? '1' : '0');
  if (options.demographics && !q.dependent) writeDemographics(w, q.subscriber);
  writeMemberName(w, 'IL', q.subscriber);
  if (q.dependent) {
    w.segment('HL', hl.next(), subscriber, '23');
    if (options.demographics) writeDemographics(w, q.dependent);
    writeMemberName(w, 'QC', q.dependent);
  }
}

function writeInquiredClaim(w: SegmentWriter, c: InquiredClaim, field: string): void {
  if (!c.trace) throw new X12GenerationError(undefined, `${field}.trace`, 'is required');
  w.segment('TRN', '1', c.trace);
  if (c.payerClaimControlNumber) w.segment('REF', '1K', c.payerClaimControlNumber);
  if (c.billType) w.segment('REF', 'BLT', c.billType);
  if (c.patientControlNumber) w.segment('REF', 'EJ', c.patientControlNumber);
  if (c.prescriptionNumber) w.segment('REF', 'XZ', c.prescriptionNumber);
  if (c.clearinghouseTrace) w.segment('REF', 'D9', c.clearinghouseTrace);
  if (c.charge !== undefined) w.segment('AMT', 'T3', formatX12Amount(c.charge));
  if (c.serviceDate) writePeriod(w, '472', c.serviceDate);
  (c.lines ?? []).forEach((l, i) => {
    if (!l.serviceDate) throw new X12GenerationError(c.trace, `${field}.lines[${i}].serviceDate`, 'is required (DTP*472 of the line)');
    writeService(w, l);
    if (l.controlNumber) w.segment('REF', 'FJ', l.controlNumber);
    writePeriod(w, '472', l.serviceDate);
  });
}

/** SVC: procedure, charge, paid (277 only), revenue code, units. */
export function writeService(w: SegmentWriter, l: InquiredLine & { paid?: Cents }): void {
  w.segment(
    'SVC',
    [l.procedure.qualifier, l.procedure.code, ...(l.procedure.modifiers ?? [])],
    formatX12Amount(l.charge),
    l.paid === undefined ? '' : formatX12Amount(l.paid),
    l.revenueCode ?? '',
    '',
    '',
    l.units === undefined ? '' : String(l.units),
  );
}

export function serviceOf(seg: Segment, d: Delimiters): InquiredLine & { paid?: Cents } {
  const [qualifier = '', code = '', ...modifiers] = components(required(seg, 1), d);
  const mods = modifiers.filter(Boolean);
  return dropUndefined({
    procedure: mods.length > 0 ? { qualifier, code, modifiers: mods } : { qualifier, code },
    charge: money(seg, 2),
    paid: optionalMoney(seg, 3),
    revenueCode: opt(seg, 4),
    units: quantity(seg, 7),
  });
}

/** REF qualifiers of a claim level, by the field they fill. */
export const CLAIM_REFERENCES: Readonly<Record<string, keyof InquiredClaim>> = {
  '1K': 'payerClaimControlNumber',
  BLT: 'billType',
  EJ: 'patientControlNumber',
  XZ: 'prescriptionNumber',
  D9: 'clearinghouseTrace',
};

interface MemberLevel {
  seg: Segment;
  member: Member;
  claims: InquiredClaim[];
  dependents: MemberLevel[];
  parties: { payer?: Party; receiver?: Party; provider?: Party };
}

/** Reads one 276. Throws X12SyntaxError where a segment cannot be placed or an amount cannot be read. */
export function read276(t: Transaction): ClaimStatusRequest276 {
  const st = t.segments[0];
  if (t.setId !== '276') throw structureError(st, `this is a ${t.setId} transaction, not a 276`);
  const warnings: X12SyntaxError[] = [];
  const request: ClaimStatusRequest276 = { controlNumber: t.controlNumber, inquiries: [], warnings };
  const hierarchy = new HierarchyReader(CLAIM_STATUS_LEVELS, '276');
  const parties = new Map<string, { seg: Segment; code: string; party?: Party; parent?: string }>();
  const members = new Map<string, MemberLevel>();
  const subscribers: { level: MemberLevel; provider: string }[] = [];
  let levelId: string | undefined;
  let member: MemberLevel | undefined;
  let claim: InquiredClaim | undefined;
  let line: InquiredLine | undefined;

  for (const seg of t.segments) {
    switch (seg.id) {
      case 'BHT':
        request.reference = opt(seg, 3);
        request.date = keep(warnings, () => isoDate(seg, 4));
        request.time = opt(seg, 5);
        break;
      case 'HL': {
        const l = hierarchy.read(seg);
        levelId = l.id;
        claim = undefined;
        line = undefined;
        member = undefined;
        if (l.code === '22' || l.code === '23') {
          member = { seg, member: {}, claims: [], dependents: [], parties: {} };
          members.set(l.id, member);
          if (l.code === '22') subscribers.push({ level: member, provider: l.parentId as string });
          else members.get(l.parentId as string)?.dependents.push(member);
        } else parties.set(l.id, { seg, code: l.code, parent: l.parentId });
        break;
      }
      case 'NM1':
        if (!levelId) throw structureError(seg, 'NM1 before the first HL');
        if (member) Object.assign(member.member, dropUndefined(memberOf(seg)));
        else (parties.get(levelId) as { party?: Party }).party = partyOf(seg);
        break;
      case 'DMG':
        if (!member) throw structureError(seg, 'DMG outside a subscriber or dependent level');
        readDemographics(seg, member.member, warnings);
        break;
      case 'TRN':
        if (!member) break; // 2200B/2200C traces exist only in the 277
        claim = { trace: required(seg, 2) };
        line = undefined;
        member.claims.push(claim);
        break;
      case 'REF': {
        const target = line ?? claim;
        if (!target) break;
        if (line) {
          if (el(seg, 1) === 'FJ') line.controlNumber = opt(seg, 2);
        } else {
          const field = CLAIM_REFERENCES[el(seg, 1)];
          if (field) Object.assign(target, { [field]: opt(seg, 2) });
        }
        break;
      }
      case 'AMT':
        if (claim && el(seg, 1) === 'T3') claim.charge = money(seg, 2);
        break;
      case 'DTP': {
        const target = line ?? claim;
        if (!target) throw structureError(seg, 'DTP outside a claim (no TRN before it)');
        if (el(seg, 1) === '472') target.serviceDate = keep(warnings, () => periodOf(seg));
        break;
      }
      case 'SVC': {
        if (!claim) throw structureError(seg, 'SVC outside a claim (no TRN before it)');
        line = serviceOf(seg, t.delimiters);
        (claim.lines ??= []).push(line);
        break;
      }
    }
  }

  for (const { level: s, provider: providerId } of subscribers) {
    const provider = parties.get(providerId) as { seg: Segment; party?: Party; parent?: string };
    const receiver = parties.get(provider.parent as string) as { seg: Segment; party?: Party; parent?: string };
    const payer = parties.get(receiver.parent as string) as { seg: Segment; party?: Party };
    for (const [what, p] of [
      ['payer (HL 20)', payer],
      ['information receiver (HL 21)', receiver],
      ['provider (HL 19)', provider],
    ] as const)
      if (!p.party) throw structureError(p.seg, `the ${what} level has no NM1`);
    const base = { payer: payer.party as Party, receiver: receiver.party as Party, provider: provider.party as Party };
    const subscriber = phi(s.member);
    for (const c of s.claims) request.inquiries.push(dropUndefined({ ...base, subscriber, claim: c }));
    for (const dep of s.dependents)
      for (const c of dep.claims) request.inquiries.push(dropUndefined({ ...base, subscriber, dependent: phi(dep.member), claim: c }));
    if (s.claims.length === 0 && s.dependents.every((dep) => dep.claims.length === 0))
      warnings.push(structureError(s.seg, 'a subscriber level without a claim (no TRN): nothing is asked about'));
  }
  warnings.push(...hierarchy.childCodeWarnings());
  return request;
}
