// Request and response schemas of the charge import (docs/charge-import.md). The file itself is text/csv: its
// layout is domain/chargeCsv.ts's, and each claim in it is held to createClaimBody, each new patient to createPatientBody.
import { z } from 'zod';
import { id } from '../http/fields';

export const CSV_CONTENT_TYPE = 'text/csv';

/**
 * What an 837P file may come as. text/plain too (a practice system's upload often says so): a web page could
 * post it without a CORS preflight, but the session that page would ride on needs the X-CSRF-Token header.
 */
export const X12_IMPORT_CONTENT_TYPES = ['application/edi-x12', 'text/plain'];

export const importChargesQuery = z.strictObject({
  /** no default: an import that writes is asked for by name, never by leaving a parameter out */
  dryRun: z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true'),
  /** the practice the charges belong to; may be left out by someone who works for one practice only */
  organizationId: id.optional(),
});

export const import837pQuery = importChargesQuery.extend({
  /** false: for a practice system known to write wrong SE01/GE01/IEA01 counts (SE01 is what reveals a truncated file) */
  controlTotals: z
    .enum(['true', 'false'], 'must be true or false')
    .transform((v) => v === 'true')
    .optional(),
});

// ---- responses ----------------------------------------------------------------------------------

/** A CSV problem names its row (and column); an 837P problem its segment, the segment's position and the claim (CLM01). */
export const chargeImportProblem = z.object({
  row: z.int().optional().describe('CSV: 1-based row of the file, the header being row 1'),
  column: z.string().optional().describe('CSV: the column'),
  segment: z.string().optional().describe('X12: the segment id, e.g. SV1'),
  position: z.int().optional().describe('X12: 1-based ordinal of the segment in the file (ISA is 1)'),
  claim: z.string().optional().describe("X12: the source claim's CLM01 (the practice system's patient control number)"),
  message: z.string(),
});

const figures = {
  claims: z.int().describe('claims the file makes, leaving out encounters imported before'),
  lines: z.int(),
  totalCents: z.int(),
  patientsToCreate: z.int(),
  providersToCreate: z.int().optional().describe('837P: providers of the file the import registers in the practice'),
  duplicates: z.array(z.string()).describe('source ids imported before (CSV: encounter_id; 837P: submitter:CLM01): skipped'),
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
  duplicates: z.array(z.string()).describe('source ids imported before (CSV: encounter_id; 837P: submitter:CLM01): skipped'),
  patientsCreated: z.int(),
  providersCreated: z.int().optional().describe('837P: providers registered in the practice'),
  workflowsPending: z
    .array(z.string())
    .describe('claims saved whose workflow could not be started yet: it is started when the workflow service is reachable'),
});

export const chargeImportAnswer = z.union([chargeDryRunResponse, chargeImportResponse]);

const x12FileProblem = z.object({
  code: z.string(),
  message: z.string(),
  segment: z.string().describe('the segment id, e.g. SE'),
  position: z.int().describe('1-based ordinal of the segment in the file; 0 when none could be read'),
  element: z.int().optional(),
});

/** 400 X12_SYNTAX (the envelopes do not check out) or 422 X12_UNSUPPORTED (not 837P): nothing of the file is read further. */
export const x12ImportRefusal = z.object({
  error: z.object({
    code: z.enum(['X12_SYNTAX', 'X12_UNSUPPORTED']),
    message: z.string(),
    segment: z.string(),
    position: z.int(),
    element: z.int().optional(),
    errors: z.array(x12FileProblem),
  }),
});
