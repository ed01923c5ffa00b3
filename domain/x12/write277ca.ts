// Writes a 277CA claim acknowledgement (005010X214): payer (HL 20), information receiver (HL 21) with the
// batch totals (QTY*90/AA), billing provider (HL 19) with its own totals (QTY*QA/QC) and one patient level
// (HL PT, NM1*QC) per claim, whose TRN*2 is our patient control number (CLM01), whose STC says accepted
// (A1/A2) or rejected (A3/A6/A7/A8) and whose DTP*472 gives the claim's dates of service.
import type { Cents, IsoDate } from '../clearinghouse';
import { d8, writeInterchange, type EnvelopeArgs } from './envelopeWriter';
import { formatX12Amount } from './money';
import type { SegmentWriter } from './segmentWriter';

export const IMPLEMENTATION_277CA = '005010X214';

export interface ClaimStatus277Input {
  /** CLM01 of the claim acknowledged (TRN02 of its PT level). */
  claimId: string;
  /** 2100D NM1*QC: the guide requires the patient's last name and member id. */
  patient: { last: string; first?: string; memberId: string };
  /** STC01: category (A1, A2 accepted; A3, A6, A7, A8 rejected), status code, optional entity. */
  status: { category: string; code: string; entity?: string };
  /** STC12: a free-text message (the rejection reason in words). */
  message?: string;
  chargeCents: Cents;
  /** REF*1K: the payer's claim control number, given on acceptance. */
  payerClaimControlNo?: string;
  /** 2200D DTP*472 (required): the claim's first and last dates of service. */
  serviceDate: { from: IsoDate; to?: IsoDate };
}

export interface Ack277CAInput extends EnvelopeArgs {
  /** BHT03: the batch reference (e.g. the ISA13 of the 837 answered). */
  reference: string;
  payer: { name: string; id: string };
  /** Receiver (HL 21) name and id, the submitter of the 837. */
  informationReceiver: { name: string; id: string };
  provider: { name: string; npi: string };
  receivedDate: IsoDate;
  processDate?: IsoDate;
  claims: ClaimStatus277Input[];
}

const ACCEPTED = new Set(['A0', 'A1', 'A2', 'A5']);

export function write277CA(input: Ack277CAInput): string {
  const date = d8(input.receivedDate);
  const processed = d8(input.processDate ?? input.receivedDate);
  const accepted = input.claims.filter((c) => ACCEPTED.has(c.status.category));
  const rejected = input.claims.filter((c) => !ACCEPTED.has(c.status.category));
  const total = (cs: ClaimStatus277Input[]) => formatX12Amount(cs.reduce((s, c) => s + c.chargeCents, 0));
  // The receiver level counts with 90/AA, the provider level with QA/QC (X214's two code lists).
  const counts = (w: SegmentWriter, [acceptedCode, rejectedCode]: [string, string]) => {
    if (accepted.length) w.segment('QTY', acceptedCode, String(accepted.length));
    if (rejected.length) w.segment('QTY', rejectedCode, String(rejected.length));
    if (accepted.length) w.segment('AMT', 'YU', total(accepted));
    if (rejected.length) w.segment('AMT', 'YY', total(rejected));
  };
  return writeInterchange({ ...input, functionalId: 'HN', implementation: IMPLEMENTATION_277CA, setId: '277' }, (w) => {
    w.segment('BHT', '0085', '08', input.reference, processed, input.now.time, 'TH');
    w.segment('HL', '1', '', '20', '1');
    w.segment('NM1', 'PR', '2', input.payer.name, '', '', '', '', 'PI', input.payer.id);
    w.segment('TRN', '1', input.reference);
    w.segment('DTP', '050', 'D8', date);
    w.segment('DTP', '009', 'D8', processed);
    w.segment('HL', '2', '1', '21', '1');
    w.segment('NM1', '41', '2', input.informationReceiver.name, '', '', '', '', '46', input.informationReceiver.id);
    w.segment('TRN', '2', input.reference);
    w.segment('STC', ['A1', '19', 'PR'], processed, 'WQ', total(input.claims));
    counts(w, ['90', 'AA']);
    w.segment('HL', '3', '2', '19', '1');
    w.segment('NM1', '85', '2', input.provider.name, '', '', '', '', 'XX', input.provider.npi);
    w.segment('TRN', '1', input.reference);
    // STC02 is Not Used at the provider level: the date is the receiver level's.
    w.segment('STC', ['A1', '19', 'PR'], '', 'WQ', total(input.claims));
    counts(w, ['QA', 'QC']);
    input.claims.forEach((c, i) => {
      w.segment('HL', String(4 + i), '3', 'PT');
      w.segment('NM1', 'QC', '1', c.patient.last, c.patient.first ?? '', '', '', '', 'MI', c.patient.memberId);
      w.segment('TRN', '2', c.claimId);
      const ok = ACCEPTED.has(c.status.category);
      const stc01 = c.status.entity ? [c.status.category, c.status.code, c.status.entity] : [c.status.category, c.status.code];
      w.segment('STC', stc01, processed, ok ? 'WQ' : 'U', formatX12Amount(c.chargeCents), '', '', '', '', '', '', '', c.message ?? '');
      if (c.payerClaimControlNo) w.segment('REF', '1K', c.payerClaimControlNo);
      const to = c.serviceDate.to ?? c.serviceDate.from;
      if (to === c.serviceDate.from) w.segment('DTP', '472', 'D8', d8(to));
      else w.segment('DTP', '472', 'RD8', `${d8(c.serviceDate.from)}-${d8(to)}`);
    });
  });
}
