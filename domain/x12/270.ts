// The 270 eligibility inquiry (005010X279A1): which payer is asked, by which provider, about which subscriber (and
// dependent, when the patient is not the subscriber), for which date and service types. write270 is what claimflow
// sends before submission; read270 is how the simulated payer reads it.
import type { IsoDate } from '../clearinghouse';
import type { Transaction } from './envelope';
import type { Segment } from './scanner';
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
import { phi } from './phi';
import type { X12SyntaxError } from './syntaxError';
import { el, isoDate, opt, structureError } from './values';

export const IMPLEMENTATION_270 = '005010X279A1';

/** One question: is this patient covered by this payer on this date, and for what? */
export interface EligibilityInquiry {
  /** 2100A: the payer asked (NM1*PR, PI payer id or XV CMS plan id). */
  payer: Party;
  /** 2100B: the provider asking (NM1*1P, XX NPI). */
  provider: Party;
  /** 2100C: the subscriber (NM1*IL, MI member id). */
  subscriber: Member;
  /** 2100D: the patient, when not the subscriber (NM1*03). */
  dependent?: Member & { relationship?: string };
  /** TRN*1 at the patient's level: the number the 271 echoes back (TRN*2), to pair answer and question. */
  trace?: Trace;
  /** DTP*291: the date (or dates) of service asked about; the payer answers for today when absent. */
  serviceDate?: Period;
  /** EQ01: service type codes, e.g. 30 health benefit plan coverage, 98 office visit. */
  serviceTypes: string[];
}

export interface EligibilityRequest270 {
  /** ST02. */
  controlNumber: string;
  /** BHT03: the submitter's reference, echoed in the 271's BHT03. */
  reference?: string;
  /** BHT02: 13 request, 01 cancellation. */
  purpose?: string;
  date?: IsoDate;
  time?: string;
  /** One per patient asked about (a subscriber, or each dependent under one); members carry the PHI mark. */
  inquiries: EligibilityInquiry[];
  /** What did not stop the read but is left out or looks wrong. */
  warnings: X12SyntaxError[];
}

export interface Write270Input extends EnvelopeArgs {
  /** BHT03. */
  reference: string;
  inquiries: (Omit<EligibilityInquiry, 'serviceTypes' | 'trace'> & { trace: Trace; serviceTypes?: string[] })[];
}

/** 30 (health benefit plan coverage) is the question every payer must answer. */
export const DEFAULT_SERVICE_TYPES = ['30'];

export function write270(input: Write270Input): string {
  if (input.inquiries.length === 0) throw new X12GenerationError(undefined, 'inquiries', 'must ask about at least one patient');
  if (!input.reference) throw new X12GenerationError(undefined, 'reference', 'is required (BHT03)');
  return writeInterchange({ ...input, functionalId: 'HS', implementation: IMPLEMENTATION_270, setId: '270' }, (w) => {
    w.segment('BHT', '0022', '13', input.reference, d8(input.now.date), input.now.time);
    const hl = new LevelNumbers();
    input.inquiries.forEach((q, i) => {
      const field = `inquiries[${i}]`;
      if (!q.subscriber.memberId) throw new X12GenerationError(undefined, `${field}.subscriber.memberId`, 'is required');
      checkTrace(q.trace, `${field}.trace`);
      const serviceTypes = q.serviceTypes?.length ? q.serviceTypes : DEFAULT_SERVICE_TYPES;
      const source = hl.next();
      w.segment('HL', source, '', '20', '1');
      writeParty(w, 'PR', q.payer, `${field}.payer`);
      const receiver = hl.next();
      w.segment('HL', receiver, source, '21', '1');
      writeParty(w, '1P', q.provider, `${field}.provider`);
      const subscriber = hl.next();
      w.segment('HL', subscriber, receiver, '22', q.dependent ? '1' : '0');
      const patientLevel = (m: Member, entity: string, relationship?: string) => {
        writeTrace(w, q.trace);
        writeMemberName(w, entity, m);
        writeDemographics(w, m);
        if (relationship) w.segment('INS', 'N', relationship);
        if (q.serviceDate) writePeriod(w, '291', q.serviceDate);
        // One EQ with EQ01 repeated: the guide allows either, and one 2110 loop is what every reader handles.
        w.segment('EQ', { repeats: serviceTypes });
      };
      if (!q.dependent) patientLevel(q.subscriber, 'IL');
      else {
        writeMemberName(w, 'IL', q.subscriber);
        writeDemographics(w, q.subscriber);
        w.segment('HL', hl.next(), subscriber, '23', '0');
        patientLevel(q.dependent, '03', q.dependent.relationship);
      }
    });
  });
}

function checkTrace(t: Trace, field: string): void {
  if (t.type !== '1') throw new X12GenerationError(undefined, `${field}.type`, 'must be 1 (a trace number we assign)');
  if (!t.number) throw new X12GenerationError(undefined, `${field}.number`, 'is required');
  // TRN03 is "1" + a tax id or "9" + an id the sender makes up: ten characters either way.
  if (!t.originator || !/^[19][0-9A-Za-z]{9}$/.test(t.originator))
    throw new X12GenerationError(undefined, `${field}.originator`, 'must be 10 characters, "1" + tax id or "9" + an assigned id');
}

interface PatientLevel {
  seg: Segment;
  member?: Member & { relationship?: string };
  trace?: Trace;
  serviceDate?: Period;
  serviceTypes: string[];
}

/** Reads one 270. Throws X12SyntaxError where a segment cannot be placed or read; the rest is warnings. */
export function read270(t: Transaction): EligibilityRequest270 {
  const st = t.segments[0];
  if (t.setId !== '270') throw structureError(st, `this is a ${t.setId} transaction, not a 270`);
  const warnings: X12SyntaxError[] = [];
  const request: EligibilityRequest270 = { controlNumber: t.controlNumber, inquiries: [], warnings };
  const hierarchy = new HierarchyReader(ELIGIBILITY_LEVELS, '270');
  const payers = new Map<string, { seg: Segment; party?: Party }>();
  const providers = new Map<string, { seg: Segment; source: string; party?: Party }>();
  const subscribers = new Map<string, PatientLevel & { receiver: string; dependents: PatientLevel[] }>();
  let level: { code: string; id: string } | undefined;
  let patient: PatientLevel | undefined;

  for (const seg of t.segments) {
    switch (seg.id) {
      case 'BHT':
        request.purpose = opt(seg, 2);
        request.reference = opt(seg, 3);
        request.date = keep(warnings, () => isoDate(seg, 4));
        request.time = opt(seg, 5);
        break;
      case 'HL': {
        const l = hierarchy.read(seg);
        level = { code: l.code, id: l.id };
        patient = undefined;
        if (l.code === '20') payers.set(l.id, { seg });
        else if (l.code === '21') providers.set(l.id, { seg, source: l.parentId as string });
        else if (l.code === '22') {
          const s = { seg, receiver: l.parentId as string, serviceTypes: [], dependents: [] };
          subscribers.set(l.id, s);
          patient = s;
        } else {
          patient = { seg, serviceTypes: [] };
          subscribers.get(l.parentId as string)?.dependents.push(patient);
        }
        break;
      }
      case 'NM1': {
        if (!level) throw structureError(seg, 'NM1 before the first HL');
        if (level.code === '20') (payers.get(level.id) as { party?: Party }).party = partyOf(seg);
        else if (level.code === '21') (providers.get(level.id) as { party?: Party }).party = partyOf(seg);
        else if (patient) patient.member = { ...memberOf(seg), ...patient.member };
        break;
      }
      case 'TRN':
        if (!patient) throw structureError(seg, 'TRN outside a subscriber or dependent level');
        if (el(seg, 1) !== '1')
          warnings.push(structureError(seg, `TRN01 ${el(seg, 1)} in a 270 should be 1 (a trace number the sender assigned)`));
        if (patient.trace) warnings.push(structureError(seg, 'a second TRN on one level is not kept'));
        else patient.trace = traceOf(seg);
        break;
      case 'DMG':
        if (!patient) throw structureError(seg, 'DMG outside a subscriber or dependent level');
        readDemographics(seg, (patient.member ??= {}), warnings);
        break;
      case 'INS':
        if (patient && level?.code === '23') (patient.member ??= {}).relationship = opt(seg, 2);
        break;
      case 'DTP':
        if (!patient) throw structureError(seg, 'DTP outside a subscriber or dependent level');
        if (el(seg, 1) !== '291') warnings.push(structureError(seg, `DTP01 ${el(seg, 1)} is not 291 (plan date), left out`));
        else patient.serviceDate = keep(warnings, () => periodOf(seg));
        break;
      case 'EQ':
        if (!patient) throw structureError(seg, 'EQ outside a subscriber or dependent level');
        patient.serviceTypes.push(...repeats(opt(seg, 1), t.delimiters));
        break;
    }
  }

  for (const [id, s] of subscribers) {
    const provider = providers.get(s.receiver) as { seg: Segment; source: string; party?: Party };
    const payer = payers.get(provider.source) as { seg: Segment; party?: Party };
    if (!payer.party) throw structureError(payer.seg, 'the information source level (HL 20) has no NM1 naming the payer');
    if (!provider.party) throw structureError(provider.seg, 'the information receiver level (HL 21) has no NM1 naming the provider');
    if (!s.member) throw structureError(s.seg, `the subscriber level (HL ${id}) has no NM1`);
    const patients = s.dependents.length > 0 ? s.dependents : [s];
    for (const p of patients) {
      if (p !== s && !p.member) throw structureError(p.seg, 'the dependent level (HL 23) has no NM1');
      if (!p.trace && !s.trace) warnings.push(structureError(p.seg, 'no TRN: the 271 cannot be paired with this inquiry'));
      const serviceTypes = p.serviceTypes.length > 0 ? p.serviceTypes : s.serviceTypes;
      if (serviceTypes.length === 0) warnings.push(structureError(p.seg, 'no EQ: nothing is asked about'));
      const inquiry: EligibilityInquiry = {
        payer: payer.party,
        provider: provider.party,
        subscriber: phi(s.member),
        trace: p.trace ?? s.trace,
        serviceDate: p.serviceDate ?? s.serviceDate,
        serviceTypes,
      };
      if (p !== s) inquiry.dependent = phi(p.member as Member);
      request.inquiries.push(dropUndefined(inquiry));
    }
  }
  warnings.push(...hierarchy.childCodeWarnings());
  return request;
}

/** Optional fields left empty are absent, not undefined, so a model compares equal to what was written. */
export function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    const v = value[key];
    if (v === undefined) delete value[key];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) dropUndefined(v as object);
    else if (Array.isArray(v)) for (const item of v) if (item !== null && typeof item === 'object') dropUndefined(item as object);
  }
  return value;
}
