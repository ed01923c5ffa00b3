// The 271 eligibility response (005010X279A1): per subscriber (and dependent) whether coverage is active, the plan,
// the benefits (copay, coinsurance, deductible, out-of-pocket) and AAA rejections at any level, in words a biller
// reads. write271 is the simulated payer's answer; read271 and eligibilityFromResponse are claimflow's side.
import type { IsoDate } from '../clearinghouse';
import type { Transaction } from './envelope';
import type { Segment } from './scanner';
import { components } from './delimiters';
import { writeInterchange, d8, type EnvelopeArgs } from './envelopeWriter';
import { X12GenerationError } from './generationError';
import { HierarchyReader, ELIGIBILITY_LEVELS } from './hierarchy';
import {
  keep,
  LevelNumbers,
  memberOf,
  partyOf,
  periodOf,
  readDemographics,
  repeats,
  traceOf,
  writeDemographics,
  writeMemberName,
  writeParty,
  writePeriod,
  writeTrace,
  type Member,
  type Party,
  type Period,
  type Trace,
} from './inquiryParts';
import { dropUndefined } from './270';
import {
  ACTIVE_CODES,
  benefitText,
  COVERAGE_LEVELS,
  followUpAction,
  INACTIVE_CODES,
  rejectReason,
  REMAINING_PERIODS,
  TIME_PERIODS,
  type ResendAdvice,
} from './eligibilityCodes';
import { formatX12Amount, type Cents } from './money';
import { phi } from './phi';
import type { SegmentWriter } from './segmentWriter';
import type { X12SyntaxError } from './syntaxError';
import { badValue, el, isoDate, optionalMoney, opt, quantity, required, structureError } from './values';

export const IMPLEMENTATION_271 = '005010X279A1';

/** An AAA as a payer writes it. */
export interface RejectionInput {
  /** AAA03 reject reason, e.g. 75 subscriber not found, 43 provider id invalid. */
  code: string;
  /** AAA04 follow-up action: C correct and resubmit, N do not, R may resubmit, W/X wait 30/10 days... */
  followUp: string;
  /** AAA01: Y the request was valid but cannot be answered, N it was not. Default N. */
  validRequest?: boolean;
}

/** Where in the 271 an AAA sits: whose data is at fault. */
export type RejectionLoop = '2000A' | '2100A' | '2100B' | '2100C' | '2110C' | '2100D' | '2110D';

export interface Rejection271 extends RejectionInput {
  loop: RejectionLoop;
  validRequest: boolean;
  /** Our words for AAA03, e.g. "subscriber not found". */
  reason: string;
  /** Our words for AAA04, e.g. "correct the inquiry and send it again". */
  action?: string;
  advice?: ResendAdvice;
  segmentIndex: number;
}

export interface DatedInfo {
  /** DTP01: 346 plan begin, 347 plan end, 356 eligibility begin, 357 eligibility end, 291 plan, 307 eligibility. */
  qualifier: string;
  period: Period;
}

/** An entity a benefit names (LS/LE 2120C): a primary care provider, another payer... */
export interface RelatedEntity extends Omit<Party, 'idQualifier' | 'id'> {
  idQualifier?: string;
  id?: string;
  /** NM101: P3 primary care provider, PR payer, 1P provider... */
  entity: string;
}

/** One EB segment and what follows it in its loop (2110C/2110D). */
export interface BenefitInput {
  /** EB01: 1 active, 6 inactive, A coinsurance, B copay, C deductible, G out-of-pocket... */
  code: string;
  /** EB02: IND individual, FAM family... */
  coverageLevel?: string;
  /** EB03 (repeats). */
  serviceTypes?: string[];
  /** EB04: HM HMO, PR PPO, MB Medicare part B, C1 commercial... */
  insuranceType?: string;
  /** EB05: the plan's name as the payer calls it. */
  planDescription?: string;
  /** EB06: 23 calendar year, 27 visit, 29 remaining... */
  timePeriod?: string;
  /** EB07. */
  amount?: Cents;
  /** EB08 as a percent (20 means 20 %; X12 writes 0.2). */
  percent?: number;
  /** EB09/EB10: VS visits, DY days... */
  quantityQualifier?: string;
  quantity?: number;
  /** EB11: Y authorisation or certification required, N not, U unknown. */
  authorizationRequired?: string;
  /** EB12: Y in network, N out of network, W not applicable, U unknown. */
  inNetwork?: string;
  /** EB13: a procedure the benefit is about. */
  procedure?: { qualifier: string; code: string; modifiers?: string[] };
  /** DTP in 2110C: the benefit's own dates. */
  dates?: DatedInfo[];
  /** MSG: free-form text from the payer. */
  messages?: string[];
  /** AAA in 2110C: a service type or date the payer cannot answer for. */
  rejections?: RejectionInput[];
  relatedEntities?: RelatedEntity[];
}

export interface Benefit271 extends BenefitInput {
  segmentIndex: number;
  /** Our words for EB01. */
  text: string;
  serviceTypes: string[];
  dates: DatedInfo[];
  messages: string[];
  rejections: Rejection271[];
  relatedEntities: RelatedEntity[];
}

export interface MemberAnswerInput extends Member {
  /** INS02 of a dependent: 01 spouse, 19 child... */
  relationship?: string;
  /** TRN: TRN*2 echoes the 270's TRN*1, TRN*1 is the payer's own. */
  traces?: Trace[];
  /** REF*6P. */
  groupNumber?: string;
  /** REF*18. */
  planNumber?: string;
  /** DTP in 2100C/2100D: plan and eligibility dates. */
  dates?: DatedInfo[];
  rejections?: RejectionInput[];
  benefits?: BenefitInput[];
}

export interface MemberAnswer271 extends MemberAnswerInput {
  traces: Trace[];
  dates: DatedInfo[];
  rejections: Rejection271[];
  benefits: Benefit271[];
}

export interface EligibilityAnswerInput {
  payer: Party & { rejections?: RejectionInput[] };
  /** Echoed from the 270 even when the payer level refuses it: 2000A's HL04 is always 1 in a 271. */
  provider: Party & { rejections?: RejectionInput[] };
  subscriber?: MemberAnswerInput;
  dependent?: MemberAnswerInput;
}

/**
 * One answer: a payer, and down the tree as far as the payer went. An answer with no subscriber is the payer or
 * provider level refusing the whole inquiry (AAA at 2000A, 2100A or 2100B).
 */
export interface EligibilityAnswer271 {
  payer: Party & { rejections: Rejection271[] };
  provider?: Party & { rejections: Rejection271[] };
  subscriber?: MemberAnswer271;
  dependent?: MemberAnswer271;
}

export interface EligibilityResponse271 {
  controlNumber: string;
  /** BHT03: the 270's reference, echoed. */
  reference?: string;
  date?: IsoDate;
  time?: string;
  answers: EligibilityAnswer271[];
  warnings: X12SyntaxError[];
}

export interface Write271Input extends EnvelopeArgs {
  /** BHT03: the BHT03 of the 270 answered. */
  reference: string;
  answers: EligibilityAnswerInput[];
}

// ---- writing ----

export function write271(input: Write271Input): string {
  if (input.answers.length === 0) throw new X12GenerationError(undefined, 'answers', 'must hold at least one answer');
  return writeInterchange({ ...input, functionalId: 'HB', implementation: IMPLEMENTATION_271, setId: '271' }, (w) => {
    w.segment('BHT', '0022', '11', input.reference, d8(input.now.date), input.now.time);
    const hl = new LevelNumbers();
    input.answers.forEach((a, i) => {
      const field = `answers[${i}]`;
      if (a.dependent && !a.subscriber) throw new X12GenerationError(undefined, `${field}.subscriber`, 'is required with a dependent');
      if (!a.provider) throw new X12GenerationError(undefined, `${field}.provider`, 'is required');
      const source = hl.next();
      w.segment('HL', source, '', '20', '1');
      writeParty(w, 'PR', a.payer, `${field}.payer`);
      for (const r of a.payer.rejections ?? []) writeRejection(w, r);
      const receiver = hl.next();
      w.segment('HL', receiver, source, '21', a.subscriber ? '1' : '0');
      writeParty(w, '1P', a.provider, `${field}.provider`);
      for (const r of a.provider.rejections ?? []) writeRejection(w, r);
      if (!a.subscriber) return;
      const subscriber = hl.next();
      w.segment('HL', subscriber, receiver, '22', a.dependent ? '1' : '0');
      writeMember(w, 'IL', a.subscriber, `${field}.subscriber`);
      if (a.dependent) {
        w.segment('HL', hl.next(), subscriber, '23', '0');
        writeMember(w, '03', a.dependent, `${field}.dependent`);
      }
    });
  });
}

function writeRejection(w: SegmentWriter, r: RejectionInput): void {
  w.segment('AAA', r.validRequest ? 'Y' : 'N', '', r.code, r.followUp);
}

// Segment order of 2000C/2100C (and D): TRN; NM1, REF, N3, N4, AAA, PRV, DMG, INS, HI, DTP; then the EB loops.
function writeMember(w: SegmentWriter, entity: string, m: MemberAnswerInput, field: string): void {
  for (const t of m.traces ?? []) writeTrace(w, t);
  writeMemberName(w, entity, m);
  if (m.planNumber) w.segment('REF', '18', m.planNumber);
  if (m.groupNumber) w.segment('REF', '6P', m.groupNumber);
  for (const r of m.rejections ?? []) writeRejection(w, r);
  writeDemographics(w, m);
  if (m.relationship) w.segment('INS', 'N', m.relationship);
  for (const d of m.dates ?? []) writePeriod(w, d.qualifier, d.period);
  (m.benefits ?? []).forEach((b, i) => writeBenefit(w, b, `${field}.benefits[${i}]`));
}

function writeBenefit(w: SegmentWriter, b: BenefitInput, field: string): void {
  w.segment(
    'EB',
    b.code,
    b.coverageLevel ?? '',
    { repeats: b.serviceTypes ?? [] },
    b.insuranceType ?? '',
    b.planDescription ?? '',
    b.timePeriod ?? '',
    b.amount === undefined ? '' : formatX12Amount(b.amount),
    b.percent === undefined ? '' : formatPercent(b.percent, `${field}.percent`),
    b.quantityQualifier ?? '',
    b.quantity === undefined ? '' : String(b.quantity),
    b.authorizationRequired ?? '',
    b.inNetwork ?? '',
    b.procedure ? [b.procedure.qualifier, b.procedure.code, ...(b.procedure.modifiers ?? [])] : '',
  );
  for (const d of b.dates ?? []) writePeriod(w, d.qualifier, d.period);
  for (const r of b.rejections ?? []) writeRejection(w, r);
  for (const m of b.messages ?? []) w.segment('MSG', m);
  if (b.relatedEntities?.length) {
    w.segment('LS', '2120');
    for (const e of b.relatedEntities) {
      const first = e.entityType === '1' ? (e.firstName ?? '') : '';
      w.segment('NM1', e.entity, e.entityType, e.name, first, '', '', '', e.id ? (e.idQualifier ?? '') : '', e.id ?? '');
    }
    w.segment('LE', '2120');
  }
}

/** 20 → "0.2", 12.5 → "0.125", 100 → "1": EB08 is a fraction of one, written without float noise. */
export function formatPercent(percent: number, field = 'percent'): string {
  const text = String(percent);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100 || !/^\d+(\.\d+)?$/.test(text))
    throw new X12GenerationError(undefined, field, `must be a percent from 0 to 100 (got ${text})`);
  const [whole, fraction = ''] = text.split('.');
  const digits = whole.padStart(3, '0');
  const fractionOfOne = `${digits.slice(-2)}${fraction}`.replace(/0+$/, '');
  const ones = String(Number(digits.slice(0, -2)));
  return fractionOfOne ? `${ones === '0' ? '0' : ones}.${fractionOfOne}` : ones;
}

/** "0.2" → 20, ".125" → 12.5, "1" → 100; undefined when it is not a decimal fraction of one. */
export function parsePercent(text: string): number | undefined {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && !m[2])) return undefined;
  const [, whole, fraction = ''] = m;
  const value = Number(`${whole || '0'}${fraction.slice(0, 2).padEnd(2, '0')}.${fraction.slice(2) || '0'}`);
  return value > 100 ? undefined : value;
}

// ---- reading ----

interface Level271 {
  seg: Segment;
  code: string;
  /** After its NM1: an AAA is the 2100 loop's, before it the 2000A's. */
  named: boolean;
}
interface SourceLevel extends Level271 {
  party?: Party;
  rejections: Rejection271[];
}
interface ReceiverLevel extends Level271 {
  source: SourceLevel;
  party?: Party;
  rejections: Rejection271[];
}
interface MemberLevel extends Level271 {
  member: MemberAnswer271;
  receiver: ReceiverLevel;
  dependents: MemberLevel[];
}

/** Reads one 271. Throws X12SyntaxError where a segment cannot be placed or an amount cannot be read. */
export function read271(t: Transaction): EligibilityResponse271 {
  const st = t.segments[0];
  if (t.setId !== '271') throw structureError(st, `this is a ${t.setId} transaction, not a 271`);
  const d = t.delimiters;
  const warnings: X12SyntaxError[] = [];
  const response: EligibilityResponse271 = { controlNumber: t.controlNumber, answers: [], warnings };
  const hierarchy = new HierarchyReader(ELIGIBILITY_LEVELS, '271');
  const levels = new Map<string, SourceLevel | ReceiverLevel | MemberLevel>();
  const sources: SourceLevel[] = [];
  const receivers: ReceiverLevel[] = [];
  const subscribers: MemberLevel[] = [];
  let level: SourceLevel | ReceiverLevel | MemberLevel | undefined;
  let benefit: Benefit271 | undefined;
  let inRelated = false;

  const memberLevel = (seg: Segment): MemberLevel => {
    if (!level || (level.code !== '22' && level.code !== '23'))
      throw structureError(seg, `${seg.id} outside a subscriber or dependent level`);
    return level as MemberLevel;
  };

  for (const seg of t.segments) {
    if (inRelated && seg.id !== 'LE') {
      // 2120C: the entity a benefit names, until LE closes the loop.
      if (seg.id === 'NM1' && benefit)
        benefit.relatedEntities.push(
          dropUndefined({ entity: required(seg, 1), ...partyOf(seg), idQualifier: opt(seg, 8), id: opt(seg, 9)?.trim() }),
        );
      continue;
    }
    switch (seg.id) {
      case 'BHT':
        response.reference = opt(seg, 3);
        response.date = keep(warnings, () => isoDate(seg, 4));
        response.time = opt(seg, 5);
        if (el(seg, 2) !== '11') warnings.push(badValue(seg, 2, `BHT02 ${el(seg, 2)} is not 11 (response)`));
        break;
      case 'HL': {
        const l = hierarchy.read(seg);
        benefit = undefined;
        const base = { seg, code: l.code, named: false };
        if (l.code === '20') sources.push((level = { ...base, rejections: [] }));
        else if (l.code === '21')
          receivers.push((level = { ...base, source: levels.get(l.parentId as string) as SourceLevel, rejections: [] }));
        else {
          const parent = levels.get(l.parentId as string) as ReceiverLevel | MemberLevel;
          const member: MemberAnswer271 = { traces: [], dates: [], rejections: [], benefits: [] };
          const m: MemberLevel = { ...base, member, receiver: 'receiver' in parent ? parent.receiver : parent, dependents: [] };
          if (l.code === '22') subscribers.push(m);
          else (parent as MemberLevel).dependents.push(m);
          level = m;
        }
        levels.set(l.id, level);
        break;
      }
      case 'NM1': {
        if (!level) throw structureError(seg, 'NM1 before the first HL');
        if (benefit) throw structureError(seg, 'NM1 inside a benefit loop without LS');
        level.named = true;
        if ('member' in level) Object.assign(level.member, dropUndefined(memberOf(seg)));
        else level.party = partyOf(seg);
        break;
      }
      case 'AAA': {
        if (!level) throw structureError(seg, 'AAA before the first HL');
        const loop = loopOf(level, !!benefit);
        const r = rejectionOf(seg, loop);
        if (benefit) benefit.rejections.push(r);
        else if ('member' in level) level.member.rejections.push(r);
        else level.rejections.push(r);
        break;
      }
      case 'TRN':
        memberLevel(seg).member.traces.push(dropUndefined(traceOf(seg)));
        break;
      case 'REF': {
        const m = memberLevel(seg).member;
        if (benefit) break;
        if (el(seg, 1) === '6P') m.groupNumber = opt(seg, 2);
        if (el(seg, 1) === '18') m.planNumber = opt(seg, 2);
        break;
      }
      case 'DMG':
        readDemographics(seg, memberLevel(seg).member, warnings);
        break;
      case 'INS':
        if (memberLevel(seg).code === '23') memberLevel(seg).member.relationship = opt(seg, 2);
        break;
      case 'DTP': {
        const m = memberLevel(seg).member;
        const period = keep(warnings, () => periodOf(seg));
        if (period) (benefit ? benefit.dates : m.dates).push({ qualifier: required(seg, 1), period });
        break;
      }
      case 'EB':
        benefit = benefitOf(seg, d, warnings);
        memberLevel(seg).member.benefits.push(benefit);
        break;
      case 'MSG':
        if (!benefit) throw structureError(seg, 'MSG outside a benefit loop (no EB before it)');
        benefit.messages.push(required(seg, 1));
        break;
      case 'LS':
        if (!benefit) throw structureError(seg, 'LS outside a benefit loop (no EB before it)');
        inRelated = true;
        break;
      case 'LE':
        if (!inRelated) throw structureError(seg, 'LE without LS');
        inRelated = false;
        break;
    }
  }
  if (inRelated) warnings.push(structureError(t.segments[t.segments.length - 1], 'LS without LE'));

  // One answer per leaf: each dependent (with its subscriber), each subscriber without dependents, and each payer or
  // provider level with nothing under it (a rejection of the whole inquiry).
  const answered = new Set<object>();
  for (const s of subscribers) {
    answered.add(s.receiver).add(s.receiver.source);
    const base = { payer: partyAnswer(s.receiver.source, 'payer'), provider: partyAnswer(s.receiver, 'provider') };
    if (s.dependents.length === 0) response.answers.push({ ...base, subscriber: phi(s.member) });
    for (const dep of s.dependents) response.answers.push({ ...base, subscriber: phi(s.member), dependent: phi(dep.member) });
  }
  for (const r of receivers)
    if (!answered.has(r)) {
      answered.add(r.source);
      response.answers.push({ payer: partyAnswer(r.source, 'payer'), provider: partyAnswer(r, 'provider') });
    }
  for (const s of sources) if (!answered.has(s)) response.answers.push({ payer: partyAnswer(s, 'payer') });
  warnings.push(...hierarchy.childCodeWarnings());
  return response;
}

function partyAnswer(l: SourceLevel | ReceiverLevel, what: string): Party & { rejections: Rejection271[] } {
  if (!l.party) throw structureError(l.seg, `the ${what} level (HL ${l.code}) has no NM1`);
  return { ...l.party, rejections: l.rejections };
}

function loopOf(level: Level271, inBenefit: boolean): RejectionLoop {
  if (level.code === '20') return level.named ? '2100A' : '2000A';
  if (level.code === '21') return '2100B';
  const side = level.code === '22' ? 'C' : 'D';
  return `${inBenefit ? '2110' : '2100'}${side}` as RejectionLoop;
}

function rejectionOf(seg: Segment, loop: RejectionLoop): Rejection271 {
  const valid = required(seg, 1);
  if (valid !== 'Y' && valid !== 'N') throw badValue(seg, 1, `AAA01 must be Y or N, found ${valid}`);
  const code = required(seg, 3);
  const followUp = opt(seg, 4);
  const action = followUpAction(followUp);
  return dropUndefined({
    loop,
    validRequest: valid === 'Y',
    code,
    followUp: followUp as string,
    reason: rejectReason(code),
    action: action?.text,
    advice: action?.advice,
    segmentIndex: seg.index,
  });
}

function benefitOf(seg: Segment, d: Transaction['delimiters'], warnings: X12SyntaxError[]): Benefit271 {
  const code = required(seg, 1);
  const percentText = opt(seg, 8);
  const percent = percentText === undefined ? undefined : parsePercent(percentText);
  if (percentText !== undefined && percent === undefined)
    warnings.push(badValue(seg, 8, `"${percentText}" is not a fraction of one (0 to 1), the percent is left out`));
  const [qualifier, procedureCode, ...modifiers] = components(opt(seg, 13) ?? '', d);
  return dropUndefined({
    segmentIndex: seg.index,
    code,
    text: benefitText(code),
    coverageLevel: opt(seg, 2),
    serviceTypes: repeats(opt(seg, 3), d),
    insuranceType: opt(seg, 4),
    planDescription: opt(seg, 5),
    timePeriod: opt(seg, 6),
    amount: optionalMoney(seg, 7),
    percent,
    quantityQualifier: opt(seg, 9),
    quantity: quantity(seg, 10),
    authorizationRequired: opt(seg, 11),
    inNetwork: opt(seg, 12),
    procedure: qualifier ? { qualifier, code: procedureCode ?? '', modifiers: modifiers.filter(Boolean) } : undefined,
    dates: [],
    messages: [],
    rejections: [],
    relatedEntities: [],
  });
}

// ---- what the lifecycle asks: is this member covered, and what will they pay? ----

export interface BenefitSummary {
  kind: 'copay' | 'coinsurance' | 'deductible' | 'out-of-pocket';
  amount?: Cents;
  percent?: number;
  /** EB06 29 or 33: the amount is what is left to meet, not the total. */
  remaining: boolean;
  /** Our words for EB06: "calendar year", "visit", "remaining"... */
  period?: string;
  /** Our words for EB02: "individual", "family"... */
  coverageLevel?: string;
  /** EB12: true in network, false out of network, undefined when not stated or not applicable. */
  inNetwork?: boolean;
  serviceTypes: string[];
}

export interface Eligibility {
  status: 'active' | 'inactive' | 'rejected';
  /** Plain sentences a biller reads: the coverage found, or why the payer would not answer. */
  reasons: string[];
  /** When rejected: whether to send the inquiry again (after correcting it, later, or not at all). */
  advice?: ResendAdvice;
  plan: {
    description?: string;
    insuranceType?: string;
    coverageLevel?: string;
    groupNumber?: string;
    planNumber?: string;
    /** DTP 346/356 (or the start of 291/307). */
    begins?: IsoDate;
    /** DTP 347/357 (or the end of 291/307). */
    ends?: IsoDate;
  };
  benefits: BenefitSummary[];
}

const BENEFIT_KINDS: Readonly<Record<string, BenefitSummary['kind']>> = {
  A: 'coinsurance',
  B: 'copay',
  C: 'deductible',
  G: 'out-of-pocket',
};

/**
 * The answer about one member (the subscriber's member id; a dependent is answered under it): active, inactive or
 * rejected, with reasons, plan and cost-sharing benefits. A payer- or provider-level rejection answers every member.
 */
export function eligibilityFromResponse(response: EligibilityResponse271, memberId: string): Eligibility {
  const wanted = memberId.trim().toUpperCase();
  const matches = (m?: MemberAnswer271) => m?.memberId?.trim().toUpperCase() === wanted;
  const answer = response.answers.find((a) => matches(a.dependent) || matches(a.subscriber)) ?? response.answers.find((a) => !a.subscriber);
  if (!answer)
    return { status: 'rejected', reasons: ['the payer’s response does not mention this member'], advice: 'resend', plan: {}, benefits: [] };

  const patient = answer.dependent ?? answer.subscriber;
  const rejections = [
    ...answer.payer.rejections,
    ...(answer.provider?.rejections ?? []),
    ...(answer.subscriber?.rejections ?? []),
    ...(answer.dependent?.rejections ?? []),
  ];
  if (rejections.length > 0 || !patient) {
    const reasons = rejections.map(sentence);
    return {
      status: 'rejected',
      reasons: reasons.length > 0 ? reasons : ['the payer answered without naming the member'],
      advice: strictestAdvice(rejections),
      plan: {},
      benefits: [],
    };
  }

  const coverage = patient.benefits.filter((b) => ACTIVE_CODES.has(b.code) || INACTIVE_CODES.has(b.code));
  // What answers "covered?" is the health plan (30) line; other service types only when no such line is given.
  const general = coverage.filter((b) => b.serviceTypes.length === 0 || b.serviceTypes.includes('30'));
  const deciding = general.length > 0 ? general : coverage;
  const active = deciding.find((b) => ACTIVE_CODES.has(b.code));
  const inactive = deciding.find((b) => INACTIVE_CODES.has(b.code));
  const planLine = active ?? inactive;
  const plan = dropUndefined({
    description: planLine?.planDescription ?? patient.benefits.find((b) => b.planDescription)?.planDescription,
    insuranceType: planLine?.insuranceType,
    coverageLevel: planLine?.coverageLevel ? (COVERAGE_LEVELS[planLine.coverageLevel] ?? planLine.coverageLevel) : undefined,
    groupNumber: patient.groupNumber ?? answer.subscriber?.groupNumber,
    planNumber: patient.planNumber ?? answer.subscriber?.planNumber,
    ...planDates([...patient.dates, ...(answer.dependent ? (answer.subscriber?.dates ?? []) : [])]),
  });
  const benefits = patient.benefits.filter((b) => BENEFIT_KINDS[b.code]).map(summary);
  const benefitRejections = patient.benefits.flatMap((b) => b.rejections);

  if (active) return { status: 'active', reasons: [`${active.text}${plan.description ? `: ${plan.description}` : ''}`], plan, benefits };
  if (inactive) return { status: 'inactive', reasons: [inactive.text], plan, benefits };
  const cannot = patient.benefits.find((b) => b.code === 'V');
  if (benefitRejections.length > 0 || cannot) {
    return {
      status: 'rejected',
      reasons: benefitRejections.length > 0 ? benefitRejections.map(sentence) : [cannot!.text],
      advice: strictestAdvice(benefitRejections),
      plan,
      benefits,
    };
  }
  return { status: 'inactive', reasons: ['the payer reported no active coverage'], plan, benefits };
}

function sentence(r: Rejection271): string {
  return r.action ? `${r.reason} (${r.action})` : r.reason;
}

// Several rejections: "do not resend" wins over "later", which wins over "correct", which wins over "resend".
const ADVICE_ORDER: ResendAdvice[] = ['do-not-resend', 'resend-later', 'correct-and-resend', 'resend'];
function strictestAdvice(rs: Rejection271[]): ResendAdvice {
  for (const a of ADVICE_ORDER) if (rs.some((r) => r.advice === a)) return a;
  return 'correct-and-resend';
}

function planDates(dates: DatedInfo[]): { begins?: IsoDate; ends?: IsoDate } {
  const find = (...qualifiers: string[]) => dates.find((x) => qualifiers.includes(x.qualifier))?.period;
  const begins = find('346', '356') ?? find('291', '307');
  const ends = find('347', '357');
  const range = find('291', '307');
  return { begins: begins?.from, ends: ends?.from ?? (range && range.to !== range.from ? range.to : undefined) };
}

function summary(b: Benefit271): BenefitSummary {
  return dropUndefined({
    kind: BENEFIT_KINDS[b.code],
    amount: b.amount,
    percent: b.percent,
    remaining: b.timePeriod !== undefined && REMAINING_PERIODS.has(b.timePeriod),
    period: b.timePeriod ? (TIME_PERIODS[b.timePeriod] ?? `period ${b.timePeriod}`) : undefined,
    coverageLevel: b.coverageLevel ? (COVERAGE_LEVELS[b.coverageLevel] ?? b.coverageLevel) : undefined,
    inNetwork: b.inNetwork === 'Y' ? true : b.inNetwork === 'N' ? false : undefined,
    serviceTypes: b.serviceTypes,
  });
}
