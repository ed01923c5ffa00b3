// Names and types that the claimLifecycle workflow and its callers (API, worker, tests) share.
// Nothing here may import a module with side effects: the workflow bundle imports this file.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Cents, IsoDate } from '../domain/clearinghouse';

export const TASK_QUEUE = 'claimflow-claims';

export const CLAIM_STATES = [
  'CODING',
  'SCRUBBING',
  'READY',
  'SUBMITTED',
  'ACKNOWLEDGED',
  'REJECTED',
  'AWAITING_ADJUDICATION',
  'PAID',
  'PARTIALLY_PAID',
  'DENIED',
  'APPEALED',
  'POSTED',
  'CLOSED',
  'WRITTEN_OFF',
  'VOIDED',
] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];
export const FINAL_STATES: readonly ClaimState[] = ['CLOSED', 'VOIDED'];

/** The workflow type: what a start names and what visibility queries filter on (`WorkflowType = '...'`). */
export const CLAIM_WORKFLOW_TYPE = 'claimLifecycle';

const CLAIM_WORKFLOW_ID_PREFIX = 'claim-';
/** One workflow per claim, its id derived from the claim id: a second start is refused and harmless. */
export const workflowIdForClaim = (claimId: string): string => `${CLAIM_WORKFLOW_ID_PREFIX}${claimId}`;
/** The claim a workflow id belongs to; undefined for an id that is not a claim's. */
export const claimIdForWorkflow = (workflowId: string): string | undefined =>
  workflowId.startsWith(CLAIM_WORKFLOW_ID_PREFIX) ? workflowId.slice(CLAIM_WORKFLOW_ID_PREFIX.length) : undefined;

export type TaskQueueName = 'CODER' | 'BILLER' | 'SUPERVISOR';

/** Every kind of human work the lifecycle can open, the queue it routes to and the outcomes it accepts. */
export const TASK_KINDS = {
  CODE_REVIEW: { queue: 'CODER', actions: ['CONFIRM_CODES'] },
  /** The 271 says inactive or refused the inquiry: fix the coverage (patient routes) and check again, or void. */
  ELIGIBILITY: { queue: 'BILLER', actions: ['COVERAGE_FIXED', 'RECHECK', 'VOID'] },
  SCRUB_FIX_CODING: { queue: 'CODER', actions: ['FIXED', 'VOID'] },
  SCRUB_FIX_BILLING: { queue: 'BILLER', actions: ['FIXED', 'VOID'] },
  FIX_REJECTION: { queue: 'BILLER', actions: ['RESUBMIT', 'VOID'] },
  FOLLOW_UP: { queue: 'BILLER', actions: ['KEEP_WAITING', 'RESUBMIT'] },
  CHART_AUDIT: { queue: 'CODER', actions: ['CORRECTED_CLAIM', 'APPEAL', 'WRITE_OFF'] },
  DENIAL_REVIEW: { queue: 'BILLER', actions: ['CORRECTED_CLAIM', 'APPEAL', 'WRITE_OFF'] },
  APPEAL_UPHELD_REVIEW: { queue: 'BILLER', actions: ['APPEAL', 'WRITE_OFF'] },
  APPEAL_DECISION_OVERDUE: { queue: 'BILLER', actions: ['KEEP_WAITING', 'WRITE_OFF'] },
  WRITE_OFF_APPROVAL: { queue: 'SUPERVISOR', actions: ['APPROVE', 'REFUSE'] },
  FOLLOW_UP_ESCALATION: { queue: 'SUPERVISOR', actions: ['KEEP_WAITING', 'RESUBMIT', 'WRITE_OFF'] },
  OVERDUE_TASK: { queue: 'SUPERVISOR', actions: ['ACKNOWLEDGE'] },
  TIMELY_FILING_RISK: { queue: 'SUPERVISOR', actions: ['ACKNOWLEDGE'] },
  /** The payer allowed less than the contracted fee schedule: appeal the difference or accept the payment. */
  UNDERPAYMENT: { queue: 'BILLER', actions: ['APPEAL', 'ACCEPT'] },
  /** A remittance claim that matches no claim of ours. No workflow: the API completes it (api/tasks/postingExceptions.ts). */
  POSTING_EXCEPTION: { queue: 'BILLER', actions: ['MATCH', 'RESOLVED_NO_ACTION'] },
} as const satisfies Record<string, { queue: TaskQueueName; actions: readonly string[] }>;
export type TaskKind = keyof typeof TASK_KINDS;
export type TaskAction = (typeof TASK_KINDS)[TaskKind]['actions'][number];

export interface LineInput {
  procedureCode: string;
  modifiers?: string[];
  units: number;
  chargeCents: Cents;
  diagnosisPointers: number[];
}

/** What a person decided. Code changes travel with the outcome that needs them. */
export interface TaskOutcome {
  action: TaskAction;
  diagnoses?: string[];
  lines?: LineInput[];
  note?: string;
  /** POSTING_EXCEPTION MATCH: the claim the unmatched payment belongs to */
  claimId?: string;
}

export interface CompleteTaskRequest {
  taskId: string;
  userId: string;
  /** the caller's role as the API authenticated it: a write-off by a role outside WRITE_OFF_ROLES waits for a supervisor */
  role?: string;
  outcome: TaskOutcome;
}

/**
 * Who may write off a balance on their own word (below the approval threshold), whatever task it starts from. Anyone
 * else's write-off (a coder's, from a chart audit) is a request that a supervisor approves.
 */
export const WRITE_OFF_ROLES = ['BILLER', 'SUPERVISOR', 'ADMIN'] as const;

/**
 * The key of what the payload codec (infra/codec.ts) hands on for a payload it will not open: sent in the clear
 * or failing authentication. The workflow refuses such an input instead of acting on it.
 */
export const REFUSED_PAYLOAD_KEY = 'claimflowRefusedPayload';

/** Why an input must be refused (it is not an object, or the codec refused it), or undefined when it may be read. */
export function whyRefused(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return 'payload refused: no input';
  const refused = (input as Record<string, unknown>)[REFUSED_PAYLOAD_KEY];
  return typeof refused === 'string' ? refused : undefined;
}
export interface CompleteTaskResult {
  taskId: string;
  action: TaskAction;
  /** the claim's state when the Update answered: the step the completion unblocks may already have begun */
  state: ClaimState;
}

export interface AcknowledgementSignal {
  ackId: string;
  attempt: number;
  accepted: boolean;
  rejectionCode?: string;
  reason?: string;
  payerClaimControlNo?: string;
}

/** A remittance's claim payment, already stored by the API; posting reads the rest from the database. */
export interface RemittanceSignal {
  claimPaymentId: string;
  statusCode: '1' | '2' | '3' | '4' | '22';
  chargeCents: Cents;
  paidCents: Cents;
  patientRespCents: Cents;
  carcs: string[];
}

export interface AppealDecisionSignal {
  decisionId: string;
  level: number;
  decision: 'OVERTURNED' | 'UPHELD';
}

export interface VoidRequest {
  userId: string;
  reason: string;
}

export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskRequest]>('completeTask');
export const voidClaimUpdate = defineUpdate<{ state: ClaimState }, [VoidRequest]>('voidClaim');
export const acknowledgementSignal = defineSignal<[AcknowledgementSignal]>('acknowledgement');
export const remittanceSignal = defineSignal<[RemittanceSignal]>('remittance');
export const appealDecisionSignal = defineSignal<[AppealDecisionSignal]>('appealDecision');
export const claimStatusQuery = defineQuery<ClaimStatusView>('claimStatus');

export const ClaimStateKey = defineSearchAttributeKey('ClaimState', SearchAttributeType.KEYWORD);
export const ClaimStateEnteredAtKey = defineSearchAttributeKey('ClaimStateEnteredAt', SearchAttributeType.DATETIME);
export const ClaimPayerKey = defineSearchAttributeKey('ClaimPayer', SearchAttributeType.KEYWORD);
/** Registered on the dev server at start; `temporal operator search-attribute create` does the same on a cluster. */
export const SEARCH_ATTRIBUTES = { ClaimState: 'Keyword', ClaimStateEnteredAt: 'Datetime', ClaimPayer: 'Keyword' } as const;

export interface PayerPolicy {
  payerId: string;
  electronicPayerId: string;
  followUpIntervalDays: number;
  maxFollowUps: number;
  timelyFilingDays: number;
  appealWindowDays: number;
  appealLevels: number;
}

export interface LifecycleOptions {
  /** Length of one "day" for every timer, in ms. Real days in production; the demo compresses them. */
  dayMs: number;
  /** Days a task may stay open before it escalates, per kind (DEFAULT_TASK_SLA_DAYS fills gaps). */
  taskSlaDays: Partial<Record<TaskKind, number>>;
  /** A write-off above this needs a supervisor's approval. */
  writeOffApprovalThresholdCents: Cents;
  /** Days to wait for a 999/277CA before asking the payer about a submission. */
  acknowledgementWaitDays: number;
  /** Days to wait for an appeal decision before a biller checks on it. */
  appealDecisionWaitDays: number;
  /** Supervisor warning this many days before the timely-filing limit if the claim is not yet accepted. */
  timelyFilingWarningDays: number;
  /** Continue-as-new once history reaches this many events (Temporal suggests it too, at 10,240 or 10 MB). */
  continueAsNewAfterEvents: number;
  /** Waits, in days, before asking again when the payer could not answer a 270 now; then a biller gets the task. */
  eligibilityRetryDays: number[];
  /** Days to wait for the 835 once a 277 says the claim is finalized (paid), before a biller asks the payer for it. */
  remittanceAfterFinalizedDays: number;
}

export const DEFAULT_TASK_SLA_DAYS: Record<TaskKind, number> = {
  CODE_REVIEW: 2,
  ELIGIBILITY: 1,
  SCRUB_FIX_CODING: 2,
  SCRUB_FIX_BILLING: 2,
  FIX_REJECTION: 2,
  FOLLOW_UP: 3,
  CHART_AUDIT: 3,
  DENIAL_REVIEW: 5,
  APPEAL_UPHELD_REVIEW: 5,
  APPEAL_DECISION_OVERDUE: 5,
  WRITE_OFF_APPROVAL: 3,
  FOLLOW_UP_ESCALATION: 3,
  OVERDUE_TASK: 2,
  TIMELY_FILING_RISK: 2,
  UNDERPAYMENT: 5,
  POSTING_EXCEPTION: 3,
};

export const DEFAULT_LIFECYCLE_OPTIONS: LifecycleOptions = {
  dayMs: 86_400_000,
  taskSlaDays: {},
  writeOffApprovalThresholdCents: 10_000,
  acknowledgementWaitDays: 2,
  appealDecisionWaitDays: 60,
  timelyFilingWarningDays: 30,
  continueAsNewAfterEvents: 8_000,
  eligibilityRetryDays: [0.25, 1, 3],
  remittanceAfterFinalizedDays: 10,
};

export interface ClaimLifecycleInput {
  claimId: string;
  payer: PayerPolicy;
  dateOfService: IsoDate;
  totalChargeCents: Cents;
  options?: Partial<LifecycleOptions>;
  /** Set only by continue-as-new: where the previous run left off. */
  resume?: ClaimRunMemory;
}

export interface OpenTaskView {
  taskId: string;
  kind: TaskKind;
  queue: TaskQueueName;
  dueAt: string;
  escalated: boolean;
}

export interface TransitionView {
  state: ClaimState;
  at: string;
  reason: string;
}

export interface ClaimMemory {
  state: ClaimState;
  stateEnteredAt: string;
  history: TransitionView[];
  openTasks: OpenTaskView[];
  attempt: number;
  frequencyCode: '1' | '7' | '8';
  payerClaimControlNo?: string;
  followUps: number;
  appealLevel: number;
  balanceCents: Cents;
  patientRespCents: Cents;
  postedPaymentIds: string[];
  /** where the process resumes after continue-as-new */
  next: string;
  denialCarcs: string[];
  runs: number;
  timelyFilingWarned: boolean;
  /** who chose the write-off the claim is heading for (the writeOff step asks a supervisor unless a biller did) */
  writeOffRequest?: { userId: string; role?: string };
}

/** A person's decision on a task, held until the step that waits for it takes it. */
export interface CompletedTask {
  kind: TaskKind;
  outcome: TaskOutcome;
  userId: string;
}

/**
 * Everything a run of the workflow remembers, carried whole into the next run by continue-as-new: the claim's
 * memory plus the messages and decisions that arrived and were not yet acted on.
 */
export interface ClaimRunMemory extends ClaimMemory {
  acks: AcknowledgementSignal[];
  remittances: RemittanceSignal[];
  decisions: AppealDecisionSignal[];
  completed: Record<string, CompletedTask>;
  seenMessages: string[];
  voidReason?: string;
  nextFollowUpAt?: number;
  acceptedOnce?: boolean;
  deniedAt?: number;
  escalations: Record<string, string>;
  timelyFilingDeadlineMs?: number;
  /** a 277 said finalized and the claim is waiting for its 835 (once; the next such answer goes to a biller) */
  finalizedStatusSeen?: boolean;
}

export interface ClaimStatusView {
  claimId: string;
  state: ClaimState;
  stateEnteredAt: string;
  openTasks: OpenTaskView[];
  balanceCents: Cents;
  patientRespCents: Cents;
  attempt: number;
  frequencyCode: string;
  followUps: number;
  appealLevel: number;
  history: TransitionView[];
  runs: number;
}
