// The 835 remittance (005010X221A1): the payment, each claim's and line's outcome, and the balance checks.
import type { Transaction } from './envelope';
import type { Segment } from './scanner';
import { components, type Delimiters } from './delimiters';
import { X12SyntaxError } from './syntaxError';
import { formatCents, type Cents } from './money';
import { phi, type Name, type Phi } from './phi';
import { nameOf } from './nm1';
import { badValue, el, isoDate, money, opt, optionalMoney, quantity, required, structureError } from './values';

export interface Remittance835 {
  /** ST02. */
  controlNumber: string;
  payment: Payment835;
  trace: Trace835;
  /** REF*EV: the receiver's id at the payer. */
  receiverId?: string;
  /** DTM*405. */
  productionDate?: string;
  payer: Party835;
  payee: Payee835;
  claims: ClaimPayment835[];
  /** PLB: provider-level adjustments, positive reduces the payment (a withhold), negative increases it. */
  providerAdjustments: ProviderAdjustment835[];
  /** What did not stop the parse but is left out (a date that is not a date). */
  warnings: X12SyntaxError[];
}

export interface Payment835 {
  /** BPR01: C payment and remittance, D payment only, H notification only, I remittance only, P prenotification, U split, X handler's option. */
  handling: string;
  /** BPR02, always positive; creditDebit says which way. */
  amount: Cents;
  /** BPR03: C credit (to the provider), D debit. */
  creditDebit: string;
  /** BPR04: ACH, BOP, CHK, FWT, NON (no payment). */
  method: string;
  /** BPR05: CCP, CTX. */
  format?: string;
  /** BPR16: check issue or EFT effective date. */
  date?: string;
}

export interface Trace835 {
  /** TRN01: 1 current transaction trace numbers. */
  type: string;
  /** TRN02: the check or EFT trace number, what reassociates the remittance with the money. */
  number: string;
  /** TRN03: payer id (1 + tax id, usually). */
  payerId?: string;
  /** TRN04. */
  supplementalCode?: string;
}

export interface Address {
  lines: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface Reference {
  qualifier: string;
  value: string;
}

export interface Contact {
  /** PER01: CX claims, BL technical, IC information contact. */
  function: string;
  name?: string;
  /** (qualifier, number) pairs: TE phone, EM email, UR web address, FX fax, EX extension. */
  numbers: Reference[];
}

export interface Party835 {
  /** N102. */
  name: string;
  /** N103: XV CMS plan id, FI tax id, XX NPI... */
  idQualifier?: string;
  /** N104. */
  id?: string;
  address?: Address;
  /** REF: 2U payer id, TJ tax id, PQ payee id, ... */
  references: Reference[];
  contacts: Contact[];
}

export interface Payee835 extends Party835 {
  /** N104 when N103 is XX. */
  npi?: string;
  /** N104 when N103 is FI, else REF*TJ. */
  taxId?: string;
}

/** One CAS adjustment: group (CO, PR, OA, PI, CR), CARC reason, amount, optional quantity. */
export interface Adjustment {
  group: string;
  reason: string;
  amount: Cents;
  quantity?: number;
}

export interface DateValue {
  /** DTM01: 232/233 statement from/to, 050 received, 036 coverage expiry, 150/151 service from/to, 472 service date. */
  qualifier: string;
  date: string;
}

export interface AmountValue {
  /** AMT01: AU coverage amount, B6 allowed, I interest, F5 patient paid, ... */
  qualifier: string;
  amount: Cents;
}

export interface Procedure {
  /** HC (HCPCS/CPT), AD (ADA), N4 (NDC), NU (revenue code), ... */
  qualifier: string;
  code: string;
  /** Up to four. */
  modifiers: string[];
  description?: string;
}

export interface ClaimPayment835 {
  /** Position of the CLP segment in the file, for messages and exceptions. */
  segmentIndex: number;
  /** CLP01: the claim id we sent (CLM01). */
  patientControlNumber: string;
  /** CLP02: 1/2/3 processed as primary/secondary/tertiary, 4 denied, 19-21 processed and forwarded, 22 reversal, 23 not our claim, 25 predetermination. */
  status: string;
  /** CLP03: total charge as the payer has it (negative on a reversal). */
  charge: Cents;
  /** CLP04. */
  paid: Cents;
  /** CLP05. */
  patientResponsibility?: Cents;
  /** CLP06: MA/MB Medicare, MC Medicaid, 12 PPO, 16 HMO Medicare risk, CI commercial, ... */
  filingIndicator?: string;
  /** CLP07: the payer's claim control number (ICN/DCN), quoted on corrected claims and appeals. */
  payerClaimControlNumber?: string;
  /** CLP08: facility type code (place of service on professional claims). */
  facilityType?: string;
  /** CLP09: frequency (1 original, 7 replacement, 8 void). */
  frequency?: string;
  /** CLP11: DRG. */
  drg?: string;
  /** NM1*QC. */
  patient?: Phi<Name>;
  /** NM1*IL. */
  insured?: Phi<Name>;
  /** NM1*74: the name as the payer corrected it. */
  correctedName?: Phi<Name>;
  /** NM1*GB. */
  otherSubscriber?: Phi<Name>;
  /** Other NM1s: 82 rendering provider, TT crossover carrier, PR corrected priority payer, 1P service provider. */
  otherNames: Name[];
  /** Claim-level CAS. */
  adjustments: Adjustment[];
  /** RARCs from MOA (outpatient) and MIA (inpatient). */
  remarkCodes: string[];
  dates: DateValue[];
  amounts: AmountValue[];
  references: Reference[];
  lines: ServiceLine835[];
}

export interface ServiceLine835 {
  segmentIndex: number;
  /** SVC01. */
  procedure: Procedure;
  /** SVC02; read as 0 when a payer leaves it empty. */
  charge: Cents;
  /** SVC03; read as 0 when empty. */
  paid: Cents;
  /** SVC04: NUBC revenue code (institutional). */
  revenueCode?: string;
  /** SVC05; 1 when absent, as the TR3 says. */
  units: number;
  /** SVC06: the procedure as billed, when the payer adjudicated a different one. */
  originalProcedure?: Procedure;
  /** SVC07. */
  originalUnits?: number;
  adjustments: Adjustment[];
  /** LQ: HE = RARC, RX = NCPDP reject code. */
  remarks: { qualifier: string; code: string }[];
  dates: DateValue[];
  /** REF*6R: the line item control number we sent (REF*6R in 837 loop 2400). */
  controlNumber?: string;
  references: Reference[];
  amounts: AmountValue[];
}

export interface ProviderAdjustment835 {
  /** PLB01: provider id (NPI or tax id). */
  providerId: string;
  /** PLB02: last day of the provider's fiscal year. */
  fiscalPeriodDate?: string;
  /** (reason:reference, amount) pairs: WO overpayment recovery, L6 interest, FB forwarding balance, ... */
  adjustments: { reason: string; reference?: string; amount: Cents }[];
}

/** CLP02 claim status, in our words. */
export const CLAIM_STATUS_835: Readonly<Record<string, string>> = {
  '1': 'processed as primary',
  '2': 'processed as secondary',
  '3': 'processed as tertiary',
  '4': 'denied',
  '19': 'processed as primary, forwarded to another payer',
  '20': 'processed as secondary, forwarded to another payer',
  '21': 'processed as tertiary, forwarded to another payer',
  '22': 'reversal of a previous payment',
  '23': 'not this payer’s claim, forwarded',
  '25': 'priced only (predetermination), no payment',
};

/** Reads one 835 transaction. Throws X12SyntaxError (with segment number and element) on what cannot be read. */
export function parse835(t: Transaction): Remittance835 {
  const st = t.segments[0];
  if (t.setId !== '835') throw structureError(st, `this is a ${t.setId} transaction, not an 835`);
  const d = t.delimiters;
  const warnings: X12SyntaxError[] = [];
  // Dates are informational for posting; a malformed one is reported and left out, never guessed.
  const date = (seg: Segment, n: number): string | undefined => {
    try {
      return isoDate(seg, n);
    } catch (err) {
      if (!(err instanceof X12SyntaxError)) throw err;
      warnings.push(err);
      return undefined;
    }
  };

  let payment: Payment835 | undefined;
  let trace: Trace835 | undefined;
  let receiverId: string | undefined;
  let productionDate: string | undefined;
  let payer: Party835 | undefined;
  let payee: Payee835 | undefined;
  let party: Party835 | undefined; // the N1 loop being read
  let claim: ClaimPayment835 | undefined;
  let line: ServiceLine835 | undefined;
  const claims: ClaimPayment835[] = [];
  const providerAdjustments: ProviderAdjustment835[] = [];

  const needClaim = (seg: Segment): ClaimPayment835 => {
    if (!claim) throw structureError(seg, `${seg.id} outside a claim (no CLP before it)`);
    return claim;
  };

  for (const seg of t.segments) {
    switch (seg.id) {
      case 'BPR':
        payment = {
          handling: required(seg, 1),
          amount: money(seg, 2),
          creditDebit: required(seg, 3),
          method: required(seg, 4),
          format: opt(seg, 5),
          date: date(seg, 16),
        };
        break;
      case 'TRN':
        trace = { type: el(seg, 1), number: required(seg, 2), payerId: opt(seg, 3), supplementalCode: opt(seg, 4) };
        break;
      case 'N1': {
        if (claim) throw structureError(seg, 'N1 (payer or payee) after the first claim');
        const p: Party835 = { name: el(seg, 2), idQualifier: opt(seg, 3), id: opt(seg, 4), references: [], contacts: [] };
        party = p;
        if (el(seg, 1) === 'PR') payer = p;
        else if (el(seg, 1) === 'PE') {
          payee = p;
          if (p.idQualifier === 'XX') payee.npi = p.id;
          if (p.idQualifier === 'FI') payee.taxId = p.id;
        }
        break;
      }
      case 'N3':
        if (party) (party.address ??= { lines: [] }).lines.push(...[opt(seg, 1), opt(seg, 2)].filter((x): x is string => !!x));
        break;
      case 'N4':
        if (party)
          Object.assign((party.address ??= { lines: [] }), {
            city: opt(seg, 1),
            state: opt(seg, 2),
            postalCode: opt(seg, 3),
            country: opt(seg, 4),
          });
        break;
      case 'PER':
        if (party && !claim) party.contacts.push(contactOf(seg));
        break;
      case 'REF': {
        const ref = { qualifier: el(seg, 1), value: el(seg, 2) };
        if (line) {
          if (ref.qualifier === '6R') line.controlNumber = ref.value;
          else line.references.push(ref);
        } else if (claim) claim.references.push(ref);
        else if (party) {
          party.references.push(ref);
          if (party === payee && ref.qualifier === 'TJ') payee.taxId ??= ref.value;
        } else if (ref.qualifier === 'EV') receiverId = ref.value;
        break;
      }
      case 'DTM': {
        const value = date(seg, 2);
        if (value === undefined) break;
        const dv = { qualifier: el(seg, 1), date: value };
        if (line) line.dates.push(dv);
        else if (claim) claim.dates.push(dv);
        else if (dv.qualifier === '405') productionDate = value;
        break;
      }
      case 'LX':
        // A new header number group: the previous claim is complete.
        party = undefined;
        claim = undefined;
        line = undefined;
        break;
      case 'CLP':
        party = undefined;
        line = undefined;
        claim = {
          segmentIndex: seg.index,
          patientControlNumber: required(seg, 1),
          status: required(seg, 2),
          charge: money(seg, 3),
          paid: money(seg, 4),
          patientResponsibility: optionalMoney(seg, 5),
          filingIndicator: opt(seg, 6),
          payerClaimControlNumber: opt(seg, 7),
          facilityType: opt(seg, 8),
          frequency: opt(seg, 9),
          drg: opt(seg, 11),
          otherNames: [],
          adjustments: [],
          remarkCodes: [],
          dates: [],
          amounts: [],
          references: [],
          lines: [],
        };
        claims.push(claim);
        break;
      case 'CAS': {
        const target = line ?? needClaim(seg);
        target.adjustments.push(...adjustmentsOf(seg));
        break;
      }
      case 'NM1': {
        const c = needClaim(seg);
        const name = nameOf(seg);
        if (name.entity === 'QC') c.patient = phi(name);
        else if (name.entity === 'IL') c.insured = phi(name);
        else if (name.entity === '74') c.correctedName = phi(name);
        else if (name.entity === 'GB') c.otherSubscriber = phi(name);
        else c.otherNames.push(name);
        break;
      }
      case 'MIA':
        needClaim(seg).remarkCodes.push(...[5, 20, 21, 22, 23, 24].map((n) => el(seg, n)).filter(Boolean));
        break;
      case 'MOA':
        needClaim(seg).remarkCodes.push(...[3, 4, 5, 6, 7].map((n) => el(seg, n)).filter(Boolean));
        break;
      case 'AMT': {
        const av = { qualifier: el(seg, 1), amount: money(seg, 2) };
        (line ?? needClaim(seg)).amounts.push(av);
        break;
      }
      case 'SVC': {
        const c = needClaim(seg);
        line = {
          segmentIndex: seg.index,
          procedure: procedureOf(seg, 1, d, warnings),
          charge: optionalMoney(seg, 2) ?? 0,
          paid: optionalMoney(seg, 3) ?? 0,
          revenueCode: opt(seg, 4),
          units: quantity(seg, 5) ?? 1,
          originalProcedure: opt(seg, 6) === undefined ? undefined : procedureOf(seg, 6, d, warnings),
          originalUnits: quantity(seg, 7),
          adjustments: [],
          remarks: [],
          dates: [],
          references: [],
          amounts: [],
        };
        c.lines.push(line);
        break;
      }
      case 'LQ':
        if (!line) throw structureError(seg, 'LQ outside a service line (no SVC before it)');
        line.remarks.push({ qualifier: el(seg, 1), code: required(seg, 2) });
        break;
      case 'PLB':
        party = undefined;
        claim = undefined;
        line = undefined;
        providerAdjustments.push(providerAdjustmentOf(seg, d, date));
        break;
    }
  }

  const se = t.segments[t.segments.length - 1];
  if (!payment) throw structureError(se, 'the 835 has no BPR (financial information)');
  if (!trace) throw structureError(se, 'the 835 has no TRN (reassociation trace number)');
  if (!payer) throw structureError(se, 'the 835 has no payer (N1*PR)');
  if (!payee) throw structureError(se, 'the 835 has no payee (N1*PE)');
  return {
    controlNumber: t.controlNumber,
    payment,
    trace,
    receiverId,
    productionDate,
    payer,
    payee,
    claims,
    providerAdjustments,
    warnings,
  };
}

/**
 * The balances an 835 must keep, in cents: the payment equals the claims' payments less the provider-level
 * adjustments, and each claim's charge less its payment equals its adjustments (claim and line CAS
 * together). Line-level balance (SVC02 - SVC03 = line CAS) is left to posting, which works line by line.
 */
export function balance835(r: Remittance835): { balanced: boolean; problems: string[] } {
  const problems: string[] = [];
  const claimsPaid = sum(r.claims.map((c) => c.paid));
  const plb = sum(r.providerAdjustments.flatMap((p) => p.adjustments.map((a) => a.amount)));
  const payment = r.payment.creditDebit === 'D' ? -r.payment.amount : r.payment.amount;
  if (claimsPaid - plb !== payment) {
    problems.push(
      `payment ${formatCents(payment)} (BPR02) is not claims paid ${formatCents(claimsPaid)} less provider adjustments ${formatCents(plb)} = ${formatCents(claimsPaid - plb)}`,
    );
  }
  for (const c of r.claims) {
    const adjusted = sum(c.adjustments.map((a) => a.amount)) + sum(c.lines.flatMap((l) => l.adjustments.map((a) => a.amount)));
    if (c.charge - c.paid !== adjusted) {
      problems.push(
        `claim ${c.patientControlNumber} (segment ${c.segmentIndex}): charge ${formatCents(c.charge)} less paid ${formatCents(c.paid)} is ${formatCents(c.charge - c.paid)}, adjustments total ${formatCents(adjusted)}`,
      );
    }
  }
  return { balanced: problems.length === 0, problems };
}

// CAS01 is the group; then up to six (reason, amount, quantity) triplets in CAS02..CAS19.
function adjustmentsOf(seg: Segment): Adjustment[] {
  const group = required(seg, 1);
  const out: Adjustment[] = [];
  for (let n = 2; n <= 17; n += 3) {
    const reason = opt(seg, n);
    if (reason === undefined) {
      if (opt(seg, n + 1) !== undefined)
        throw structureError(seg, `CAS${String(n + 1).padStart(2, '0')} has an amount without a reason code`);
      continue;
    }
    out.push({ group, reason, amount: money(seg, n + 1), quantity: quantity(seg, n + 2) });
  }
  return out;
}

// A procedure without a code is kept (its amounts still post) and reported: payers' samples show composites
// written with another separator than ISA16 declares ("HC>55669" under ":") or split into elements.
function procedureOf(seg: Segment, n: number, d: Delimiters, warnings: X12SyntaxError[]): Procedure {
  const text = required(seg, n);
  const [qualifier = '', code = '', m1, m2, m3, m4, description] = components(text, d);
  if (code === '') {
    warnings.push(badValue(seg, n, `procedure "${text}" has no code after a "${d.component}" (the component separator ISA16 declares)`));
  }
  return { qualifier, code, modifiers: [m1, m2, m3, m4].filter((m): m is string => !!m), description: description || undefined };
}

function providerAdjustmentOf(seg: Segment, d: Delimiters, date: (seg: Segment, n: number) => string | undefined): ProviderAdjustment835 {
  const adjustments: ProviderAdjustment835['adjustments'] = [];
  // Six (reason:reference, amount) pairs at most: PLB03/04 .. PLB13/14.
  for (let n = 3; n <= 13; n += 2) {
    const composite = opt(seg, n);
    if (composite === undefined) continue;
    const [reason = '', reference] = components(composite, d);
    adjustments.push({ reason, reference: reference || undefined, amount: money(seg, n + 1) });
  }
  return { providerId: required(seg, 1), fiscalPeriodDate: date(seg, 2), adjustments };
}

function contactOf(seg: Segment): Contact {
  const numbers: Reference[] = [];
  for (let n = 3; n <= 7; n += 2) {
    const qualifier = opt(seg, n);
    const value = opt(seg, n + 1);
    if (qualifier && value) numbers.push({ qualifier, value });
  }
  return { function: el(seg, 1), name: opt(seg, 2), numbers };
}

function sum(values: Cents[]): Cents {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
