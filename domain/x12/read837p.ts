// Reads an 837P transaction — ours or a payer's sample — into the claim model of 837pModel.ts: read837P with
// warnings for what is off, parse837P for the claims alone.
import type { Cents } from '../clearinghouse';
import type {
  Address,
  Adjustment,
  AdjustmentGroup,
  BillingProvider,
  Claim837,
  ClaimDetails,
  Contact,
  FrequencyCode,
  LineAdjudication,
  OtherPayer,
  PartyName,
  Patient,
  Payer,
  PayerResponsibility,
  PersonName,
  Receiver,
  Relationship,
  ServiceLine,
  Sex,
  Submitter,
  Subscriber,
} from './837pModel';
import { formatX12Amount, parseCents } from './money';
import { components, X12SyntaxError, type Delimiters, type Segment, type Transaction } from './reader';

function isoFromD8(d8: string): string {
  return /^\d{8}$/.test(d8) ? `${d8.slice(0, 4)}-${d8.slice(4, 6)}-${d8.slice(6, 8)}` : '';
}

// ICD codes travel without the dot; it goes back after the category (3 characters, 4 for ICD-9 E codes).
function diagnosisFromX12(code: string, system: 'ICD-10-CM' | 'ICD-9-CM'): string {
  const at = system === 'ICD-9-CM' && code.startsWith('E') ? 4 : 3;
  return code.length > at ? `${code.slice(0, at)}.${code.slice(at)}` : code;
}

export type Warning837Code =
  | 'HL_NUMBERING' // HL01 not 1, 2, 3... in order
  | 'HL_PARENT' // HL02 not the enclosing level's HL01
  | 'HL_CHILD_CODE' // HL04 says children when there are none, or the other way round
  | 'HL_LEVEL' // an HL03 this reader does not know, or a level without its parent
  | 'ICD9' // diagnoses with ICD-9-CM qualifiers
  | 'MISSING' // a value the model requires is absent; read as empty or zero
  | 'INVALID' // a value that is not what the element allows; read as well as possible
  | 'CHARGE_MISMATCH' // CLM02 is not the sum of SV102
  | 'IMPLEMENTATION'; // not a 005010X222 transaction

export interface Warning837 {
  code: Warning837Code;
  segmentIndex: number;
  segmentId: string;
  message: string;
}

/**
 * Where each part of a claim was read from: 1-based segment numbers of the file (Segment.index), so that a
 * report about a value can point at the segment it came from. Absent: the file has no such segment.
 */
export interface Claim837Sources {
  /** 1000A NM1*41 */
  submitter?: number;
  /** 2010AA NM1*85 */
  billingProvider?: number;
  /** 2000B SBR (group number, payer responsibility) */
  subscriberLevel?: number;
  /** 2010BA NM1*IL, and its N3, N4 and DMG */
  subscriber?: number;
  subscriberAddress?: number;
  subscriberPlace?: number;
  subscriberDemographics?: number;
  /** 2010BB NM1*PR */
  payer?: number;
  /** 2000C PAT, 2010CA NM1*QC, and its N3, N4 and DMG: present when the patient is not the subscriber */
  patientLevel?: number;
  patient?: number;
  patientAddress?: number;
  patientPlace?: number;
  patientDemographics?: number;
  /** 2300 CLM */
  claim: number;
  /** the first 2300 HI that carries diagnoses */
  diagnoses?: number;
  /** a claim-level DTP*472, which some practice systems write instead of (or besides) the lines' */
  serviceDate?: number;
  /** 2310B NM1*82 */
  renderingProvider?: number;
  /** each line's SV1 and DTP*472, in line order */
  lines: { service?: number; serviceDate?: number }[];
  /**
   * The [first, last] segments of the levels the claim was read from: its billing provider (HL 20), subscriber
   * (HL 22) and patient (HL 23) levels and the claim itself; a warning inside one of them concerns this claim.
   */
  ranges: [number, number][];
}

export interface Read837P {
  claims: Claim837[];
  warnings: Warning837[];
  /** parallel to `claims` */
  sources: Claim837Sources[];
}

/** The claims of an 837P transaction, ignoring what read837P would warn about. */
export function parse837P(t: Transaction): Claim837[] {
  return read837P(t).claims;
}

/**
 * Reads leniently: the loop structure comes from the HL level codes (20, 22, 23) and segment order,
 * not from HL numbers, so files with broken numbering still yield their claims, with warnings.
 * Segments the model has no place for (referring providers, service facility, drug data...) are skipped.
 * Throws X12SyntaxError (code 'structure') only for a transaction that is not an 837 or a claim outside
 * any billing provider and subscriber level.
 */
export function read837P(t: Transaction): Read837P {
  if (t.setId !== '837') {
    const s = t.segments[0];
    throw new X12SyntaxError({
      code: 'structure',
      segmentIndex: s?.index ?? 0,
      segmentId: s?.id ?? 'ST',
      reason: `transaction set ${t.setId} is not an 837`,
    });
  }
  return new Reader837P(t).read();
}

interface LineDates {
  from: string;
  to?: string;
}

interface OpenClaim {
  claim: Claim837;
  dates: LineDates[];
  /** a claim-level DTP*472 */
  claimDate?: LineDates;
  segment: Segment;
  system?: 'ICD-10-CM' | 'ICD-9-CM';
  sources: Claim837Sources;
}

type LevelSources = Omit<Claim837Sources, 'claim' | 'lines' | 'ranges' | 'diagnoses' | 'serviceDate' | 'renderingProvider'>;

interface HlRecord {
  id: string;
  level: string;
  childCode: string;
  segment: Segment;
}

class Reader837P {
  private readonly warnings: Warning837[] = [];
  private readonly open: OpenClaim[] = [];
  private submitter: Submitter = { name: { organization: '' }, id: '', contact: { name: '' } };
  private receiver: Receiver = { name: '', id: '' };
  private provider: BillingProvider | undefined;
  private subscriber: Subscriber | undefined;
  private payer: Payer | undefined;
  private patient: Patient | undefined;
  /** HL03 of the level we are in: '20', '22', '23' */
  private level = '';
  /** NM101 of the last NM1: the N3, N4, DMG, REF, PER and PRV after it belong to that entity. */
  private entity = '';
  /** HL opens 'hierarchy'; then CLM opens 'claim', SBR 'otherPayer', LX 'line', SVD 'lineAdjudication'. */
  private zone: 'header' | 'hierarchy' | 'claim' | 'otherPayer' | 'line' | 'lineAdjudication' = 'header';
  private current: OpenClaim | undefined;
  private other: OtherPayer | undefined;
  private line: ServiceLine | undefined;
  private adjudication: LineAdjudication | undefined;
  private readonly hls: HlRecord[] = [];
  /** Other payers whose AMT*D was present; the rest are read as paying 0, with a warning. */
  private readonly paidGiven = new Set<OtherPayer>();
  private readonly openHl = new Map<string, HlRecord>();
  /** positions read in each open HL level ('20', '22', '23') and the segments it spans */
  private readonly levelSources = new Map<string, { at: LevelSources; range: [number, number] }>();
  private submitterAt: number | undefined;

  /** The delimiters composites are split with: the declared ones, unless the file's composites say otherwise. */
  private readonly delimiters: Delimiters;

  constructor(private readonly t: Transaction) {
    this.delimiters = { ...t.delimiters, component: this.componentInUse() };
  }

  /**
   * Several published samples declare ':' in ISA16 yet write "HC>99213" and "11>B>1": the first
   * composite (CLM05, SV101 or HI01) that lacks the declared separator shows the one really in use.
   */
  private componentInUse(): string {
    const declared = this.t.delimiters.component;
    for (const s of this.t.segments) {
      const value = s.id === 'CLM' ? s.elements[5] : s.id === 'SV1' || s.id === 'HI' ? s.elements[1] : undefined;
      if (!value) continue;
      if (value.includes(declared)) return declared;
      const used = /^[A-Z0-9]{2,3}([^A-Za-z0-9 ])/.exec(value)?.[1];
      if (used && used !== this.t.delimiters.element && used !== this.t.delimiters.repetition) {
        this.warn(
          'INVALID',
          s,
          `composites use '${used}' although the interchange declares '${declared}' as component separator; read with '${used}'`,
        );
        return used;
      }
    }
    return declared;
  }

  read(): Read837P {
    const impl = this.t.implementation ?? '';
    if (impl && !impl.startsWith('005010X222')) {
      const s = this.t.segments[0];
      this.warn('IMPLEMENTATION', s, `implementation ${impl} is not 005010X222 (837 professional)`);
    }
    for (const s of this.t.segments) {
      this.segment(s);
      this.extendRange(s);
    }
    this.checkLastHl();
    return { claims: this.open.map((o) => this.finish(o)), warnings: this.warnings, sources: this.open.map((o) => o.sources) };
  }

  /** Every segment belongs to the level or claim it was read in: its range grows to take it in. */
  private extendRange(s: Segment): void {
    if (s.id === 'SE') return;
    if (this.zone === 'hierarchy') {
      const level = this.levelSources.get(this.level);
      if (level) level.range[1] = s.index;
    } else if (this.zone !== 'header' && this.current) {
      const ranges = this.current.sources.ranges;
      ranges[ranges.length - 1][1] = s.index;
    }
  }

  /** Records where a value of the current HL level was read. */
  private levelAt(key: keyof LevelSources, s: Segment): void {
    const level = this.levelSources.get(this.level);
    if (level) level.at[key] ??= s.index;
  }

  private warn(code: Warning837Code, s: Segment | undefined, message: string): void {
    this.warnings.push({ code, segmentIndex: s?.index ?? -1, segmentId: s?.id ?? '', message });
  }

  private el(s: Segment, i: number): string {
    return (s.elements[i] ?? '').trim();
  }

  private comps(s: Segment, i: number): string[] {
    const v = this.el(s, i);
    return v === '' ? [] : components(v, this.delimiters).map((c) => c.trim());
  }

  private amount(s: Segment, i: number, what: string): Cents {
    const v = this.el(s, i);
    const cents = parseCents(v);
    if (cents === undefined) {
      this.warn(
        v === '' ? 'MISSING' : 'INVALID',
        s,
        `${what} ${v === '' ? 'is missing' : `${JSON.stringify(v)} is not an amount`}; read as 0`,
      );
      return 0;
    }
    return cents;
  }

  private date(s: Segment, i: number, what: string): string {
    const v = this.el(s, i);
    const iso = isoFromD8(v);
    if (!iso) this.warn(v === '' ? 'MISSING' : 'INVALID', s, `${what} ${JSON.stringify(v)} is not a CCYYMMDD date`);
    return iso;
  }

  private segment(s: Segment): void {
    switch (s.id) {
      case 'HL':
        return this.hl(s);
      case 'NM1':
        return this.nm1(s);
      case 'CLM':
        return this.clm(s);
      case 'LX':
        return this.lx();
      default:
        break;
    }
    if (this.zone === 'header') return this.headerSegment(s);
    if (this.zone === 'hierarchy') return this.hlSegment(s);
    return this.claimSegment(s);
  }

  // ----- hierarchy

  private hl(s: Segment): void {
    const rec: HlRecord = { id: this.el(s, 1), level: this.el(s, 3), childCode: this.el(s, 4), segment: s };
    const parent = this.el(s, 2);
    const expected = String(this.hls.length + 1);
    if (rec.id !== expected)
      this.warn('HL_NUMBERING', s, `HL01 is ${rec.id || 'empty'} where ${expected} was expected (HL numbers run 1, 2, 3... in file order)`);
    const prev = this.hls[this.hls.length - 1];
    if (prev) this.checkChildCode(prev, parent === prev.id && parent !== '');
    this.hls.push(rec);

    const parentLevel = rec.level === '22' ? '20' : rec.level === '23' ? '22' : '';
    if (rec.level === '20') {
      if (parent !== '') this.warn('HL_PARENT', s, `billing provider HL ${rec.id} has parent ${parent}; it should have none`);
    } else if (parentLevel) {
      const p = this.openHl.get(parentLevel);
      if (!p) this.warn('HL_LEVEL', s, `HL level ${rec.level} without an enclosing level ${parentLevel}`);
      else if (parent !== p.id)
        this.warn(
          'HL_PARENT',
          s,
          `HL ${rec.id} (level ${rec.level}) names parent ${parent || 'none'}, but the enclosing level ${parentLevel} is HL ${p.id}`,
        );
    } else {
      this.warn('HL_LEVEL', s, `HL level ${rec.level || 'empty'} is not one of 20, 22, 23; its segments are read into the enclosing level`);
      return;
    }

    this.current = undefined;
    this.zone = 'hierarchy';
    this.entity = '';
    this.level = rec.level;
    this.openHl.set(rec.level, rec);
    this.levelSources.set(rec.level, { at: {}, range: [s.index, s.index] });
    if (rec.level === '20') this.levelSources.delete('22');
    if (rec.level !== '23') this.levelSources.delete('23');
    if (rec.level === '20') {
      this.provider = { name: { organization: '' }, npi: '', taxId: '', address: emptyAddress() };
      this.subscriber = this.payer = this.patient = undefined;
      this.openHl.delete('22');
      this.openHl.delete('23');
    } else if (rec.level === '22') {
      this.subscriber = { memberId: '', name: { last: '' }, claimFilingIndicator: '', payerResponsibility: 'P' };
      this.payer = { name: '', id: '' };
      this.patient = undefined;
      this.openHl.delete('23');
    } else {
      this.patient = { relationship: '21', name: { last: '' }, birthDate: '', sex: 'U', address: emptyAddress() };
    }
  }

  private checkChildCode(prev: HlRecord, hasChild: boolean): void {
    if (prev.childCode === '1' && !hasChild)
      this.warn('HL_CHILD_CODE', prev.segment, `HL ${prev.id} says it has child levels (HL04 = 1) but the next HL is not its child`);
    if (prev.childCode === '0' && hasChild)
      this.warn('HL_CHILD_CODE', prev.segment, `HL ${prev.id} says it has no child levels (HL04 = 0) but the next HL is its child`);
  }

  private checkLastHl(): void {
    const last = this.hls[this.hls.length - 1];
    if (last) this.checkChildCode(last, false);
  }

  // ----- NM1, wherever it is

  private nm1(s: Segment): void {
    const code = this.el(s, 1);
    this.entity = code;
    if (this.zone === 'header') {
      if (code === '41') {
        this.submitter = { ...this.submitter, name: this.partyName(s), id: this.el(s, 9) };
        this.submitterAt = s.index;
      } else if (code === '40') this.receiver = { name: this.el(s, 3), id: this.el(s, 9) };
      return;
    }
    if (this.zone === 'hierarchy') {
      if (this.level === '20' && code === '85' && this.provider) {
        this.provider.name = this.partyName(s);
        this.provider.npi = this.el(s, 9);
        this.levelAt('billingProvider', s);
      } else if (this.level === '22' && code === 'IL' && this.subscriber) {
        this.subscriber.name = this.personName(s);
        this.subscriber.memberId = this.el(s, 9);
        this.levelAt('subscriber', s);
      } else if (this.level === '22' && code === 'PR' && this.payer) {
        this.payer.name = this.el(s, 3);
        this.payer.id = this.el(s, 9);
        this.levelAt('payer', s);
      } else if (this.level === '23' && code === 'QC' && this.patient) {
        this.patient.name = this.personName(s);
        this.levelAt('patient', s);
      }
      return;
    }
    if (!this.current) return;
    const k = this.current.claim.claim;
    if (this.zone === 'claim' && code === '82') {
      k.renderingProvider = { name: this.partyName(s), npi: this.el(s, 9) };
      this.current.sources.renderingProvider = s.index;
    } else if (this.zone === 'otherPayer' && this.other) {
      if (code === 'IL') this.other.subscriber = { name: this.personName(s), memberId: this.el(s, 9) };
      else if (code === 'PR') this.other.payer = { name: this.el(s, 3), id: this.el(s, 9) };
    }
  }

  private partyName(s: Segment): PartyName {
    return this.el(s, 2) === '1' ? this.personName(s) : { organization: this.el(s, 3) };
  }

  private personName(s: Segment): PersonName {
    return { last: this.el(s, 3), ...compact({ first: this.el(s, 4), middle: this.el(s, 5), suffix: this.el(s, 7) }) };
  }

  private address(s: Segment, a: Address): void {
    if (s.id === 'N3') {
      a.line1 = this.el(s, 1);
      if (this.el(s, 2)) a.line2 = this.el(s, 2);
    } else {
      a.city = this.el(s, 1);
      a.state = this.el(s, 2);
      a.postalCode = this.el(s, 3);
    }
  }

  // ----- 1000A/1000B

  private headerSegment(s: Segment): void {
    if (s.id === 'PER' && this.entity === '41') this.submitter.contact = this.contact(s);
  }

  private contact(s: Segment): Contact {
    const c: Contact = { name: this.el(s, 2) };
    for (let i = 3; i <= 7; i += 2) {
      const value = this.el(s, i + 1);
      if (!value) continue;
      const q = this.el(s, i);
      if (q === 'TE') c.phone = value;
      else if (q === 'EX') c.extension = value;
      else if (q === 'EM') c.email = value;
      else if (q === 'FX') c.fax = value;
    }
    return c;
  }

  // ----- 2000A/2000B/2000C before their claims

  private hlSegment(s: Segment): void {
    const e = this.entity;
    if (this.level === '20' && this.provider) {
      const p = this.provider;
      if (s.id === 'PRV' && this.el(s, 1) === 'BI') p.taxonomy = this.el(s, 3);
      else if ((s.id === 'N3' || s.id === 'N4') && e === '85') this.address(s, p.address);
      else if (s.id === 'REF' && e === '85' && this.el(s, 1) === 'EI') p.taxId = this.el(s, 2).replace('-', '');
    } else if (this.level === '22' && this.subscriber && this.payer) {
      const sub = this.subscriber;
      if (s.id === 'SBR') {
        this.levelAt('subscriberLevel', s);
        sub.payerResponsibility = this.el(s, 1) as PayerResponsibility;
        if (this.el(s, 3)) sub.groupNumber = this.el(s, 3);
        if (this.el(s, 4)) sub.groupName = this.el(s, 4);
        sub.claimFilingIndicator = this.el(s, 9);
      } else if ((s.id === 'N3' || s.id === 'N4') && e === 'IL') {
        this.levelAt(s.id === 'N3' ? 'subscriberAddress' : 'subscriberPlace', s);
        sub.address ??= emptyAddress();
        this.address(s, sub.address);
      } else if (s.id === 'DMG' && e === 'IL') {
        this.levelAt('subscriberDemographics', s);
        sub.birthDate = this.date(s, 2, 'subscriber birth date');
        sub.sex = this.el(s, 3) as Sex;
      } else if ((s.id === 'N3' || s.id === 'N4') && e === 'PR') {
        this.payer.address ??= emptyAddress();
        this.address(s, this.payer.address);
      }
    } else if (this.level === '23' && this.patient) {
      const p = this.patient;
      if (s.id === 'PAT') {
        p.relationship = this.el(s, 1) as Patient['relationship'];
        this.levelAt('patientLevel', s);
      } else if ((s.id === 'N3' || s.id === 'N4') && e === 'QC') {
        this.address(s, p.address);
        this.levelAt(s.id === 'N3' ? 'patientAddress' : 'patientPlace', s);
      } else if (s.id === 'DMG' && e === 'QC') {
        this.levelAt('patientDemographics', s);
        p.birthDate = this.date(s, 2, 'patient birth date');
        p.sex = this.el(s, 3) as Sex;
      }
    }
  }

  // ----- 2300 and below

  private clm(s: Segment): void {
    if (!this.provider || !this.subscriber || !this.payer) {
      throw new X12SyntaxError({
        code: 'structure',
        segmentIndex: s.index,
        segmentId: s.id,
        reason: 'claim (CLM) outside a billing provider and subscriber level (HL 20, 22)',
      });
    }
    const facility = this.comps(s, 5);
    const details: ClaimDetails = {
      patientControlNumber: this.el(s, 1),
      totalChargeCents: this.amount(s, 2, 'CLM02 total charge'),
      placeOfService: facility[0] ?? '',
      frequencyCode: (facility[2] ?? '') as FrequencyCode,
      providerSignature: this.el(s, 6) as ClaimDetails['providerSignature'],
      assignment: this.el(s, 7) as ClaimDetails['assignment'],
      benefitsAssigned: this.el(s, 8) as ClaimDetails['benefitsAssigned'],
      releaseOfInformation: this.el(s, 9) as ClaimDetails['releaseOfInformation'],
      dateOfService: '',
      diagnoses: [],
      lines: [],
    };
    const claim: Claim837 = {
      submitter: this.submitter,
      receiver: this.receiver,
      billingProvider: structuredClone(this.provider),
      subscriber: structuredClone(this.subscriber),
      payer: structuredClone(this.payer),
      claim: details,
    };
    if (this.level === '23' && this.patient) claim.patient = structuredClone(this.patient);
    const levels = ['20', '22', ...(claim.patient ? ['23'] : [])].flatMap((l) => {
      const level = this.levelSources.get(l);
      return level ? [level] : [];
    });
    const sources: Claim837Sources = {
      ...Object.assign({}, ...levels.map((l) => l.at)),
      ...(this.submitterAt !== undefined ? { submitter: this.submitterAt } : {}),
      claim: s.index,
      lines: [],
      ranges: [...levels.map((l): [number, number] => [...l.range]), [s.index, s.index]],
    };
    this.current = { claim, dates: [], segment: s, sources };
    this.open.push(this.current);
    this.zone = 'claim';
    this.entity = '';
    this.other = this.line = this.adjudication = undefined;
  }

  private lx(): void {
    if (!this.current || this.zone === 'hierarchy' || this.zone === 'header') return;
    this.line = { procedureCode: '', modifiers: [], chargeCents: 0, units: 0, diagnosisPointers: [] };
    this.current.claim.claim.lines.push(this.line);
    this.current.dates.push({ from: '' });
    this.current.sources.lines.push({});
    this.zone = 'line';
    this.entity = '';
    this.adjudication = undefined;
  }

  private claimSegment(s: Segment): void {
    const open = this.current as OpenClaim;
    const k = open.claim.claim;
    if (s.id === 'SBR' && (this.zone === 'claim' || this.zone === 'otherPayer')) {
      this.other = {
        payerResponsibility: this.el(s, 1) as PayerResponsibility,
        relationship: this.el(s, 2) as Relationship,
        claimFilingIndicator: this.el(s, 9),
        subscriber: { name: { last: '' }, memberId: '' },
        payer: { name: '', id: '' },
        paidCents: 0,
        adjustments: [],
      };
      if (this.el(s, 3)) this.other.groupNumber = this.el(s, 3);
      (k.otherPayers ??= []).push(this.other);
      this.zone = 'otherPayer';
      this.entity = '';
      return;
    }
    switch (this.zone) {
      case 'claim':
        if (s.id === 'REF' && this.el(s, 1) === 'F8') k.originalPayerClaimControlNumber = this.el(s, 2);
        else if (s.id === 'HI') this.hi(s, open);
        else if (s.id === 'DTP' && this.el(s, 1) === '472') {
          open.sources.serviceDate ??= s.index;
          open.claimDate = this.dates(s);
        } else if (s.id === 'PRV' && this.entity === '82' && k.renderingProvider && this.el(s, 1) === 'PE')
          k.renderingProvider.taxonomy = this.el(s, 3);
        return;
      case 'otherPayer': {
        const o = this.other as OtherPayer;
        if (s.id === 'CAS' && this.entity === '') o.adjustments.push(...this.cas(s));
        else if (s.id === 'AMT' && this.el(s, 1) === 'D') {
          o.paidCents = this.amount(s, 2, 'AMT*D payer paid amount');
          this.paidGiven.add(o);
        } else if (s.id === 'DTP' && this.el(s, 1) === '573' && this.entity === 'PR')
          o.adjudicationDate = this.date(s, 3, 'adjudication date');
        return;
      }
      case 'line':
        if (s.id === 'SV1') {
          open.sources.lines[open.sources.lines.length - 1].service = s.index;
          this.sv1(s, this.line as ServiceLine);
        } else if (s.id === 'DTP' && this.el(s, 1) === '472') {
          open.sources.lines[open.sources.lines.length - 1].serviceDate = s.index;
          this.serviceDate(s, open);
        } else if (s.id === 'SVD') this.svd(s);
        return;
      case 'lineAdjudication': {
        const a = this.adjudication as LineAdjudication;
        if (s.id === 'SVD') this.svd(s);
        else if (s.id === 'CAS') a.adjustments.push(...this.cas(s));
        else if (s.id === 'DTP' && this.el(s, 1) === '573') a.adjudicationDate = this.date(s, 3, 'line adjudication date');
        return;
      }
      default:
        return;
    }
  }

  /**
   * Principal (ABK/BK) and other (ABF/BF) diagnoses; other qualifiers (procedures, conditions...) are not
   * ours to read. Tolerates the qualifier and code as separate elements, as some generators wrongly write.
   */
  private hi(s: Segment, open: OpenClaim): void {
    const k = open.claim.claim;
    for (let i = 1; i < s.elements.length; i++) {
      let [qualifier, code] = this.comps(s, i);
      if (code === undefined && /^A?B[KF]$/.test(qualifier ?? '') && i + 1 < s.elements.length) {
        code = this.el(s, ++i);
        this.warn('INVALID', s, `HI qualifier ${qualifier} and code ${code} are separate elements instead of one composite`);
      }
      if (!qualifier || !code || !/^A?B[KF]$/.test(qualifier)) continue;
      const system = qualifier.startsWith('A') ? 'ICD-10-CM' : 'ICD-9-CM';
      if (system === 'ICD-9-CM' && !open.system)
        this.warn('ICD9', s, 'diagnoses are ICD-9-CM (BK/BF); read as such, but claims are sent as ICD-10-CM only');
      open.system ??= system;
      open.sources.diagnoses ??= s.index;
      if (k.diagnoses.length >= 12) {
        this.warn('INVALID', s, `more than 12 diagnoses; ${code} ignored`);
        continue;
      }
      k.diagnoses.push(diagnosisFromX12(code, system));
    }
  }

  private sv1(s: Segment, line: ServiceLine): void {
    const procedure = this.comps(s, 1);
    if (procedure[0] !== 'HC') this.warn('INVALID', s, `procedure qualifier ${procedure[0] || 'empty'} is not HC; code read as is`);
    line.procedureCode = procedure[1] ?? '';
    line.modifiers = procedure.slice(2, 6).filter((m) => m !== '');
    if (procedure[6]) line.description = procedure[6];
    line.chargeCents = this.amount(s, 2, 'SV102 line charge');
    const unit = this.el(s, 3);
    if (unit === 'MJ') line.unitOfMeasure = 'MJ';
    else if (unit !== 'UN') this.warn('INVALID', s, `unit of measure ${unit || 'empty'} is not UN or MJ; read as UN`);
    line.units = Number(this.el(s, 4));
    if (!Number.isFinite(line.units) || line.units <= 0)
      this.warn('INVALID', s, `units ${JSON.stringify(this.el(s, 4))} is not a positive number`);
    // NaN would reach JSON as null and arithmetic as NaN: unreadable units count as none, with the warning above.
    if (!Number.isFinite(line.units)) line.units = 0;
    if (this.el(s, 5)) line.placeOfService = this.el(s, 5);
    // A pointer outside 1..12 points at no diagnosis: warned and left out, never kept as NaN or guessed.
    line.diagnosisPointers = this.comps(s, 7).flatMap((p) => {
      const n = Number(p);
      if (Number.isInteger(n) && n >= 1 && n <= 12) return [n];
      this.warn('INVALID', s, `diagnosis pointer ${JSON.stringify(p)} is not 1 to 12`);
      return [];
    });
  }

  private serviceDate(s: Segment, open: OpenClaim): void {
    open.dates[open.dates.length - 1] = this.dates(s);
  }

  private dates(s: Segment): LineDates {
    const format = this.el(s, 2);
    const value = this.el(s, 3);
    const [from, to] = format === 'RD8' ? value.split('-') : [value];
    const dates: LineDates = { from: isoFromD8(from ?? '') };
    if (!dates.from) this.warn('INVALID', s, `service date ${JSON.stringify(value)} is not a ${format || 'D8'} date`);
    if (format === 'RD8') dates.to = isoFromD8(to ?? '');
    return dates;
  }

  private svd(s: Segment): void {
    this.adjudication = {
      payerId: this.el(s, 1),
      paidCents: this.amount(s, 2, 'SVD02 paid amount'),
      adjustments: [],
      adjudicationDate: '',
    };
    (this.line!.adjudications ??= []).push(this.adjudication);
    this.zone = 'lineAdjudication';
  }

  private cas(s: Segment): Adjustment[] {
    const group = this.el(s, 1) as AdjustmentGroup;
    const out: Adjustment[] = [];
    for (let i = 2; i + 1 < s.elements.length; i += 3) {
      const reason = this.el(s, i);
      if (!reason) continue;
      const a: Adjustment = { group, reason, amountCents: this.amount(s, i + 1, `CAS adjustment ${reason} amount`) };
      const q = this.el(s, i + 2);
      if (q && Number.isFinite(Number(q))) a.quantity = Number(q);
      else if (q) this.warn('INVALID', s, `CAS adjustment ${reason} quantity ${JSON.stringify(q)} is not a number; left out`);
      out.push(a);
    }
    return out;
  }

  /**
   * The claim's date of service is its earliest line date; lines on that date carry no date of their own. A
   * line without a DTP*472 of its own takes the claim-level one, when the file has it.
   */
  private finish(open: OpenClaim): Claim837 {
    const c = open.claim;
    const k = c.claim;
    c.submitter = structuredClone(this.submitter);
    c.receiver = structuredClone(this.receiver);
    if (this.submitterAt !== undefined) open.sources.submitter = this.submitterAt;
    if (open.system === 'ICD-9-CM') k.diagnosisCodeSystem = 'ICD-9-CM';
    const claimDate = open.claimDate;
    if (claimDate?.from) open.dates = open.dates.map((d) => (d.from ? d : claimDate));
    const starts = open.dates.map((d) => d.from).filter((d) => d !== '');
    k.dateOfService = starts.length ? starts.reduce((a, b) => (b < a ? b : a)) : '';
    if (!k.dateOfService) this.warn('MISSING', open.segment, `claim ${k.patientControlNumber} has no service line dates (DTP*472)`);
    k.lines.forEach((l, i) => {
      const d = open.dates[i];
      if (d.from && d.from !== k.dateOfService) l.serviceDate = d.from;
      if (d.to !== undefined) l.serviceDateEnd = d.to;
    });
    const required: [string, string][] = [
      ['patient control number (CLM01)', k.patientControlNumber],
      ['billing provider NPI (2010AA NM109)', c.billingProvider.npi],
      ['subscriber member id (2010BA NM109)', c.subscriber.memberId],
      ['payer id (2010BB NM109)', c.payer.id],
      ['claim filing indicator (SBR09)', c.subscriber.claimFilingIndicator],
    ];
    for (const [what, value] of required)
      if (!value) this.warn('MISSING', open.segment, `claim ${k.patientControlNumber}: ${what} is missing`);
    for (const o of k.otherPayers ?? []) {
      if (!this.paidGiven.has(o))
        this.warn(
          'MISSING',
          open.segment,
          `claim ${k.patientControlNumber}: other payer ${o.payer.id || o.payer.name} has no paid amount (AMT*D); read as 0`,
        );
    }
    const sum = k.lines.reduce((s, l) => s + l.chargeCents, 0);
    if (sum !== k.totalChargeCents)
      this.warn(
        'CHARGE_MISMATCH',
        open.segment,
        `claim ${k.patientControlNumber}: CLM02 is ${formatX12Amount(k.totalChargeCents)} but the lines add up to ${formatX12Amount(sum)}`,
      );
    return c;
  }
}

function emptyAddress(): Address {
  return { line1: '', city: '', state: '', postalCode: '' };
}

/** Drops empty optional strings so a read-back object has the same keys as the one that was written. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== undefined)) as T;
}
