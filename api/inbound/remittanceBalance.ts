// The arithmetic an 835 must satisfy before any of it is stored. An unbalanced remittance is refused whole:
// posting part of one would leave the books disagreeing with the payer's check.
import type { Cents } from '../../domain/clearinghouse';
import type { RemittanceInput } from './schemas';

export interface Imbalance {
  field: string;
  message: string;
}

const sum = (values: Cents[]): Cents => values.reduce((a, b) => a + b, 0);

/** The first rule the message breaks, naming its field; null when it balances. */
export function findImbalance(remittance: RemittanceInput): Imbalance | null {
  for (const [i, claim] of remittance.claims.entries()) {
    const at = `claims[${i}]`;
    const adjustments = claim.adjustments;

    // Every line's charge is what was paid plus what was adjusted on that line (SVC02 = SVC03 + Σ CAS).
    const lineNos = new Set<number>();
    for (const [j, line] of claim.lines.entries()) {
      if (lineNos.has(line.lineNo)) return { field: `${at}.lines[${j}].lineNo`, message: `line ${line.lineNo} appears twice` };
      lineNos.add(line.lineNo);
      const adjusted = sum(adjustments.filter((a) => a.lineNo === line.lineNo).map((a) => a.amountCents));
      if (line.chargeCents !== line.paidCents + adjusted) {
        return {
          field: `${at}.lines[${j}]`,
          message: `line ${line.lineNo} does not balance: charge ${line.chargeCents} ≠ paid ${line.paidCents} + adjustments ${adjusted}`,
        };
      }
    }
    if (claim.lines.length > 0) {
      for (const [k, adjustment] of adjustments.entries()) {
        if (adjustment.lineNo !== undefined && !lineNos.has(adjustment.lineNo)) {
          return { field: `${at}.adjustments[${k}].lineNo`, message: `refers to line ${adjustment.lineNo}, which is not in lines` };
        }
      }
      const linesPaid = sum(claim.lines.map((l) => l.paidCents));
      if (claim.paidCents !== linesPaid) {
        return { field: `${at}.paidCents`, message: `claim paid ${claim.paidCents} ≠ the lines' paid total ${linesPaid}` };
      }
    }

    // The claim's charge is its payment plus every adjustment, claim- and line-level (CLP03 = CLP04 + Σ CAS).
    const adjustedTotal = sum(adjustments.map((a) => a.amountCents));
    if (claim.chargeCents !== claim.paidCents + adjustedTotal) {
      return {
        field: `${at}.chargeCents`,
        message: `claim does not balance: charge ${claim.chargeCents} ≠ paid ${claim.paidCents} + adjustments ${adjustedTotal}`,
      };
    }
    const patientShare = sum(adjustments.filter((a) => a.groupCode === 'PR').map((a) => a.amountCents));
    if (claim.patientRespCents !== patientShare) {
      return {
        field: `${at}.patientRespCents`,
        message: `patient responsibility ${claim.patientRespCents} ≠ the PR adjustments' total ${patientShare}`,
      };
    }
  }

  // The check or EFT (BPR02) is the claims' payments less the provider-level adjustments (PLB).
  const claimsPaid = sum(remittance.claims.map((c) => c.paidCents));
  const providerAdjusted = sum((remittance.providerAdjustments ?? []).map((a) => a.amountCents));
  if (remittance.paymentCents !== claimsPaid - providerAdjusted) {
    return {
      field: 'paymentCents',
      message:
        providerAdjusted === 0
          ? `payment ${remittance.paymentCents} ≠ the claims' paid total ${claimsPaid}`
          : `payment ${remittance.paymentCents} ≠ the claims' paid total ${claimsPaid} less provider adjustments ${providerAdjusted} = ${claimsPaid - providerAdjusted}`,
    };
  }
  return null;
}
