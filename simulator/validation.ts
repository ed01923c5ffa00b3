// Request bodies checked against the clearinghouse contract; a failure names the offending field but never
// echoes its value (it may be PHI).
import { z } from 'zod';
import type { AppealFiling, ClaimSubmission, StatusInquiry } from '../domain/clearinghouse';
import { ValidationError } from './errors';
import { SCENARIOS, type Scenario } from './scenarios';

const id = z.string().trim().min(1).max(200);
const cents = z.number().int().nonnegative();
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'is not a calendar date',
  );

const submittedLine = z.object({
  lineNo: z.number().int().min(1).max(50),
  procedureCode: z.string().regex(/^[A-Z0-9]{5}$/, 'must be a 5-character CPT/HCPCS code'),
  modifiers: z.array(z.string().regex(/^[A-Z0-9]{2}$/, 'must be a 2-character modifier')).max(4),
  units: z.number().positive().max(9999),
  chargeCents: cents,
  diagnosisPointers: z.array(z.number().int().min(1).max(12)).min(1).max(4),
});

const claimSubmission = z
  .object({
    idempotencyKey: id,
    // CLM01 holds at most 38 characters.
    claimId: z.string().trim().min(1).max(38),
    attempt: z.number().int().min(1),
    frequencyCode: z.enum(['1', '7', '8']),
    originalPayerClaimControlNo: z.string().min(1).max(50).optional(),
    payerElectronicId: id,
    billingProviderNpi: z.string().regex(/^\d{10}$/, 'must be 10 digits'),
    dateOfService: isoDate,
    totalChargeCents: cents,
    diagnoses: z
      .array(z.string().regex(/^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/, 'must be an ICD-10-CM code'))
      .min(1)
      .max(12),
    lines: z.array(submittedLine).min(1).max(50),
    interchangeControlNumber: z.number().int().min(0).max(999_999_999),
  })
  .superRefine((claim, ctx) => {
    const lineTotal = claim.lines.reduce((s, l) => s + l.chargeCents, 0);
    if (lineTotal !== claim.totalChargeCents) {
      ctx.addIssue({ code: 'custom', path: ['totalChargeCents'], message: 'must equal the sum of the line charges' });
    }
    const seen = new Set<number>();
    claim.lines.forEach((line, i) => {
      if (seen.has(line.lineNo)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'lineNo'], message: 'is repeated' });
      seen.add(line.lineNo);
      line.diagnosisPointers.forEach((p, j) => {
        if (p > claim.diagnoses.length) {
          ctx.addIssue({ code: 'custom', path: ['lines', i, 'diagnosisPointers', j], message: 'points past the diagnoses' });
        }
      });
    });
  });

const statusInquiry = z.object({ claimId: id, payerElectronicId: id, idempotencyKey: id });

const appealFiling = z.object({
  idempotencyKey: id,
  claimId: id,
  level: z.number().int().min(1).max(5),
  payerElectronicId: id,
  payerClaimControlNo: z.string().min(1).max(50).optional(),
  packet: z.string().min(1).max(5_000_000),
});

const forceScenario = z.object({ claimId: id, scenario: z.enum(SCENARIOS) });

const faults = z.object({
  failNextRequests: z.number().int().min(0).max(10_000).optional(),
  status: z.number().int().min(400).max(599).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** the next N requests are delayed by delayMs and then handled normally (a client timeout that still lands) */
  slowNextRequests: z.number().int().min(0).max(10_000).optional(),
  /** the next N requests are handled (and recorded), then answered with `status`: a response lost on the way back */
  failAfterNextRequests: z.number().int().min(0).max(10_000).optional(),
});

const deliverRequest = z.object({
  claimId: id.optional(),
  kind: z.enum(['acknowledgement', 'remittance', 'appeal-decision']).optional(),
  limit: z.number().int().min(1).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.') || undefined;
  // zod's messages describe the rule, not the input, so they are safe to return.
  throw new ValidationError(field ? `${field}: ${issue.message}` : issue.message, field);
}

export const parseClaimSubmission = (body: unknown): ClaimSubmission => parse(claimSubmission, body);
export const parseStatusInquiry = (body: unknown): StatusInquiry => parse(statusInquiry, body);
export const parseAppealFiling = (body: unknown): AppealFiling => parse(appealFiling, body);
export const parseForceScenario = (body: unknown): { claimId: string; scenario: Scenario } => parse(forceScenario, body);
export type FaultsRequest = z.infer<typeof faults>;
export const parseFaults = (body: unknown): FaultsRequest => parse(faults, body);
export type DeliverRequest = z.infer<typeof deliverRequest>;
export const parseDeliverRequest = (body: unknown): DeliverRequest => parse(deliverRequest, body);
