// Every request body and query string the API accepts, as zod schemas. Structure only: whether a
// referenced patient, payer or claim exists is checked by the route, against the database.
import { z } from 'zod';
import { CLAIM_STATES, TASK_KINDS, type TaskAction, type TaskKind } from '../workflows/contract';
import { todayIso } from './http/dates';
import { MAX_PAGE_SIZE } from './http/paging';
import { enumList, once } from './http/queryParams';

/** Int columns are 32-bit: no amount, and no claim total, may exceed this. */
export const MAX_CENTS = 2_147_483_647;

const isoDate = z.iso.date('must be a real calendar date written YYYY-MM-DD');
const cents = z.int('must be a whole number of cents').min(0, 'must not be negative').max(MAX_CENTS, `must not exceed ${MAX_CENTS} cents`);
/** 835 amounts go negative in reversals (CLP02 22) and corrections, so inbound money may be signed. */
const signedCents = z
  .int('must be a whole number of cents')
  .min(-MAX_CENTS, `must not be below -${MAX_CENTS} cents`)
  .max(MAX_CENTS, `must not exceed ${MAX_CENTS} cents`);
/** A count or number stored in an Int column: past 32 bits PostgreSQL refuses it, which must be a 400, not a 500. */
const int32 = (min: number) =>
  z.int('must be a whole number').min(min, `must be at least ${min}`).max(MAX_CENTS, `must not exceed ${MAX_CENTS}`);
const id = z.string('must be a string').trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
const text = (max: number) => z.string('must be a string').trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

// Code formats only; whether a code exists and is billable on the date of service is a scrubbing edit.
const procedureCode = z.string('must be a string').regex(/^[A-Z0-9]{5}$/, 'must be a 5-character CPT or HCPCS code');
const modifier = z.string('must be a string').regex(/^[A-Z0-9]{2}$/, 'must be 2 characters');
export const icd10cm = z
  .string('must be a string')
  .regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'must be an ICD-10-CM code such as E11.9');

const lineInput = z.strictObject({
  procedureCode,
  modifiers: z.array(modifier).max(4, 'at most 4 modifiers').optional(),
  units: z.int('must be a whole number').min(1, 'must be at least 1').max(9999, 'must be at most 9999'),
  chargeCents: cents,
  diagnosisPointers: z
    .array(z.int('must be a whole number').min(1, 'must be between 1 and 12').max(12, 'must be between 1 and 12'))
    .max(4, 'at most 4 diagnosis pointers per line')
    .refine((pointers) => new Set(pointers).size === pointers.length, 'must not repeat a pointer'),
});
const lines = z.array(lineInput).min(1, 'at least one line is required').max(50, 'at most 50 lines');
const diagnoses = z
  .array(icd10cm)
  .max(12, 'at most 12 diagnoses')
  .refine((codes) => new Set(codes).size === codes.length, 'must not repeat a diagnosis');

type LineInputs = z.output<typeof lines>;

/** Totals must fit the 32-bit columns, and pointers must point at a listed diagnosis when diagnoses are given. */
function checkLinesAgainstDiagnoses(value: { lines?: LineInputs; diagnoses?: string[] }, ctx: z.RefinementCtx): void {
  const ls = value.lines ?? [];
  if (ls.reduce((sum, l) => sum + l.chargeCents, 0) > MAX_CENTS) {
    ctx.addIssue({ code: 'custom', path: ['lines'], message: `the claim total must not exceed ${MAX_CENTS} cents` });
  }
  const count = value.diagnoses?.length ?? 0;
  if (count === 0) return;
  ls.forEach((line, i) =>
    line.diagnosisPointers.forEach((pointer, j) => {
      if (pointer > count) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'diagnosisPointers', j],
          message: `points at diagnosis ${pointer} but only ${count} diagnoses are listed`,
        });
      }
    }),
  );
}

export const createClaimBody = z
  .strictObject({
    patientId: id,
    providerId: id,
    coverageId: id.optional(),
    dateOfService: isoDate,
    placeOfService: z.string('must be a string').regex(/^\d{2}$/, 'must be a 2-digit place-of-service code'),
    documentation: text(100_000),
    lines,
    diagnoses: diagnoses.optional(),
  })
  .superRefine(checkLinesAgainstDiagnoses);
export type CreateClaimBody = z.output<typeof createClaimBody>;

export const idempotencyKey = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

const coverageInput = z.strictObject({
  payerId: id,
  memberId: text(80),
  groupNumber: text(50).optional(),
  priority: z.enum(['PRIMARY', 'SECONDARY', 'TERTIARY'], 'must be PRIMARY, SECONDARY or TERTIARY').optional(),
  /** X12 individual relationship code; 18 = self */
  relationship: z
    .string('must be a string')
    .regex(/^\d{2}$/, 'must be a 2-digit relationship code')
    .optional(),
});
const PRIORITY_BY_POSITION = ['PRIMARY', 'SECONDARY', 'TERTIARY'] as const;

export const createPatientBody = z
  .strictObject({
    firstName: text(60),
    lastName: text(60),
    birthDate: isoDate.refine((d) => d <= todayIso(), 'must not be in the future'),
    sex: z.enum(['F', 'M', 'U'], 'must be F, M or U'),
    addressLine: text(100),
    city: text(60),
    state: z.string('must be a string').regex(/^[A-Z]{2}$/, 'must be a 2-letter state code'),
    postalCode: z.string('must be a string').regex(/^\d{5}(-?\d{4})?$/, 'must be a 5- or 9-digit ZIP code'),
    coverages: z.array(coverageInput).min(1, 'at least one coverage is required').max(3, 'at most 3 coverages'),
  })
  // Coverages without a priority take it from their position: first primary, then secondary, tertiary.
  .transform((body) => ({
    ...body,
    coverages: body.coverages.map((c, i) => ({ ...c, priority: c.priority ?? PRIORITY_BY_POSITION[i] })),
  }))
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.coverages.forEach((c, i) => {
      if (seen.has(c.priority)) {
        ctx.addIssue({ code: 'custom', path: ['coverages', i, 'priority'], message: `a second ${c.priority} coverage` });
      }
      seen.add(c.priority);
    });
    if (!seen.has('PRIMARY')) ctx.addIssue({ code: 'custom', path: ['coverages'], message: 'a PRIMARY coverage is required' });
  });
export type CreatePatientBody = z.output<typeof createPatientBody>;

export const voidClaimBody = z.strictObject({ reason: text(500) });

const ALL_TASK_ACTIONS = [...new Set(Object.values(TASK_KINDS).flatMap((k) => k.actions))] as [TaskAction, ...TaskAction[]];
export const TASK_KIND_NAMES = Object.keys(TASK_KINDS) as [TaskKind, ...TaskKind[]];

export const completeTaskBody = z.strictObject({
  outcome: z
    .strictObject({
      action: z.enum(ALL_TASK_ACTIONS, `must be one of ${ALL_TASK_ACTIONS.join(', ')}`),
      diagnoses: diagnoses.optional(),
      lines: lines.optional(),
      note: text(2000).optional(),
      /** POSTING_EXCEPTION MATCH: the claim the payment belongs to */
      claimId: id.optional(),
    })
    .superRefine(checkLinesAgainstDiagnoses),
});
export type CompleteTaskBody = z.output<typeof completeTaskBody>;

// Query strings arrive as strings; a repeated parameter arrives as an array and is refused.
const pageSize = z
  .string('must be given once')
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.int().min(1, 'must be at least 1').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`));

export const claimListQuery = z.strictObject({
  state: z.enum(CLAIM_STATES, `must be one of ${CLAIM_STATES.join(', ')}`).optional(),
  payerId: once.optional(),
  olderThanDays: z.string('must be given once').regex(/^\d+$/, 'must be a whole number of days').transform(Number).optional(),
  limit: pageSize.optional(),
  cursor: once.optional(),
});

const wholeNumber = z
  .string('must be given once')
  .regex(/^\d{1,10}$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.int().max(MAX_CENTS, `must not exceed ${MAX_CENTS}`));
const instant = z
  .string('must be given once')
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(s) && !Number.isNaN(Date.parse(s)),
    'must be a date (YYYY-MM-DD) or an ISO 8601 instant',
  )
  .transform((s) => new Date(s));
const trueOnly = z.enum(['true'], 'must be true when given').transform(() => true as const);

const TASK_STATUSES = ['OPEN', 'CLAIMED', 'DONE', 'CANCELLED'] as const;
export const taskQueueParam = z.enum(['CODER', 'BILLER', 'SUPERVISOR'], 'must be CODER, BILLER or SUPERVISOR');
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

// Inbound messages (domain/clearinghouse.ts). Unknown keys are dropped, not refused: a sender may add
// fields before we read them, and refusing would make it re-deliver forever.
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

// ---- users, tokens, routing rules ----

const ROLE_NAMES = ['CODER', 'BILLER', 'SUPERVISOR', 'ADMIN', 'CLEARINGHOUSE'] as const;
const userId = z
  .string('must be a string')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');
const skill = z
  .string('must be a string')
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 lowercase letters, digits, dashes or underscores');
/** a Payer.id a CLEARINGHOUSE sender may deliver for, or "*" for every payer */
const senderPayerId = z.string('must be a string').regex(/^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/, 'must be a payer id or *');
const payerGroup = z
  .string('must be a string')
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,39}$/, 'must be 1-40 uppercase letters, digits, dashes or underscores');
const uniqueList = <T extends z.ZodType<string>>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `at most ${max}`)
    .refine((xs) => new Set(xs).size === xs.length, 'must not repeat an entry');

export const createUserBody = z
  .strictObject({
    id: userId,
    name: text(100),
    role: z.enum(ROLE_NAMES, `must be one of ${ROLE_NAMES.join(', ')}`),
    skills: uniqueList(skill, 50).optional(),
    payerGroups: uniqueList(payerGroup, 50).optional(),
    payerIds: uniqueList(senderPayerId, 200).optional(),
  })
  .refine((u) => u.role === 'CLEARINGHOUSE' || !u.payerIds?.length, {
    message: 'only a CLEARINGHOUSE sender speaks for payers',
    path: ['payerIds'],
  });
export type CreateUserBody = z.output<typeof createUserBody>;

export const updateUserBody = z.strictObject({
  name: text(100).optional(),
  role: z.enum(ROLE_NAMES, `must be one of ${ROLE_NAMES.join(', ')}`).optional(),
  skills: uniqueList(skill, 50).optional(),
  payerGroups: uniqueList(payerGroup, 50).optional(),
  payerIds: uniqueList(senderPayerId, 200).optional(),
  active: z.boolean('must be true or false').optional(),
});

export const createTokenBody = z.strictObject({
  name: text(100),
  /** the token stops working after this many (real) days; no expiry when absent */
  expiresInDays: z.int('must be a whole number').min(1, 'must be at least 1').max(3650, 'must be at most 3650').optional(),
});
export type CreateTokenBody = z.output<typeof createTokenBody>;

export const routingRuleBody = z.strictObject({
  requiredSkill: skill.nullable().optional(),
  slaDays: z.int('must be a whole number').min(1, 'must be at least 1').max(365, 'must be at most 365').optional(),
});
export const routingRuleKey = z.strictObject({
  kind: z.enum(TASK_KIND_NAMES, 'must be a task kind such as CODE_REVIEW'),
  payerGroup: z.union([z.literal('*'), payerGroup]),
});

// ---- queue work ----

export const reassignBody = z.strictObject({ userId: id });
export const bulkReassignBody = z.strictObject({
  taskIds: z
    .array(id)
    .min(1, 'at least one task id is required')
    .max(500, 'at most 500 tasks at once')
    .refine((xs) => new Set(xs).size === xs.length, 'must not repeat a task id'),
  userId: id,
});
export const taskPriorityBody = z.strictObject({
  priority: z.int('must be a whole number').min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100'),
});
export const taskNoteBody = z.strictObject({ body: text(4000) });
