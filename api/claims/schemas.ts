// Request schemas of the claim routes. Structure only: whether the patient, provider or coverage exists is
// checked by the route, against the database.
import { z } from 'zod';
import { CLAIM_STATES } from '../../workflows/contract';
import { checkLinesAgainstDiagnoses, diagnoses, id, isoDate, lines, pageSize, text } from '../http/fields';
import { once } from '../http/queryParams';

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
