// Task priority (0-100): money at stake and how close a deadline is. Pure, so the workflow can use it.
import type { Cents } from './clearinghouse';

const KIND_BASE: Record<string, number> = {
  CODE_REVIEW: 30, SCRUB_FIX_CODING: 40, SCRUB_FIX_BILLING: 40, FIX_REJECTION: 50, FOLLOW_UP: 35,
  CHART_AUDIT: 50, DENIAL_REVIEW: 50, APPEAL_UPHELD_REVIEW: 45, APPEAL_DECISION_OVERDUE: 40,
  WRITE_OFF_APPROVAL: 55, FOLLOW_UP_ESCALATION: 60, OVERDUE_TASK: 65, TIMELY_FILING_RISK: 70,
};

export interface PriorityInput {
  kind: string;
  amountCents: Cents;
  /** days until the nearest hard deadline (timely filing, appeal window); undefined if none */
  deadlineInDays?: number;
}

export function taskPriority({ kind, amountCents, deadlineInDays }: PriorityInput): number {
  const base = KIND_BASE[kind] ?? 30;
  // $10 per point up to 20 points: a $200+ claim outranks a cheap one of the same kind
  const money = Math.min(20, Math.floor(Math.max(0, amountCents) / 1000));
  let urgency = 0;
  if (deadlineInDays !== undefined) urgency = deadlineInDays <= 0 ? 30 : deadlineInDays <= 7 ? 20 : deadlineInDays <= 30 ? 10 : 0;
  return Math.min(100, base + money + urgency);
}

/** Overdue work jumps ahead of everything of its kind without reaching the top of the range. */
export function escalatedPriority(current: number): number {
  return Math.min(95, current + 25);
}
