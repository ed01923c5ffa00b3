// Request and response schemas of the charge import (docs/charge-import.md). The file itself is text/csv: its
// layout is domain/chargeCsv.ts's, and each claim in it is held to createClaimBody, each new patient to createPatientBody.
import { z } from 'zod';
import { id } from '../http/fields';

export const CSV_CONTENT_TYPE = 'text/csv';

export const importChargesQuery = z.strictObject({
  /** no default: an import that writes is asked for by name, never by leaving a parameter out */
  dryRun: z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true'),
  /** the practice the charges belong to; may be left out by someone who works for one practice only */
  organizationId: id.optional(),
});

// ---- responses ----------------------------------------------------------------------------------

export const chargeImportProblem = z.object({
  row: z.int().describe('1-based row of the file, the header being row 1'),
  column: z.string().optional(),
  message: z.string(),
});

const figures = {
  claims: z.int().describe('claims the file makes, leaving out encounters imported before'),
  lines: z.int(),
  totalCents: z.int(),
  patientsToCreate: z.int(),
  duplicates: z.array(z.string()).describe('encounter ids imported before: skipped'),
  problems: z.array(chargeImportProblem),
};

/** ?dryRun=true: what the import would do; nothing is written. */
export const chargeDryRunResponse = z.object({ dryRun: z.literal(true), ...figures });

/** ?dryRun=false with any problem: 422 with the dry run's report, nothing written. */
export const chargeImportRefusal = z.object({
  error: z.object({ code: z.literal('IMPORT_REFUSED'), message: z.string() }),
  dryRun: z.literal(false),
  ...figures,
});

export const chargeImportResponse = z.object({
  dryRun: z.literal(false),
  created: z.array(z.string()).describe('the claims created, in file order'),
  duplicates: z.array(z.string()).describe('encounter ids imported before: skipped'),
  patientsCreated: z.int(),
  workflowsPending: z
    .array(z.string())
    .describe('claims saved whose workflow could not be started yet: it is started when the workflow service is reachable'),
});

export const chargeImportAnswer = z.union([chargeDryRunResponse, chargeImportResponse]);
