// Request and response schemas of the contracted fee schedules (docs/fee-schedules.md). The import's file is text/csv:
// its layout is domain/feeScheduleCsv.ts's.
import { z } from 'zod';
import { id } from '../http/fields';

export const feeScheduleImportQuery = z.strictObject({
  /** no default: an import that writes is asked for by name, never by leaving a parameter out */
  dryRun: z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true'),
  /** the practice whose contracts these are; may be left out by someone who works for one practice only */
  organizationId: id.optional(),
});

export const feeScheduleListQuery = z.strictObject({
  payerId: id.optional(),
  /** one practice of the caller's; left out: every practice the caller works for */
  organizationId: id.optional(),
  procedureCode: z
    .string('must be a string')
    .regex(/^[A-Z0-9]{5}$/, 'must be a 5-character CPT or HCPCS code')
    .optional(),
});

// ---- responses ----------------------------------------------------------------------------------

export const feeScheduleProblem = z.object({
  row: z.int().describe('1-based row of the file, the header being row 1'),
  column: z.string().optional(),
  message: z.string(),
});

const figures = {
  organizationId: z.string(),
  rates: z.int().describe('rates in the file'),
  toCreate: z.int().describe('rates not stored before'),
  toReplace: z.int().describe('rates stored before with the same payer, provider, code, modifier and effective_from: replaced'),
  problems: z.array(feeScheduleProblem),
};

/** ?dryRun=true: what the import would do; nothing is written. */
export const feeScheduleDryRunResponse = z.object({ dryRun: z.literal(true), ...figures });
/** ?dryRun=false and no problem: every rate written. */
export const feeScheduleImportResponse = z.object({ dryRun: z.literal(false), ...figures });
/** ?dryRun=false with any problem: 422 with the dry run's report, nothing written. */
export const feeScheduleImportRefusal = z.object({
  error: z.object({ code: z.literal('IMPORT_REFUSED'), message: z.string() }),
  dryRun: z.literal(false),
  ...figures,
});
export const feeScheduleImportAnswer = z.union([feeScheduleDryRunResponse, feeScheduleImportResponse]);

export const feeScheduleRateView = z.object({
  id: z.string(),
  organizationId: z.string(),
  payerId: z.string(),
  providerNpi: z.string().nullable().describe("null: the practice's payer-wide rate"),
  procedureCode: z.string(),
  modifier: z.string().nullable(),
  allowedCents: z.int().describe('per unit'),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable().describe('inclusive; null: open-ended'),
});
export const feeScheduleListResponse = z.object({ rates: z.array(feeScheduleRateView), truncated: z.boolean() });
