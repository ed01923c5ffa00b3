// 837P (005010X222A1, professional claims): generate837P writes the interchange claimflow submits;
// read837P/parse837P read an 837P transaction — ours or a payer's sample — back into the same model.
import type { Cents, IsoDate } from '../clearinghouse';
import type { EnvelopeControl } from './controlNumbers';
import { parseCents } from './money';
import { components, X12SyntaxError, type Delimiters, type Segment, type Transaction } from './reader';

export const IMPLEMENTATION_837P = '005010X222A1';

// ---------------------------------------------------------------------------------------------
// Model. Optional fields are left out (never undefined) when read back, so a claim that went out
// and came back deep-equals the one we started from.

export interface PersonName {
  last: string;
  first?: string;
  middle?: string;
  suffix?: string;
}
export interface OrganizationName {
  organization: string;
}
/** NM102 1 (person) or 2 (organisation). */
export type PartyName = PersonName | OrganizationName;

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  state: string;
  /** 5 or 9 digits; the billing provider's must be 9. */
  postalCode: string;
}

/** PER: at most three of phone (with extension), email, fax fit in one segment. */
export interface Contact {
  name: string;
  phone?: string;
  extension?: string;
  email?: string;
  fax?: string;
}

export interface Submitter {
  name: PartyName;
  id: string;
  contact: Contact;
}

export interface Receiver {
  name: string;
  id: string;
}

export interface BillingProvider {
  name: PartyName;
  npi: string;
  /** EIN, 9 digits without the hyphen (REF*EI). */
  taxId: string;
  taxonomy?: string;
  address: Address;
}

export type Sex = 'M' | 'F' | 'U';
export type PayerResponsibility = 'P' | 'S' | 'T';
/** SBR02 / PAT01 individual relationship codes: 01 spouse, 18 self, 19 child, 20 employee, 21 unknown, 39/40 donors, 53 life partner, G8 other. */
export type Relationship = '01' | '18' | '19' | '20' | '21' | '39' | '40' | '53' | 'G8';

/**
 * The insured person (loop 2000B/2010BA). Whether the subscriber is the patient is not a field: a claim
 * without `patient` is the subscriber's own (SBR02 = 18); one with `patient` goes in loop 2000C.
 */
export interface Subscriber {
  memberId: string;
  name: PersonName;
  /** birthDate, sex and address are required when the subscriber is the patient. */
  birthDate?: IsoDate;
  sex?: Sex;
  address?: Address;
  groupNumber?: string;
  groupName?: string;
  /** SBR09: MB Medicare Part B, MC Medicaid, CI commercial, BL Blue Cross, HM HMO, 12-16 Medicare secondary... */
  claimFilingIndicator: string;
  payerResponsibility: PayerResponsibility;
}

/** The patient when not the subscriber (loop 2000C/2010CA). */
export interface Patient {
  relationship: Exclude<Relationship, '18'>;
  name: PersonName;
  birthDate: IsoDate;
  sex: Sex;
  address: Address;
}

export interface Payer {
  name: string;
  /** Electronic payer id (NM109 with qualifier PI). */
  id: string;
  address?: Address;
}

/** Loop 2310B. Left out of the file when its NPI is the billing provider's (TR3: only when they differ), so it does not come back. */
export interface RenderingProvider {
  name: PartyName;
  npi: string;
  taxonomy?: string;
}

export type AdjustmentGroup = 'CO' | 'PR' | 'OI' | 'PI' | 'CR';

/** One CAS reason: written grouped by group code (in order of first appearance), read back flat. */
export interface Adjustment {
  group: AdjustmentGroup;
  /** CARC */
  reason: string;
  amountCents: Cents;
  quantity?: number;
}

/** A payer that adjudicated this claim before the one we are billing (loops 2320, 2330A, 2330B). */
export interface OtherPayer {
  payerResponsibility: PayerResponsibility;
  /** Patient's relationship to the other payer's subscriber. */
  relationship: Relationship;
  groupNumber?: string;
  claimFilingIndicator: string;
  subscriber: { name: PersonName; memberId: string };
  payer: { name: string; id: string };
  /** AMT*D */
  paidCents: Cents;
  /** Claim-level CAS. */
  adjustments: Adjustment[];
  /** 2330B DTP*573: for an adjudication given at claim level only (no 2430 lines). */
  adjudicationDate?: IsoDate;
}

/** Loop 2430: what another payer did with this line. */
export interface LineAdjudication {
  /** Matches an OtherPayer's payer.id. */
  payerId: string;
  paidCents: Cents;
  adjustments: Adjustment[];
  adjudicationDate: IsoDate;
}

export interface ServiceLine {
  procedureCode: string;
  modifiers: string[];
  /** SV101-7, for not-otherwise-classified codes. */
  description?: string;
  chargeCents: Cents;
  units: number;
  /** Omitted: UN (units). MJ: anesthesia minutes. */
  unitOfMeasure?: 'MJ';
  /** Only when different from the claim's place of service. */
  placeOfService?: string;
  /** 1-based into the claim's diagnoses, at most 4. */
  diagnosisPointers: number[];
  /** Omitted: the claim's dateOfService. */
  serviceDate?: IsoDate;
  /** Present: a date range (RD8) from serviceDate (or the claim's date) to this. */
  serviceDateEnd?: IsoDate;
  adjudications?: LineAdjudication[];
}

export type FrequencyCode = '1' | '7' | '8';

export interface ClaimDetails {
  /** CLM01: our claim id, at most 20 characters; the payer echoes it in the 277CA and 835. */
  patientControlNumber: string;
  /** Must equal the sum of the lines' charges. */
  totalChargeCents: Cents;
  placeOfService: string;
  /** 1 original, 7 replacement, 8 void. */
  frequencyCode: FrequencyCode;
  /** REF*F8, the payer's claim control number of the claim a 7 or 8 replaces or voids. */
  originalPayerClaimControlNumber?: string;
  providerSignature: 'Y' | 'N';
  assignment: 'A' | 'B' | 'C';
  benefitsAssigned: 'Y' | 'N' | 'W';
  releaseOfInformation: 'Y' | 'I';
  /** The earliest date of service of the lines; 837P has no claim-level service date, each line carries one. */
  dateOfService: IsoDate;
  /** ICD-10-CM with dots ("E11.9"); the first is the principal diagnosis. At most 12. */
  diagnoses: string[];
  /** Only set when reading old files that carry ICD-9-CM (BK/BF); we never send ICD-9. */
  diagnosisCodeSystem?: 'ICD-9-CM';
  renderingProvider?: RenderingProvider;
  otherPayers?: OtherPayer[];
  lines: ServiceLine[];
}

export interface Claim837 {
  submitter: Submitter;
  receiver: Receiver;
  billingProvider: BillingProvider;
  subscriber: Subscriber;
  patient?: Patient;
  payer: Payer;
  claim: ClaimDetails;
}

/** An interchange sender or receiver (ISA05/06, ISA07/08); the id is also the GS02/GS03 application code. */
export interface EnvelopeParty {
  /** ZZ mutually defined, 01 DUNS, 30 federal tax id... */
  qualifier: string;
  id: string;
}

export interface Batch837P {
  claims: Claim837[];
  control: EnvelopeControl;
  sender: EnvelopeParty;
  receiver: EnvelopeParty;
  now: { date: IsoDate; time: string };
  usage: 'T' | 'P';
  delimiters?: Delimiters;
}

export class X12GenerationError extends Error {
  readonly code = 'X12_GENERATION';
  constructor(
    readonly claimId: string | undefined,
    readonly field: string,
    readonly reason: string,
  ) {
    super(claimId === undefined ? `${field} ${reason}` : `claim ${claimId}: ${field} ${reason}`);
    this.name = 'X12GenerationError';
  }
}

// ---------------------------------------------------------------------------------------------
// Amounts, quantities, dates and diagnosis codes as X12 writes them.

/** Payers expect the shortest decimal: 10000 -> "100", 10050 -> "100.5", 10055 -> "100.55". */
export function formatX12Amount(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be an integer number of cents, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${whole}`;
  if (frac % 10 === 0) return `${sign}${whole}.${frac / 10}`;
  return `${sign}${whole}.${String(frac).padStart(2, '0')}`;
}

function isRealDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days;
}

function isoFromD8(d8: string): string {
  return /^\d{8}$/.test(d8) ? `${d8.slice(0, 4)}-${d8.slice(4, 6)}-${d8.slice(6, 8)}` : '';
}

// ICD codes travel without the dot; it goes back after the category (3 characters, 4 for ICD-9 E codes).
function diagnosisFromX12(code: string, system: 'ICD-10-CM' | 'ICD-9-CM'): string {
  const at = system === 'ICD-9-CM' && code.startsWith('E') ? 4 : 3;
  return code.length > at ? `${code.slice(0, at)}.${code.slice(at)}` : code;
}

// ---------------------------------------------------------------------------------------------
// Generation

const DEFAULT_DELIMITERS: Required<Delimiters> = { element: '*', component: ':', repetition: '^', segment: '~' };

interface Rule {
  max?: number;
  pattern?: RegExp;
  /** how the pattern reads in an error message */
  expected?: string;
  upper?: boolean;
}

const NAME: Rule = { max: 60, upper: true };
const FIRST_NAME: Rule = { max: 35, upper: true };
const MIDDLE_NAME: Rule = { max: 25, upper: true };
const SUFFIX: Rule = { max: 10, upper: true };
const ADDRESS_LINE: Rule = { max: 55, upper: true };
const CITY: Rule = { max: 30, upper: true };
const STATE: Rule = { pattern: /^[A-Z]{2}$/, expected: 'a 2-letter state code', upper: true };
const ZIP: Rule = { pattern: /^\d{5}(\d{4})?$/, expected: '5 or 9 digits' };
const ZIP9: Rule = { pattern: /^\d{9}$/, expected: '9 digits (ZIP+4, required for the billing provider)' };
const ID: Rule = { max: 80 };
const NPI: Rule = { pattern: /^\d{10}$/, expected: '10 digits' };
const EIN: Rule = { pattern: /^\d{9}$/, expected: '9 digits without a hyphen' };
const TAXONOMY: Rule = { pattern: /^[0-9A-Z]{10}$/, expected: 'a 10-character taxonomy code' };
const PHONE: Rule = { pattern: /^\d{10}$/, expected: '10 digits' };
const POS: Rule = { pattern: /^\d{2}$/, expected: 'a 2-digit place of service code' };
const PROCEDURE: Rule = { pattern: /^[A-Z0-9]{5}$/, expected: 'a 5-character CPT/HCPCS code' };
const MODIFIER: Rule = { pattern: /^[A-Z0-9]{2}$/, expected: '2 characters' };
const CARC: Rule = { pattern: /^[A-Z0-9]{1,5}$/, expected: 'a claim adjustment reason code' };
const ADJUSTMENT_GROUP: Rule = { pattern: /^(CO|PR|OI|PI|CR)$/, expected: 'CO, PR, OI, PI or CR' };
const FILING: Rule = {
  pattern: /^(11|12|13|14|15|16|17|AM|BL|CH|CI|DS|FI|HM|LM|MA|MB|MC|OF|TV|VA|WC|ZZ)$/,
  expected: 'a claim filing indicator code (e.g. MB, MC, CI)',
};
const RELATIONSHIP: Rule = { pattern: /^(01|18|19|20|21|39|40|53|G8)$/, expected: 'an individual relationship code' };
const RESPONSIBILITY: Rule = { pattern: /^[PST]$/, expected: 'P, S or T' };
const SEX: Rule = { pattern: /^[MFU]$/, expected: 'M, F or U' };
const ICD10: Rule = {
  pattern: /^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/,
  expected: 'an ICD-10-CM code such as E11.9',
};

/** Checks every value that goes into the file and says which claim and field a bad one came from. */
class Fields {
  claimId: string | undefined;
  private readonly delimiters: string;

  constructor(d: Required<Delimiters>) {
    this.delimiters = d.element + d.component + d.repetition + d.segment;
  }

  fail(field: string, reason: string): never {
    throw new X12GenerationError(this.claimId, field, reason);
  }

  req(value: string | undefined, field: string, rule: Rule = ID): string {
    const v = this.opt(value, field, rule);
    if (v === '') this.fail(field, 'is required');
    return v;
  }

  opt(value: string | undefined, field: string, rule: Rule = ID): string {
    if (value === undefined) return '';
    if (typeof value !== 'string') this.fail(field, `must be text, got ${typeof value}`);
    // Payers want upper case and plain ASCII; "José" goes out as "JOSE" rather than being refused.
    const plain = /^[\x20-\x7e]*$/.test(value) ? value : value.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    const v = rule.upper ? plain.toUpperCase().trim() : value.trim();
    for (let i = 0; i < v.length; i++) {
      const ch = v[i];
      // X12 has no escape character: a delimiter inside a value would silently split it.
      if (this.delimiters.includes(ch)) this.fail(field, `contains the delimiter '${ch}' (${JSON.stringify(value)}), which X12 cannot escape`);
      const c = ch.charCodeAt(0);
      if (c < 0x20 || c > 0x7e) this.fail(field, `contains ${JSON.stringify(ch)}, which is outside the X12 character set`);
    }
    if (v !== '' && rule.max !== undefined && v.length > rule.max) this.fail(field, `is longer than ${rule.max} characters`);
    if (v !== '' && rule.pattern && !rule.pattern.test(v)) this.fail(field, `must be ${rule.expected} (got ${JSON.stringify(v)})`);
    return v;
  }

  money(cents: Cents, field: string, { allowNegative = false } = {}): string {
    if (!Number.isSafeInteger(cents)) this.fail(field, `must be an integer number of cents (got ${cents})`);
    if (!allowNegative && cents < 0) this.fail(field, 'must not be negative');
    return formatX12Amount(cents);
  }

  quantity(n: number, field: string): string {
    const thousandths = n * 1000;
    if (!Number.isFinite(n) || n <= 0 || n >= 1e12) this.fail(field, `must be a positive number below 10^12 (got ${n})`);
    if (Math.abs(Math.round(thousandths) - thousandths) > 1e-6) this.fail(field, 'has more than 3 decimals');
    return String(n);
  }

  date(iso: IsoDate | undefined, field: string): string {
    if (!iso) this.fail(field, 'is required');
    if (!isRealDate(iso)) this.fail(field, `must be a date YYYY-MM-DD (got ${JSON.stringify(iso)})`);
    return iso.replaceAll('-', '');
  }
}

type Element = string | readonly string[];

class SegmentWriter {
  private readonly parts: string[] = [];
  count = 0;

  constructor(private readonly d: Required<Delimiters>) {}

  /** Values must already have gone through Fields; trailing empty elements and components are dropped. */
  write(id: string, ...elements: Element[]): void {
    let end = elements.length;
    while (end > 0 && isEmpty(elements[end - 1])) end--;
    let s = id;
    for (let i = 0; i < end; i++) s += this.d.element + this.render(elements[i]);
    this.parts.push(s + this.d.segment);
    this.count++;
  }

  /** ISA is fixed-width: nothing may be trimmed from it. */
  writeRaw(segment: string): void {
    this.parts.push(segment + this.d.segment);
    this.count++;
  }

  toString(): string {
    return this.parts.join('');
  }

  private render(e: Element): string {
    if (typeof e === 'string') return e;
    let end = e.length;
    while (end > 0 && e[end - 1] === '') end--;
    return e.slice(0, end).join(this.d.component);
  }
}

function isEmpty(e: Element): boolean {
  return typeof e === 'string' ? e === '' : e.every((c) => c === '');
}

function resolveDelimiters(given: Delimiters | undefined): Required<Delimiters> {
  const d: Required<Delimiters> = { ...DEFAULT_DELIMITERS, ...given, repetition: given?.repetition ?? DEFAULT_DELIMITERS.repetition };
  const chars = [d.element, d.component, d.repetition, d.segment];
  for (const [name, ch] of Object.entries(d)) {
    if (typeof ch !== 'string' || ch.length !== 1 || /[A-Za-z0-9 ]/.test(ch)) {
      throw new X12GenerationError(undefined, `delimiters.${name}`, `must be one character that is not a letter, digit or space (got ${JSON.stringify(ch)})`);
    }
  }
  if (new Set(chars).size !== chars.length) throw new X12GenerationError(undefined, 'delimiters', 'must be four different characters');
  return d;
}

/**
 * Key for grouping: same content, same key, whatever the property order. `cache` lives for one
 * generate837P call, so claims built from one provider or subscriber object pay for its key once, and an
 * object changed between calls is never seen with a stale key.
 */
function stableKey(value: unknown, cache: Map<object, string>): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? '';
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  let key: string;
  if (Array.isArray(value)) key = `[${value.map((v) => stableKey(v, cache)).join(',')}]`;
  else {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    key = `{${keys.map((k) => `${k}:${stableKey(o[k], cache)}`).join(',')}}`;
  }
  cache.set(value, key);
  return key;
}

interface PatientGroup {
  patient: Patient;
  claims: Claim837[];
}
interface SubscriberGroup {
  first: Claim837;
  /** true: claims of the subscriber as patient; false: claims of dependents, in 2000C loops */
  self: boolean;
  claims: Claim837[];
  patients: PatientGroup[];
}
interface ProviderGroup {
  first: Claim837;
  subscribers: SubscriberGroup[];
}

/**
 * One 2000A per billing provider and one 2000B per subscriber and payer, in order of first appearance.
 * A subscriber with own claims and dependants' claims gets two 2000B loops, because SBR02 = 18 says
 * the subscriber is the patient of every claim directly under it.
 */
function groupClaims(claims: Claim837[], keys: Map<object, string>): ProviderGroup[] {
  const providers = new Map<string, ProviderGroup & { byKey: Map<string, SubscriberGroup & { byPatient: Map<string, PatientGroup> }> }>();
  for (const c of claims) {
    const pk = stableKey(c.billingProvider, keys);
    let p = providers.get(pk);
    if (!p) providers.set(pk, (p = { first: c, subscribers: [], byKey: new Map() }));
    const self = c.patient === undefined;
    const sk = stableKey(c.subscriber, keys) + stableKey(c.payer, keys) + String(self);
    let s = p.byKey.get(sk);
    if (!s) {
      s = { first: c, self, claims: [], patients: [], byPatient: new Map() };
      p.byKey.set(sk, s);
      p.subscribers.push(s);
    }
    if (self) {
      s.claims.push(c);
      continue;
    }
    const patient = c.patient as Patient;
    const ck = stableKey(patient, keys);
    let g = s.byPatient.get(ck);
    if (!g) {
      g = { patient, claims: [] };
      s.byPatient.set(ck, g);
      s.patients.push(g);
    }
    g.claims.push(c);
  }
  return [...providers.values()];
}

/**
 * One interchange (ISA/GS/ST) holding every claim of the batch. Claims come out grouped under their
 * billing provider and subscriber (first appearance first), which is the order read837P returns them in.
 * Throws X12GenerationError naming the claim and field of the first value that cannot be sent.
 */
export function generate837P(batch: Batch837P): string {
  const d = resolveDelimiters(batch.delimiters);
  const f = new Fields(d);
  const w = new SegmentWriter(d);
  if (batch.claims.length === 0) f.fail('claims', 'must hold at least one claim');

  const first = batch.claims[0];
  const keys = new Map<object, string>();
  const ids = new Set<string>();
  for (const c of batch.claims) {
    f.claimId = c.claim?.patientControlNumber;
    // Acknowledgements and remittances find a claim by CLM01: two claims with one id could not be told apart.
    if (ids.has(f.claimId)) f.fail('claim.patientControlNumber', 'appears on two claims of the batch');
    ids.add(f.claimId);
    // 1000A/1000B appear once per transaction, so every claim must agree on them.
    if (stableKey(c.submitter, keys) !== stableKey(first.submitter, keys)) f.fail('submitter', 'differs from the first claim of the batch; one file has one submitter');
    if (stableKey(c.receiver, keys) !== stableKey(first.receiver, keys)) f.fail('receiver', 'differs from the first claim of the batch; one file has one receiver');
    validateClaim(f, c);
  }
  f.claimId = undefined;

  const st = writeEnvelopeHeader(w, f, batch, d);
  const stStart = w.count;
  w.write('ST', '837', st, IMPLEMENTATION_837P);
  w.write('BHT', '0019', '00', st, f.date(batch.now.date, 'now.date'), batch.now.time, 'CH');
  writeSubmitter(w, f, first.submitter);
  w.write('NM1', '40', '2', f.req(first.receiver.name, 'receiver.name', NAME), '', '', '', '', '46', f.req(first.receiver.id, 'receiver.id'));

  let hl = 0;
  for (const provider of groupClaims(batch.claims, keys)) {
    const providerHl = ++hl;
    f.claimId = provider.first.claim.patientControlNumber;
    w.write('HL', String(providerHl), '', '20', '1');
    writeBillingProvider(w, f, provider.first.billingProvider);
    for (const sub of provider.subscribers) {
      const subscriberHl = ++hl;
      f.claimId = sub.first.claim.patientControlNumber;
      w.write('HL', String(subscriberHl), String(providerHl), '22', sub.self ? '0' : '1');
      writeSubscriber(w, f, sub.first, sub.self);
      for (const c of sub.claims) writeClaim(w, f, c);
      for (const p of sub.patients) {
        f.claimId = p.claims[0].claim.patientControlNumber;
        w.write('HL', String(++hl), String(subscriberHl), '23', '0');
        writePatient(w, f, p.patient);
        for (const c of p.claims) writeClaim(w, f, c);
      }
    }
  }
  f.claimId = undefined;
  w.write('SE', String(w.count - stStart + 1), st);
  w.write('GE', '1', String(batch.control.groupControlNumber));
  w.write('IEA', '1', String(batch.control.interchangeControlNumber).padStart(9, '0'));
  return w.toString();
}

/** ISA and GS; returns the checked ST02. */
function writeEnvelopeHeader(w: SegmentWriter, f: Fields, batch: Batch837P, d: Required<Delimiters>): string {
  const { control, now } = batch;
  for (const [field, n] of [['control.interchangeControlNumber', control.interchangeControlNumber], ['control.groupControlNumber', control.groupControlNumber]] as const) {
    if (!Number.isInteger(n) || n < 1 || n > 999_999_999) f.fail(field, `must be an integer from 1 to 999999999 (got ${n})`);
  }
  const st = f.req(control.transactionControlNumber, 'control.transactionControlNumber', { pattern: /^[0-9A-Za-z]{4,9}$/, expected: '4 to 9 letters or digits' });
  const date = f.date(now.date, 'now.date');
  const time = f.req(now.time, 'now.time', { pattern: /^([01]\d|2[0-3])[0-5]\d$/, expected: 'HHMM' });
  if (batch.usage !== 'T' && batch.usage !== 'P') f.fail('usage', `must be T (test) or P (production), got ${JSON.stringify(batch.usage)}`);
  const party = (p: EnvelopeParty, name: string) => ({
    qualifier: f.req(p.qualifier, `${name}.qualifier`, { pattern: /^[0-9A-Z]{2}$/, expected: 'a 2-character id qualifier' }),
    id: f.req(p.id, `${name}.id`, { max: 15 }),
  });
  const sender = party(batch.sender, 'sender');
  const receiver = party(batch.receiver, 'receiver');
  const e = d.element;
  // No authorisation or security information (00 + 10 spaces): clearinghouses authenticate the connection instead.
  w.writeRaw(
    ['ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), sender.qualifier, sender.id.padEnd(15), receiver.qualifier, receiver.id.padEnd(15),
      date.slice(2), time, d.repetition, '00501', String(control.interchangeControlNumber).padStart(9, '0'), '0', batch.usage, d.component].join(e),
  );
  w.write('GS', 'HC', sender.id, receiver.id, date, time, String(control.groupControlNumber), 'X', IMPLEMENTATION_837P);
  return st;
}

function nm1Name(f: Fields, name: PartyName, path: string): [string, string, string, string, string, string] {
  if (!name || typeof name !== 'object') f.fail(path, 'is required');
  if ('organization' in name) return ['2', f.req(name.organization, `${path}.organization`, NAME), '', '', '', ''];
  return personName(f, name, path);
}

function personName(f: Fields, name: PersonName, path: string): [string, string, string, string, string, string] {
  if (!name || typeof name !== 'object') f.fail(path, 'is required');
  return [
    '1',
    f.req(name.last, `${path}.last`, NAME),
    f.opt(name.first, `${path}.first`, FIRST_NAME),
    f.opt(name.middle, `${path}.middle`, MIDDLE_NAME),
    '',
    f.opt(name.suffix, `${path}.suffix`, SUFFIX),
  ];
}

function writeAddress(w: SegmentWriter, f: Fields, a: Address, path: string, zip: Rule = ZIP): void {
  w.write('N3', f.req(a.line1, `${path}.line1`, ADDRESS_LINE), f.opt(a.line2, `${path}.line2`, ADDRESS_LINE));
  w.write('N4', f.req(a.city, `${path}.city`, CITY), f.req(a.state, `${path}.state`, STATE), f.req(a.postalCode, `${path}.postalCode`, zip));
}

function writeSubmitter(w: SegmentWriter, f: Fields, s: Submitter): void {
  w.write('NM1', '41', ...nm1Name(f, s.name, 'submitter.name'), '46', f.req(s.id, 'submitter.id'));
  const c = s.contact ?? f.fail('submitter.contact', 'is required');
  const numbers: string[] = [];
  if (c.phone) numbers.push('TE', f.req(c.phone, 'submitter.contact.phone', PHONE));
  if (c.extension) {
    if (!c.phone) f.fail('submitter.contact.extension', 'needs a phone number');
    numbers.push('EX', f.req(c.extension, 'submitter.contact.extension', { max: 10 }));
  }
  if (c.email) numbers.push('EM', f.req(c.email, 'submitter.contact.email', { max: 256 }));
  if (c.fax) numbers.push('FX', f.req(c.fax, 'submitter.contact.fax', PHONE));
  if (numbers.length === 0) f.fail('submitter.contact', 'needs a phone number, email or fax');
  if (numbers.length > 6) f.fail('submitter.contact', 'holds more than three of phone, extension, email and fax; PER has room for three');
  w.write('PER', 'IC', f.req(c.name, 'submitter.contact.name', NAME), ...numbers);
}

function writeBillingProvider(w: SegmentWriter, f: Fields, p: BillingProvider): void {
  if (p.taxonomy !== undefined) w.write('PRV', 'BI', 'PXC', f.req(p.taxonomy, 'billingProvider.taxonomy', TAXONOMY));
  w.write('NM1', '85', ...nm1Name(f, p.name, 'billingProvider.name'), 'XX', f.req(p.npi, 'billingProvider.npi', NPI));
  writeAddress(w, f, p.address ?? f.fail('billingProvider.address', 'is required'), 'billingProvider.address', ZIP9);
  w.write('REF', 'EI', f.req(p.taxId, 'billingProvider.taxId', EIN));
}

function writeSubscriber(w: SegmentWriter, f: Fields, c: Claim837, self: boolean): void {
  const s = c.subscriber;
  w.write(
    'SBR',
    f.req(s.payerResponsibility, 'subscriber.payerResponsibility', RESPONSIBILITY),
    self ? '18' : '',
    f.opt(s.groupNumber, 'subscriber.groupNumber', { max: 50 }),
    f.opt(s.groupName, 'subscriber.groupName', NAME),
    '', '', '', '',
    f.req(s.claimFilingIndicator, 'subscriber.claimFilingIndicator', FILING),
  );
  w.write('NM1', 'IL', ...personName(f, s.name, 'subscriber.name'), 'MI', f.req(s.memberId, 'subscriber.memberId'));
  // TR3: the patient's address and demographics are required, wherever the patient is.
  if (self && !s.address) f.fail('subscriber.address', 'is required when the subscriber is the patient');
  if (self && (!s.birthDate || !s.sex)) f.fail('subscriber.birthDate', 'and subscriber.sex are required when the subscriber is the patient');
  if (s.address) writeAddress(w, f, s.address, 'subscriber.address');
  if (s.birthDate || s.sex) {
    w.write('DMG', 'D8', f.date(s.birthDate, 'subscriber.birthDate'), f.req(s.sex, 'subscriber.sex', SEX));
  }
  const p = c.payer;
  w.write('NM1', 'PR', '2', f.req(p.name, 'payer.name', NAME), '', '', '', '', 'PI', f.req(p.id, 'payer.id'));
  if (p.address) writeAddress(w, f, p.address, 'payer.address');
}

function writePatient(w: SegmentWriter, f: Fields, p: Patient): void {
  const rel = f.req(p.relationship, 'patient.relationship', RELATIONSHIP);
  if (rel === '18') f.fail('patient.relationship', 'is 18 (self): leave patient out when the subscriber is the patient');
  w.write('PAT', rel);
  w.write('NM1', 'QC', ...personName(f, p.name, 'patient.name'));
  writeAddress(w, f, p.address ?? f.fail('patient.address', 'is required'), 'patient.address');
  w.write('DMG', 'D8', f.date(p.birthDate, 'patient.birthDate'), f.req(p.sex, 'patient.sex', SEX));
}

/** Rules that span fields; single-value formats are checked as the value is written. */
function validateClaim(f: Fields, c: Claim837): void {
  const k = c.claim ?? f.fail('claim', 'is required');
  f.req(k.patientControlNumber, 'claim.patientControlNumber', { max: 20 });
  if (k.diagnosisCodeSystem !== undefined) f.fail('claim.diagnosisCodeSystem', 'must be left out: claims are sent with ICD-10-CM only');
  if (!Array.isArray(k.diagnoses) || k.diagnoses.length === 0 || k.diagnoses.length > 12) f.fail('claim.diagnoses', 'must hold 1 to 12 codes');
  if (!Array.isArray(k.lines) || k.lines.length === 0 || k.lines.length > 50) f.fail('claim.lines', 'must hold 1 to 50 service lines');
  const sum = k.lines.reduce((s, l) => s + l.chargeCents, 0);
  if (sum !== k.totalChargeCents) f.fail('claim.totalChargeCents', `is ${k.totalChargeCents} but the lines add up to ${sum}`);
  const isReplacement = k.frequencyCode === '7' || k.frequencyCode === '8';
  if (isReplacement && !k.originalPayerClaimControlNumber) f.fail('claim.originalPayerClaimControlNumber', `is required for frequency ${k.frequencyCode}`);
  if (!isReplacement && k.originalPayerClaimControlNumber) f.fail('claim.originalPayerClaimControlNumber', 'only applies to a replacement (7) or void (8)');

  k.lines.forEach((l, i) => {
    const from = l.serviceDate ?? k.dateOfService;
    // Read back, the claim's date is the earliest line date: a line before it could not round-trip.
    if (from < k.dateOfService) f.fail(`claim.lines[${i}].serviceDate`, `is before the claim's dateOfService ${k.dateOfService}`);
    if (l.serviceDateEnd !== undefined && l.serviceDateEnd < from) f.fail(`claim.lines[${i}].serviceDateEnd`, 'is before the start of the service');
    if (!Array.isArray(l.diagnosisPointers) || l.diagnosisPointers.length === 0 || l.diagnosisPointers.length > 4) {
      f.fail(`claim.lines[${i}].diagnosisPointers`, 'must hold 1 to 4 pointers');
    }
    for (const p of l.diagnosisPointers) {
      if (!Number.isInteger(p) || p < 1 || p > k.diagnoses.length) f.fail(`claim.lines[${i}].diagnosisPointers`, `points to diagnosis ${p}, but the claim has ${k.diagnoses.length}`);
    }
    if (new Set(l.diagnosisPointers).size !== l.diagnosisPointers.length) f.fail(`claim.lines[${i}].diagnosisPointers`, 'repeats a pointer');
  });

  const others = k.otherPayers ?? [];
  if ((c.subscriber?.payerResponsibility === 'S' || c.subscriber?.payerResponsibility === 'T') && others.length === 0) {
    f.fail('claim.otherPayers', `are required for a ${c.subscriber.payerResponsibility === 'S' ? 'secondary' : 'tertiary'} claim: the earlier payers' adjudication goes with it`);
  }
  others.forEach((o, i) => {
    if (o.payerResponsibility === c.subscriber?.payerResponsibility) {
      f.fail(`claim.otherPayers[${i}].payerResponsibility`, `is ${o.payerResponsibility}, the same as the payer being billed`);
    }
    // COB balancing (TR3 2320 AMT*D): charge = paid + claim adjustments + that payer's line adjustments.
    const lineAdjustments = k.lines.reduce(
      (s, l) => s + (l.adjudications ?? []).filter((a) => a.payerId === o.payer?.id).reduce((t, a) => t + sumAdjustments(a.adjustments), 0),
      0,
    );
    const balance = k.totalChargeCents - o.paidCents - sumAdjustments(o.adjustments) - lineAdjustments;
    if (balance !== 0) {
      f.fail(`claim.otherPayers[${i}]`, `does not balance: charge ${k.totalChargeCents} - paid ${o.paidCents} - adjustments ${sumAdjustments(o.adjustments) + lineAdjustments} leaves ${balance}`);
    }
  });
  k.lines.forEach((l, i) => {
    const seen = new Set<string>();
    (l.adjudications ?? []).forEach((a, j) => {
      const path = `claim.lines[${i}].adjudications[${j}]`;
      if (!others.some((o) => o.payer?.id === a.payerId)) f.fail(`${path}.payerId`, `${JSON.stringify(a.payerId)} is not the id of one of claim.otherPayers`);
      if (seen.has(a.payerId)) f.fail(`${path}.payerId`, 'appears twice on the line');
      seen.add(a.payerId);
      const balance = l.chargeCents - a.paidCents - sumAdjustments(a.adjustments);
      if (balance !== 0) f.fail(path, `does not balance: line charge ${l.chargeCents} - paid ${a.paidCents} - adjustments ${sumAdjustments(a.adjustments)} leaves ${balance}`);
    });
  });
}

function sumAdjustments(list: Adjustment[] | undefined): number {
  return (list ?? []).reduce((s, a) => s + a.amountCents, 0);
}

function writeClaim(w: SegmentWriter, f: Fields, c: Claim837): void {
  const k = c.claim;
  f.claimId = k.patientControlNumber;
  w.write(
    'CLM',
    f.req(k.patientControlNumber, 'claim.patientControlNumber', { max: 20 }),
    f.money(k.totalChargeCents, 'claim.totalChargeCents'),
    '',
    '',
    [f.req(k.placeOfService, 'claim.placeOfService', POS), 'B', f.req(k.frequencyCode, 'claim.frequencyCode', { pattern: /^[178]$/, expected: '1, 7 or 8' })],
    f.req(k.providerSignature, 'claim.providerSignature', { pattern: /^[YN]$/, expected: 'Y or N' }),
    f.req(k.assignment, 'claim.assignment', { pattern: /^[ABC]$/, expected: 'A, B or C' }),
    f.req(k.benefitsAssigned, 'claim.benefitsAssigned', { pattern: /^[YNW]$/, expected: 'Y, N or W' }),
    f.req(k.releaseOfInformation, 'claim.releaseOfInformation', { pattern: /^[YI]$/, expected: 'Y or I' }),
  );
  if (k.originalPayerClaimControlNumber) w.write('REF', 'F8', f.req(k.originalPayerClaimControlNumber, 'claim.originalPayerClaimControlNumber', { max: 50 }));
  w.write(
    'HI',
    ...k.diagnoses.map((code, i) => [i === 0 ? 'ABK' : 'ABF', f.req(code, `claim.diagnoses[${i}]`, ICD10).replace('.', '')]),
  );
  const r = k.renderingProvider;
  if (r && r.npi !== c.billingProvider.npi) {
    w.write('NM1', '82', ...nm1Name(f, r.name, 'claim.renderingProvider.name'), 'XX', f.req(r.npi, 'claim.renderingProvider.npi', NPI));
    if (r.taxonomy !== undefined) w.write('PRV', 'PE', 'PXC', f.req(r.taxonomy, 'claim.renderingProvider.taxonomy', TAXONOMY));
  }
  (k.otherPayers ?? []).forEach((o, i) => writeOtherPayer(w, f, k, o, `claim.otherPayers[${i}]`));
  k.lines.forEach((l, i) => writeLine(w, f, k, l, i));
}

function writeOtherPayer(w: SegmentWriter, f: Fields, k: ClaimDetails, o: OtherPayer, path: string): void {
  w.write(
    'SBR',
    f.req(o.payerResponsibility, `${path}.payerResponsibility`, RESPONSIBILITY),
    f.req(o.relationship, `${path}.relationship`, RELATIONSHIP),
    f.opt(o.groupNumber, `${path}.groupNumber`, { max: 50 }),
    '', '', '', '', '',
    f.req(o.claimFilingIndicator, `${path}.claimFilingIndicator`, FILING),
  );
  writeAdjustments(w, f, o.adjustments, `${path}.adjustments`);
  w.write('AMT', 'D', f.money(o.paidCents, `${path}.paidCents`));
  w.write('OI', '', '', k.benefitsAssigned, '', '', k.releaseOfInformation);
  const sub = o.subscriber ?? f.fail(`${path}.subscriber`, 'is required');
  w.write('NM1', 'IL', ...personName(f, sub.name, `${path}.subscriber.name`), 'MI', f.req(sub.memberId, `${path}.subscriber.memberId`));
  const payer = o.payer ?? f.fail(`${path}.payer`, 'is required');
  w.write('NM1', 'PR', '2', f.req(payer.name, `${path}.payer.name`, NAME), '', '', '', '', 'PI', f.req(payer.id, `${path}.payer.id`));
  if (o.adjudicationDate !== undefined) w.write('DTP', '573', 'D8', f.date(o.adjudicationDate, `${path}.adjudicationDate`));
}

/** CAS holds one group code and up to six reason/amount/quantity triples. */
function writeAdjustments(w: SegmentWriter, f: Fields, list: Adjustment[] | undefined, path: string): void {
  if (!Array.isArray(list)) f.fail(path, 'must be a list (empty when there are none)');
  const byGroup = new Map<string, Element[]>();
  list.forEach((a, i) => {
    const group = f.req(a.group, `${path}[${i}].group`, ADJUSTMENT_GROUP);
    const triple = [
      f.req(a.reason, `${path}[${i}].reason`, CARC),
      f.money(a.amountCents, `${path}[${i}].amountCents`, { allowNegative: true }),
      a.quantity === undefined ? '' : f.quantity(a.quantity, `${path}[${i}].quantity`),
    ];
    byGroup.set(group, [...(byGroup.get(group) ?? []), ...triple]);
  });
  for (const [group, triples] of byGroup) {
    for (let i = 0; i < triples.length; i += 18) w.write('CAS', group, ...triples.slice(i, i + 18));
  }
}

function procedureComposite(f: Fields, l: ServiceLine, path: string): string[] {
  if (!Array.isArray(l.modifiers) || l.modifiers.length > 4) f.fail(`${path}.modifiers`, 'must be a list of at most 4 modifiers');
  const mods = [0, 1, 2, 3].map((i) => f.opt(l.modifiers[i], `${path}.modifiers[${i}]`, MODIFIER));
  if (l.modifiers.some((m) => m === '')) f.fail(`${path}.modifiers`, 'holds an empty modifier');
  return ['HC', f.req(l.procedureCode, `${path}.procedureCode`, PROCEDURE), ...mods, f.opt(l.description, `${path}.description`, { max: 80 })];
}

function writeLine(w: SegmentWriter, f: Fields, k: ClaimDetails, l: ServiceLine, i: number): void {
  const path = `claim.lines[${i}]`;
  const procedure = procedureComposite(f, l, path);
  const units = f.quantity(l.units, `${path}.units`);
  w.write('LX', String(i + 1));
  w.write(
    'SV1',
    procedure,
    f.money(l.chargeCents, `${path}.chargeCents`),
    l.unitOfMeasure === undefined ? 'UN' : f.req(l.unitOfMeasure, `${path}.unitOfMeasure`, { pattern: /^MJ$/, expected: 'MJ (or left out for UN)' }),
    units,
    f.opt(l.placeOfService, `${path}.placeOfService`, POS),
    '',
    l.diagnosisPointers.map(String),
  );
  const from = f.date(l.serviceDate ?? k.dateOfService, l.serviceDate ? `${path}.serviceDate` : 'claim.dateOfService');
  if (l.serviceDateEnd !== undefined) w.write('DTP', '472', 'RD8', `${from}-${f.date(l.serviceDateEnd, `${path}.serviceDateEnd`)}`);
  else w.write('DTP', '472', 'D8', from);
  (l.adjudications ?? []).forEach((a, j) => {
    const ap = `${path}.adjudications[${j}]`;
    w.write('SVD', f.req(a.payerId, `${ap}.payerId`), f.money(a.paidCents, `${ap}.paidCents`), procedure.slice(0, 6), '', units);
    writeAdjustments(w, f, a.adjustments, `${ap}.adjustments`);
    w.write('DTP', '573', 'D8', f.date(a.adjudicationDate, `${ap}.adjudicationDate`));
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

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

export interface Read837P {
  claims: Claim837[];
  warnings: Warning837[];
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
    throw new X12SyntaxError({ code: 'structure', segmentIndex: s?.index ?? 0, segmentId: s?.id ?? 'ST', reason: `transaction set ${t.setId} is not an 837` });
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
  segment: Segment;
  system?: 'ICD-10-CM' | 'ICD-9-CM';
}

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
        this.warn('INVALID', s, `composites use '${used}' although the interchange declares '${declared}' as component separator; read with '${used}'`);
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
    for (const s of this.t.segments) this.segment(s);
    this.checkLastHl();
    return { claims: this.open.map((o) => this.finish(o)), warnings: this.warnings };
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
      this.warn(v === '' ? 'MISSING' : 'INVALID', s, `${what} ${v === '' ? 'is missing' : `${JSON.stringify(v)} is not an amount`}; read as 0`);
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
    if (rec.id !== expected) this.warn('HL_NUMBERING', s, `HL01 is ${rec.id || 'empty'} where ${expected} was expected (HL numbers run 1, 2, 3... in file order)`);
    const prev = this.hls[this.hls.length - 1];
    if (prev) this.checkChildCode(prev, parent === prev.id && parent !== '');
    this.hls.push(rec);

    const parentLevel = rec.level === '22' ? '20' : rec.level === '23' ? '22' : '';
    if (rec.level === '20') {
      if (parent !== '') this.warn('HL_PARENT', s, `billing provider HL ${rec.id} has parent ${parent}; it should have none`);
    } else if (parentLevel) {
      const p = this.openHl.get(parentLevel);
      if (!p) this.warn('HL_LEVEL', s, `HL level ${rec.level} without an enclosing level ${parentLevel}`);
      else if (parent !== p.id) this.warn('HL_PARENT', s, `HL ${rec.id} (level ${rec.level}) names parent ${parent || 'none'}, but the enclosing level ${parentLevel} is HL ${p.id}`);
    } else {
      this.warn('HL_LEVEL', s, `HL level ${rec.level || 'empty'} is not one of 20, 22, 23; its segments are read into the enclosing level`);
      return;
    }

    this.current = undefined;
    this.zone = 'hierarchy';
    this.entity = '';
    this.level = rec.level;
    this.openHl.set(rec.level, rec);
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
    if (prev.childCode === '1' && !hasChild) this.warn('HL_CHILD_CODE', prev.segment, `HL ${prev.id} says it has child levels (HL04 = 1) but the next HL is not its child`);
    if (prev.childCode === '0' && hasChild) this.warn('HL_CHILD_CODE', prev.segment, `HL ${prev.id} says it has no child levels (HL04 = 0) but the next HL is its child`);
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
      if (code === '41') this.submitter = { ...this.submitter, name: this.partyName(s), id: this.el(s, 9) };
      else if (code === '40') this.receiver = { name: this.el(s, 3), id: this.el(s, 9) };
      return;
    }
    if (this.zone === 'hierarchy') {
      if (this.level === '20' && code === '85' && this.provider) {
        this.provider.name = this.partyName(s);
        this.provider.npi = this.el(s, 9);
      } else if (this.level === '22' && code === 'IL' && this.subscriber) {
        this.subscriber.name = this.personName(s);
        this.subscriber.memberId = this.el(s, 9);
      } else if (this.level === '22' && code === 'PR' && this.payer) {
        this.payer.name = this.el(s, 3);
        this.payer.id = this.el(s, 9);
      } else if (this.level === '23' && code === 'QC' && this.patient) {
        this.patient.name = this.personName(s);
      }
      return;
    }
    if (!this.current) return;
    const k = this.current.claim.claim;
    if (this.zone === 'claim' && code === '82') {
      k.renderingProvider = { name: this.partyName(s), npi: this.el(s, 9) };
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
        sub.payerResponsibility = this.el(s, 1) as PayerResponsibility;
        if (this.el(s, 3)) sub.groupNumber = this.el(s, 3);
        if (this.el(s, 4)) sub.groupName = this.el(s, 4);
        sub.claimFilingIndicator = this.el(s, 9);
      } else if ((s.id === 'N3' || s.id === 'N4') && e === 'IL') {
        sub.address ??= emptyAddress();
        this.address(s, sub.address);
      } else if (s.id === 'DMG' && e === 'IL') {
        sub.birthDate = this.date(s, 2, 'subscriber birth date');
        sub.sex = this.el(s, 3) as Sex;
      } else if ((s.id === 'N3' || s.id === 'N4') && e === 'PR') {
        this.payer.address ??= emptyAddress();
        this.address(s, this.payer.address);
      }
    } else if (this.level === '23' && this.patient) {
      const p = this.patient;
      if (s.id === 'PAT') p.relationship = this.el(s, 1) as Patient['relationship'];
      else if ((s.id === 'N3' || s.id === 'N4') && e === 'QC') this.address(s, p.address);
      else if (s.id === 'DMG' && e === 'QC') {
        p.birthDate = this.date(s, 2, 'patient birth date');
        p.sex = this.el(s, 3) as Sex;
      }
    }
  }

  // ----- 2300 and below

  private clm(s: Segment): void {
    if (!this.provider || !this.subscriber || !this.payer) {
      throw new X12SyntaxError({ code: 'structure', segmentIndex: s.index, segmentId: s.id, reason: 'claim (CLM) outside a billing provider and subscriber level (HL 20, 22)' });
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
    this.current = { claim, dates: [], segment: s };
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
        else if (s.id === 'PRV' && this.entity === '82' && k.renderingProvider && this.el(s, 1) === 'PE') k.renderingProvider.taxonomy = this.el(s, 3);
        return;
      case 'otherPayer': {
        const o = this.other as OtherPayer;
        if (s.id === 'CAS' && this.entity === '') o.adjustments.push(...this.cas(s));
        else if (s.id === 'AMT' && this.el(s, 1) === 'D') {
          o.paidCents = this.amount(s, 2, 'AMT*D payer paid amount');
          this.paidGiven.add(o);
        }
        else if (s.id === 'DTP' && this.el(s, 1) === '573' && this.entity === 'PR') o.adjudicationDate = this.date(s, 3, 'adjudication date');
        return;
      }
      case 'line':
        if (s.id === 'SV1') this.sv1(s, this.line as ServiceLine);
        else if (s.id === 'DTP' && this.el(s, 1) === '472') this.serviceDate(s, open);
        else if (s.id === 'SVD') this.svd(s);
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
      if (system === 'ICD-9-CM' && !open.system) this.warn('ICD9', s, 'diagnoses are ICD-9-CM (BK/BF); read as such, but claims are sent as ICD-10-CM only');
      open.system ??= system;
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
    if (!Number.isFinite(line.units) || line.units <= 0) this.warn('INVALID', s, `units ${JSON.stringify(this.el(s, 4))} is not a positive number`);
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
    const format = this.el(s, 2);
    const value = this.el(s, 3);
    const [from, to] = format === 'RD8' ? value.split('-') : [value];
    const dates: LineDates = { from: isoFromD8(from ?? '') };
    if (!dates.from) this.warn('INVALID', s, `service date ${JSON.stringify(value)} is not a ${format || 'D8'} date`);
    if (format === 'RD8') dates.to = isoFromD8(to ?? '');
    open.dates[open.dates.length - 1] = dates;
  }

  private svd(s: Segment): void {
    this.adjudication = { payerId: this.el(s, 1), paidCents: this.amount(s, 2, 'SVD02 paid amount'), adjustments: [], adjudicationDate: '' };
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

  /** The claim's date of service is its earliest line date; lines on that date carry no date of their own. */
  private finish(open: OpenClaim): Claim837 {
    const c = open.claim;
    const k = c.claim;
    c.submitter = structuredClone(this.submitter);
    c.receiver = structuredClone(this.receiver);
    if (open.system === 'ICD-9-CM') k.diagnosisCodeSystem = 'ICD-9-CM';
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
    for (const [what, value] of required) if (!value) this.warn('MISSING', open.segment, `claim ${k.patientControlNumber}: ${what} is missing`);
    for (const o of k.otherPayers ?? []) {
      if (!this.paidGiven.has(o)) this.warn('MISSING', open.segment, `claim ${k.patientControlNumber}: other payer ${o.payer.id || o.payer.name} has no paid amount (AMT*D); read as 0`);
    }
    const sum = k.lines.reduce((s, l) => s + l.chargeCents, 0);
    if (sum !== k.totalChargeCents) this.warn('CHARGE_MISMATCH', open.segment, `claim ${k.patientControlNumber}: CLM02 is ${formatX12Amount(k.totalChargeCents)} but the lines add up to ${formatX12Amount(sum)}`);
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
