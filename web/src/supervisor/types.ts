// The answers the dashboard reads, as api/supervisor/schemas.ts, api/http/views.ts and api/auth/users.ts define them.
// Only the fields the screens use are spelled out.
import type { ClaimDetail, TaskView } from '../types';

export interface ApiLink {
  method: 'GET' | 'POST';
  href: string;
}

interface ReasonBase {
  message: string;
  since: string;
}

export type StuckReason =
  | (ReasonBase & {
      code: 'STATE_TOO_LONG';
      state: string;
      stateEnteredAt: string;
      thresholdDays: number;
      daysInState: number;
      sources: ('readModel' | 'workflow')[];
    })
  | (ReasonBase & {
      code: 'ACTIVITY_FAILING';
      activityId: string;
      activityType: string;
      attempt: number;
      activityState: string;
      lastFailure: string | null;
      lastAttemptAt: string | null;
      nextAttemptAt: string | null;
      retry: ApiLink;
    })
  | (ReasonBase & {
      code: 'TASK_OVERDUE';
      taskId: string;
      kind: string;
      queue: string;
      status: string;
      assigneeId: string | null;
      dueAt: string;
      daysOverdue: number;
      complete: ApiLink & { actions: string[] };
    })
  | (ReasonBase & { code: 'TIMELY_FILING'; dateOfService: string; timelyFilingDays: number; deadline: string; daysLeft: number });

export interface StuckClaim {
  claimId: string;
  state: string;
  stateEnteredAt: string;
  payerId: string;
  dateOfService: string;
  balanceCents: number;
  since: string;
  reasons: StuckReason[];
}

export interface StuckClaims {
  asOf: string;
  dayMs: number;
  thresholdDays: Record<string, number>;
  timelyFilingWithinDays: number;
  minAttempts: number;
  items: StuckClaim[];
  nextCursor: string | null;
  total: number;
  truncated: boolean;
  temporal: {
    visibility: 'used' | 'unavailable' | 'not-needed';
    describe: { candidates: number; described: number; skipped: number; failed: number };
  };
}

export interface QueueHealth {
  asOf: string;
  dayMs: number;
  queues: {
    queue: string;
    open: number;
    claimed: number;
    overdue: number;
    oldestOpenCreatedAt: string | null;
    oldestOpenAgeDays: number | null;
    claimedBy: { userId: string; claimed: number }[];
  }[];
  throughput: {
    days: number;
    from: string;
    to: string;
    perUserDay: { userId: string; day: string; done: number }[];
    perUser: { userId: string; done: number; perDay: number }[];
  };
  handlingTime: { kind: string; done: number; averageMs: number; medianMs: number; basis: string }[];
}

export interface AgingBucket {
  label: string;
  minDays: number;
  maxDays: number | null;
  balanceCents: number;
  claims: number;
}

export interface AgingRow {
  buckets: AgingBucket[];
  totalCents: number;
  claims: number;
}

export interface ArMeasures {
  asOf: string;
  windowDays: number;
  window: { from: string; to: string };
  aging: { basis: string; total: AgingRow; byPayer: (AgingRow & { payerId: string; payerName: string })[] };
  denials: {
    adjudicated: number;
    denied: number;
    rate: number | null;
    byCategory: { category: string; denied: number; rate: number | null; carcs: Record<string, number> }[];
    formula: string;
  };
  cleanClaims: {
    submitted: number;
    decided: number;
    clean: number;
    pending: number;
    notClean: { rejected: number; scrubFix: number; resubmitted: number };
    rate: number | null;
    formula: string;
  };
  daysInAr: {
    value: number | null;
    openArCents: number;
    chargesCents: number;
    periodDays: number;
    averageDailyChargesCents: number;
    formula: string;
  };
}

export type { ClaimDetail, TaskView };

export interface TaskPage {
  items: TaskView[];
  nextCursor: string | null;
}

export interface AssignableUser {
  id: string;
  name: string;
  role: 'CODER' | 'BILLER' | 'SUPERVISOR' | 'ADMIN';
  active: boolean;
}

export interface RetryAnswer {
  claimId: string;
  reset: { activityId: string; activityType: string; previousAttempt: number }[];
  message: string;
}

/** What the dashboard keeps about a task chosen for reassignment. */
export interface SelectedTask {
  id: string;
  kind: string;
  queue: string;
  claimId: string | null;
  assigneeId: string | null;
}
