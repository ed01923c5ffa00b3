// The claimLifecycle workflow's activity contract: every activity's name, input and output. The workflow proxies
// exactly this interface and activities/ implements it; nothing here may have side effects (the bundle imports it).
import type { Cents, IsoDate, StatusAnswer } from '../domain/clearinghouse';
import type { UnderpaymentFinding } from '../domain/expectedPayment';
import type { EditFailure, ScrubOutcome } from '../domain/scrub';
import type { ClaimState, LineInput, TaskKind, TaskOutcome, TaskQueueName } from './contract';

export interface TransitionInput {
  claimId: string;
  from: ClaimState | null;
  to: ClaimState;
  at: string;
  reason: string;
}

export interface CodeSuggestion {
  code: string;
  description: string;
  matchedWords: string[];
  score: number;
}

export interface ApplyCodingInput {
  claimId: string;
  userId: string;
  diagnoses?: string[];
  lines?: LineInput[];
}

/** One scrubber finding, as domain/scrub reports it. */
export type ScrubFailure = EditFailure;
/** The scrubber's outcome (domain/scrub) and whether the claim may go out: no ERROR among the failures. */
export interface ScrubResult extends ScrubOutcome {
  passed: boolean;
}

export interface SubmitInput {
  claimId: string;
  attempt: number;
  frequencyCode: '1' | '7' | '8';
  payerClaimControlNo?: string;
}
export interface SubmitResult {
  submissionId: string;
  interchangeControlNumber: number;
  clearinghouseRef: string;
  duplicate: boolean;
}

export interface StatusCheckInput {
  claimId: string;
  inquiry: number;
}

export interface EligibilityCheckInput {
  claimId: string;
  /** true once a biller says the coverage is fixed: ask the payer again, never the cache */
  force: boolean;
}

/**
 * What the lifecycle needs of a 270/271 exchange (infra/eligibility.ts); plan and benefits stay in the
 * EligibilityCheck row the activity wrote, out of the workflow's history.
 */
export interface EligibilityCheckResult {
  checkId: string;
  status: 'active' | 'inactive' | 'rejected';
  /** plain sentences: the coverage found, or why the payer would not answer (no member data) */
  reasons: string[];
  /** when rejected: correct-and-resend, resend, resend-later or do-not-resend (domain/x12/eligibilityCodes.ts) */
  advice?: 'correct-and-resend' | 'resend' | 'resend-later' | 'do-not-resend';
  /** the answer of an earlier check of the same coverage and date of service: no 270 went out */
  cached: boolean;
  checkedAt: string;
}

export interface FileAppealInput {
  claimId: string;
  level: number;
  deadline: IsoDate;
  carcs: string[];
  payerClaimControlNo?: string;
}

export interface PostingResult {
  /** false when this claim payment had been posted before: nothing was applied again */
  posted: boolean;
  paidCents: Cents;
  adjustedCents: Cents;
  patientRespCents: Cents;
  balanceCents: Cents;
  /** lines the payer allowed less than the contracted fee schedule (beyond the tolerance), after this payment */
  underpayment?: UnderpaymentFinding;
}

export interface OpenTaskInput {
  taskId: string;
  claimId: string;
  workflowId: string;
  kind: TaskKind;
  queue: TaskQueueName;
  priority: number;
  dueAt: string;
  context: Record<string, unknown>;
  escalatedFromId?: string;
}

export interface CloseTaskInput {
  taskId: string;
  status: 'DONE' | 'CANCELLED';
  userId?: string;
  outcome?: TaskOutcome;
}

export interface ClaimActivities {
  recordTransition(input: TransitionInput): Promise<void>;
  suggestCodes(input: { claimId: string }): Promise<{ suggestions: CodeSuggestion[] }>;
  applyCoding(input: ApplyCodingInput): Promise<{ totalChargeCents: Cents }>;
  scrubClaim(input: { claimId: string; asOf: IsoDate }): Promise<ScrubResult>;
  submitClaim(input: SubmitInput): Promise<SubmitResult>;
  checkClaimStatus(input: StatusCheckInput): Promise<StatusAnswer>;
  /** One 270/271 exchange (or the cached answer for the coverage and date of service), its row written. */
  checkEligibility(input: EligibilityCheckInput): Promise<EligibilityCheckResult>;
  fileAppeal(input: FileAppealInput): Promise<{ appealId: string }>;
  postPayment(input: { claimPaymentId: string }): Promise<PostingResult>;
  producePatientStatement(input: { claimId: string; claimPaymentId: string }): Promise<{ statementId: string; amountCents: Cents }>;
  writeOffBalance(input: { claimId: string; reason: string; approvedBy?: string }): Promise<{ amountCents: Cents }>;
  openTask(input: OpenTaskInput): Promise<void>;
  closeTask(input: CloseTaskInput): Promise<void>;
  raiseTaskPriority(input: { taskId: string; priority: number }): Promise<void>;
}
