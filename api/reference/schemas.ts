// Request and response schemas of the reference routes: payers, providers and the code-set look-ups.
import { z } from 'zod';

export const icd10SearchQuery = z
  .object({
    q: z.string().trim().max(200).optional().describe('a code or its start (E11, e11.9, E119) or words of a description (type 2 diabetes)'),
    codes: z.string().max(2000).optional().describe('comma-separated codes to look up exactly (the diagnoses already on a claim)'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

// ---- responses ----------------------------------------------------------------------------------

export const payer = z.object({
  id: z.string(),
  name: z.string(),
  electronicPayerId: z.string(),
  followUpIntervalDays: z.int(),
  maxFollowUps: z.int(),
  timelyFilingDays: z.int(),
  appealWindowDays: z.int(),
  appealLevels: z.int(),
  /** e.g. MEDICARE, COMMERCIAL: what routing rules and users' payer groups refer to */
  payerGroup: z.string().nullable(),
});
export const payerListResponse = z.object({ items: z.array(payer) });

export const provider = z.object({
  id: z.string(),
  organizationId: z.string().describe('the practice the provider works for'),
  npi: z.string(),
  name: z.string(),
  taxonomy: z.string(),
  taxId: z.string(),
});
export const providerListResponse = z.object({ items: z.array(provider) });

export const icd10Result = z.object({
  code: z.string(),
  description: z.string(),
  billable: z.boolean().describe('valid for submission (a header code is not)'),
  matchedWords: z.array(z.string()).optional(),
});

export const icd10SearchResponse = z.object({
  codeSet: z.literal('ICD-10-CM'),
  results: z.array(icd10Result),
  /** looked-up codes the table does not have */
  unknown: z.array(z.string()),
});

const reasonCode = z.object({ code: z.string(), meaning: z.string() });
export const reasonCodesResponse = z.object({
  carcs: z.array(reasonCode.extend({ category: z.string(), routine: z.boolean() })),
  rarcs: z.array(reasonCode),
  groups: z.array(reasonCode),
});
