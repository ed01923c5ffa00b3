// Task priority (0-100): money at stake and how close a deadline is. Pure, so the workflow can use it.
import type { Cents } from './clearinghouse';

const KIND_BASE: Record<string, number> = {
  CODE_REVIEW: 30,
  SCRUB_FIX_CODING: 40,
  SCRUB_FIX_BILLING: 40,
  FIX_REJECTION: 50,
  FOLLOW_UP: 35,
  CHART_AUDIT: 50,
  DENIAL_REVIEW: 50,
  APPEAL_UPHELD_REVIEW: 45,
  APPEAL_DECISION_OVERDUE: 40,
  WRITE_OFF_APPROVAL: 55,
  FOLLOW_UP_ESCALATION: 60,
  OVERDUE_TASK: 65,
  TIMELY_FILING_RISK: 70,
  POSTING_EXCEPTION: 45,
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

// ---- explanations: the same numbers as taskPriority, in words a person can check ----

/** Points for money at stake: $10 per point up to 20 (as taskPriority). */
function moneyPoints(amountCents: Cents): number {
  return Math.min(20, Math.floor(Math.max(0, amountCents) / 1000));
}

/** Points for the nearest hard deadline (as taskPriority). */
function urgencyPoints(deadlineInDays: number | undefined): number {
  if (deadlineInDays === undefined) return 0;
  return deadlineInDays <= 0 ? 30 : deadlineInDays <= 7 ? 20 : deadlineInDays <= 30 ? 10 : 0;
}

const kindLabel = (kind: string): string => kind.toLowerCase().replaceAll('_', ' ');
const dollars = (cents: Cents): string =>
  `$${Math.floor(Math.max(0, cents) / 100).toLocaleString('en-US')}.${String(Math.max(0, cents) % 100).padStart(2, '0')}`;
const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

export interface PriorityExplanation {
  priority: number;
  /** one line per component, e.g. 'denial review base 50', '$250.00 at stake +20' */
  reasons: string[];
}

function deadlineReason(name: string, days: number, points: number): string {
  const when = days > 0 ? `in ${plural(days, 'day')}` : days === 0 ? 'today' : `passed ${plural(-days, 'day')} ago`;
  return `${name} ${when} +${points}`;
}

/** taskPriority, component by component. `deadlineName` says which deadline deadlineInDays is about. */
export function explainPriority(input: PriorityInput & { deadlineName?: string }): PriorityExplanation {
  const base = KIND_BASE[input.kind] ?? 30;
  const money = moneyPoints(input.amountCents);
  const urgency = urgencyPoints(input.deadlineInDays);
  const reasons = [`${kindLabel(input.kind)} base ${base}`];
  if (money > 0) reasons.push(`${dollars(input.amountCents)} at stake +${money}`);
  if (urgency > 0) reasons.push(deadlineReason(input.deadlineName ?? 'deadline', input.deadlineInDays!, urgency));
  const sum = base + money + urgency;
  if (sum > 100) reasons.push(`capped at 100 -${sum - 100}`);
  return { priority: Math.min(100, sum), reasons };
}

/** What a stored task row tells about how its priority came about. */
export interface TaskRankInput {
  kind: string;
  /** the stored priority: the workflow's, raised on escalation, or a supervisor's override */
  priority: number;
  /** the claim's balance when the workflow opened the task (the amount taskPriority used) */
  amountCents?: Cents;
  /** the hard deadline the task is about, if its context names one */
  deadline?: { name: string; at: Date };
  dueAt: Date;
  /** open or claimed: only workable tasks can be overdue */
  workable: boolean;
  escalatedAt?: Date | null;
  prioritySetAt?: Date | null;
  prioritySetById?: string | null;
}

const URGENCY_WORDING: Record<number, string> = { 30: 'deadline passed', 20: 'deadline within 7 days', 10: 'deadline within 30 days' };

/**
 * The stored priority broken into taskPriority's components, plus an overdue line. The parts always add up to
 * the stored priority: what the row cannot account for (the deadline was not recorded, the amount changed) is
 * named as such rather than guessed.
 *
 * Being overdue adds no points here. The workflow already raises an overdue task (+25, escalatedAt) and opens an
 * OVERDUE_TASK for a supervisor, and queues sort by due date within equal priority, so overdue work comes first
 * among its peers. A bonus computed at read time would make the sort key move with the clock and break keyset
 * paging over the index.
 */
export function explainTaskRank(t: TaskRankInput, now: Date, dayMs = 86_400_000): PriorityExplanation {
  const overdue: string[] = [];
  if (t.workable && t.dueAt.getTime() < now.getTime()) {
    const days = Math.floor((now.getTime() - t.dueAt.getTime()) / dayMs);
    overdue.push(days >= 1 ? `overdue by ${plural(days, 'day')}` : 'overdue by less than a day');
  }
  const overridden = t.prioritySetAt && (!t.escalatedAt || t.prioritySetAt >= t.escalatedAt);
  if (overridden) {
    return { priority: t.priority, reasons: [`set to ${t.priority} by ${t.prioritySetById ?? 'a supervisor'}`, ...overdue] };
  }
  const base = KIND_BASE[t.kind] ?? 30;
  const reasons = [`${kindLabel(t.kind)} base ${base}`];
  let accounted = base;
  if (t.amountCents !== undefined) {
    const money = moneyPoints(t.amountCents);
    if (money > 0) reasons.push(`${dollars(t.amountCents)} at stake +${money}`);
    accounted += money;
  }
  const rest = t.priority - accounted;
  if (rest !== 0) {
    const known = t.amountCents !== undefined;
    if (t.escalatedAt && known) reasons.push(`${rest > 0 ? 'escalated when overdue' : 'capped on escalation'} ${signed(rest)}`);
    else if (known && rest > 0 && t.deadline) {
      const days = Math.floor((t.deadline.at.getTime() - now.getTime()) / dayMs);
      reasons.push(deadlineReason(t.deadline.name, days, rest));
    } else if (known && rest > 0 && URGENCY_WORDING[rest]) reasons.push(`${URGENCY_WORDING[rest]} +${rest}`);
    else
      reasons.push(
        `${known ? 'other' : t.escalatedAt ? 'amount at stake and escalation' : 'amount at stake and deadline'} ${signed(rest)}`,
      );
  }
  return { priority: t.priority, reasons: [...reasons, ...overdue] };
}

const signed = (n: number): string => (n >= 0 ? `+${n}` : `${n}`);
