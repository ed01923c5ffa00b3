// Request and response schemas of the one search box: patients and claims by name, birth date, member id, claim id
// or date of service.
import { z } from 'zod';
import { claimSummary } from '../http/viewSchemas';

export const MAX_SEARCH_RESULTS = 50;

export const searchQuery = z.strictObject({
  q: z
    .string('must be given once')
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .describe(
      'name words ("okafor milo", "Okafor, M"), a birth date or date of service (YYYY-MM-DD or MM/DD/YYYY), a member id or a claim id',
    ),
  limit: z
    .string('must be given once')
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.int().min(1, 'must be at least 1').max(MAX_SEARCH_RESULTS, `must be at most ${MAX_SEARCH_RESULTS}`))
    .describe('at most this many patients and this many claims; 20 when absent')
    .optional(),
});

// ---- responses ----------------------------------------------------------------------------------

const isoDate = z.string().describe('YYYY-MM-DD');

export const patientHit = z.object({
  id: z.string(),
  organizationId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate,
  coverages: z.array(z.object({ payerId: z.string(), payerName: z.string(), memberId: z.string(), priority: z.string() })),
});

export const claimHit = claimSummary.extend({ patient: z.object({ firstName: z.string(), lastName: z.string(), birthDate: isoDate }) });

export const searchResponse = z.object({
  understood: z
    .object({
      names: z.array(z.string()),
      date: isoDate.nullable(),
      claimId: z.string().nullable(),
      memberId: z.string().nullable(),
    })
    .describe('what the query was read as: name keys, a date, a claim id, a member id'),
  patients: z.array(patientHit),
  claims: z.array(claimHit),
  /** more patients or claims matched than were returned: narrow the query */
  more: z.object({ patients: z.boolean(), claims: z.boolean() }),
});
