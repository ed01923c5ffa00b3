// The simulator's X12 side: reading the 837P files claimflow submits (several claims per file allowed) and
// writing what the payer sends back as X12: a 999 per received file, a 277CA per claim acknowledgement and
// an 835 per remittance. The outbox keeps the facts as JSON (for the JSON contract and the admin views) and
// renders them here at delivery time, with what the guides (X214, X221A1) require: the patient's name and
// member id as the 837 gave them (X12ClaimFacts), dates of service, and the simulated payer's own particulars
// (tax id, address, contact, bank accounts: payerProfile).
import type { AcknowledgementMessage, ClaimSubmission, RemittanceMessage } from '../domain/clearinghouse';
import type { Claim837 } from '../domain/x12/837pModel';
import { read837P } from '../domain/x12/read837p';
import { readSegments, readTransactions, X12SyntaxError } from '../domain/x12/reader';
import { write999, type SetAck999Input } from '../domain/x12/write999';
import { write277CA } from '../domain/x12/write277ca';
import { filingIndicator835, write835, type BankAccount835, type Claim835Input } from '../domain/x12/write835';
import type { EnvelopeArgs } from '../domain/x12/envelopeWriter';
import { ValidationError } from './errors';
import { hash53 } from './random';

/** ISA06 of everything the simulator sends. */
export const SIMULATOR_X12_ID = 'CFSIMULATOR';

export interface ReceivedSet {
  controlNumber: string;
  implementation?: string;
  accepted: boolean;
  /** what was wrong, for IK3/IK4 and the 999 reason; never values */
  errors: { segmentId: string; position: number; element?: number; reason: string }[];
}

export interface Received837 {
  isa13: string;
  senderId: string;
  group: { controlNumber: string; version: string };
  sets: ReceivedSet[];
  claims: { claim: Claim837; setControlNumber: string }[];
}

/** Reads an 837P file. A file whose envelope cannot be read at all is a 400 (nothing to acknowledge). */
export function read837File(text: string): Received837 {
  const { transactions, errors } = readTransactions(text);
  const first = transactions[0];
  // Each ST in the file, to attribute errors to the set they sit in (a rejected set still gets an AK2).
  const starts: { index: number; controlNumber: string }[] = [];
  let isa13 = first?.interchange?.controlNumber;
  let senderId = first?.interchange?.senderId;
  let group = first?.group ? { controlNumber: first.group.controlNumber, version: first.group.version } : undefined;
  try {
    for (const seg of readSegments(text)) {
      if (seg.id === 'ST') starts.push({ index: seg.index, controlNumber: seg.elements[2] ?? '' });
      if (seg.id === 'ISA' && !isa13) {
        isa13 = (seg.elements[13] ?? '').trim();
        senderId = (seg.elements[6] ?? '').trim();
      }
      if (seg.id === 'GS' && !group) group = { controlNumber: seg.elements[6] ?? '', version: seg.elements[8] ?? '' };
    }
  } catch (err) {
    if (!(err instanceof X12SyntaxError)) throw err;
  }
  if (!isa13 || !group || starts.length === 0) {
    const e = errors[0];
    throw new ValidationError(
      e ? `not a readable 837 file: ${e.message}` : 'not a readable 837 file: no interchange with a transaction',
      'body',
    );
  }

  const sets: ReceivedSet[] = [];
  const claims: Received837['claims'] = [];
  starts.forEach((st, i) => {
    const end = starts[i + 1]?.index ?? Number.MAX_SAFE_INTEGER;
    const t = transactions.find((x) => x.segments[0].index === st.index);
    const problems = errors.filter((e) => e.segmentIndex >= st.index && e.segmentIndex < end);
    const set: ReceivedSet = { controlNumber: st.controlNumber, implementation: t?.implementation, accepted: false, errors: [] };
    const toError = (e: X12SyntaxError) => ({
      segmentId: e.segmentId,
      position: e.segmentIndex - st.index + 1,
      element: e.element,
      reason: e.reason,
    });
    if (t && problems.length === 0) {
      try {
        const read = read837P(t);
        if (read.claims.length === 0)
          throw new X12SyntaxError({
            code: 'structure',
            segmentIndex: st.index,
            segmentId: 'ST',
            reason: 'the transaction holds no claim',
          });
        for (const claim of read.claims) claims.push({ claim, setControlNumber: st.controlNumber });
        set.accepted = true;
      } catch (err) {
        if (!(err instanceof X12SyntaxError)) throw err;
        set.errors.push(toError(err));
      }
    } else {
      set.errors.push(
        ...(problems.length
          ? problems
          : [new X12SyntaxError({ code: 'envelope', segmentIndex: st.index, segmentId: 'ST', reason: 'the transaction could not be read' })]
        ).map(toError),
      );
    }
    sets.push(set);
  });
  return { isa13, senderId: senderId ?? '', group, sets, claims };
}

/** The ClaimSubmission a claim of an 837 amounts to, under the idempotency key of its file. */
export function submissionFrom837(c: Claim837, fileKey: string, interchangeControlNumber: number): ClaimSubmission {
  const claimId = c.claim.patientControlNumber;
  const m = /^(.+):(\d+)$/.exec(fileKey);
  const own = m !== null && m[1] === claimId;
  const lines = c.claim.lines.map((l, i) => ({
    lineNo: i + 1,
    procedureCode: l.procedureCode,
    modifiers: l.modifiers,
    units: l.units,
    chargeCents: l.chargeCents,
    diagnosisPointers: l.diagnosisPointers,
  }));
  return {
    // One file per attempt is claimflow's way; other files' claims get a key of their own within the file's.
    idempotencyKey: own ? fileKey : `${claimId}@${fileKey}`,
    claimId,
    attempt: own ? Number(m![2]) : 1,
    frequencyCode: c.claim.frequencyCode,
    ...(c.claim.originalPayerClaimControlNumber ? { originalPayerClaimControlNo: c.claim.originalPayerClaimControlNumber } : {}),
    payerElectronicId: c.payer.id,
    billingProviderNpi: c.billingProvider.npi,
    dateOfService: c.claim.dateOfService,
    totalChargeCents: c.claim.totalChargeCents,
    diagnoses: c.claim.diagnoses,
    lines,
    interchangeControlNumber,
  };
}

/** What an 837 claim tells the payer that its 277CA and 835 repeat. `patient` is PHI. */
export interface X12ClaimFacts {
  /** the patient (2010CA, or the subscriber when the patient is the subscriber) and the subscriber's member id */
  patient: { last: string; first?: string; memberId: string };
  /** SBR09, e.g. MB, CI (the 835 says it in its own code list: filingIndicator835) */
  filingIndicator: string;
  /** the billing provider's tax id (the 835's payee REF*TJ) */
  billingProviderTaxId?: string;
  /** each line's dates of service, by line number, when they are not the claim's date of service */
  lineDates?: Record<number, { from: string; to?: string }>;
}

/** What the payer keeps of an 837 claim to repeat in its 277CA and 835. */
export function factsFrom837(c: Claim837): X12ClaimFacts {
  const person = c.patient?.name ?? c.subscriber.name;
  const lineDates: NonNullable<X12ClaimFacts['lineDates']> = {};
  c.claim.lines.forEach((l, i) => {
    if ((l.serviceDate && l.serviceDate !== c.claim.dateOfService) || l.serviceDateEnd) {
      lineDates[i + 1] = { from: l.serviceDate ?? c.claim.dateOfService, ...(l.serviceDateEnd ? { to: l.serviceDateEnd } : {}) };
    }
  });
  return {
    patient: { last: person.last, ...(person.first ? { first: person.first } : {}), memberId: c.subscriber.memberId },
    filingIndicator: c.subscriber.claimFilingIndicator,
    billingProviderTaxId: c.billingProvider.taxId,
    ...(Object.keys(lineDates).length ? { lineDates } : {}),
  };
}

/** A nine-digit ABA routing number with a correct check digit, derived from `parts`. */
function routingNumber(...parts: string[]): string {
  const digits = String(hash53(parts.join('|')))
    .padStart(8, '0')
    .slice(0, 8)
    .split('')
    .map(Number);
  const weights = [3, 7, 1, 3, 7, 1, 3, 7];
  const sum = digits.reduce((s, d, i) => s + d * weights[i], 0);
  return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
}

const accountNumber = (...parts: string[]) => String(hash53(['account', ...parts].join('|'))).slice(0, 12);

/** The simulated payer's particulars that a real payer's 835 carries: derived from its electronic id, so stable. */
export function payerProfile(payerElectronicId: string) {
  return {
    name: `PAYER ${payerElectronicId}`.slice(0, 60),
    id: payerElectronicId,
    taxId: String((hash53(`tax-id|${payerElectronicId}`) % 900_000_000) + 100_000_000),
    address: { line1: '100 CLAIMS WAY', city: 'SPRINGFIELD', state: 'IL', postalCode: '627010001' },
    technicalContact: { name: 'EDI SUPPORT', phone: '8005550199' },
    bank: { routingNumber: routingNumber('payer', payerElectronicId), accountNumber: accountNumber('payer', payerElectronicId) },
  };
}

/** The account a provider's payments go to (its EFT enrollment), derived from its NPI. */
function payeeBank(npi: string): BankAccount835 {
  return { routingNumber: routingNumber('payee', npi), accountNumber: accountNumber('payee', npi) };
}

/**
 * A claim that came as JSON carries no patient: its 277CA says so in the name the guide requires rather than
 * inventing one. (claimflow's files always come as an 837.)
 */
const UNKNOWN_PATIENT = { last: 'UNKNOWN', memberId: 'UNKNOWN' };

export function envelopeFor(isa: number, receiverId: string, date: string, usage: 'T' | 'P' = 'P'): EnvelopeArgs {
  return {
    sender: { qualifier: 'ZZ', id: SIMULATOR_X12_ID },
    receiver: { qualifier: 'ZZ', id: (receiverId || 'CLAIMFLOW').slice(0, 15) },
    control: {
      interchangeControlNumber: isa,
      groupControlNumber: isa,
      transactionControlNumber: String(isa % 1_000_000_000).padStart(4, '0'),
    },
    now: { date, time: '1200' },
    usage,
  };
}

export interface File999 {
  isa13: string;
  senderId: string;
  group: { controlNumber: string; version: string };
  sets: ReceivedSet[];
}

export function render999(file: File999, isa: number, date: string): string {
  const sets: SetAck999Input[] = file.sets.map((s) => ({
    setId: '837',
    controlNumber: s.controlNumber,
    implementation: s.implementation,
    accepted: s.accepted,
    // IK502: 4 = the segment count (SE01) is wrong, 5 = one or more segments in error.
    errorCodes: s.errors.some((e) => e.segmentId === 'SE') ? ['4'] : ['5'],
    segmentErrors: s.errors
      .filter((e) => e.segmentId !== 'SE')
      .map((e) => ({
        segmentId: /^[A-Z][A-Z0-9]{1,2}$/.test(e.segmentId) ? e.segmentId : 'ST',
        position: Math.max(1, e.position),
        // IK304 8: the segment has data element errors; 2: unexpected segment.
        code: e.element === undefined ? '2' : '8',
        elementErrors: e.element === undefined ? [] : [{ position: e.element, code: '1' }],
      })),
  }));
  return write999({
    ...envelopeFor(isa, file.senderId, date),
    group: { functionalId: 'HC', controlNumber: file.group.controlNumber, version: file.group.version },
    sets,
  });
}

export interface AckContext {
  payerElectronicId: string;
  chargeCents: number;
  provider?: { name: string; npi: string };
  /** ISA13 of the 837 answered, as BHT03/TRN reference */
  reference: string;
  receiverId: string;
  /** the 837's patient and line dates; absent for a claim that came as JSON */
  claim?: X12ClaimFacts;
  /** the claim's date of service; the acknowledgement's date when unknown (a state file written before) */
  dateOfService?: string;
}

/** A rejection reason in words, with the 277CA status code that says it. */
const REJECTION_STATUS: Record<string, { code: string; entity?: string }> = {
  'Subscriber ID invalid': { code: '164', entity: 'IL' },
  'Subscriber name does not match payer records': { code: '33', entity: 'IL' },
  'Patient date of birth does not match payer records': { code: '158', entity: 'QC' },
  'Billing provider NPI not on file with the payer': { code: '562', entity: '85' },
};

export function render277CA(ack: AcknowledgementMessage, ctx: AckContext, isa: number, date: string): string {
  const rejected = !ack.accepted;
  const status = rejected
    ? {
        category: ack.rejectionCode && /^A[3-8]$/.test(ack.rejectionCode) ? ack.rejectionCode : 'A7',
        ...(REJECTION_STATUS[ack.reason ?? ''] ?? { code: '21' }),
      }
    : { category: 'A2', code: '20' };
  return write277CA({
    ...envelopeFor(isa, ctx.receiverId, date),
    reference: ctx.reference,
    payer: { name: `PAYER ${ctx.payerElectronicId}`.slice(0, 60), id: ctx.payerElectronicId },
    informationReceiver: { name: 'CLAIMFLOW', id: ctx.receiverId || 'CLAIMFLOW' },
    provider: ctx.provider ?? { name: 'BILLING PROVIDER', npi: '0000000000' },
    receivedDate: date,
    claims: [
      {
        claimId: ack.claimId,
        status,
        ...(rejected && ack.reason ? { message: ack.reason } : {}),
        chargeCents: ctx.chargeCents,
        ...(ack.payerClaimControlNo ? { payerClaimControlNo: ack.payerClaimControlNo } : {}),
        patient: ctx.claim?.patient ?? UNKNOWN_PATIENT,
        serviceDate: serviceDates(ctx.dateOfService ?? date, ctx.claim),
      },
    ],
  });
}

/** The claim's first and last dates of service: its date, widened by any line's own dates. */
function serviceDates(dateOfService: string, claim: X12ClaimFacts | undefined): { from: string; to: string } {
  const dates = [dateOfService, ...Object.values(claim?.lineDates ?? {}).flatMap((d) => [d.from, d.to ?? d.from])].sort();
  return { from: dates[0], to: dates[dates.length - 1] };
}

// 5010's CAS01 codes: our OI is the 835's OA (other adjustment); CR (4010's correction) is gone, so it is OA too.
const CAS_GROUP: Readonly<Record<string, string>> = { CO: 'CO', PR: 'PR', PI: 'PI', OI: 'OA' };

export interface RemittanceContext {
  provider?: { name: string; npi: string };
  receiverId: string;
  /** the 837's patient, filing indicator and line dates; absent for a claim that came as JSON */
  claim?: X12ClaimFacts;
  dateOfService?: string;
  /** when the payer received the claim (DTM*050) */
  receivedDate?: string;
}

export function render835(remit: RemittanceMessage, ctx: RemittanceContext, isa: number): string {
  const facts = ctx.claim;
  const dateOf = (lineNo: number) => facts?.lineDates?.[lineNo]?.from ?? ctx.dateOfService;
  const claims: Claim835Input[] = remit.claims.map((c) => ({
    claimId: c.claimId,
    status: c.statusCode,
    chargeCents: c.chargeCents,
    paidCents: c.paidCents,
    patientRespCents: c.patientRespCents,
    // Accepted claims always have one; the claim id stands in only for a state file written before.
    payerClaimControlNo: c.payerClaimControlNo ?? c.claimId,
    filingIndicator: filingIndicator835(facts?.filingIndicator),
    patient: facts?.patient ?? {},
    ...(ctx.receivedDate ? { receivedDate: ctx.receivedDate } : {}),
    adjustments: c.adjustments
      .filter((a) => a.lineNo === undefined)
      .map((a) => ({ group: CAS_GROUP[a.groupCode] ?? 'OA', reason: a.carc, amountCents: a.amountCents })),
    lines: c.lines.map((l) => {
      const own = c.adjustments.filter((a) => a.lineNo === l.lineNo);
      const serviceDate = dateOf(l.lineNo);
      return {
        procedureCode: l.procedureCode,
        chargeCents: l.chargeCents,
        paidCents: l.paidCents,
        controlNumber: String(l.lineNo),
        ...(serviceDate ? { serviceDate } : {}),
        adjustments: own.map((a) => ({ group: CAS_GROUP[a.groupCode] ?? 'OA', reason: a.carc, amountCents: a.amountCents })),
        remarks: [...new Set(own.map((a) => a.rarc).filter((r): r is string => !!r))],
      };
    }),
  }));
  const payer = payerProfile(remit.payerElectronicId);
  const payee = ctx.provider ?? { name: 'BILLING PROVIDER', npi: '0000000000' };
  // A PLB written by an earlier state may lack its fiscal period: the payment's year stands in.
  const plb = (remit.providerAdjustments ?? []).filter((a) => a.providerId);
  const byProvider = new Map<string, typeof plb>();
  for (const a of plb)
    byProvider.set(`${a.providerId}|${a.fiscalPeriodDate ?? ''}`, [
      ...(byProvider.get(`${a.providerId}|${a.fiscalPeriodDate ?? ''}`) ?? []),
      a,
    ]);
  return write835({
    ...envelopeFor(isa, ctx.receiverId, remit.paymentDate),
    payment: {
      amountCents: remit.paymentCents,
      method: remit.paymentMethod,
      date: remit.paymentDate,
      ...(remit.paymentMethod === 'ACH' ? { bank: { payer: payer.bank, payee: payeeBank(payee.npi) } } : {}),
    },
    traceNumber: remit.traceNumber,
    payer,
    payee: { ...payee, ...(facts?.billingProviderTaxId ? { taxId: facts.billingProviderTaxId } : {}) },
    claims,
    providerAdjustments: [...byProvider.values()].map((list) => ({
      providerId: list[0].providerId!,
      fiscalPeriodDate: list[0].fiscalPeriodDate ?? `${remit.paymentDate.slice(0, 4)}-12-31`,
      adjustments: list.map((a) => ({
        reason: a.reasonCode,
        ...(a.referenceId ? { reference: a.referenceId } : {}),
        amountCents: a.amountCents,
      })),
    })),
  });
}
