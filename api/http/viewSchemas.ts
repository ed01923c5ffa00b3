// The answers views.ts builds, as zod schemas. They live here, beside views.ts, because the builders are typed
// with them (a field added or dropped on one side only is a compile error) and api/http imports no feature; each
// feature's schemas.ts names them as its routes' responses, the OpenAPI document describes those routes with them,
// and the web takes its types from them with `import type`. Nothing parses a request with these.
import { z } from 'zod';

export const TASK_QUEUES = ['CODER', 'BILLER', 'SUPERVISOR'] as const;
export const TASK_STATUSES = ['OPEN', 'CLAIMED', 'DONE', 'CANCELLED'] as const;

const instant = z.string().describe('ISO 8601 instant');
const isoDate = z.string().describe('YYYY-MM-DD');
const cents = z.int();

/**
 * A JSON column passed through as stored (a task's context and outcome, an audit event's detail). Not recursive:
 * a recursive schema becomes a $ref that the OpenAPI document, which embeds each schema, could not resolve.
 */
export const jsonValue = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .describe('JSON as stored');

/** true when A and B are the same type: a schema of a type declared elsewhere (the workflow contract) checks with it. */
export type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** One keyset page of a listing; nextCursor is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// ---- tasks ------------------------------------------------------------------------------------------

export const task = z.object({
  id: z.string(),
  /** null for a POSTING_EXCEPTION, which is about no claim of ours */
  claimId: z.string().nullable(),
  /** the claim's practice; null for a posting exception of no claim of ours */
  organizationId: z.string().nullable(),
  workflowId: z.string().nullable(),
  queue: z.enum(TASK_QUEUES),
  kind: z.string(),
  /** the outcomes a task of this kind takes (workflows/contract.ts TASK_KINDS), for the outcome form */
  actions: z.array(z.string()),
  status: z.enum(TASK_STATUSES),
  priority: z.int(),
  rank: z.object({ priority: z.number(), reasons: z.array(z.string()) }).describe('the priority broken into its components'),
  dueAt: instant,
  overdue: z.boolean(),
  assigneeId: z.string().nullable(),
  context: jsonValue,
  outcome: jsonValue,
  escalatedFromId: z.string().nullable(),
  escalatedAt: instant.nullable(),
  createdAt: instant,
  claimedAt: instant.nullable(),
  doneAt: instant.nullable(),
  doneById: z.string().nullable(),
  prioritySetById: z.string().nullable(),
  prioritySetAt: instant.nullable(),
});
export type TaskView = z.output<typeof task>;

/** A task as a queue lists it: with the claim facts the filters use (null for a task about no claim). */
export const queueItem = task.extend({ claim: z.object({ payerId: z.string(), balanceCents: cents }).nullable() });
export type QueueItemView = z.output<typeof queueItem>;

export const taskNote = z.object({ id: z.string(), taskId: z.string(), authorId: z.string(), body: z.string(), createdAt: instant });
export type TaskNoteView = z.output<typeof taskNote>;

// ---- claims -----------------------------------------------------------------------------------------

export const claimSummary = z.object({
  id: z.string(),
  organizationId: z.string().describe('the practice the claim is billed for'),
  state: z.string(),
  stateEnteredAt: instant,
  msInState: z.number(),
  patientId: z.string(),
  providerId: z.string(),
  payerId: z.string(),
  dateOfService: isoDate,
  totalChargeCents: cents,
  paidCents: cents,
  balanceCents: cents,
  createdAt: instant,
});
export type ClaimSummaryView = z.output<typeof claimSummary>;

export const claimLine = z.object({
  lineNo: z.int(),
  procedureCode: z.string(),
  modifiers: z.array(z.string()),
  units: z.int(),
  chargeCents: cents,
  diagnosisPointers: z.array(z.int()),
  paidCents: cents,
  adjustedCents: cents,
  patientRespCents: cents,
});

/** A CAS adjustment of a claim payment: on the claim when lineNo is null, else on that line. */
export const adjustment = z.object({
  lineNo: z.int().nullable(),
  groupCode: z.string(),
  carc: z.string(),
  rarc: z.string().nullable(),
  amountCents: cents,
});

export const payment = z.object({
  id: z.string(),
  remittanceId: z.string(),
  traceNumber: z.string(),
  paymentDate: isoDate,
  paymentMethod: z.string(),
  /** 835 CLP02 */
  statusCode: z.string(),
  chargeCents: cents,
  paidCents: cents,
  patientRespCents: cents,
  payerClaimControlNo: z.string().nullable(),
  postedAt: instant.nullable(),
  adjustments: z.array(adjustment),
  lines: z.array(z.object({ lineNo: z.int(), procedureCode: z.string(), chargeCents: cents, paidCents: cents })),
});

/** One EligibilityCheck row: the 271's answer for a coverage on a date of service (infra/eligibility.ts). */
export const eligibilityCheck = z.object({
  id: z.string(),
  coverageId: z.string(),
  dateOfService: isoDate,
  status: z.enum(['active', 'inactive', 'rejected']),
  advice: z.enum(['correct-and-resend', 'resend', 'resend-later', 'do-not-resend']).nullable(),
  plan: z.object({
    description: z.string().optional(),
    insuranceType: z.string().optional(),
    coverageLevel: z.string().optional(),
    groupNumber: z.string().optional(),
    planNumber: z.string().optional(),
    begins: isoDate.optional(),
    ends: isoDate.optional(),
  }),
  benefits: z.array(
    z.object({
      kind: z.enum(['copay', 'coinsurance', 'deductible', 'out-of-pocket']),
      amount: cents.optional(),
      /** 20 means 20 % */
      percent: z.number().optional(),
      /** the amount is what is left to meet, not the total */
      remaining: z.boolean(),
      period: z.string().optional(),
      coverageLevel: z.string().optional(),
      inNetwork: z.boolean().optional(),
      serviceTypes: z.array(z.string()),
    }),
  ),
  reasons: z.array(z.string()),
  checkedAt: instant,
  /** 'workflow', or the user who asked from the claim page */
  checkedBy: z.string(),
});
export type EligibilityCheckView = z.output<typeof eligibilityCheck>;

export const claimDetail = claimSummary.extend({
  frequencyCode: z.string(),
  payerClaimControlNo: z.string().nullable(),
  coverageId: z.string(),
  encounterId: z.string(),
  placeOfService: z.string(),
  documentation: z.string(),
  adjustedCents: cents,
  patientRespCents: cents,
  writtenOffCents: cents,
  updatedAt: instant,
  closedAt: instant.nullable(),
  lines: z.array(claimLine),
  diagnoses: z.array(z.object({ seq: z.int(), code: z.string(), suggested: z.boolean() })),
  submissions: z.array(
    z.object({
      attempt: z.int(),
      frequencyCode: z.string(),
      status: z.enum(['SENT', 'ACCEPTED', 'REJECTED']),
      rejectReason: z.string().nullable(),
      clearinghouseRef: z.string().nullable(),
      submittedAt: instant,
      respondedAt: instant.nullable(),
    }),
  ),
  payments: z.array(payment),
  appeals: z.array(
    z.object({
      level: z.int(),
      status: z.enum(['FILED', 'OVERTURNED', 'UPHELD']),
      deadline: isoDate,
      packet: z.string(),
      filedAt: instant,
      decidedAt: instant.nullable(),
    }),
  ),
  tasks: z.array(task),
  /** the check on file for the claim's coverage and date of service, null before the first */
  eligibility: eligibilityCheck.nullable(),
  /** the claim's transitions from the audit log; detail is what the workflow recorded ({ from, to, reason }) */
  history: z.array(z.object({ at: instant, actor: z.string(), detail: jsonValue })),
});
export type ClaimDetailView = z.output<typeof claimDetail>;

// ---- patients ---------------------------------------------------------------------------------------

export const patient = z.object({
  id: z.string(),
  organizationId: z.string().describe('the practice the patient is registered with'),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate,
  sex: z.string(),
  addressLine: z.string(),
  city: z.string(),
  state: z.string(),
  postalCode: z.string(),
  balanceCents: cents,
  createdAt: instant,
  coverages: z.array(
    z.object({
      id: z.string(),
      payerId: z.string(),
      payerName: z.string(),
      memberId: z.string(),
      groupNumber: z.string().nullable(),
      priority: z.enum(['PRIMARY', 'SECONDARY', 'TERTIARY']),
      /** X12 individual relationship code; 18 = self */
      relationship: z.string(),
    }),
  ),
});
export type PatientView = z.output<typeof patient>;
