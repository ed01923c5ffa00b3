// Writes 837P (005010X222A1, professional claims): generate837P turns a batch of claims (837pModel.ts) into
// the interchange claimflow submits, checking every value and naming the claim and field of the first one
// that cannot be sent.
import type { Cents, IsoDate } from '../clearinghouse';
import type {
  Address,
  Adjustment,
  BillingProvider,
  Claim837,
  ClaimDetails,
  OtherPayer,
  PartyName,
  Patient,
  PersonName,
  ServiceLine,
  Submitter,
} from './837pModel';
import type { EnvelopeControl } from './controlNumbers';
import type { Delimiters } from './delimiters';
import { isaSegment, type EnvelopeParty } from './envelopeWriter';
import { X12GenerationError } from './generationError';
import { formatX12Amount } from './money';
import { SegmentWriter, unwritableCharacter, writeDelimiters, type X12Element } from './segmentWriter';

export const IMPLEMENTATION_837P = '005010X222A1';

/** One interchange: its envelope and every claim it carries (one ST, grouped by billing provider and subscriber). */
export interface Batch837P {
  claims: Claim837[];
  control: EnvelopeControl;
  sender: EnvelopeParty;
  receiver: EnvelopeParty;
  now: { date: IsoDate; time: string };
  usage: 'T' | 'P';
  delimiters?: Delimiters;
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
const BENEFITS_ASSIGNED: Rule = { pattern: /^[YNW]$/, expected: 'Y, N or W' };
const RELEASE_OF_INFORMATION: Rule = { pattern: /^[YI]$/, expected: 'Y or I' };
const HHMM: Rule = { pattern: /^([01]\d|2[0-3])[0-5]\d$/, expected: 'HHMM' };
const SEX: Rule = { pattern: /^[MFU]$/, expected: 'M, F or U' };
const ICD10: Rule = {
  pattern: /^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/,
  expected: 'an ICD-10-CM code such as E11.9',
};

/** Checks every value that goes into the file and says which claim and field a bad one came from. */
class Fields {
  claimId: string | undefined;

  constructor(private readonly d: Required<Delimiters>) {}

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
    const bad = unwritableCharacter(v, this.d);
    if (bad?.delimiter) this.fail(field, `contains the delimiter '${bad.ch}' (${JSON.stringify(value)}), which X12 cannot escape`);
    if (bad) this.fail(field, `contains ${JSON.stringify(bad.ch)}, which is outside the X12 character set`);
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

function resolveDelimiters(given: Delimiters | undefined): Required<Delimiters> {
  const d = writeDelimiters(given);
  const chars = [d.element, d.component, d.repetition, d.segment];
  for (const [name, ch] of Object.entries(d)) {
    if (typeof ch !== 'string' || ch.length !== 1 || /[A-Za-z0-9 ]/.test(ch)) {
      throw new X12GenerationError(
        undefined,
        `delimiters.${name}`,
        `must be one character that is not a letter, digit or space (got ${JSON.stringify(ch)})`,
      );
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
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
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
  const w = new SegmentWriter(d, { checkValues: false });
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
    if (stableKey(c.submitter, keys) !== stableKey(first.submitter, keys))
      f.fail('submitter', 'differs from the first claim of the batch; one file has one submitter');
    if (stableKey(c.receiver, keys) !== stableKey(first.receiver, keys))
      f.fail('receiver', 'differs from the first claim of the batch; one file has one receiver');
    validateClaim(f, c);
  }
  f.claimId = undefined;

  const st = writeEnvelopeHeader(w, f, batch, d);
  const stStart = w.count;
  w.segment('ST', '837', st, IMPLEMENTATION_837P);
  w.segment('BHT', '0019', '00', st, f.date(batch.now.date, 'now.date'), f.req(batch.now.time, 'now.time', HHMM), 'CH');
  writeSubmitter(w, f, first.submitter);
  w.segment(
    'NM1',
    '40',
    '2',
    f.req(first.receiver.name, 'receiver.name', NAME),
    '',
    '',
    '',
    '',
    '46',
    f.req(first.receiver.id, 'receiver.id'),
  );

  let hl = 0;
  for (const provider of groupClaims(batch.claims, keys)) {
    const providerHl = ++hl;
    f.claimId = provider.first.claim.patientControlNumber;
    w.segment('HL', String(providerHl), '', '20', '1');
    writeBillingProvider(w, f, provider.first.billingProvider);
    for (const sub of provider.subscribers) {
      const subscriberHl = ++hl;
      f.claimId = sub.first.claim.patientControlNumber;
      w.segment('HL', String(subscriberHl), String(providerHl), '22', sub.self ? '0' : '1');
      writeSubscriber(w, f, sub.first, sub.self);
      for (const c of sub.claims) writeClaim(w, f, c);
      for (const p of sub.patients) {
        f.claimId = p.claims[0].claim.patientControlNumber;
        w.segment('HL', String(++hl), String(subscriberHl), '23', '0');
        writePatient(w, f, p.patient);
        for (const c of p.claims) writeClaim(w, f, c);
      }
    }
  }
  f.claimId = undefined;
  w.segment('SE', String(w.count - stStart + 1), st);
  w.segment('GE', '1', String(batch.control.groupControlNumber));
  w.segment('IEA', '1', String(batch.control.interchangeControlNumber).padStart(9, '0'));
  return w.toString();
}

/** ISA and GS; returns the checked ST02. */
function writeEnvelopeHeader(w: SegmentWriter, f: Fields, batch: Batch837P, d: Required<Delimiters>): string {
  const { control, now } = batch;
  for (const [field, n] of [
    ['control.interchangeControlNumber', control.interchangeControlNumber],
    ['control.groupControlNumber', control.groupControlNumber],
  ] as const) {
    if (!Number.isInteger(n) || n < 1 || n > 999_999_999) f.fail(field, `must be an integer from 1 to 999999999 (got ${n})`);
  }
  const st = f.req(control.transactionControlNumber, 'control.transactionControlNumber', {
    pattern: /^[0-9A-Za-z]{4,9}$/,
    expected: '4 to 9 letters or digits',
  });
  const date = f.date(now.date, 'now.date');
  const time = f.req(now.time, 'now.time', HHMM);
  if (batch.usage !== 'T' && batch.usage !== 'P') f.fail('usage', `must be T (test) or P (production), got ${JSON.stringify(batch.usage)}`);
  const party = (p: EnvelopeParty, name: string) => ({
    qualifier: f.req(p.qualifier, `${name}.qualifier`, { pattern: /^[0-9A-Z]{2}$/, expected: 'a 2-character id qualifier' }),
    id: f.req(p.id, `${name}.id`, { max: 15 }),
  });
  const sender = party(batch.sender, 'sender');
  const receiver = party(batch.receiver, 'receiver');
  w.rawSegment(isaSegment(d, { sender, receiver, date, time, controlNumber: control.interchangeControlNumber, usage: batch.usage }));
  w.segment('GS', 'HC', sender.id, receiver.id, date, time, String(control.groupControlNumber), 'X', IMPLEMENTATION_837P);
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
  w.segment('N3', f.req(a.line1, `${path}.line1`, ADDRESS_LINE), f.opt(a.line2, `${path}.line2`, ADDRESS_LINE));
  w.segment(
    'N4',
    f.req(a.city, `${path}.city`, CITY),
    f.req(a.state, `${path}.state`, STATE),
    f.req(a.postalCode, `${path}.postalCode`, zip),
  );
}

function writeSubmitter(w: SegmentWriter, f: Fields, s: Submitter): void {
  w.segment('NM1', '41', ...nm1Name(f, s.name, 'submitter.name'), '46', f.req(s.id, 'submitter.id'));
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
  w.segment('PER', 'IC', f.req(c.name, 'submitter.contact.name', NAME), ...numbers);
}

function writeBillingProvider(w: SegmentWriter, f: Fields, p: BillingProvider): void {
  if (p.taxonomy !== undefined) w.segment('PRV', 'BI', 'PXC', f.req(p.taxonomy, 'billingProvider.taxonomy', TAXONOMY));
  w.segment('NM1', '85', ...nm1Name(f, p.name, 'billingProvider.name'), 'XX', f.req(p.npi, 'billingProvider.npi', NPI));
  writeAddress(w, f, p.address ?? f.fail('billingProvider.address', 'is required'), 'billingProvider.address', ZIP9);
  w.segment('REF', 'EI', f.req(p.taxId, 'billingProvider.taxId', EIN));
}

function writeSubscriber(w: SegmentWriter, f: Fields, c: Claim837, self: boolean): void {
  const s = c.subscriber;
  w.segment(
    'SBR',
    f.req(s.payerResponsibility, 'subscriber.payerResponsibility', RESPONSIBILITY),
    self ? '18' : '',
    f.opt(s.groupNumber, 'subscriber.groupNumber', { max: 50 }),
    f.opt(s.groupName, 'subscriber.groupName', NAME),
    '',
    '',
    '',
    '',
    f.req(s.claimFilingIndicator, 'subscriber.claimFilingIndicator', FILING),
  );
  w.segment('NM1', 'IL', ...personName(f, s.name, 'subscriber.name'), 'MI', f.req(s.memberId, 'subscriber.memberId'));
  // TR3: the patient's address and demographics are required, wherever the patient is.
  if (self && !s.address) f.fail('subscriber.address', 'is required when the subscriber is the patient');
  if (self && (!s.birthDate || !s.sex))
    f.fail('subscriber.birthDate', 'and subscriber.sex are required when the subscriber is the patient');
  if (s.address) writeAddress(w, f, s.address, 'subscriber.address');
  if (s.birthDate || s.sex) {
    w.segment('DMG', 'D8', f.date(s.birthDate, 'subscriber.birthDate'), f.req(s.sex, 'subscriber.sex', SEX));
  }
  const p = c.payer;
  w.segment('NM1', 'PR', '2', f.req(p.name, 'payer.name', NAME), '', '', '', '', 'PI', f.req(p.id, 'payer.id'));
  if (p.address) writeAddress(w, f, p.address, 'payer.address');
}

function writePatient(w: SegmentWriter, f: Fields, p: Patient): void {
  const rel = f.req(p.relationship, 'patient.relationship', RELATIONSHIP);
  if (rel === '18') f.fail('patient.relationship', 'is 18 (self): leave patient out when the subscriber is the patient');
  w.segment('PAT', rel);
  w.segment('NM1', 'QC', ...personName(f, p.name, 'patient.name'));
  writeAddress(w, f, p.address ?? f.fail('patient.address', 'is required'), 'patient.address');
  w.segment('DMG', 'D8', f.date(p.birthDate, 'patient.birthDate'), f.req(p.sex, 'patient.sex', SEX));
}

/** Rules that span fields; single-value formats are checked as the value is written. */
function validateClaim(f: Fields, c: Claim837): void {
  const k = c.claim ?? f.fail('claim', 'is required');
  f.req(k.patientControlNumber, 'claim.patientControlNumber', { max: 20 });
  if (k.diagnosisCodeSystem !== undefined) f.fail('claim.diagnosisCodeSystem', 'must be left out: claims are sent with ICD-10-CM only');
  if (!Array.isArray(k.diagnoses) || k.diagnoses.length === 0 || k.diagnoses.length > 12)
    f.fail('claim.diagnoses', 'must hold 1 to 12 codes');
  if (!Array.isArray(k.lines) || k.lines.length === 0 || k.lines.length > 50) f.fail('claim.lines', 'must hold 1 to 50 service lines');
  const sum = k.lines.reduce((s, l) => s + l.chargeCents, 0);
  if (sum !== k.totalChargeCents) f.fail('claim.totalChargeCents', `is ${k.totalChargeCents} but the lines add up to ${sum}`);
  const isReplacement = k.frequencyCode === '7' || k.frequencyCode === '8';
  if (isReplacement && !k.originalPayerClaimControlNumber)
    f.fail('claim.originalPayerClaimControlNumber', `is required for frequency ${k.frequencyCode}`);
  if (!isReplacement && k.originalPayerClaimControlNumber)
    f.fail('claim.originalPayerClaimControlNumber', 'only applies to a replacement (7) or void (8)');

  k.lines.forEach((l, i) => {
    const from = l.serviceDate ?? k.dateOfService;
    // Read back, the claim's date is the earliest line date: a line before it could not round-trip.
    if (from < k.dateOfService) f.fail(`claim.lines[${i}].serviceDate`, `is before the claim's dateOfService ${k.dateOfService}`);
    if (l.serviceDateEnd !== undefined && l.serviceDateEnd < from)
      f.fail(`claim.lines[${i}].serviceDateEnd`, 'is before the start of the service');
    if (!Array.isArray(l.diagnosisPointers) || l.diagnosisPointers.length === 0 || l.diagnosisPointers.length > 4) {
      f.fail(`claim.lines[${i}].diagnosisPointers`, 'must hold 1 to 4 pointers');
    }
    for (const p of l.diagnosisPointers) {
      if (!Number.isInteger(p) || p < 1 || p > k.diagnoses.length)
        f.fail(`claim.lines[${i}].diagnosisPointers`, `points to diagnosis ${p}, but the claim has ${k.diagnoses.length}`);
    }
    if (new Set(l.diagnosisPointers).size !== l.diagnosisPointers.length)
      f.fail(`claim.lines[${i}].diagnosisPointers`, 'repeats a pointer');
  });

  const others = k.otherPayers ?? [];
  if ((c.subscriber?.payerResponsibility === 'S' || c.subscriber?.payerResponsibility === 'T') && others.length === 0) {
    f.fail(
      'claim.otherPayers',
      `are required for a ${c.subscriber.payerResponsibility === 'S' ? 'secondary' : 'tertiary'} claim: the earlier payers' adjudication goes with it`,
    );
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
      f.fail(
        `claim.otherPayers[${i}]`,
        `does not balance: charge ${k.totalChargeCents} - paid ${o.paidCents} - adjustments ${sumAdjustments(o.adjustments) + lineAdjustments} leaves ${balance}`,
      );
    }
  });
  k.lines.forEach((l, i) => {
    const seen = new Set<string>();
    (l.adjudications ?? []).forEach((a, j) => {
      const path = `claim.lines[${i}].adjudications[${j}]`;
      if (!others.some((o) => o.payer?.id === a.payerId))
        f.fail(`${path}.payerId`, `${JSON.stringify(a.payerId)} is not the id of one of claim.otherPayers`);
      if (seen.has(a.payerId)) f.fail(`${path}.payerId`, 'appears twice on the line');
      seen.add(a.payerId);
      const balance = l.chargeCents - a.paidCents - sumAdjustments(a.adjustments);
      if (balance !== 0)
        f.fail(
          path,
          `does not balance: line charge ${l.chargeCents} - paid ${a.paidCents} - adjustments ${sumAdjustments(a.adjustments)} leaves ${balance}`,
        );
    });
  });
}

function sumAdjustments(list: Adjustment[] | undefined): number {
  return (list ?? []).reduce((s, a) => s + a.amountCents, 0);
}

function writeClaim(w: SegmentWriter, f: Fields, c: Claim837): void {
  const k = c.claim;
  f.claimId = k.patientControlNumber;
  w.segment(
    'CLM',
    f.req(k.patientControlNumber, 'claim.patientControlNumber', { max: 20 }),
    f.money(k.totalChargeCents, 'claim.totalChargeCents'),
    '',
    '',
    [
      f.req(k.placeOfService, 'claim.placeOfService', POS),
      'B',
      f.req(k.frequencyCode, 'claim.frequencyCode', { pattern: /^[178]$/, expected: '1, 7 or 8' }),
    ],
    f.req(k.providerSignature, 'claim.providerSignature', { pattern: /^[YN]$/, expected: 'Y or N' }),
    f.req(k.assignment, 'claim.assignment', { pattern: /^[ABC]$/, expected: 'A, B or C' }),
    f.req(k.benefitsAssigned, 'claim.benefitsAssigned', BENEFITS_ASSIGNED),
    f.req(k.releaseOfInformation, 'claim.releaseOfInformation', RELEASE_OF_INFORMATION),
  );
  if (k.originalPayerClaimControlNumber)
    w.segment('REF', 'F8', f.req(k.originalPayerClaimControlNumber, 'claim.originalPayerClaimControlNumber', { max: 50 }));
  w.segment('HI', ...k.diagnoses.map((code, i) => [i === 0 ? 'ABK' : 'ABF', f.req(code, `claim.diagnoses[${i}]`, ICD10).replace('.', '')]));
  const r = k.renderingProvider;
  if (r && r.npi !== c.billingProvider.npi) {
    w.segment('NM1', '82', ...nm1Name(f, r.name, 'claim.renderingProvider.name'), 'XX', f.req(r.npi, 'claim.renderingProvider.npi', NPI));
    if (r.taxonomy !== undefined) w.segment('PRV', 'PE', 'PXC', f.req(r.taxonomy, 'claim.renderingProvider.taxonomy', TAXONOMY));
  }
  (k.otherPayers ?? []).forEach((o, i) => writeOtherPayer(w, f, k, o, `claim.otherPayers[${i}]`));
  k.lines.forEach((l, i) => writeLine(w, f, k, l, i));
}

function writeOtherPayer(w: SegmentWriter, f: Fields, k: ClaimDetails, o: OtherPayer, path: string): void {
  w.segment(
    'SBR',
    f.req(o.payerResponsibility, `${path}.payerResponsibility`, RESPONSIBILITY),
    f.req(o.relationship, `${path}.relationship`, RELATIONSHIP),
    f.opt(o.groupNumber, `${path}.groupNumber`, { max: 50 }),
    '',
    '',
    '',
    '',
    '',
    f.req(o.claimFilingIndicator, `${path}.claimFilingIndicator`, FILING),
  );
  writeAdjustments(w, f, o.adjustments, `${path}.adjustments`);
  w.segment('AMT', 'D', f.money(o.paidCents, `${path}.paidCents`));
  // The checked (trimmed) values, as in CLM: the raw ones could carry a newline into the file.
  w.segment(
    'OI',
    '',
    '',
    f.req(k.benefitsAssigned, 'claim.benefitsAssigned', BENEFITS_ASSIGNED),
    '',
    '',
    f.req(k.releaseOfInformation, 'claim.releaseOfInformation', RELEASE_OF_INFORMATION),
  );
  const sub = o.subscriber ?? f.fail(`${path}.subscriber`, 'is required');
  w.segment('NM1', 'IL', ...personName(f, sub.name, `${path}.subscriber.name`), 'MI', f.req(sub.memberId, `${path}.subscriber.memberId`));
  const payer = o.payer ?? f.fail(`${path}.payer`, 'is required');
  w.segment('NM1', 'PR', '2', f.req(payer.name, `${path}.payer.name`, NAME), '', '', '', '', 'PI', f.req(payer.id, `${path}.payer.id`));
  if (o.adjudicationDate !== undefined) w.segment('DTP', '573', 'D8', f.date(o.adjudicationDate, `${path}.adjudicationDate`));
}

/** CAS holds one group code and up to six reason/amount/quantity triples. */
function writeAdjustments(w: SegmentWriter, f: Fields, list: Adjustment[] | undefined, path: string): void {
  if (!Array.isArray(list)) f.fail(path, 'must be a list (empty when there are none)');
  const byGroup = new Map<string, X12Element[]>();
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
    for (let i = 0; i < triples.length; i += 18) w.segment('CAS', group, ...triples.slice(i, i + 18));
  }
}

function procedureComposite(f: Fields, l: ServiceLine, path: string): string[] {
  if (!Array.isArray(l.modifiers) || l.modifiers.length > 4) f.fail(`${path}.modifiers`, 'must be a list of at most 4 modifiers');
  const mods = [0, 1, 2, 3].map((i) => f.opt(l.modifiers[i], `${path}.modifiers[${i}]`, MODIFIER));
  if (l.modifiers.some((m) => m === '')) f.fail(`${path}.modifiers`, 'holds an empty modifier');
  return [
    'HC',
    f.req(l.procedureCode, `${path}.procedureCode`, PROCEDURE),
    ...mods,
    f.opt(l.description, `${path}.description`, { max: 80 }),
  ];
}

function writeLine(w: SegmentWriter, f: Fields, k: ClaimDetails, l: ServiceLine, i: number): void {
  const path = `claim.lines[${i}]`;
  const procedure = procedureComposite(f, l, path);
  const units = f.quantity(l.units, `${path}.units`);
  w.segment('LX', String(i + 1));
  w.segment(
    'SV1',
    procedure,
    f.money(l.chargeCents, `${path}.chargeCents`),
    l.unitOfMeasure === undefined
      ? 'UN'
      : f.req(l.unitOfMeasure, `${path}.unitOfMeasure`, { pattern: /^MJ$/, expected: 'MJ (or left out for UN)' }),
    units,
    f.opt(l.placeOfService, `${path}.placeOfService`, POS),
    '',
    l.diagnosisPointers.map(String),
  );
  const from = f.date(l.serviceDate ?? k.dateOfService, l.serviceDate ? `${path}.serviceDate` : 'claim.dateOfService');
  if (l.serviceDateEnd !== undefined) w.segment('DTP', '472', 'RD8', `${from}-${f.date(l.serviceDateEnd, `${path}.serviceDateEnd`)}`);
  else w.segment('DTP', '472', 'D8', from);
  (l.adjudications ?? []).forEach((a, j) => {
    const ap = `${path}.adjudications[${j}]`;
    w.segment('SVD', f.req(a.payerId, `${ap}.payerId`), f.money(a.paidCents, `${ap}.paidCents`), procedure.slice(0, 6), '', units);
    writeAdjustments(w, f, a.adjustments, `${ap}.adjustments`);
    w.segment('DTP', '573', 'D8', f.date(a.adjudicationDate, `${ap}.adjudicationDate`));
  });
}
