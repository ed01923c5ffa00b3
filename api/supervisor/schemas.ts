// Request and response schemas of the supervisor routes, the claim timeline and claim notes. Requests are
// validated with them; the OpenAPI document (api/openapi/openapi.ts) is generated from the same objects.
import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../http/paging';
import { enumList, once } from '../http/queryParams';

const wholeNumber = (min: number, max: number) =>
  z
    .string('must be given once')
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const asOf = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z' })
  .describe('evaluate as of this instant instead of now (what Temporal reports is always live)');
const text = (max: number) => z.string('must be a string').trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const STUCK_REASONS = ['STATE_TOO_LONG', 'ACTIVITY_FAILING', 'TASK_OVERDUE', 'TIMELY_FILING'] as const;
export type StuckReasonCode = (typeof STUCK_REASONS)[number];

export const stuckClaimsQuery = z.strictObject({
  reason: enumList(STUCK_REASONS)
    .describe(`one reason or a comma-separated list of ${STUCK_REASONS.join(', ')}; all when absent`)
    .optional(),
  payerId: once.optional(),
  timelyFilingWithinDays: wholeNumber(0, 3650)
    .describe('days before the timely-filing limit to start listing a claim; 30 when absent')
    .optional(),
  minAttempts: wholeNumber(2, 10_000).describe('list an activity once Temporal is on this attempt; 3 when absent').optional(),
  describeLimit: wholeNumber(0, 500)
    .describe('at most this many workflows are described for failing activities; 100 when absent')
    .optional(),
  limit: wholeNumber(1, MAX_PAGE_SIZE).optional(),
  cursor: once.optional(),
  asOf: asOf.optional(),
});

export const queueHealthQuery = z.strictObject({
  days: wholeNumber(1, 90).describe('days of throughput and handling time to report; 7 when absent').optional(),
  asOf: asOf.optional(),
});

export const arQuery = z.strictObject({
  windowDays: wholeNumber(1, 730)
    .describe('calendar days of payments (denial rate) and first submissions (clean-claim rate) to count; 90 when absent')
    .optional(),
  asOf: asOf.optional(),
});

export const retryActivityBody = z.strictObject({
  activityId: text(100).describe('one pending activity; every failing one when absent').optional(),
});

export const MAILBOX_FILE_STATES = ['RECEIVED', 'PROCESSED', 'FAILED'] as const;

export const mailboxFilesQuery = z.strictObject({
  state: enumList(MAILBOX_FILE_STATES)
    .describe(`one state or a comma-separated list of ${MAILBOX_FILE_STATES.join(', ')}; all when absent`)
    .optional(),
  limit: wholeNumber(1, MAX_PAGE_SIZE).optional(),
  cursor: once.optional(),
});

export const addClaimNoteBody = z.strictObject({ text: text(4000) });

// ---- responses ----------------------------------------------------------------------------------

const instant = z.string().describe('ISO 8601 instant');
const isoDate = z.string().describe('YYYY-MM-DD');
const cents = z.int();
const link = z.object({ method: z.enum(['GET', 'POST']), href: z.string() });

const stateTooLongReason = z.object({
  code: z.literal('STATE_TOO_LONG'),
  message: z.string(),
  since: instant,
  state: z.string(),
  stateEnteredAt: instant,
  thresholdDays: z.number(),
  daysInState: z.number(),
  /** readModel: the claims table; workflow: Temporal's ClaimState / ClaimStateEnteredAt search attributes */
  sources: z.array(z.enum(['readModel', 'workflow'])),
});
const activityFailingReason = z.object({
  code: z.literal('ACTIVITY_FAILING'),
  message: z.string(),
  since: instant,
  activityId: z.string(),
  activityType: z.string(),
  attempt: z.int(),
  activityState: z.string(),
  lastFailure: z.string().nullable(),
  lastAttemptAt: instant.nullable(),
  nextAttemptAt: instant.nullable(),
  retry: link,
});
const taskOverdueReason = z.object({
  code: z.literal('TASK_OVERDUE'),
  message: z.string(),
  since: instant,
  taskId: z.string(),
  kind: z.string(),
  queue: z.string(),
  status: z.string(),
  assigneeId: z.string().nullable(),
  dueAt: instant,
  daysOverdue: z.number(),
  complete: link.extend({ actions: z.array(z.string()) }),
});
const timelyFilingReason = z.object({
  code: z.literal('TIMELY_FILING'),
  message: z.string(),
  since: instant,
  dateOfService: isoDate,
  timelyFilingDays: z.int(),
  deadline: instant,
  daysLeft: z.number(),
});
export const stuckReason = z.discriminatedUnion('code', [stateTooLongReason, activityFailingReason, taskOverdueReason, timelyFilingReason]);

export const stuckClaimsResponse = z.object({
  asOf: instant,
  dayMs: z.int(),
  thresholdDays: z.record(z.string(), z.number()),
  timelyFilingWithinDays: z.int(),
  minAttempts: z.int(),
  items: z.array(
    z.object({
      claimId: z.string(),
      state: z.string(),
      stateEnteredAt: instant,
      payerId: z.string(),
      dateOfService: isoDate,
      balanceCents: cents,
      since: instant,
      reasons: z.array(stuckReason),
      timeline: link,
    }),
  ),
  nextCursor: z.string().nullable(),
  total: z.int(),
  /** a source returned more rows than it reads at once: some stuck claims may be missing */
  truncated: z.boolean(),
  temporal: z.object({
    visibility: z.enum(['used', 'unavailable', 'not-needed']),
    describe: z.object({ candidates: z.int(), described: z.int(), skipped: z.int(), failed: z.int() }),
  }),
});

const agingBucket = z.object({ label: z.string(), minDays: z.int(), maxDays: z.int().nullable(), balanceCents: cents, claims: z.int() });
const agingRow = z.object({ buckets: z.array(agingBucket), totalCents: cents, claims: z.int() });

const expectedRow = z.object({
  pricedLines: z.int(),
  unpricedLines: z.int(),
  expectedCents: z.int(),
  collectedCents: z.int(),
  patientRespCents: z.int(),
  shortfallCents: z.int().describe('expected less collected and patient responsibility; negative when paid above the contract'),
});

export const arResponse = z.object({
  asOf: instant,
  windowDays: z.int(),
  window: z.object({ from: isoDate, to: isoDate }),
  aging: z.object({
    basis: z.string(),
    total: agingRow,
    byPayer: z.array(agingRow.extend({ payerId: z.string(), payerName: z.string() })),
  }),
  denials: z.object({
    adjudicated: z.int(),
    denied: z.int(),
    rate: z.number().nullable(),
    byCategory: z.array(
      z.object({ category: z.string(), denied: z.int(), rate: z.number().nullable(), carcs: z.record(z.string(), z.int()) }),
    ),
    formula: z.string(),
  }),
  cleanClaims: z.object({
    submitted: z.int(),
    decided: z.int(),
    clean: z.int(),
    pending: z.int(),
    notClean: z.object({ rejected: z.int(), scrubFix: z.int(), resubmitted: z.int() }),
    rate: z.number().nullable(),
    formula: z.string(),
  }),
  expectedVsCollected: z.object({
    basis: z.string(),
    total: expectedRow,
    byPayer: z.array(expectedRow.extend({ payerId: z.string(), payerName: z.string() })),
  }),
  daysInAr: z.object({
    value: z.number().nullable(),
    openArCents: cents,
    chargesCents: cents,
    periodDays: z.int(),
    averageDailyChargesCents: z.number(),
    formula: z.string(),
  }),
});

export const queueHealthResponse = z.object({
  asOf: instant,
  dayMs: z.int(),
  queues: z.array(
    z.object({
      queue: z.string(),
      open: z.int(),
      claimed: z.int(),
      overdue: z.int(),
      oldestOpenCreatedAt: instant.nullable(),
      oldestOpenAgeDays: z.number().nullable(),
      claimedBy: z.array(z.object({ userId: z.string(), claimed: z.int() })),
    }),
  ),
  throughput: z.object({
    days: z.int(),
    from: instant,
    to: instant,
    perUserDay: z.array(z.object({ userId: z.string(), day: instant, done: z.int() })),
    perUser: z.array(z.object({ userId: z.string(), done: z.int(), perDay: z.number() })),
  }),
  handlingTime: z.array(z.object({ kind: z.string(), done: z.int(), averageMs: z.int(), medianMs: z.int(), basis: z.string() })),
});

export const retryActivityResponse = z.object({
  claimId: z.string(),
  reset: z.array(z.object({ activityId: z.string(), activityType: z.string(), previousAttempt: z.int() })),
  message: z.string(),
});

export const timelineEntry = z.object({
  at: instant,
  type: z.string(),
  source: z.enum(['audit', 'record', 'workflow']),
  actor: z.string().nullable(),
  description: z.string(),
  ref: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const timelineResponse = z.object({
  claimId: z.string(),
  state: z.string(),
  entries: z.array(timelineEntry),
  workflowHistory: z.enum(['included', 'not-found', 'unavailable']),
});

export const claimNote = z.object({ id: z.string(), claimId: z.string(), authorId: z.string(), at: instant, text: z.string() });
export const claimNotesResponse = z.object({ items: z.array(claimNote) });

export const mailboxFilesResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      /** user@host:port */
      mailbox: z.string(),
      folder: z.string(),
      name: z.string(),
      /** classifyX12File's kind: 999, TA1, 277CA, 277, 835, 271, 837P, 837I, 270, 276, MIXED or UNKNOWN */
      kind: z.string(),
      state: z.enum(MAILBOX_FILE_STATES),
      size: z.int(),
      sha256: z.string(),
      /** why the intake refused it (FAILED): codes and places, never the file's content */
      error: z.string().nullable(),
      receivedAt: instant,
      archivedAs: z.string().nullable(),
      processedAt: instant.nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
