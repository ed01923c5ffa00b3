// Inbound messages (domain/clearinghouse.ts). Unknown keys are dropped, not refused: a sender may add
// fields before we read them, and refusing would make it re-deliver forever.
import { z } from 'zod';
import { cents, int32, isoDate, signedCents, text } from '../http/fields';

export const acknowledgementMessage = z.object({
  ackId: text(100),
  claimId: text(20),
  attempt: int32(1),
  accepted: z.boolean('must be true or false'),
  rejectionCode: text(50).optional(),
  reason: text(500).optional(),
  payerClaimControlNo: text(50).optional(),
});

const remittanceAdjustment = z.object({
  lineNo: int32(1).optional(),
  groupCode: z.enum(['CO', 'PR', 'OI', 'PI', 'CR'], 'must be CO, PR, OI, PI or CR'),
  carc: z.string('must be a string').regex(/^[A-Z0-9]{1,5}$/, 'must be a claim adjustment reason code'),
  amountCents: signedCents,
  rarc: z
    .string('must be a string')
    .regex(/^[A-Z0-9]{1,7}$/, 'must be a remittance advice remark code')
    .optional(),
});
const remittanceLine = z.object({
  lineNo: int32(1),
  procedureCode: text(48),
  chargeCents: signedCents,
  paidCents: signedCents,
});
const remittanceClaim = z.object({
  claimId: text(20),
  statusCode: z.enum(['1', '2', '3', '4', '22'], 'must be 1, 2, 3, 4 or 22'),
  chargeCents: signedCents,
  paidCents: signedCents,
  patientRespCents: signedCents,
  payerClaimControlNo: text(50).optional(),
  adjustments: z.array(remittanceAdjustment).default([]),
  lines: z.array(remittanceLine).default([]),
});
/** PLB: a provider-level adjustment; positive reduces the payment (e.g. WO recovery), negative adds to it (L6 interest). */
const providerAdjustment = z.object({
  providerId: text(80).optional(),
  fiscalPeriodDate: isoDate.optional(),
  reasonCode: z
    .string('must be a string')
    .regex(/^[A-Z0-9]{2}$/, 'must be a 2-character PLB adjustment reason code such as L6, WO, FB or CS'),
  referenceId: text(50).optional(),
  amountCents: signedCents,
});
export const remittanceMessage = z.object({
  payerElectronicId: text(80),
  traceNumber: text(50),
  paymentDate: isoDate,
  paymentMethod: z.enum(['ACH', 'CHK', 'NON'], 'must be ACH, CHK or NON'),
  /** BPR02: the check or EFT amount, the claims' payments less the provider-level adjustments */
  paymentCents: cents,
  claims: z.array(remittanceClaim).min(1, 'at least one claim is required'),
  providerAdjustments: z.array(providerAdjustment).default([]),
});
export type RemittanceInput = z.output<typeof remittanceMessage>;

export const appealDecisionMessage = z.object({
  decisionId: text(100),
  claimId: text(20),
  level: int32(1),
  decision: z.enum(['OVERTURNED', 'UPHELD'], 'must be OVERTURNED or UPHELD'),
});
