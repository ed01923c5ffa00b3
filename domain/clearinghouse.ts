// The one interface claimflow uses to reach payers. The simulator speaks it over HTTP today; a real
// clearinghouse adapter (Availity, Change, Office Ally...) implements the same three calls.
// Money is integer cents; dates of service are YYYY-MM-DD strings.

export type Cents = number;
export type IsoDate = string; // YYYY-MM-DD

export interface SubmittedLine {
  lineNo: number;
  procedureCode: string;
  modifiers: string[];
  units: number;
  chargeCents: Cents;
  diagnosisPointers: number[];
}

export interface ClaimSubmission {
  /** claimId:attempt — a clearinghouse must answer a repeated key with the first receipt and forward nothing. */
  idempotencyKey: string;
  claimId: string; // our patient control number (CLM01)
  attempt: number;
  frequencyCode: '1' | '7' | '8';
  /** the payer's claim control number of the claim a replacement (7) or void (8) refers to */
  originalPayerClaimControlNo?: string;
  payerElectronicId: string;
  billingProviderNpi: string;
  dateOfService: IsoDate;
  totalChargeCents: Cents;
  diagnoses: string[];
  lines: SubmittedLine[];
  interchangeControlNumber: number;
  /**
   * The same claim as an 837P file (ISA13 = interchangeControlNumber). When present, an X12 clearinghouse
   * sends this file (under idempotencyKey) rather than the JSON fields. Holds PHI: never log it.
   */
  x12?: string;
}

export interface SubmissionReceipt {
  clearinghouseRef: string;
  /** true when the key had been seen before: nothing was forwarded again */
  duplicate: boolean;
}

export interface StatusInquiry {
  claimId: string;
  payerElectronicId: string;
  /** claimId:status:n — repeated inquiries with one key are answered once */
  idempotencyKey: string;
}

export type StatusCategory = 'NOT_FOUND' | 'PENDING' | 'FINALIZED' | 'REJECTED';
export interface StatusAnswer {
  category: StatusCategory;
  /** 277 status category code (A1, A2, P1, F1, ...) and a sentence a biller understands */
  statusCode: string;
  message: string;
  /**
   * From a 277 (X12 status inquiry): what the follow-up does about it, as domain/x12/statusCodes.ts followUpFor
   * words it (kind: pending, finalized-paid, finalized-denied, rejected, not-found, ...). Absent from JSON answers.
   */
  followUp?: { kind: string; says: string; action: string };
  /** STC05 and STC09 when the payer gave them */
  paidCents?: Cents;
  checkNumber?: string;
}

export interface AppealFiling {
  idempotencyKey: string; // claimId:appeal:level
  claimId: string;
  level: number;
  payerElectronicId: string;
  payerClaimControlNo?: string;
  packet: string;
}
export interface AppealReceipt {
  appealRef: string;
  duplicate: boolean;
}

export interface Clearinghouse {
  submitClaim(submission: ClaimSubmission): Promise<SubmissionReceipt>;
  checkStatus(inquiry: StatusInquiry): Promise<StatusAnswer>;
  fileAppeal(filing: AppealFiling): Promise<AppealReceipt>;
  /**
   * A 270 eligibility inquiry answered in real time with the payer's 271, as clearinghouses offer it. Both files
   * name the member: never log either. (A batch clearinghouse answers through its mailbox instead: see
   * docs/eligibility-and-status.md.)
   */
  checkEligibility(x12: string): Promise<string>;
  /** A 276 claim status inquiry answered in real time with the payer's 277. Both name the member. */
  inquireStatus(x12: string): Promise<string>;
}

// What the clearinghouse/payer sends back to claimflow's inbound API (JSON now; X12 999/277CA/835 later).

export interface AcknowledgementMessage {
  ackId: string;
  claimId: string;
  attempt: number;
  accepted: boolean;
  /** for a front-end rejection: the 277CA status and a plain reason */
  rejectionCode?: string;
  reason?: string;
  payerClaimControlNo?: string;
}

export interface RemittanceAdjustment {
  lineNo?: number;
  groupCode: 'CO' | 'PR' | 'OI' | 'PI' | 'CR';
  carc: string;
  amountCents: Cents;
  rarc?: string;
}

export interface RemittanceLine {
  lineNo: number;
  procedureCode: string;
  chargeCents: Cents;
  paidCents: Cents;
}

export interface RemittanceClaim {
  claimId: string;
  /** CLP02: 1 primary, 2 secondary, 3 tertiary, 4 denied, 22 reversal */
  statusCode: '1' | '2' | '3' | '4' | '22';
  chargeCents: Cents;
  paidCents: Cents;
  patientRespCents: Cents;
  payerClaimControlNo?: string;
  adjustments: RemittanceAdjustment[];
  lines: RemittanceLine[];
}

/** PLB: an adjustment to the provider, not to any claim. Positive reduces the payment, negative increases it. */
export interface ProviderAdjustmentMessage {
  /** PLB01: the payee's NPI or tax id */
  providerId?: string;
  /** PLB02: last day of the provider's fiscal period */
  fiscalPeriodDate?: IsoDate;
  /** PLB03-1: L6 interest, WO overpayment recovery, FB forwarding balance, CS adjustment, ... */
  reasonCode: string;
  /** PLB03-2 */
  referenceId?: string;
  amountCents: Cents;
}

export interface RemittanceMessage {
  payerElectronicId: string;
  traceNumber: string;
  paymentDate: IsoDate;
  paymentMethod: 'ACH' | 'CHK' | 'NON';
  /** BPR02: the claims' payments less the provider-level adjustments */
  paymentCents: Cents;
  claims: RemittanceClaim[];
  providerAdjustments?: ProviderAdjustmentMessage[];
}

export interface AppealDecisionMessage {
  decisionId: string;
  claimId: string;
  level: number;
  decision: 'OVERTURNED' | 'UPHELD';
}
