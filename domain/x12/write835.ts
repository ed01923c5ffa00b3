// Writes an 835 remittance advice (005010X221A1): BPR payment, TRN trace, payer (N1*PR, REF*2U) and payee
// (N1*PE), then per claim LX/CLP with claim-level CAS, NM1*QC, REF, DTM*232/233 and per line SVC, DTM,
// CAS, REF*6R (our line number) and LQ*HE remarks, and PLB provider-level adjustments.
import type { Cents, IsoDate } from '../clearinghouse';
import { d8, writeInterchange, type EnvelopeArgs } from './envelopeWriter';
import { formatX12Amount } from './money';
import type { SegmentWriter } from './segmentWriter';

export const IMPLEMENTATION_835 = '005010X221A1';

export interface Adjustment835Input {
  /** CO, PR, OA, PI, CR */
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
  /** CLP06; MB Medicare Part B, CI commercial... default CI. */
  filingIndicator?: string;
  /** CLP07 */
  payerClaimControlNo?: string;
  /** CLP08 facility type / place of service; default 11. */
  facilityType?: string;
  /** CLP09 */
  frequency?: string;
  patient?: { last: string; first?: string; memberId?: string };
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

export interface Remittance835Input extends EnvelopeArgs {
  payment: {
    /** BPR01; I (remittance information with payment) by default, H (notification only) for NON. */
    handling?: string;
    amountCents: Cents;
    /** BPR04 */
    method: 'ACH' | 'CHK' | 'NON' | 'BOP' | 'FWT';
    /** BPR16 */
    date: IsoDate;
  };
  /** TRN02: the check or EFT trace number. */
  traceNumber: string;
  /** TRN03: the payer's id ("1" + tax id, or its electronic payer id). */
  originatorId: string;
  productionDate?: IsoDate;
  /** N1*PR; id goes in REF*2U (the payer's electronic id). */
  payer: { name: string; id: string };
  /** N1*PE with XX + NPI; REF*TJ tax id when given. */
  payee: { name: string; npi: string; taxId?: string };
  claims: Claim835Input[];
  providerAdjustments?: ProviderAdjustment835Input[];
}

export function write835(input: Remittance835Input): string {
  return writeInterchange({ ...input, functionalId: 'HP', implementation: IMPLEMENTATION_835, setId: '835' }, (w) => {
    const p = input.payment;
    const handling = p.handling ?? (p.method === 'NON' ? 'H' : 'I');
    const bpr = [
      'BPR',
      handling,
      formatX12Amount(p.amountCents),
      'C',
      p.method,
      p.method === 'ACH' ? 'CCP' : '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      d8(p.date),
    ];
    w.segment(bpr[0], ...bpr.slice(1));
    w.segment('TRN', '1', input.traceNumber, input.originatorId);
    if (input.productionDate) w.segment('DTM', '405', d8(input.productionDate));
    w.segment('N1', 'PR', input.payer.name);
    w.segment('REF', '2U', input.payer.id);
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
        c.filingIndicator ?? 'CI',
        c.payerClaimControlNo ?? '',
        c.facilityType ?? '11',
        c.frequency ?? '',
      );
      writeCas(w, c.adjustments ?? []);
      if (c.patient) {
        w.segment(
          'NM1',
          'QC',
          '1',
          c.patient.last,
          c.patient.first ?? '',
          '',
          '',
          '',
          c.patient.memberId ? 'MI' : '',
          c.patient.memberId ?? '',
        );
      }
      if (c.remarks?.length) w.segment('MOA', '', '', ...c.remarks.slice(0, 5));
      for (const r of c.references ?? []) w.segment('REF', r.qualifier, r.value);
      if (c.statementFrom) w.segment('DTM', '232', d8(c.statementFrom));
      if (c.statementTo ?? c.statementFrom) w.segment('DTM', '233', d8((c.statementTo ?? c.statementFrom) as string));
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

/** One CAS per group code (in order of first appearance), at most six reason/amount/quantity triplets each. */
function writeCas(w: SegmentWriter, list: Adjustment835Input[]): void {
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
