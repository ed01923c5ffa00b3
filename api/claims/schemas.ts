// Request and response schemas of the claim routes. Requests: structure only; whether the patient, provider or
// coverage exists is checked by the route, against the database.
import { z } from 'zod';
import { CLAIM_STATES, type ClaimStatusView } from '../../workflows/contract';
import { checkLinesAgainstDiagnoses, diagnoses, id, isoDate, lines, pageSize, TASK_KIND_NAMES, text } from '../http/fields';
import { once } from '../http/queryParams';
import { claimDetail, claimSummary, eligibilityCheck, pageOf, TASK_QUEUES, type SameType } from '../http/viewSchemas';

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

export const voidClaimBody = z.strictObject({ reason: text(500) });

export const claimListQuery = z.strictObject({
  state: z.enum(CLAIM_STATES, `must be one of ${CLAIM_STATES.join(', ')}`).optional(),
  payerId: once.optional(),
  olderThanDays: z.string('must be given once').regex(/^\d+$/, 'must be a whole number of days').transform(Number).optional(),
  limit: pageSize.optional(),
  cursor: once.optional(),
});

/** GET /api/claims/:id/cms1500.pdf: the red-form data layout, or (outline=true) with the form drawn for plain paper. */
export const cms1500Query = z.strictObject({
  outline: z
    .enum(['true', 'false'], 'must be true or false')
    .transform((v) => v === 'true')
    .optional(),
});

// ---- responses ----------------------------------------------------------------------------------
// The claim itself is built in api/http/views.ts and described beside it (api/http/viewSchemas.ts).

/** POST /api/claims/:id/eligibility: the check just made and stored. */
export const eligibilityCheckResponse = eligibilityCheck.extend({
  /** always false here: an on-demand check asks the payer */
  cached: z.boolean(),
});

/** The workflow's own view (claimStatusQuery); kept equal to ClaimStatusView by the check below. */
export const claimStatus = z.object({
  claimId: z.string(),
  state: z.enum(CLAIM_STATES),
  stateEnteredAt: z.string().describe('ISO 8601 instant'),
  openTasks: z.array(
    z.object({
      taskId: z.string(),
      kind: z.enum(TASK_KIND_NAMES),
      queue: z.enum(TASK_QUEUES),
      dueAt: z.string().describe('ISO 8601 instant'),
      escalated: z.boolean(),
    }),
  ),
  balanceCents: z.int(),
  patientRespCents: z.int(),
  attempt: z.int(),
  frequencyCode: z.string(),
  followUps: z.int(),
  appealLevel: z.int(),
  history: z.array(z.object({ state: z.enum(CLAIM_STATES), at: z.string().describe('ISO 8601 instant'), reason: z.string() })),
  runs: z.int(),
});
// A field added to the workflow's view and not here (or here and not there) fails this line to compile.
true satisfies SameType<z.output<typeof claimStatus>, ClaimStatusView>;

/** GET /api/claims/:id: the read model's claim and the workflow's view, null when no worker answered in time. */
export const claimDetailResponse = claimDetail.extend({ workflow: claimStatus.nullable() });
/** POST /api/claims: the claim as saved, and the id of the workflow started for it. */
export const createdClaimResponse = claimDetail.extend({ workflowId: z.string() });
export const claimListResponse = pageOf(claimSummary);
export const claimCountsResponse = z.object({ counts: z.record(z.string(), z.int()).describe('claims per state'), total: z.int() });
export const voidClaimResponse = z.object({ claimId: z.string(), state: z.enum(CLAIM_STATES) });

const editFailure = z.object({
  editId: z.string().describe('the edit that failed, e.g. DX-002 (domain/scrub.ts lists them)'),
  severity: z.enum(['ERROR', 'WARNING']).describe('an ERROR stops the claim; a WARNING is for a person to look at'),
  message: z.string(),
  route: z.enum(['CODER', 'BILLER']).describe('whose queue fixes it'),
  field: z.string().optional().describe('the request field it is about, e.g. diagnoses[0] or lines[1].procedureCode'),
});

/** POST /api/claims/check: what the scrubber would say of the claim, nothing saved. */
export const claimCheckResponse = z.object({
  passed: z.boolean().describe('no ERROR: the scrub step would send it on'),
  failures: z.array(editFailure),
  editsRun: z.array(z.string()),
  editsSkipped: z.array(z.object({ editId: z.string(), reason: z.string() })),
  codeSetVersions: z.array(z.string()).describe('the code-set versions the edits answered from, e.g. ICD-10-CM FY2024'),
  payer: z.object({ id: z.string(), name: z.string() }).describe('who the claim would be billed to'),
  coverage: z.object({ id: z.string(), priority: z.enum(['PRIMARY', 'SECONDARY', 'TERTIARY']), memberId: z.string() }),
  totalChargeCents: z.int(),
});
