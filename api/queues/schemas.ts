// Request and response schemas of the queue routes: listing a queue's tasks, taking the next one, and the routing
// rules that say who may take them.
import { z } from 'zod';
import { instant, pageSize, payerGroup, skill, TASK_KIND_NAMES, trueOnly, wholeNumber } from '../http/fields';
import { enumList, once } from '../http/queryParams';
import { pageOf, queueItem, task, TASK_QUEUES, TASK_STATUSES } from '../http/viewSchemas';

export const taskQueueParam = z.enum(TASK_QUEUES, 'must be CODER, BILLER or SUPERVISOR');
export const taskListQuery = z
  .strictObject({
    /** one status or a comma-separated list; OPEN and CLAIMED when absent */
    status: enumList(TASK_STATUSES).optional(),
    kind: z.enum(TASK_KIND_NAMES, 'must be a task kind such as CODE_REVIEW').optional(),
    payerId: once.optional(),
    /** created at or after / before: an instant (ISO 8601) or a date (midnight UTC) */
    createdAfter: instant.optional(),
    createdBefore: instant.optional(),
    /** open at least this many lifecycle days (config.dayMs) */
    minAgeDays: wholeNumber.optional(),
    /** the claim's balance, in cents */
    minBalanceCents: wholeNumber.optional(),
    maxBalanceCents: wholeNumber.optional(),
    /** due before this instant; `overdue=true` is due before now */
    dueBefore: instant.optional(),
    overdue: trueOnly.optional(),
    assigneeId: once.optional(),
    mine: trueOnly.optional(),
    unassigned: trueOnly.optional(),
    limit: pageSize.optional(),
    cursor: once.optional(),
  })
  .refine((q) => [q.assigneeId !== undefined, q.mine, q.unassigned].filter(Boolean).length <= 1, {
    message: 'give at most one of assigneeId, mine and unassigned',
    path: ['assigneeId'],
  });

export const routingRuleBody = z.strictObject({
  requiredSkill: skill.nullable().optional(),
  slaDays: z.int('must be a whole number').min(1, 'must be at least 1').max(365, 'must be at most 365').optional(),
});
/** The practice a rule is for: "*" (or absent) for every practice. */
export const routingRuleQuery = z.strictObject({
  organizationId: once.describe('the practice the rule is for; "*" or absent: every practice').optional(),
});
export const routingRuleKey = z.strictObject({
  kind: z.enum(TASK_KIND_NAMES, 'must be a task kind such as CODE_REVIEW'),
  payerGroup: z.union([z.literal('*'), payerGroup]),
});

// ---- responses ----------------------------------------------------------------------------------
// A queue item and a task are built in api/http/views.ts and described beside it (api/http/viewSchemas.ts).

export const queuePageResponse = pageOf(queueItem);
/** POST /api/queues/:queue/next: the task, now claimed by the caller. */
export const nextTaskResponse = task;

export const routingRule = z.object({
  /** "*" for every practice */
  organizationId: z.string(),
  kind: z.string(),
  /** "*" for every payer */
  payerGroup: z.string(),
  queue: z.enum(TASK_QUEUES),
  requiredSkill: z.string().nullable(),
  slaDays: z.int(),
  updatedAt: z.string().describe('ISO 8601 instant'),
});
export const routingRuleListResponse = z.object({ items: z.array(routingRule) });
