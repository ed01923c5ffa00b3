// Writes an 835 remittance advice (005010X221A1): BPR payment (with both bank accounts for an ACH), TRN trace
// ("1" + the payer's tax id), payer (N1*PR, N3, N4, REF*2U, PER*BL) and payee (N1*PE, REF*TJ), then per claim
// LX/CLP with claim-level CAS, NM1*QC, REF, DTM*050 and per line SVC, DTM*472, CAS, REF*6R (our line number)
// and LQ*HE remarks, and PLB provider-level adjustments. Everything the guide requires is a required input.
import type { Cents, IsoDate } from '../clearinghouse';
import { d8, writeInterchange, type EnvelopeArgs } from './envelopeWriter';
import { X12GenerationError } from './generationError';
import { formatX12Amount } from './money';
import type { SegmentWriter } from './segmentWriter';

export const IMPLEMENTATION_835 = '005010X221A1';

export interface Adjustment835Input {
  /** CO, PR, OA, PI (5010 has no CR or OI) */
  group: string;
  /** CARC */
  reason: string;
  amountCents: Cents;
  quantity?: number;
}

export interface Line835Input {
  procedureCode: string;
  modifiers?: string[];
  chargeCents: Cents;
  paidCents: Cents;
  units?: number;
  serviceDate?: IsoDate;
  /** REF*6R: the line item control number we sent (claimflow: the line number). */
  controlNumber?: string;
  adjustments: Adjustment835Input[];
  /** LQ*HE: RARCs. */
  remarks?: string[];
}

export interface Claim835Input {
  /** CLP01: our patient control number (CLM01). */
  claimId: string;
  /** CLP02: 1, 2, 3 processed as primary/secondary/tertiary, 4 denied, 22 reversal. */
  status: string;
  chargeCents: Cents;
  paidCents: Cents;
  patientRespCents?: Cents;
  /** CLP06, from the 835's own list (12 PPO, 15 indemnity, HM, MA, MB, MC...): filingIndicator835 maps an SBR09 */
  filingIndicator: string;
  /** CLP07: required by the guide (the payer's claim control number) */
  payerClaimControlNo: string;
  /** CLP08 facility type / place of service; default 11. */
  facilityType?: string;
  /** CLP09 */
  frequency?: string;
  /** NM1*QC: the guide requires the patient loop; the name and id are written when known. */
  patient: { last?: string; first?: string; memberId?: string };
  /** DTM*050: when the payer received the claim */
  receivedDate?: IsoDate;
  adjustments?: Adjustment835Input[];
  /** MOA remark codes (claim level). */
  remarks?: string[];
  statementFrom?: IsoDate;
  statementTo?: IsoDate;
  references?: { qualifier: string; value: string }[];
  lines: Line835Input[];
}

export interface ProviderAdjustment835Input {
  providerId: string;
  fiscalPeriodDate: IsoDate;
  adjustments: { reason: string; reference?: string; amountCents: Cents }[];
}

export interface Address835 {
  line1: string;
  line2?: string;
  city: string;
  /** two letters */
  state: string;
  /** five or nine digits */
  postalCode: string;
}

/** A bank account in BPR: the ABA routing number (DFI qualifier 01) and the account number (DA). */
export interface BankAccount835 {
  routingNumber: string;
  accountNumber: string;
}

export interface Remittance835Input extends EnvelopeArgs {
  payment: {
    /** BPR01; I (remittance information with payment) by default, H (notification only) for NON. */
    handling?: string;
    amountCents: Cents;
    /** BPR04 */
    method: 'ACH' | 'CHK' | 'NON' | 'BOP' | 'FWT';
    /** BPR16 */
    date: IsoDate;
    /** BPR06-09 (the payer's account) and BPR12-15 (the payee's): required for a payment by ACH, BOP or FWT */
    bank?: { payer: BankAccount835; payee: BankAccount835 };
  };
  /** TRN02: the check or EFT trace number. */
  traceNumber: string;
  productionDate?: IsoDate;
  /**
   * N1*PR, N3, N4; REF*2U the payer's electronic id; PER*BL its technical contact (the guide requires one).
   * taxId (nine digits) makes TRN03 and BPR10: "1" + tax id.
   */
  payer: {
    name: string;
    id: string;
    taxId: string;
    address: Address835;
    technicalContact: { name?: string; phone?: string; email?: string };
  };
  /** N1*PE with XX + NPI; REF*TJ tax id when given. */
  payee: { name: string; npi: string; taxId?: string };
  claims: Claim835Input[];
  providerAdjustments?: ProviderAdjustment835Input[];
}

/** "1" + the payer's nine-digit tax id: TRN03 and BPR10 (the payer's identifier). */
export function payerIdentifier835(taxId: string): string {
  if (!/^\d{9}$/.test(taxId)) throw new X12GenerationError(undefined, 'payer.taxId', 'must be nine digits (TRN03 is "1" + the tax id)');
  return `1${taxId}`;
}

const ELECTRONIC_PAYMENT = new Set(['ACH', 'BOP', 'FWT']);

export function write835(input: Remittance835Input): string {
  const originator = payerIdentifier835(input.payer.taxId);
  const envelope = { ...input, functionalId: 'HP', implementation: IMPLEMENTATION_835, setId: '835', st03: false };
  return writeInterchange(envelope, (w) => {
    const p = input.payment;
    const handling = p.handling ?? (p.method === 'NON' ? 'H' : 'I');
    // BPR05-15 go with money moved electronically: the format, then the payer's and the payee's accounts.
    let banking: string[] = ['', '', '', '', '', '', '', '', '', '', ''];
    if (ELECTRONIC_PAYMENT.has(p.method)) {
      if (!p.bank) throw new X12GenerationError(undefined, 'payment.bank', `is required for a payment by ${p.method} (BPR06-BPR15)`);
      for (const [who, account] of [
        ['payer', p.bank.payer],
        ['payee', p.bank.payee],
      ] as const) {
        if (!/^\d{9}$/.test(account.routingNumber))
          throw new X12GenerationError(undefined, `payment.bank.${who}.routingNumber`, 'must be a nine-digit ABA routing number');
        if (!/^[0-9A-Za-z]{1,35}$/.test(account.accountNumber))
          throw new X12GenerationError(undefined, `payment.bank.${who}.accountNumber`, 'must be 1 to 35 letters or digits');
      }
      banking = [
        p.method === 'ACH' ? 'CCP' : '',
        '01',
        p.bank.payer.routingNumber,
        'DA',
        p.bank.payer.accountNumber,
        originator,
        '',
        '01',
        p.bank.payee.routingNumber,
        'DA',
        p.bank.payee.accountNumber,
      ];
    }
    w.segment('BPR', handling, formatX12Amount(p.amountCents), 'C', p.method, ...banking, d8(p.date));
    w.segment('TRN', '1', input.traceNumber, originator);
    if (input.productionDate) w.segment('DTM', '405', d8(input.productionDate));
    const payer = input.payer;
    w.segment('N1', 'PR', payer.name);
    w.segment('N3', payer.address.line1, payer.address.line2 ?? '');
    w.segment('N4', payer.address.city, payer.address.state, payer.address.postalCode);
    w.segment('REF', '2U', payer.id);
    const contact = payer.technicalContact;
    const numbers = [...(contact.phone ? ['TE', contact.phone] : []), ...(contact.email ? ['EM', contact.email] : [])];
    if (numbers.length === 0 && !contact.name) {
      throw new X12GenerationError(undefined, 'payer.technicalContact', 'needs a name, phone or email (PER*BL is required)');
    }
    w.segment('PER', 'BL', contact.name ?? '', ...numbers);
    w.segment('N1', 'PE', input.payee.name, 'XX', input.payee.npi);
    if (input.payee.taxId) w.segment('REF', 'TJ', input.payee.taxId);
    input.claims.forEach((c, i) => {
      w.segment('LX', String(i + 1));
      w.segment(
        'CLP',
        c.claimId,
        c.status,
        formatX12Amount(c.chargeCents),
        formatX12Amount(c.paidCents),
        c.patientRespCents === undefined ? '' : formatX12Amount(c.patientRespCents),
        c.filingIndicator,
        c.payerClaimControlNo,
        c.facilityType ?? '11',
        c.frequency ?? '',
      );
      writeCas(w, c.adjustments ?? []);
      const patient = c.patient;
      w.segment(
        'NM1',
        'QC',
        '1',
        patient.last ?? '',
        patient.first ?? '',
        '',
        '',
        '',
        patient.memberId ? 'MI' : '',
        patient.memberId ?? '',
      );
      if (c.remarks?.length) w.segment('MOA', '', '', ...c.remarks.slice(0, 5));
      for (const r of c.references ?? []) w.segment('REF', r.qualifier, r.value);
      if (c.statementFrom) w.segment('DTM', '232', d8(c.statementFrom));
      if (c.statementTo ?? c.statementFrom) w.segment('DTM', '233', d8((c.statementTo ?? c.statementFrom) as string));
      if (c.receivedDate) w.segment('DTM', '050', d8(c.receivedDate));
      for (const l of c.lines) {
        const composite = ['HC', l.procedureCode, ...(l.modifiers ?? []).slice(0, 4)];
        w.segment(
          'SVC',
          composite,
          formatX12Amount(l.chargeCents),
          formatX12Amount(l.paidCents),
          '',
          l.units === undefined || l.units === 1 ? '' : String(l.units),
        );
        if (l.serviceDate) w.segment('DTM', '472', d8(l.serviceDate));
        writeCas(w, l.adjustments);
        if (l.controlNumber) w.segment('REF', '6R', l.controlNumber);
        for (const code of l.remarks ?? []) w.segment('LQ', 'HE', code);
      }
    });
    for (const plb of input.providerAdjustments ?? []) {
      // Six (reason:reference, amount) pairs per PLB.
      for (let i = 0; i < plb.adjustments.length; i += 6) {
        const pairs = plb.adjustments
          .slice(i, i + 6)
          .flatMap((a) => [a.reference ? [a.reason, a.reference] : a.reason, formatX12Amount(a.amountCents)]);
        w.segment('PLB', plb.providerId, d8(plb.fiscalPeriodDate), ...pairs);
      }
    }
  });
}

/** CLP06's code list (X221A1): narrower than the 837's SBR09, which also has CI, BL, FI and 11. */
const CLP06_CODES = new Set([
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  'AM',
  'CH',
  'DS',
  'HM',
  'LM',
  'MA',
  'MB',
  'MC',
  'OF',
  'TV',
  'VA',
  'WC',
  'ZZ',
]);
/**
 * The 837 SBR09 codes the 835 does not have, as the 835 says them: a commercial or Blue plan (CI, BL) as the PPO it
 * usually is (12), the Federal Employees Program (FI) as another federal program (OF), other non-federal (11) as
 * mutually defined (ZZ).
 */
const SBR09_TO_CLP06: Readonly<Record<string, string>> = { CI: '12', BL: '12', FI: 'OF', '11': 'ZZ' };

/** The CLP06 claim filing indicator for a claim sent with SBR09 `sbr09`. */
export function filingIndicator835(sbr09: string | undefined): string {
  if (sbr09 && CLP06_CODES.has(sbr09)) return sbr09;
  return SBR09_TO_CLP06[sbr09 ?? ''] ?? 'ZZ';
}

/** CAS01 in 5010: CR and OI were dropped after 4010. */
const CAS_GROUPS = new Set(['CO', 'OA', 'PI', 'PR']);

/** One CAS per group code (in order of first appearance), at most six reason/amount/quantity triplets each. */
function writeCas(w: SegmentWriter, list: Adjustment835Input[]): void {
  for (const a of list) {
    if (!CAS_GROUPS.has(a.group))
      throw new X12GenerationError(undefined, 'CAS01', `"${a.group}" is not a 5010 group code (CO, OA, PI, PR)`);
  }
  const byGroup = new Map<string, Adjustment835Input[]>();
  for (const a of list) byGroup.set(a.group, [...(byGroup.get(a.group) ?? []), a]);
  for (const [group, adjustments] of byGroup) {
    for (let i = 0; i < adjustments.length; i += 6) {
      const triplets = adjustments
        .slice(i, i + 6)
        .flatMap((a) => [a.reason, formatX12Amount(a.amountCents), a.quantity === undefined ? '' : String(a.quantity)]);
      w.segment('CAS', group, ...triplets);
    }
  }
}
