// Request and response schemas of the patient routes.
import { z } from 'zod';
import { todayIso } from '../http/dates';
import { id, isoDate, text } from '../http/fields';
import { patient } from '../http/viewSchemas';

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
    /** the practice the patient is registered with; may be left out by someone who works for one practice only */
    organizationId: id.optional(),
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

/** A coverage corrected after the payer did not find it (an ELIGIBILITY task): what changes, at least one field. */
export const updateCoverageBody = z
  .strictObject({
    memberId: text(80).optional(),
    /** null clears it */
    groupNumber: text(50).nullable().optional(),
    /** X12 individual relationship code; 18 = self */
    relationship: z
      .string('must be a string')
      .regex(/^\d{2}$/, 'must be a 2-digit relationship code')
      .optional(),
  })
  .refine((b) => b.memberId !== undefined || b.groupNumber !== undefined || b.relationship !== undefined, {
    message: 'name at least one of memberId, groupNumber, relationship',
  });

// ---- responses ----------------------------------------------------------------------------------
// The patient is built in api/http/views.ts and described beside it (api/http/viewSchemas.ts).

/** A patient with their coverages, primary first: what registering one and reading one answer. */
export const patientResponse = patient;
